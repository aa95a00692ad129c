package dev.debuglab.emulator.cpu;

import static dev.debuglab.emulator.cpu.Harness.CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Branches, hints and barriers, and the words that must be UNDEFINED (SIMD&FP, unallocated). */
class BranchAndHintTest {
    private final Harness h = new Harness();

    private void branch(int word, long expectedPc) {
        h.exceptions.clear();
        h.cpu.pc = CODE;
        h.exec(word);
        assertEquals(java.util.List.of(), h.exceptions);
        assertEquals(expectedPc, h.cpu.pc, String.format("PC after 0x%08X", word));
    }

    @Test
    void unconditionalImmediate() {
        branch(0x14000010 /* b .+0x40 */, CODE + 0x40);
        branch(0x17FFFC00 /* b .-0x1000 */, CODE - 0x1000);
        h.x(30, 0);
        branch(0x94000002 /* bl .+8 */, CODE + 8);
        assertEquals(CODE + 4, h.x(30));
    }

    /** Every condition code against every NZCV combination, from the definitions in Arm ARM C1.2.4. */
    @Test
    void conditionalBranchEveryConditionAndFlags() {
        String[] names = {"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"};
        int[] words = {0x54000100 /* b.eq .+0x20 */, 0x54000101 /* b.ne .+0x20 */, 0x54000102 /* b.cs .+0x20 */, 0x54000103 /* b.cc .+0x20 */, 0x54000104 /* b.mi .+0x20 */,
                0x54000105 /* b.pl .+0x20 */, 0x54000106 /* b.vs .+0x20 */, 0x54000107 /* b.vc .+0x20 */, 0x54000108 /* b.hi .+0x20 */, 0x54000109 /* b.ls .+0x20 */,
                0x5400010A /* b.ge .+0x20 */, 0x5400010B /* b.lt .+0x20 */, 0x5400010C /* b.gt .+0x20 */, 0x5400010D /* b.le .+0x20 */, 0x5400010E /* b.al .+0x20 */,
                0x5400010F /* b.nv .+0x20 */};
        for (int cond = 0; cond < 16; cond++) {
            for (int flags = 0; flags < 16; flags++) {
                boolean n = (flags & 8) != 0, z = (flags & 4) != 0, c = (flags & 2) != 0, v = (flags & 1) != 0;
                boolean taken = switch (names[cond]) {
                    case "eq" -> z; case "ne" -> !z; case "cs" -> c; case "cc" -> !c;
                    case "mi" -> n; case "pl" -> !n; case "vs" -> v; case "vc" -> !v;
                    case "hi" -> c && !z; case "ls" -> !(c && !z);
                    case "ge" -> n == v; case "lt" -> n != v;
                    case "gt" -> !z && n == v; case "le" -> z || n != v;
                    default -> true; // al, nv
                };
                h.nzcv(flags);
                branch(words[cond], taken ? CODE + 0x20 : CODE + 4);
            }
        }
    }

    @Test
    void compareAndBranchLooksOnlyAtTheOperandSize() {
        h.x(1, 0xFFFF_FFFF_0000_0000L);
        branch(0x34000081 /* cbz w1, .+0x10 */, CODE + 0x10);
        branch(0xB4000081 /* cbz x1, .+0x10 */, CODE + 4);
        branch(0xB5FFFF81 /* cbnz x1, .-0x10 */, CODE - 0x10);
        branch(0x35FFFF81 /* cbnz w1, .-0x10 */, CODE + 4);
    }

    @Test
    void testAndBranch() {
        h.x(1, 0x8000_0000_0000_0004L);
        branch(0xB7F80041 /* tbnz x1, #63, .+0x8 */, CODE + 8);
        branch(0xB6F80041 /* tbz x1, #63, .+0x8 */, CODE + 4);
        branch(0x3717FFC1 /* tbnz w1, #2, .-0x8 */, CODE - 8);
        branch(0x361BFFE1 /* tbz w1, #3, .+0x7ffc */, CODE + 0x7FFC);
    }

    @Test
    void branchToRegister() {
        h.x(1, 0x4000_4000L);
        branch(0xD61F0020 /* br x1 */, 0x4000_4000L);
        branch(0xD63F0020 /* blr x1 */, 0x4000_4000L);
        assertEquals(CODE + 4, h.x(30));
        branch(0xD65F03C0 /* ret */, CODE + 4);
        h.x(30, 0x4000_8000L);
        branch(0xD63F03C0 /* blr x30 */, 0x4000_8000L); // the target is read before X30 is written
        assertEquals(CODE + 4, h.x(30));
        h.x(2, 0x4000_0002L);
        branch(0xD65F0040 /* ret x2 */, 0x4000_0002L); // a misaligned target faults on the next fetch, not here
    }

