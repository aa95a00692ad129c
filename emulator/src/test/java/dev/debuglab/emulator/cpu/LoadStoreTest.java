package dev.debuglab.emulator.cpu;

import static dev.debuglab.emulator.cpu.Harness.CODE;
import static dev.debuglab.emulator.cpu.Harness.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Loads and stores: every size and sign extension, each addressing mode with its writeback,
 * literal, pairs (incl. LDPSW), exclusive and acquire/release forms, prefetch as a no-op, and
 * faults that leave registers and memory unchanged.
 */
class LoadStoreTest {
    private final Harness h = new Harness();

    private Harness run(int word) {
        long pc = h.cpu.pc;
        h.exec(word);
        h.assertCompleted(pc);
        return h;
    }

    private long mem(long address, int size) {
        return h.mem.read(address, size);
    }

    @Test
    void everySizeAndSignExtension() {
        h.mem.write(DATA, 8, 0x8182_8384_8586_8788L);
        h.x(1, DATA);
        run(0x39400020 /* ldrb w0, [x1] */);
        assertEquals(0x88, h.x(0));
        run(0x39C00020 /* ldrsb w0, [x1] */);
        assertEquals(0xFFFF_FF88L, h.x(0));
        run(0x39800020 /* ldrsb x0, [x1] */);
        assertEquals(0xFFFF_FFFF_FFFF_FF88L, h.x(0));
        run(0x79400420 /* ldrh w0, [x1, #2] */);
        assertEquals(0x8586, h.x(0));
        run(0x79C00420 /* ldrsh w0, [x1, #2] */);
        assertEquals(0xFFFF_8586L, h.x(0));
        run(0x79800020 /* ldrsh x0, [x1] */);
        assertEquals(0xFFFF_FFFF_FFFF_8788L, h.x(0));
        run(0xB9400420 /* ldr w0, [x1, #4] */);
        assertEquals(0x8182_8384L, h.x(0));
        run(0xB9800420 /* ldrsw x0, [x1, #4] */);
        assertEquals(0xFFFF_FFFF_8182_8384L, h.x(0));
        run(0xF9400020 /* ldr x0, [x1] */);
        assertEquals(0x8182_8384_8586_8788L, h.x(0));

        h.x(2, 0x1122_3344_5566_7788L);
        run(0x39002022 /* strb w2, [x1, #8] */);
        run(0x79001422 /* strh w2, [x1, #10] */);
        run(0xB9000C22 /* str w2, [x1, #12] */);
        assertEquals(0x5566_7788_7788_0088L, mem(DATA + 8, 8));
        run(0xF9000822 /* str x2, [x1, #16] */);
        assertEquals(0x1122_3344_5566_7788L, mem(DATA + 16, 8));
        run(0xB900103F /* str wzr, [x1, #16] */);
        assertEquals(0x1122_3344_0000_0000L, mem(DATA + 16, 8));
    }

    @Test
    void unscaledAndIndexedAddressing() {
        h.mem.write(DATA, 8, 0x1111);
        h.mem.write(DATA + 8, 8, 0x2222);
        h.x(1, DATA + 9);
        run(0xF85F7020 /* ldur x0, [x1, #-9] */);
        assertEquals(0x1111, h.x(0));
        assertEquals(DATA + 9, h.x(1));
        h.x(1, DATA);
        run(0xF8408C20 /* ldr x0, [x1, #8]! */);
        assertEquals(0x2222, h.x(0));
        assertEquals(DATA + 8, h.x(1)); // pre-index writes the address back
        run(0xF85F8420 /* ldr x0, [x1], #-8 */);
        assertEquals(0x2222, h.x(0));
        assertEquals(DATA, h.x(1)); // post-index: access at the old base, then add
        h.x(2, 0xAB);
        run(0x38003C22 /* strb w2, [x1, #3]! */);
        assertEquals(DATA + 3, h.x(1));
        assertEquals(0xAB, mem(DATA + 3, 1));
        run(0x781FD022 /* sturh w2, [x1, #-3] */);
        assertEquals(0x00AB, mem(DATA, 2));
    }

    @Test
    void registerOffsetExtendsAndScales() {
        h.mem.write(DATA + 0x40, 8, 0x4444);
        h.mem.write(DATA - 0x40, 8, 0x5555);
        h.x(1, DATA).x(2, 8).x(3, 0xFFFF_FFF8L);
        run(0xF8627820 /* ldr x0, [x1, x2, lsl #3] */);
        assertEquals(0x4444, h.x(0));
        run(0xF863D820 /* ldr x0, [x1, w3, sxtw #3] */);
        assertEquals(0x5555, h.x(0));
        h.x(4, 0x1_0000_0040L);
        run(0xF8644820 /* ldr x0, [x1, w4, uxtw] */);
        assertEquals(0x4444, h.x(0));
        run(0x78227822 /* strh w2, [x1, x2, lsl #1] */);
        assertEquals(8, mem(DATA + 16, 2));
    }

    @Test
    void registerOffsetWithByteOrHalfwordExtendIsUndefined() {
        // ldr x0, [x1, w2, uxtb] (option = 000): reserved
        h.exec(0xF8620820);
        h.assertUndefined(CODE);
    }

