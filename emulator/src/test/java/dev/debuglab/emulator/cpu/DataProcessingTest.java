package dev.debuglab.emulator.cpu;

import static dev.debuglab.emulator.cpu.Harness.CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Data processing instructions, one word at a time: the raw word with its GNU disassembly, the
 * operands, and the architecturally required result and NZCV (Arm ARM C6.2 pages; AddWithCarry,
 * ShiftReg, ExtendReg, DecodeBitMasks in J1).
 */
class DataProcessingTest {
    private final Harness h = new Harness();

    private Harness run(int word) {
        long pc = h.cpu.pc;
        h.exec(word);
        h.assertCompleted(pc);
        return h;
    }

    // --- add/subtract (immediate) ------------------------------------------------------------------

    @Test
    void addImmediate() {
        h.x(1, 41);
        run(0x91000420 /* add x0, x1, #1 */);
        assertEquals(42, h.x(0));
        run(0x91400422 /* add x2, x1, #1, lsl #12 */);
        assertEquals(41 + 4096, h.x(2));
    }

    @Test
    void addsCarryAndOverflow() {
        // 0x7FFF_FFFF_FFFF_FFFF + 1: signed overflow, no carry
        h.x(1, Long.MAX_VALUE);
        run(0xB1000420 /* adds x0, x1, #1 */);
        assertEquals(Long.MIN_VALUE, h.x(0));
        h.assertFlags("NzcV");
        // -1 + 1 = 0 with carry out, no overflow
        h.x(1, -1L);
        run(0xB1000420 /* adds x0, x1, #1 */);
        assertEquals(0, h.x(0));
        h.assertFlags("nZCv");
    }

    @Test
    void subsBorrowIsNotCarry() {
        // 0 - 1: no carry (a borrow), negative
        h.x(1, 0);
        run(0xF1000420 /* subs x0, x1, #1 */);
        assertEquals(-1L, h.x(0));
        h.assertFlags("Nzcv");
        // 5 - 5: zero and carry set
        h.x(1, 5);
        run(0xF100143F /* cmp x1, #5 */);
        h.assertFlags("nZCv");
        // MIN - 1 overflows
        h.x(1, Long.MIN_VALUE);
        run(0xF100043F /* cmp x1, #1 */);
        h.assertFlags("nzCV");
    }

    @Test
    void thirtyTwoBitFormsZeroTheUpperHalfAndUse32BitFlags() {
        h.x(1, 0xFFFF_FFFF_7FFF_FFFFL);
        run(0x31000420 /* adds w0, w1, #1 */);
        assertEquals(0x8000_0000L, h.x(0));
        h.assertFlags("NzcV");
        h.x(1, 0x1234_5678_FFFF_FFFFL);
        run(0x11000420 /* add w0, w1, #1 */);
        assertEquals(0, h.x(0));
    }

    @Test
    void addImmediateUsesSpNotXzr() {
        h.cpu.sp[1] = 0x4000_1000L;
        run(0x910043E0 /* add x0, sp, #16 */);
        assertEquals(0x4000_1010L, h.x(0));
        run(0xD10083FF /* sub sp, sp, #32 */);
        assertEquals(0x4000_0FE0L, h.cpu.sp[1]);
        // the flag-setting form writes XZR, not SP (cmn x0, #1 = adds xzr, x0, #1)
        run(0xB100041F /* cmn x0, #1 */);
        assertEquals(0x4000_0FE0L, h.cpu.sp[1]);
        // SP_EL0 is used when PSTATE.SP = 0
        h.cpu.spSel = 0;
        h.cpu.sp[0] = 0x100;
        run(0x910003E3 /* mov x3, sp */);
        assertEquals(0x100, h.x(3));
    }

    // --- logical (immediate) ------------------------------------------------------------------------

