package dev.debuglab.emulator.kvm;

import dev.debuglab.emulator.guest.GuestKit;
import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Program;

import java.util.ArrayList;
import java.util.List;

/**
 * The unit tests' guest and minimal userspace, in the shape of a KVM selftest: a VM of one
 * version with 4 MiB of RAM at 0x4000_0000, one initialised vCPU, a guest assembled with the
 * project's assembler (the {@link StandardVectors} runtime at VBAR_EL1, SP at 0x4020_0000, the
 * body, then PSCI SYSTEM_OFF), and a run loop that completes MMIO to the {@link GuestLog} port
 * and returns the first other exit.
 */
final class KvmTestKit {
    static final long RAM = 0x4000_0000L, STACK_TOP = 0x4020_0000L, DATA = 0x4010_0000L;

    final Vm vm;
    final Vcpu vcpu;
    final Program program;
    final GuestLog log = new GuestLog();
    /** Every event of the routing trace. */
    final List<KvmEvent> events = new ArrayList<>();
    /** MMIO accesses outside the log port (phys_addr, is_write, len), in order. */
    final List<String> otherMmio = new ArrayList<>();
    /** Value returned to MMIO reads outside the log port. */
    long mmioReadValue;

    private KvmTestKit(KvmVersion version, String body) {
        vm = Kvm.createVm(version, VmConfig.defaults().withRamSize(4 << 20));
        vcpu = vm.createVcpu();
        vcpu.init();
        vcpu.addListener(events::add);
        program = Assembler.assemble(RAM, GuestKit.standardGuest(body));
        vm.writeMemory(RAM, program.bytes());
        vcpu.setOneReg(RegId.PC, RAM);
    }

    static KvmTestKit boot(String release, String body) {
        return new KvmTestKit(KvmVersion.of(release), body);
    }

    static KvmTestKit boot(KvmVersion version, String body) {
        return new KvmTestKit(version, body);
    }

    long sym(String name) {
        return program.symbol(name);
    }

    /** KVM_RUN until an exit other than MMIO to the log port (which is completed as the device would). */
    KvmRun runToExit() {
        while (true) {
            KvmRun r = vcpu.run(5_000_000);
            if (r.exitReason() != KvmRun.KVM_EXIT_MMIO) return r;
            long pa = r.mmioPhysAddr();
            if (pa >= GuestLog.BASE && pa < GuestLog.BASE + GuestLog.SIZE) {
                if (r.mmioIsWrite()) log.write(pa - GuestLog.BASE, r.mmioLen(), r.mmioData());
                else r.setMmioData(0);
                continue;
            }
            return r;
        }
    }

    /** Runs to the PSCI SYSTEM_OFF, failing on any other exit. */
    KvmRun runToOff() {
        KvmRun r = runToExit();
        if (r.exitReason() != KvmRun.KVM_EXIT_SYSTEM_EVENT)
            throw new AssertionError("expected the guest's SYSTEM_OFF, got " + r + "; guest log " + log.entries());
        return r;
    }

    /** The guest-visible exceptions (logged by its vectors). */
    List<GuestLog.Exception> guestExceptions() {
        return log.exceptions();
    }

    /** A guest fragment logging {@code xn} under {@code tag}. */
    static String logValue(int tag, String xn) {
        return StandardVectors.logValue(tag, xn);
    }
}
