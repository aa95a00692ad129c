package dev.debuglab.emulator.cpu;

import static dev.debuglab.emulator.cpu.Harness.CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import org.junit.jupiter.api.Test;

/**
 * Stage 2 Translation faults for guest accesses outside RAM (HCR_EL2.VM = 1): taken to EL2 as
 * EC 0x24 with the instruction syndrome (ISV, SAS, SSE, SRT, SF, AR) for single-register
 * accesses without writeback, ISV = 0 for pairs, writeback forms and exclusives; FAR_EL2 = VA,
 * HPFAR_EL2 = IPA[51:12] in bits [43:4]; registers and memory unchanged (Arm ARM D17.2.37).
 */
class Stage2AbortTest {
    static final long MMIO = 0x0900_0000L;

    private final Harness h = new Harness();

    Stage2AbortTest() {
        h.cpu.sys.hcrEl2 = HCR_EL2.VM.of(1) | HCR_EL2.RW.of(1);
    }

    /** Executes {@code word} at EL1 with X1 = the unmapped address; returns ESR_EL2. */
    private long abortOf(int word) {
        h.x(1, MMIO).x(2, 0x10).x(3, MMIO).x(5, 0x1122).x(9, 7).x(10, 0xAB);
        h.cpu.el = 1;
        h.cpu.pc = CODE;
        long[] before = h.cpu.x.clone();
        h.exec(word);
        assertEquals(2, h.cpu.el, "taken to EL2");
        assertEquals(CODE, h.cpu.sys.elr[2], "ELR_EL2 = the access");
        assertEquals(0x24, (int) (h.cpu.sys.esr[2] >>> 26), "EC = Data Abort from a lower EL");
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(h.cpu.x), "registers unchanged");
        return h.cpu.sys.esr[2];
    }

    @Test
    void singleRegisterAccessesCarryTheInstructionSyndrome() {
        assertEquals(0x93830007L, abortOf(0xb9400023)); // ldr w3, [x1]: ISV, SAS 2, SRT 3, DFSC L3
        assertEquals(MMIO, h.cpu.sys.far[2]);
        assertEquals((MMIO >>> 12) << 4, h.cpu.sys.hpfarEl2);
        assertEquals(0x93C58047L, abortOf(0xf9000425)); // str x5, [x1, #8]: SAS 3, SRT 5, SF, WnR
        assertEquals(MMIO + 8, h.cpu.sys.far[2]);
        assertEquals(0x93200007L, abortOf(0x39c00020)); // ldrsb w0, [x1]: SSE, SF 0 (W target)
        assertEquals(0x93678007L, abortOf(0x79800427)); // ldrsh x7, [x1, #2]: SAS 1, SSE, SRT 7, SF
        assertEquals(0x93894047L, abortOf(0x889ffc29)); // stlr w9, [x1]: AR, WnR
        assertEquals(0x930A0047L, abortOf(0x3822682a)); // strb w10, [x1, x2]: SAS 0, SRT 10, WnR
    }

    @Test
    void pairsWritebackAndExclusivesHaveNoSyndrome() {
        assertEquals(0x92000007L, abortOf(0xa9400861)); // ldp x1, x2, [x3]
        assertEquals(0x92000007L, abortOf(0xf8408424)); // ldr x4, [x1], #8 (post-index writeback)
        assertEquals(0x92000007L, abortOf(0xc85f7c22)); // ldxr x2, [x1]
    }

    @Test
    void literalLoadsBelowRam() {
        // ldr x6, .-0x2000 and ldrsw x8, .-0x2000: CODE - 0x2000 is below RAM.
        int imm19 = (-0x2000 >> 2) & 0x7FFFF;
        assertEquals(0x93C68007L, abortOf(0x58000006 | imm19 << 5));
        assertEquals(CODE - 0x2000, h.cpu.sys.far[2]);
        assertEquals(0x93A88007L, abortOf(0x98000008 | imm19 << 5));
    }

    @Test
    void withoutStage2TheSameAccessIsAnExternalAbortAtEl1() {
        h.cpu.sys.hcrEl2 = HCR_EL2.RW.of(1);
        h.x(1, MMIO);
        h.exec(0xb9400023);
        assertEquals(1, h.cpu.el);
        assertEquals(0x96000010L, h.cpu.sys.esr[1]); // EC 0x25, ISV 0, DFSC synchronous External abort
    }

    @Test
    void syndromeReadsBackForPeopleAndForTheHypervisor() {
        assertEquals("EC 0x24 Data Abort from a lower EL, IL 1, ISV 1, SAS 3, SSE 0, SRT 5, SF 1, AR 0, CM 0, WnR 1, DFSC 0x07",
                dev.debuglab.emulator.arch.Syndrome.describe(0x93C58047L));
        var a = dev.debuglab.emulator.arch.Syndrome.accessSyndrome(0x93678007L); // ldrsh x7, [x1, #2]
        assertEquals(new dev.debuglab.emulator.arch.Syndrome.AccessSyndrome(true, 1, true, 7, true, false), a);
    }
}