    @Test
    void logicalImmediate() {
        h.x(1, 0x1234_5678_9ABC_DEF0L);
        run(0x92781C20 /* and x0, x1, #0xff00 */);
        assertEquals(0xDE00, h.x(0));
        run(0x3200F3E2 /* orr w2, wzr, #0x55555555 */);
        assertEquals(0x5555_5555L, h.x(2));
        run(0xD2607C23 /* eor x3, x1, #0xffffffff00000000 */);
        assertEquals(0xEDCB_A987_9ABC_DEF0L, h.x(3));
        // ANDS sets N and Z, clears C and V
        h.nzcv(0b0011);
        run(0xF2410024 /* ands x4, x1, #0x8000000000000000 */);
        h.assertFlags("nZcv");
        h.x(1, -1L);
        run(0x7201003F /* tst w1, #0x80000000 */);
        h.assertFlags("Nzcv");
        // AND (immediate) can write SP
        run(0x927CEC3F /* and sp, x1, #0xfffffffffffffff0 */);
        assertEquals(-16L, h.cpu.sp[1]);
    }

    @Test
    void logicalImmediateReservedEncodingsAreUndefined() {
        // and w0, w1, #imm with N = 1 (sf = 0): reserved
        h.exec(0x12400020);
        h.assertUndefined(CODE);
    }

    @Test
    void logicalImmediateAllOnesElementIsUndefined() {
        // orr x0, x1 with N = 1, imms = 0b111111: the all-ones element is reserved
        h.exec(0xB240FC20);
        h.assertUndefined(CODE);
    }

    // --- move wide --------------------------------------------------------------------------------

    @Test
    void moveWide() {
        run(0xD2E24680 /* movz x0, #0x1234, lsl #48 */);
        assertEquals(0x1234_0000_0000_0000L, h.x(0));
        run(0xF2B7DDE0 /* movk x0, #0xbeef, lsl #16 */);
        assertEquals(0x1234_0000_BEEF_0000L, h.x(0));
        run(0x92800001 /* movn x1, #0 */);
        assertEquals(-1L, h.x(1));
        run(0x12800001 /* movn w1, #0 */);
        assertEquals(0xFFFF_FFFFL, h.x(1));
        h.x(2, -1L);
        run(0x72824682 /* movk w2, #0x1234 */);
        assertEquals(0xFFFF_1234L, h.x(2));
    }

    @Test
    void moveWideThirtyTwoBitWithHw2IsUndefined() {
        // movz w0, #1, lsl #32 (sf = 0, hw = 0b10): reserved
        h.exec(0x52C00020);
        h.assertUndefined(CODE);
    }

    // --- bitfield, extract --------------------------------------------------------------------------

    @Test
    void bitfieldAliases() {
        h.x(1, 0x8000_0000_0000_00F0L);
        run(0x9344FC20 /* asr x0, x1, #4 */);
        assertEquals(0xF800_0000_0000_000FL, h.x(0));
        run(0xD344FC20 /* lsr x0, x1, #4 */);
        assertEquals(0x0800_0000_0000_000FL, h.x(0));
        run(0xD37CEC20 /* lsl x0, x1, #4 */);
        assertEquals(0xF00L, h.x(0));
        run(0x93401C20 /* sxtb x0, w1 */);
        assertEquals(0xFFFF_FFFF_FFFF_FFF0L, h.x(0));
        run(0x13001C20 /* sxtb w0, w1 */);
        assertEquals(0xFFFF_FFF0L, h.x(0));
        run(0x53003C20 /* uxth w0, w1 */);
        assertEquals(0xF0, h.x(0));
        run(0x93441C20 /* sbfx x0, x1, #4, #4 */);
        assertEquals(-1L, h.x(0));
        run(0xD3441C20 /* ubfx x0, x1, #4, #4 */);
        assertEquals(0xF, h.x(0));
        run(0x93407C20 /* sxtw x0, w1 */);
        assertEquals(0xF0, h.x(0));
        h.x(2, 0xFFFF_FFFF_FFFF_FFFFL);
        run(0xB3781C22 /* bfi x2, x1, #8, #8 */);
        assertEquals(0xFFFF_FFFF_FFFF_F0FFL, h.x(2));
        h.x(3, 0);
        run(0xB37CFC23 /* bfxil x3, x1, #60, #4 */);
        assertEquals(0x8, h.x(3));
        h.x(4, 0xFFFF_FFFF_0000_0000L);
        run(0x33040C24 /* bfi w4, w1, #28, #4 */);
        assertEquals(0, h.x(4)); // 32-bit BFM zeroes the upper half; the inserted nibble is 0x0
        run(0x131F7C20 /* asr w0, w1, #31 */);
        assertEquals(0, h.x(0));
        h.x(1, 0x8000_0000L);
        run(0x131F7C20 /* asr w0, w1, #31 */);
        assertEquals(0xFFFF_FFFFL, h.x(0));
    }

