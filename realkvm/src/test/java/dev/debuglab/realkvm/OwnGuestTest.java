package dev.debuglab.realkvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.kvm.GuestDebug;
import dev.debuglab.emulator.vmm.GuestImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A reviewer's own guest image (what a DSL guest's {@code Guest.image()} gives) on real KVM and the
 * model: loaded as QEMU's -kernel path loads it (PC = entry, SP_EL1 = its stack), compared the same way.
 */
class OwnGuestTest {
    static GuestImage image(String body) {
        return GuestImage.of(Assembler.assemble(Script.RAM, "_start:\n    adr     x9, vectors\n    msr     vbar_el1, x9\n    isb\n"
                + "    msr     far_el1, xzr\n" + body + StandardVectors.systemOff() + "    b       .\n" + StandardVectors.source()));
    }

    @Test
    void anOwnGuestRunsOnBothSides() {
        // the OS Lock set, then BRK: delivered to the guest on real 6.1 and on the model (KVM-BRK-OSLK); the handler uses the stack
        GuestImage g = image("    mov     x9, #1\n    msr     oslar_el1, x9\n    isb\n    brk     #0x42\n");
        GuestImage sw = image("    brk     #0x77\n");
        RealKvm.Report r = RealKvm.on(Kernel.of("6.1")).run(List.of(Scenario.of("own-brk", g),
                Scenario.of("own-swbp", sw, Script.empty().guestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_SW_BP)).onDebugSkip(-1))));
        assertTrue(r.agrees(), r.toString());
        List<Observation> real = r.get("own-brk").onReal();
        assertEquals(0xF2000042L, ((GuestLog.Exception) real.get(0).entries().get(0)).esr(), r.toString());
        assertTrue(r.get("own-swbp").onReal().stream().anyMatch(o -> o.text().startsWith("KVM_EXIT_DEBUG hsr 0xF2000077")), r.toString());
    }

    @Test
    void aGuestOutsideTheDriversRamIsRefused() {
        GuestImage far = GuestImage.of(Assembler.assemble(0x4800_0000L, "_start:\n    nop\n"));
        RealKvmException e = assertThrows(RealKvmException.class, () -> Scenario.of("far", far));
        assertTrue(e.getMessage().contains("outside the 2 MiB of RAM at 0x40000000"), e.getMessage());
        assertThrows(RealKvmException.class, () -> Scenario.of("two words", image("")));
    }
}