    @Test
    void literal() {
        h.mem.write(CODE + 0x100, 8, 0xFFFF_FFFF_8000_0001L);
        run(0x58000800 /* ldr x0, .+0x100 */);
        assertEquals(0xFFFF_FFFF_8000_0001L, h.x(0));
        h.cpu.pc = CODE;
        run(0x18000800 /* ldr w0, .+0x100 */);
        assertEquals(0x8000_0001L, h.x(0));
        h.cpu.pc = CODE;
        run(0x98000800 /* ldrsw x0, .+0x100 */);
        assertEquals(0xFFFF_FFFF_8000_0001L, h.x(0));
    }

    @Test
    void prefetchNeverFaults() {
        h.x(1, 0x7);
        run(0xF9800020 /* prfm pldl1keep, [x1] */);
        run(0xF8A16833 /* prfm pstl2strm, [x1, x1] */);
        run(0xF89FF020 /* prfum pldl1keep, [x1, #-1] */);
        run(0xD8C00000 /* prfm pldl1keep, .-0x80000 */);
    }

    @Test
    void pairs() {
        h.x(1, DATA).x(2, 0x1111_2222_3333_4444L).x(3, 0x5555_6666_7777_8888L);
        run(0xA9010C22 /* stp x2, x3, [x1, #16] */);
        assertEquals(0x1111_2222_3333_4444L, mem(DATA + 16, 8));
        assertEquals(0x5555_6666_7777_8888L, mem(DATA + 24, 8));
        run(0x29421424 /* ldp w4, w5, [x1, #16] */);
        assertEquals(0x3333_4444L, h.x(4));
        assertEquals(0x1111_2222L, h.x(5));
        run(0x69431424 /* ldpsw x4, x5, [x1, #24] */);
        assertEquals(0x7777_8888L, h.x(4));
        assertEquals(0x5555_6666L, h.x(5));
        h.mem.write(DATA + 24, 4, 0x8000_0000L);
        run(0x69431424 /* ldpsw x4, x5, [x1, #24] */);
        assertEquals(0xFFFF_FFFF_8000_0000L, h.x(4));
        run(0x29BF0823 /* stp w3, w2, [x1, #-8]! */);
        assertEquals(DATA - 8, h.x(1));
        assertEquals(0x3333_4444_7777_8888L, mem(DATA - 8, 8));
        run(0xA8C19C26 /* ldp x6, x7, [x1], #24 */);
        assertEquals(DATA + 16, h.x(1));
        assertEquals(0x3333_4444_7777_8888L, h.x(6));
        run(0xA8401C26 /* ldnp x6, x7, [x1] */);
        assertEquals(0x1111_2222_3333_4444L, h.x(6));
        assertEquals(0x8000_0000L | 0x5555_6666_0000_0000L, h.x(7));
        run(0xA8007C3F /* stnp xzr, xzr, [x1] */);
        assertEquals(0, mem(DATA + 16, 8));
    }

    @Test
    void pushAndPopOnSp() {
        long sp = h.cpu.sp[1];
        h.x(29, 0x29).x(30, 0x30);
        run(0xA9BF7BFD /* stp x29, x30, [sp, #-16]! */);
        assertEquals(sp - 16, h.cpu.sp[1]);
        run(0xA8C107E0 /* ldp x0, x1, [sp], #16 */);
        assertEquals(0x29, h.x(0));
        assertEquals(0x30, h.x(1));
        assertEquals(sp, h.cpu.sp[1]);
        run(0xF81F83FE /* str x30, [sp, #-8] */);
        assertEquals(0x30, mem(sp - 8, 8));
    }

    @Test
    void spAlignmentFaultWhenSctlrSaIsSet() {
        h.cpu.sys.sctlr[1] |= 1L << 3; // SCTLR_EL1.SA
        h.cpu.sp[1] = DATA + 8;
        h.x(0, 0x77);
        h.exec(0xF90003E0 /* str x0, [sp] */);
        h.assertException(0x26, CODE);
        assertEquals(0, mem(DATA + 8, 8));
    }

    @Test
    void unmappedAddressTakesADataAbortAndChangesNothing() {
        h.x(1, 0x1000).x(0, 0x99);
        h.exec(0xF8408C20 /* ldr x0, [x1, #8]! */);
        Harness.Taken t = h.assertException(0x25, CODE); // Data Abort, same EL
        assertEquals(0x1008L, t.far());
        assertEquals(0x99, h.x(0));
        assertEquals(0x1000, h.x(1)); // no writeback
    }

    @Test
    void pairThatStraddlesTheEndOfRamWritesNeither() {
        long last = Harness.RAM + (1 << 20) - 8;
        h.x(1, last).x(2, 0x12).x(3, 0x34);
        h.exec(0xA9000C22 /* stp x2, x3, [x1] */);
        h.assertException(0x25, CODE);
        assertEquals(0, mem(last, 8));
    }