    @Test
    void bitfieldWithSfNotEqualNIsUndefined() {
        // sbfm x0, x1 with N = 0: reserved
        h.exec(0x93000020);
        h.assertUndefined(CODE);
    }

    @Test
    void extract() {
        h.x(1, 0x0123_4567_89AB_CDEFL).x(2, 0xFEDC_BA98_7654_3210L);
        run(0x93C24020 /* extr x0, x1, x2, #16 */);
        assertEquals(0xCDEF_FEDC_BA98_7654L, h.x(0));
        run(0x13822020 /* extr w0, w1, w2, #8 */);
        assertEquals(0xEF76_5432L, h.x(0));
        run(0x93C11020 /* ror x0, x1, #4 */);
        assertEquals(0xF012_3456_789A_BCDEL, h.x(0));
        run(0x93C20020 /* extr x0, x1, x2, #0 */);
        assertEquals(0xFEDC_BA98_7654_3210L, h.x(0));
    }

    // --- PC-relative -------------------------------------------------------------------------------

    @Test
    void adrAndAdrp() {
        h.cpu.pc = CODE + 0x10;
        run(0x10000800 /* adr x0, .+0x100 */);
        assertEquals(CODE + 0x110, h.x(0));
        h.cpu.pc = CODE + 0x14;
        run(0x10FFFFE0 /* adr x0, .-4 */);
        assertEquals(CODE + 0x10, h.x(0));
        h.cpu.pc = CODE + 0x18;
        run(0x90000020); // adrp x0, .+0x4000 (page of PC + 4 pages)
        assertEquals(CODE + 0x4000, h.x(0));
    }

    // --- logical and add/subtract (shifted register) ------------------------------------------------

    @Test
    void logicalShiftedRegister() {
        h.x(1, 0xF0F0).x(2, 0x0FF0);
        run(0x8A020020 /* and x0, x1, x2 */);
        assertEquals(0x00F0, h.x(0));
        run(0x8A220020 /* bic x0, x1, x2 */);
        assertEquals(0xF000, h.x(0));
        run(0xAA2203E0 /* orn x0, xzr, x2 */);
        assertEquals(~0x0FF0L, h.x(0));
        run(0x4A220020 /* eon w0, w1, w2 */);
        assertEquals(0xFFFF_00FFL, h.x(0));
        h.x(3, 0x8000_0000_0000_0001L);
        run(0xAAC307E0 /* orr x0, xzr, x3, ror #1 */);
        assertEquals(0xC000_0000_0000_0000L, h.x(0));
        run(0x2AC307E0 /* orr w0, wzr, w3, ror #1 */);
        assertEquals(0x8000_0000L, h.x(0));
        run(0xCA83FC20 /* eor x0, x1, x3, asr #63 */);
        assertEquals(~0xF0F0L, h.x(0));
        run(0xAA0303E5 /* mov x5, x3 */);
        assertEquals(0x8000_0000_0000_0001L, h.x(5));
        run(0x2A0303E5 /* mov w5, w3 */);
        assertEquals(1, h.x(5));
        h.nzcv(0b0011);
        run(0xEA21003F /* bics xzr, x1, x1 */);
        h.assertFlags("nZcv");
    }

    @Test
    void addSubShiftedRegister() {
        h.x(1, 100).x(2, 3);
        run(0x8B021020 /* add x0, x1, x2, lsl #4 */);
        assertEquals(148, h.x(0));
        run(0xCB420420 /* sub x0, x1, x2, lsr #1 */);
        assertEquals(99, h.x(0));
        h.x(2, -8);
        run(0xCB820820 /* sub x0, x1, x2, asr #2 */);
        assertEquals(102, h.x(0));
        run(0xCB0103E0 /* neg x0, x1 */);
        assertEquals(-100L, h.x(0));
        run(0x6B010020 /* subs w0, w1, w1 */);
        h.assertFlags("nZCv");
        h.x(3, 0x8000_0000L);
        run(0x7100047F /* cmp w3, #1 */);
        h.assertFlags("nzCV");
        // register 31 is XZR here, not SP
        h.cpu.sp[1] = 0x777;
        run(0x8B1F0020 /* add x0, x1, xzr */);
        assertEquals(100, h.x(0));
    }

