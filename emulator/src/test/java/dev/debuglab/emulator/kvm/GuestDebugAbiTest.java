package dev.debuglab.emulator.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * KVM_SET_GUEST_DEBUG validation, KVM_CHECK_EXTENSION, and the debug exit's contents: hsr,
 * hsr_high and flags per version, far only for watchpoints and otherwise the union's old bytes
 * (kvm.md §1.1, §1.2, §6.3 N2).
 */
class GuestDebugAbiTest {
    static final long BCR_A = 0x1E7, WCR_ST = 0x1FF7;

    static Vcpu fresh() {
        Vcpu v = Kvm.createVm(KvmVersion.of("6.1"), VmConfig.defaults().withRamSize(1 << 20)).createVcpu();
        v.init();
        return v;
    }

    @Test
    void capabilitiesAsObserved() {
        // KVM61-RESET: SET_GUEST_DEBUG 1, HW_BPS 6, HW_WPS 4, SET_GUEST_DEBUG2 0x30003.
        Vm vm = Kvm.createVm(KvmVersion.of("6.1"), VmConfig.defaults().withRamSize(1 << 20));
        assertEquals(1, vm.checkExtension(Kvm.KVM_CAP_SET_GUEST_DEBUG));
        assertEquals(6, vm.checkExtension(Kvm.KVM_CAP_GUEST_DEBUG_HW_BPS));
        assertEquals(4, vm.checkExtension(Kvm.KVM_CAP_GUEST_DEBUG_HW_WPS));
        assertEquals(0x30003, vm.checkExtension(Kvm.KVM_CAP_SET_GUEST_DEBUG2));
        assertEquals(0, vm.checkExtension(9999));
    }

    @Test
    void unknownControlBitsGiveEinval() {
        Vcpu v = fresh();
        for (long bad : new long[]{0x4, 0x8, 0x4_0000, 0x8000_0000L, GuestDebug.ENABLE | 0x100}) {
            KvmError e = assertThrows(KvmError.class, () -> v.setGuestDebug(GuestDebug.of(bad)));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("0x30003"), e.getMessage());
        }
        assertEquals(0, v.guestDebug());
    }

    @Test
    void badArraysGiveEinvalWithAClearMessage() {
        Vcpu v = fresh();
        long c = GuestDebug.ENABLE | GuestDebug.USE_HW;
        KvmError e = assertThrows(KvmError.class, () -> v.setGuestDebug(new GuestDebug(c, new long[6], new long[16], new long[16], new long[16])));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("bcr array has 6 entries"), e.getMessage());
        e = assertThrows(KvmError.class, () -> v.setGuestDebug(new GuestDebug(c, new long[16], new long[16], null, new long[16])));
        assertTrue(e.getMessage().contains("wcr array is missing"), e.getMessage());
        e = assertThrows(KvmError.class, () -> v.setGuestDebug(null));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(0, v.guestDebug());
    }

    @Test
    void withoutEnableDebuggingIsOff() {
        Vcpu v = fresh();
        v.setGuestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.SINGLESTEP));
        assertEquals(0x3, v.guestDebug());
        v.setGuestDebug(GuestDebug.of(GuestDebug.SINGLESTEP));      // no ENABLE: guest_debug = 0
        assertEquals(0, v.guestDebug());
    }

    @Test
    void guestDebugIsAnImmutableValue() {
        GuestDebug g = GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_HW).withBreakpoint(0, BCR_A, 0x4000_1000L);
        long[] bcr = g.bcr();
        bcr[0] = 0;
        assertEquals(BCR_A, g.bcr()[0]);
        assertEquals("KVM_SET_GUEST_DEBUG control=ENABLE|USE_HW bcr0=0x1E7 bvr0=0x40001000", g.toString());
    }

    /** A guest reading MMIO (to leave data in the union), then hitting a BRK, a VMM breakpoint and a VMM watchpoint. */
    static final String DEBUG_GUEST = """
                    movz    x1, #0x0a00, lsl #16
                    ldr     x2, [x1]
                    brk     #0x77
            bp:     nop
                    movz    x3, #0x4010, lsl #16
            st:     str     x2, [x3]
            """;

    @Test
    void debugExitsCarryHsrAndFarOnlyForWatchpoints() {
        // KVM61-SWBP-OSLK0 / KVM61-USEHW-OSLK0 and N2: BRK -> hsr 0xF2000077, PC = the BRK, far = the stale MMIO data;
        // breakpoint -> 0xC2000022, far untouched; watchpoint -> 0xD2000062 with far = the address; flags 0x1 (>= 5.19).
        for (String rel : List.of("5.18", "5.19", "6.1", "6.14")) {
            KvmTestKit k = KvmTestKit.boot(rel, DEBUG_GUEST);
            k.vcpu.setGuestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_SW_BP | GuestDebug.USE_HW)
                    .withBreakpoint(0, BCR_A, k.sym("bp")).withWatchpoint(0, WCR_ST, KvmTestKit.DATA));
            long flags = rel.equals("5.18") ? 0 : KvmRun.KVM_DEBUG_ARCH_HSR_HIGH_VALID;
            KvmRun r = k.runToExit();
            assertEquals(KvmRun.KVM_EXIT_MMIO, r.exitReason());
            r.setMmioData(0xA);
            r = k.runToExit();
            assertEquals(KvmRun.KVM_EXIT_DEBUG, r.exitReason(), rel + ": " + r);
            assertEquals(0xF2000077L, r.debugHsr());
            assertEquals(0, r.debugHsrHigh());
            assertEquals(flags, r.flags(), rel);
            assertEquals(0xA, r.debugFar(), "far keeps the MMIO data (not written for BRK)");
            assertEquals(k.sym("bp") - 4, k.vcpu.getOneReg(RegId.PC));
            k.vcpu.setOneReg(RegId.PC, k.sym("bp") - 4 + 4);         // the VMM skips the BRK
            r = k.runToExit();
            assertEquals(0xC2000022L, r.debugHsr(), rel + ": " + r);
            assertEquals(0xA, r.debugFar());
            assertEquals(k.sym("bp"), k.vcpu.getOneReg(RegId.PC));
            k.vcpu.setGuestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_HW).withWatchpoint(0, WCR_ST, KvmTestKit.DATA));
            r = k.runToExit();
            assertEquals(0xD2000062L, r.debugHsr(), rel + ": " + r);
            assertEquals(KvmTestKit.DATA, r.debugFar());
            assertEquals(flags, r.flags());
            assertEquals(k.sym("st"), k.vcpu.getOneReg(RegId.PC));
            k.vcpu.setGuestDebug(GuestDebug.disabled());
            k.runToOff();
            assertEquals(0xA, k.vm.readMemory(KvmTestKit.DATA, 8), "the store completes after the VMM drops the watchpoint");
            assertTrue(k.guestExceptions().isEmpty(), k.guestExceptions().toString());
        }
    }
}
