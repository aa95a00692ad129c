package dev.debuglab.emulator.vmm;

import static dev.debuglab.emulator.vmm.G.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.isa.Program;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.kvm.Step;
import dev.debuglab.emulator.machine.ElfWriter;
import dev.debuglab.emulator.machine.MachineException;
import dev.debuglab.emulator.verdict.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KVM_RUN loop: loading, PC/SP through ONE_REG, internal errors, ELF guests, misuse. */
class VmmRunLoopTest {

    @Test
    void loadSetsPcAndSpThroughOneReg() {
        GuestImage g = StandardGuest.image("nop\n").withStack(0x4030_0000L);
        QemuVmm q = new QemuVmm(V61).load(g);
        assertEquals(g.entry(), q.reg(RegId.PC));
        assertEquals(0x4030_0000L, q.reg(RegId.SP_EL1));
        assertEquals(0x3C5L, q.reg(RegId.PSTATE), "KVM's reset PSTATE: EL1h, DAIF masked");
    }

    // An exception thrown by a reviewer's KVM override becomes KVM_EXIT_INTERNAL_ERROR; the VMM ends the run and reports it.
    @Test
    void kvmInternalErrorEndsTheRun() {
        KvmVersion broken = V61.variant("6.1, broken OSLAR handler").override(Step.HANDLE_OSLAR, (ctx, original) -> {
            throw new IllegalStateException("boom");
        });
        VmmRun r = new QemuVmm(broken).load(StandardGuest.image(LOCK)).run();
        assertEquals(VmmRun.Outcome.INTERNAL_ERROR, r.outcome(), r.toString());
        assertTrue(r.message().contains("KVM_EXIT_INTERNAL_ERROR") && r.message().contains("boom"), r.message());
    }

    @Test
    void elfGuestRunsUnderKvmAndOnBareMetal(@TempDir Path dir) throws Exception {
        Program p = StandardGuest.assemble("        mov     x5, #42\n" + StandardVectors.logValue(1, "x5"));
        Path elf = dir.resolve("guest.elf");
        Files.write(elf, ElfWriter.write(p.bytes(), p.base(), p.base()));
        GuestImage g = GuestImage.load(elf);
        VmmRun r = new QemuVmm(V61).load(g).run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        assertEquals(List.of(42L), r.values(1));
        assertTrue(Verdict.of(r).architectural(), Verdict.of(r).toString());
        MachineException e = assertThrows(MachineException.class, () -> GuestImage.load(dir.resolve("missing.elf")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> g.symbol("x")).getMessage().contains("ELF"));
    }

    @Test
    void segmentOutsideRamIsRefusedClearly() {
        GuestImage far = GuestImage.of(dev.debuglab.emulator.isa.Assembler.assemble(0x5000_0000L, "nop\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new QemuVmm(V61).load(far));
        assertTrue(e.getMessage().contains("outside the VM's RAM") && e.getMessage().contains("link the guest at 0x40000000"), e.getMessage());
    }

    // Loading a stream into a VM whose RAM held something else: pages the source had zero become zero.
    @Test
    void migrationZeroesPagesTheSourceHadZero() {
        GuestImage g = StandardGuest.image("migrate_here:\n        nop\n");
        QemuVmm src = new QemuVmm(V61).load(g);
        src.runUntil(StopPoint.atLabel(g, "migrate_here"));
        dev.debuglab.emulator.kvm.Vm vm = dev.debuglab.emulator.kvm.Kvm.createVm(V61, Vmm.DEFAULT_CONFIG);
        dev.debuglab.emulator.kvm.Vcpu vcpu = vm.createVcpu();
        vcpu.init();
        vm.writeMemory(DATA, 8, 0x1122334455667788L);
        assertTrue(Migration.load(Migration.save(src), vm, vcpu).succeeded());
        assertEquals(0L, vm.readMemory(DATA, 8));
        assertEquals(src.vm().readMemory(g.entry(), 4), vm.readMemory(g.entry(), 4));
    }

    @Test
    void migrationMisuseIsRefusedClearly() {
        QemuVmm src = new QemuVmm(V61);
        assertTrue(assertThrows(IllegalStateException.class, () -> Migration.migrate(src, new QemuVmm(V61))).getMessage().contains("no guest"));
        src.load(StandardGuest.image("nop\n"));
        QemuVmm busy = new QemuVmm(V61).load(StandardGuest.image("nop\n"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Migration.migrate(src, busy)).getMessage().contains("fresh"));
        assertThrows(IllegalArgumentException.class, () -> src.exitLoopLimit(1));
    }

    @Test
    void runResultTellsTheStory() {
        VmmRun r = new QemuVmm(V61).load(StandardGuest.image(NEVER + "brk #0x800\n")).gdbRun("break never", "continue");
        String s = r.toString();
        assertTrue(s.contains("QEMU on KVM v6.1: SYSTEM_OFF"), s);
        assertTrue(s.contains("KVM_EXIT_DEBUG #1 hsr 0xF2000800"), s);
        assertTrue(s.contains("inject (QEMU: not QEMU's own: re-injected without any check): ESR_EL1 0xF2000800"), s);
        assertTrue(s.contains("FAR_EL1 not written"), s);
        assertTrue(s.contains("guest observed:"), s);
    }
}