    @Test
    void unprivilegedLoadsAndStores() {
        h.x(1, DATA).x(2, 0xCAFE);
        run(0xF8008822 /* sttr x2, [x1, #8] */);
        run(0x78408820 /* ldtrh w0, [x1, #8] */);
        assertEquals(0xCAFE, h.x(0));
        run(0x38808820 /* ldtrsb x0, [x1, #8] */);
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, h.x(0));
    }

    // --- exclusives ---------------------------------------------------------------------------------

    @Test
    void exclusivePairSucceedsOnceAndClrexBreaksIt() {
        h.mem.write(DATA, 8, 5);
        h.x(1, DATA).x(2, 6);
        run(0xC85F7C20 /* ldxr x0, [x1] */);
        assertEquals(5, h.x(0));
        run(0xC8037C22 /* stxr w3, x2, [x1] */);
        assertEquals(0, h.x(3)); // success
        assertEquals(6, mem(DATA, 8));
        h.x(2, 7);
        run(0xC8037C22 /* stxr w3, x2, [x1] */);
        assertEquals(1, h.x(3)); // the monitor was cleared by the first store-exclusive
        assertEquals(6, mem(DATA, 8));
        run(0x885FFC20 /* ldaxr w0, [x1] */);
        run(0xD5033F5F /* clrex */);
        run(0x8803FC22 /* stlxr w3, w2, [x1] */);
        assertEquals(1, h.x(3));
        assertEquals(6, mem(DATA, 8));
    }

    @Test
    void storeExclusiveToAnotherAddressOrSizeFails() {
        h.x(1, DATA).x(4, DATA + 8).x(2, 0xAA);
        run(0xC85F7C20 /* ldxr x0, [x1] */);
        run(0xC8037C82 /* stxr w3, x2, [x4] */);
        assertEquals(1, h.x(3));
        run(0xC85F7C20 /* ldxr x0, [x1] */);
        run(0x08037C22 /* stxrb w3, w2, [x1] */);
        assertEquals(1, h.x(3));
        assertEquals(0, mem(DATA, 8));
        run(0x485F7C20 /* ldxrh w0, [x1] */);
        run(0x48037C22 /* stxrh w3, w2, [x1] */);
        assertEquals(0, h.x(3));
        assertEquals(0xAA, mem(DATA, 8));
    }

    @Test
    void exclusivePairs() {
        h.mem.write(DATA, 8, 0x2222_2222_1111_1111L);
        h.mem.write(DATA + 8, 8, 0x3333);
        h.x(1, DATA);
        run(0x887F1424 /* ldxp w4, w5, [x1] */);
        assertEquals(0x1111_1111L, h.x(4));
        assertEquals(0x2222_2222L, h.x(5));
        run(0x88231025 /* stxp w3, w5, w4, [x1] */);
        assertEquals(0, h.x(3));
        assertEquals(0x1111_1111_2222_2222L, mem(DATA, 8));
        run(0xC87F9424 /* ldaxp x4, x5, [x1] */);
        assertEquals(0x3333, h.x(5));
        run(0xC8239025 /* stlxp w3, x5, x4, [x1] */);
        assertEquals(0, h.x(3));
        assertEquals(0x3333, mem(DATA, 8));
        assertEquals(0x1111_1111_2222_2222L, mem(DATA + 8, 8));
    }

    @Test
    void loadAcquireStoreRelease() {
        h.x(1, DATA).x(2, 0x1234_5678_9ABC_DEF0L);
        run(0xC89FFC22 /* stlr x2, [x1] */);
        run(0x08DFFC20 /* ldarb w0, [x1] */);
        assertEquals(0xF0, h.x(0));
        run(0x48DFFC20 /* ldarh w0, [x1] */);
        assertEquals(0xDEF0, h.x(0));
        run(0x88DFFC20 /* ldar w0, [x1] */);
        assertEquals(0x9ABC_DEF0L, h.x(0));
        run(0x089FFC3F /* stlrb wzr, [x1] */);
        run(0xC8DFFC20 /* ldar x0, [x1] */);
        assertEquals(0x1234_5678_9ABC_DE00L, h.x(0));
    }

    // --- CONSTRAINED UNPREDICTABLE choices (documented in LoadStore) ---------------------------------

    @Test
    void loadWithWritebackIntoTheBaseKeepsTheWrittenBackAddress() {
        h.mem.write(DATA, 8, 0x5A5A);
        h.x(1, DATA);
        run(0xF8408421); // ldr x1, [x1], #8 (Rn == Rt)
        assertEquals(DATA + 8, h.x(1));
    }

    @Test
    void storeWithWritebackOfTheBaseStoresTheOldValue() {
        h.x(1, DATA);
        run(0xF8008C21); // str x1, [x1, #8]! (Rn == Rt)
        assertEquals(DATA, mem(DATA + 8, 8));
        assertEquals(DATA + 8, h.x(1));
    }

    @Test
    void loadPairIntoOneRegisterKeepsTheFirstElement() {
        h.mem.write(DATA, 8, 1);
        h.mem.write(DATA + 8, 8, 2);
        h.x(1, DATA);
        run(0xA9400020); // ldp x0, x0, [x1]
        assertEquals(1, h.x(0));
    }
}