    @Test
    void addShiftedRegisterWithShift11IsUndefined() {
        // add x0, x1, x2 with shift = 0b11 (ROR): reserved for add/subtract
        h.exec(0x8BC20020);
        h.assertUndefined(CODE);
    }

    @Test
    void thirtyTwoBitShiftAmountOf32OrMoreIsUndefined() {
        // add w0, w1, w2, lsl #32 (imm6<5> = 1 with sf = 0)
        h.exec(0x0B028020);
        h.assertUndefined(CODE);
    }

    @Test
    void logicalThirtyTwoBitShiftAmountOf32OrMoreIsUndefined() {
        // orr w0, w1, w2, lsl #32
        h.exec(0x2A028020);
        h.assertUndefined(CODE);
    }

    // --- add/subtract (extended register) -----------------------------------------------------------

    @Test
    void addSubExtendedRegister() {
        h.x(1, 1000).x(2, 0xFFFF_FFFF_FFFF_FF80L);
        run(0x8B228020 /* add x0, x1, w2, sxtb */);
        assertEquals(1000 - 128, h.x(0));
        run(0x8B220820 /* add x0, x1, w2, uxtb #2 */);
        assertEquals(1000 + 0x80 * 4, h.x(0));
        run(0xCB22D020 /* sub x0, x1, w2, sxtw #4 */);
        assertEquals(1000 + 128 * 16, h.x(0));
        run(0x0B222020 /* add w0, w1, w2, uxth */);
        assertEquals(1000 + 0xFF80, h.x(0));
        run(0xAB22E020 /* adds x0, x1, x2, sxtx */);
        assertEquals(1000 - 128, h.x(0));
        h.assertFlags("nzCv");
        // Rn and Rd (non-flag-setting) are SP
        h.cpu.sp[1] = 0x4000_2000L;
        h.x(3, 0x30);
        run(0x8B2363FF /* add sp, sp, x3 */);
        assertEquals(0x4000_2030L, h.cpu.sp[1]);
        run(0xCB2347E4 /* sub x4, sp, w3, uxtw #1 */);
        assertEquals(0x4000_2030L - 0x60, h.x(4));
        // the flag-setting form writes XZR: cmp sp, x3
        run(0xEB2363FF /* cmp sp, x3 */);
        assertEquals(0x4000_2030L, h.cpu.sp[1]);
        h.assertFlags("nzCv");
    }

    @Test
    void extendedRegisterWithShiftAbove4IsUndefined() {
        // add x0, x1, w2, uxtw #5 (imm3 = 5)
        h.exec(0x8B225420);
        h.assertUndefined(CODE);
    }

    // --- with carry, conditional compare/select -----------------------------------------------------

    @Test
    void addSubWithCarry() {
        h.x(1, -1L).x(2, 0).nzcv(0b0010);
        run(0xBA020020 /* adcs x0, x1, x2 */);
        assertEquals(0, h.x(0));
        h.assertFlags("nZCv");
        h.nzcv(0);
        run(0xDA020040 /* sbc x0, x2, x2 */);
        assertEquals(-1L, h.x(0)); // 0 - 0 - NOT(C)
        h.nzcv(0b0010);
        run(0x7A020040 /* sbcs w0, w2, w2 */);
        assertEquals(0, h.x(0));
        h.assertFlags("nZCv");
        h.x(3, 0x7FFF_FFFFL).nzcv(0b0010);
        run(0x3A1F0060 /* adcs w0, w3, wzr */);
        assertEquals(0x8000_0000L, h.x(0));
        h.assertFlags("NzcV");
        run(0xDA0203E0 /* ngc x0, x2 */);
        assertEquals(-1L, h.x(0)); // C clear after the adcs above: 0 - 0 - 1
    }

    @Test
    void conditionalCompare() {
        h.x(1, 5).x(2, 5);
        h.nzcv(0b0100); // Z: EQ holds
        run(0xFA420022 /* ccmp x1, x2, #0b0010, eq */);
        h.assertFlags("nZCv");
        h.nzcv(0); // EQ fails: flags = #nzcv
        run(0xFA420029 /* ccmp x1, x2, #0b1001, eq */);
        h.assertFlags("NzcV");
        h.nzcv(0);
        run(0xBA451820 /* ccmn x1, #5, #0, ne */);
        h.assertFlags("nzcv"); // 5 + 5 = 10
        h.x(3, -5);
        run(0x3A45E860 /* ccmn w3, #5, #0, al */);
        h.assertFlags("nZCv");
    }