    @Test
    void hintsAndBarriersDoNothingVisible() {
        long[] before = h.cpu.x.clone();
        int[] words = {0xD503201F /* nop */, 0xD503203F /* yield */, 0xD5033F9F /* dsb sy */, 0xD5033BBF /* dmb ish */, 0xD5033FDF /* isb */, 0xD503245F /* hint #0x22 */, 0xD5032FFF /* hint #0x7f */,
                0xD50320BF /* sevl */, 0xD503205F /* wfe */, 0xD503221F /* hint #16 */ /* esb */, 0xD503245F /* hint #34 */ /* bti c */, 0xD503233F /* hint #25 */ /* paciasp */,
                0xD503229F /* hint #20 */ /* csdb */, 0xD503309F /* dsb #0 */ /* ssbb */, 0xD503349F /* dsb #4 */ /* pssbb */};
        for (int w : words) {
            h.cpu.pc = CODE;
            h.exec(w);
            h.assertCompleted(CODE);
        }
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(h.cpu.x));
    }

    @Test
    void wfeConsumesTheEventRegister() {
        h.exec(0xD503209F /* sev */);
        assertTrue(h.cpu.eventRegister);
        h.exec(0xD503205F /* wfe */);
        assertFalse(h.cpu.eventRegister);
        h.assertCompleted(CODE + 4);
    }

    @Test
    void wfiAtEl0TrapsToEl1WhenSctlrNtwiIsClear() {
        h.cpu.el = 0;
        h.cpu.sys.sctlr[1] = 0; // nTWI = 0
        h.exec(0xD503207F /* wfi */);
        Harness.Taken t = h.assertException(0x01, CODE);
        assertEquals(1, t.toEl());
        assertEquals(0x1E0_0000, t.iss()); // CV = 1, COND = 0b1110, TI = 0 (WFI)
    }

    @Test
    void wfeAtEl1TrapsToEl2WhenHcrTweIsSet() {
        h.cpu.sys.hcrEl2 = 1L << 14; // HCR_EL2.TWE
        h.exec(0xD503205F /* wfe */);
        Harness.Taken t = h.assertException(0x01, CODE);
        assertEquals(2, t.toEl());
        assertEquals(0x1E0_0001, t.iss());
    }

    @Test
    void wfiAtEl0CompletesWhenNotTrapped() {
        h.cpu.el = 0;
        h.cpu.sys.sctlr[1] = 1L << 16; // nTWI = 1
        h.exec(0xD503207F /* wfi */);
        h.assertCompleted(CODE);
    }

    @Test
    void simdAndFloatingPointAreUndefined() {
        int[] words = {0x1E622820 /* fadd d0, d1, d2 */, 0x3DC00000 /* ldr q0, [x0] */, 0x6DBF07E0 /* stp d0, d1, [sp, #-16]! */, 0x1C000040 /* ldr s0, .+8 */,
                0x4EA28420 /* add v0.4s, v1.4s, v2.4s */, 0x4C407000 /* ld1 {v0.16b}, [x0] */, 0x9E660000 /* fmov x0, d0 */, 0x3D000020 /* str b0, [x1] */};
        for (int w : words) {
            h.exceptions.clear();
            h.cpu.el = 1;
            h.cpu.pc = CODE;
            h.exec(w);
            h.assertUndefined(CODE);
        }
    }

    @Test
    void unallocatedAndLeftOutWordsAreUndefined() {
        int[] words = {0x00000000 /* udf #0 */, 0x1AC24020 /* crc32b w0, w1, w2 (FEAT_CRC32 not implemented) */, 0xD4A00001 /* dcps1 */,
                0xD6BF03E0 /* drps */, 0x1AC00020 /* dp 2-source opcode 000000: unallocated */,
                0x38200020 /* ldaddb w0, w0, [x1] (FEAT_LSE is not Armv8.0) */, 0x88A07C20 /* cas w0, w0, [x1] (FEAT_LSE) */,
                0x5AC00C20 /* rev x0, x1 with sf = 0: unallocated */, 0x9BC0FC20 /* umulh with o0 = 1: unallocated */,
                0x38A00820 /* ldrsb x0, [x1, w0, uxtb]: option 000 is reserved */};
        for (int w : words) {
            h.exceptions.clear();
            h.cpu.pc = CODE;
            h.exec(w);
            h.assertUndefined(CODE);
        }
    }
}