    @Test
    void conditionalSelect() {
        h.x(1, 10).x(2, 20);
        h.nzcv(0b0100);
        run(0x9A820020 /* csel x0, x1, x2, eq */);
        assertEquals(10, h.x(0));
        run(0x9A821020 /* csel x0, x1, x2, ne */);
        assertEquals(20, h.x(0));
        run(0x9A821420 /* csinc x0, x1, x2, ne */);
        assertEquals(21, h.x(0));
        run(0xDA821020 /* csinv x0, x1, x2, ne */);
        assertEquals(~20L, h.x(0));
        run(0x5A821420 /* csneg w0, w1, w2, ne */);
        assertEquals(0xFFFF_FFECL, h.x(0));
        run(0x9A9F17E0 /* cset x0, eq */);
        assertEquals(1, h.x(0));
        run(0x5A9F13E0 /* csetm w0, eq */);
        assertEquals(0xFFFF_FFFFL, h.x(0));
        run(0x9A819420 /* cinc x0, x1, hi */);
        assertEquals(10, h.x(0)); // HI needs C = 1 and Z = 0
    }

    // --- 1 source ---------------------------------------------------------------------------------

    @Test
    void oneSource() {
        h.x(1, 0x0000_0000_0000_00F1L);
        run(0xDAC00020 /* rbit x0, x1 */);
        assertEquals(0x8F00_0000_0000_0000L, h.x(0));
        run(0x5AC00020 /* rbit w0, w1 */);
        assertEquals(0x8F00_0000L, h.x(0));
        h.x(1, 0x0102_0304_0506_0708L);
        run(0xDAC00C20 /* rev x0, x1 */);
        assertEquals(0x0807_0605_0403_0201L, h.x(0));
        run(0x5AC00820 /* rev w0, w1 */);
        assertEquals(0x0807_0605L, h.x(0));
        run(0xDAC00820 /* rev32 x0, x1 */);
        assertEquals(0x0403_0201_0807_0605L, h.x(0));
        run(0xDAC00420 /* rev16 x0, x1 */);
        assertEquals(0x0201_0403_0605_0807L, h.x(0));
        run(0x5AC00420 /* rev16 w0, w1 */);
        assertEquals(0x0605_0807L, h.x(0));
        h.x(2, 0);
        run(0xDAC01040 /* clz x0, x2 */);
        assertEquals(64, h.x(0));
        run(0x5AC01040 /* clz w0, w2 */);
        assertEquals(32, h.x(0));
        h.x(2, 0x0000_0001_0000_0000L);
        run(0xDAC01040 /* clz x0, x2 */);
        assertEquals(31, h.x(0));
        run(0x5AC01040 /* clz w0, w2 */);
        assertEquals(32, h.x(0));
        h.x(3, -1L);
        run(0xDAC01460 /* cls x0, x3 */);
        assertEquals(63, h.x(0));
        h.x(3, 0xFF00_0000_0000_0000L);
        run(0xDAC01460 /* cls x0, x3 */);
        assertEquals(7, h.x(0));
        h.x(3, 0x0000_0000_0000_1000L);
        run(0x5AC01460 /* cls w0, w3 */);
        assertEquals(18, h.x(0));
    }

    // --- 2 source ---------------------------------------------------------------------------------

    @Test
    void division() {
        h.x(1, 100).x(2, 7).x(3, 0).x(4, -7);
        run(0x9AC20820 /* udiv x0, x1, x2 */);
        assertEquals(14, h.x(0));
        run(0x9AC40C20 /* sdiv x0, x1, x4 */);
        assertEquals(-14, h.x(0)); // rounds toward zero
        run(0x9AC30820 /* udiv x0, x1, x3 */);
        assertEquals(0, h.x(0)); // division by zero gives zero
        run(0x1AC30C20 /* sdiv w0, w1, w3 */);
        assertEquals(0, h.x(0));
        h.x(5, Long.MIN_VALUE).x(6, -1);
        run(0x9AC60CA0 /* sdiv x0, x5, x6 */);
        assertEquals(Long.MIN_VALUE, h.x(0)); // overflow wraps
        h.x(5, 0x8000_0000L);
        run(0x1AC60CA0 /* sdiv w0, w5, w6 */);
        assertEquals(0x8000_0000L, h.x(0));
        h.x(7, 0xFFFF_FFFFL).x(8, 2);
        run(0x1AC808E0 /* udiv w0, w7, w8 */);
        assertEquals(0x7FFF_FFFFL, h.x(0));
        run(0x1AC80CE0 /* sdiv w0, w7, w8 */);
        assertEquals(0, h.x(0)); // -1 / 2 = 0
    }

    @Test
    void variableShiftsTakeTheAmountModuloTheWidth() {
        h.x(1, 0x8000_0000_0000_0001L).x(2, 65).x(3, 33);
        run(0x9AC22020 /* lsl x0, x1, x2 */);
        assertEquals(2, h.x(0));
        run(0x9AC22420 /* lsr x0, x1, x2 */);
        assertEquals(0x4000_0000_0000_0000L, h.x(0));
        run(0x9AC22820 /* asr x0, x1, x2 */);
        assertEquals(0xC000_0000_0000_0000L, h.x(0));
        run(0x9AC22C20 /* ror x0, x1, x2 */);
        assertEquals(0xC000_0000_0000_0000L, h.x(0));
        h.x(4, 0x8000_0001L);
        run(0x1AC32080 /* lsl w0, w4, w3 */);
        assertEquals(2, h.x(0));
        run(0x1AC32880 /* asr w0, w4, w3 */);
        assertEquals(0xC000_0000L, h.x(0));
        run(0x1AC32C80 /* ror w0, w4, w3 */);
        assertEquals(0xC000_0000L, h.x(0));
        h.x(5, 64);
        run(0x9AC52020 /* lsl x0, x1, x5 */);
        assertEquals(0x8000_0000_0000_0001L, h.x(0));
    }

    // --- 3 source ---------------------------------------------------------------------------------

    @Test
    void multiplies() {
        h.x(1, 6).x(2, 7).x(3, 100);
        run(0x9B020C20 /* madd x0, x1, x2, x3 */);
        assertEquals(142, h.x(0));
        run(0x9B028C20 /* msub x0, x1, x2, x3 */);
        assertEquals(58, h.x(0));
        run(0x1B027C20 /* mul w0, w1, w2 */);
        assertEquals(42, h.x(0));
        h.x(4, 0xFFFF_FFFFL).x(5, 2);
        run(0x1B057C80 /* mul w0, w4, w5 */);
        assertEquals(0xFFFF_FFFEL, h.x(0));
        run(0x9B257C80 /* smull x0, w4, w5 */);
        assertEquals(-2L, h.x(0));
        run(0x9BA57C80 /* umull x0, w4, w5 */);
        assertEquals(0x1_FFFF_FFFEL, h.x(0));
        run(0x9B258C80 /* smsubl x0, w4, w5, x3 */);
        assertEquals(102, h.x(0));
        run(0x9BA58C80 /* umsubl x0, w4, w5, x3 */);
        assertEquals(100 - 0x1_FFFF_FFFEL, h.x(0));
        h.x(6, -1L).x(7, -1L);
        run(0x9BC77CC0 /* umulh x0, x6, x7 */);
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, h.x(0));
        run(0x9B477CC0 /* smulh x0, x6, x7 */);
        assertEquals(0, h.x(0));
        h.x(6, Long.MIN_VALUE).x(7, 2);
        run(0x9B477CC0 /* smulh x0, x6, x7 */);
        assertEquals(-1L, h.x(0));
        run(0x9BC77CC0 /* umulh x0, x6, x7 */);
        assertEquals(1, h.x(0));
    }

    @Test
    void writesToXzrAreDiscarded() {
        h.x(1, 5);
        run(0x8B01043F /* add xzr, x1, x1, lsl #1 */);
        run(0x9B01043F /* madd xzr, x1, x1, x1 */);
        run(0xD28000FF /* movz xzr, #7 */);
        run(0x9A81043F /* csinc xzr, x1, x1, eq */);
        assertEquals(0, h.cpu.x[31], "X31 storage must stay unused");
        assertEquals(5, h.x(1));
    }
}
