package dev.debuglab.emulator.cpu.exec;

/**
 * The shared integer pseudocode functions of the Arm ARM (J1, "Shared pseudocode") that the
 * A64 execute routines call: AddWithCarry, ConditionHolds, ShiftReg, ExtendReg, and the
 * bit-manipulation helpers. Pure functions of their arguments; PSTATE.{N,Z,C,V} travels as one
 * int with N = 8, Z = 4, C = 2, V = 1 (the layout of {@code Cpu.nzcv}).
 */
public final class Pseudocode {
    private Pseudocode() {}

    public static final int N = 8, Z = 4, C = 2, V = 1;

    // --- AddWithCarry -------------------------------------------------------------------------------

    /**
     * AddWithCarry (64-bit): the NZCV that {@code x + y + carryIn} produces. The result itself is
     * simply {@code x + y + carryIn} (modulo 2^64).
     */
    public static int addWithCarryFlags64(long x, long y, int carryIn) {
        long r = x + y + carryIn;
        int n = r < 0 ? N : 0;
        int z = r == 0 ? Z : 0;
        // unsigned carry out: the true sum reached 2^64
        boolean carry = carryIn == 0 ? Long.compareUnsigned(r, x) < 0 : Long.compareUnsigned(r, x) <= 0;
        // signed overflow: both operands have the same sign and the result a different one
        boolean overflow = ((x ^ r) & (y ^ r)) < 0;
        return n | z | (carry ? C : 0) | (overflow ? V : 0);
    }

    /** AddWithCarry (32-bit): the NZCV of {@code x<31:0> + y<31:0> + carryIn}. */
    public static int addWithCarryFlags32(long x, long y, int carryIn) {
        long unsignedSum = (x & 0xFFFFFFFFL) + (y & 0xFFFFFFFFL) + carryIn;
        int r = (int) unsignedSum;
        int n = r < 0 ? N : 0;
        int z = r == 0 ? Z : 0;
        boolean carry = (unsignedSum >>> 32) != 0;
        boolean overflow = (((int) x ^ r) & ((int) y ^ r)) < 0;
        return n | z | (carry ? C : 0) | (overflow ? V : 0);
    }

    /** AddWithCarry for {@code datasize} 32 or 64: flags only. */
    public static int addWithCarryFlags(long x, long y, int carryIn, boolean sf) {
        return sf ? addWithCarryFlags64(x, y, carryIn) : addWithCarryFlags32(x, y, carryIn);
    }

    /** NZCV of a logical (AND/BIC with S) result: N and Z from the result, C = V = 0. */
    public static int logicalFlags(long result, boolean sf) {
        if (sf) return (result < 0 ? N : 0) | (result == 0 ? Z : 0);
        int r = (int) result;
        return (r < 0 ? N : 0) | (r == 0 ? Z : 0);
    }

    // --- ConditionHolds -------------------------------------------------------------------------------

    /**
     * For each of the 16 condition codes, a 16-bit truth table indexed by NZCV:
     * {@code ConditionHolds(cond)} under flags {@code nzcv} is bit {@code nzcv} of {@code HOLDS[cond]}.
     */
    private static final int[] HOLDS = new int[16];

    static {
        for (int cond = 0; cond < 16; cond++)
            for (int nzcv = 0; nzcv < 16; nzcv++)
                if (conditionHoldsSlow(cond, nzcv)) HOLDS[cond] |= 1 << nzcv;
    }

    /** ConditionHolds (Arm ARM J1 shared/functions/system): does {@code cond} pass under {@code nzcv}? */
    public static boolean conditionHolds(int cond, int nzcv) {
        return ((HOLDS[cond] >>> nzcv) & 1) != 0;
    }

    /** The truth table of one condition (bit {@code nzcv} set when it holds), for predecoded ops. */
    public static int conditionTable(int cond) {
        return HOLDS[cond];
    }

    /** ConditionHolds written as in the pseudocode: cond<3:1> selects the test, cond<0> inverts it. */
    private static boolean conditionHoldsSlow(int cond, int nzcv) {
        boolean n = (nzcv & N) != 0, z = (nzcv & Z) != 0, c = (nzcv & C) != 0, v = (nzcv & V) != 0;
        boolean result = switch (cond >> 1) {
            case 0 -> z;             // EQ / NE
            case 1 -> c;             // CS / CC
            case 2 -> n;             // MI / PL
            case 3 -> v;             // VS / VC
            case 4 -> c && !z;       // HI / LS
            case 5 -> n == v;        // GE / LT
            case 6 -> n == v && !z;  // GT / LE
            default -> true;         // AL (and NV, which also means "always" in A64)
        };
        // cond<0> = 1 inverts, except for 0b1111 (NV), which is "always" like AL.
        if ((cond & 1) == 1 && cond != 0b1111) result = !result;
        return result;
    }

    // --- ShiftReg / ExtendReg ----------------------------------------------------------------------

    public static final int LSL = 0, LSR = 1, ASR = 2, ROR = 3;

    /**
     * ShiftReg: {@code value} shifted by {@code type} (LSL, LSR, ASR, ROR) by {@code amount} bits
     * within a register of {@code datasize} bits. For datasize 32 the input must be the
     * zero-extended W register and the result is zero-extended; amount is below datasize.
     */
    public static long shiftReg(long value, int type, int amount, boolean sf) {
        if (sf) {
            return switch (type) {
                case LSL -> value << amount;
                case LSR -> value >>> amount;
                case ASR -> value >> amount;
                default -> Long.rotateRight(value, amount);
            };
        }
        int w = (int) value;
        int r = switch (type) {
            case LSL -> w << amount;
            case LSR -> w >>> amount;
            case ASR -> w >> amount;
            default -> Integer.rotateRight(w, amount);
        };
        return r & 0xFFFFFFFFL;
    }

    /** ExtendType values of the option field: UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX. */
    public static final int UXTB = 0, UXTH = 1, UXTW = 2, UXTX = 3, SXTB = 4, SXTH = 5, SXTW = 6, SXTX = 7;

    /**
     * ExtendReg: the low 8/16/32/64 bits of {@code value} zero- or sign-extended as
     * {@code extendType} says, then shifted left by {@code shift} (0..4), truncated to 64 bits
     * (callers truncate further for a 32-bit datasize).
     */
    public static long extendReg(long value, int extendType, int shift) {
        long v = switch (extendType) {
            case UXTB -> value & 0xFFL;
            case UXTH -> value & 0xFFFFL;
            case UXTW -> value & 0xFFFFFFFFL;
            case SXTB -> (byte) value;
            case SXTH -> (short) value;
            case SXTW -> (int) value;
            default -> value; // UXTX, SXTX
        };
        return v << shift;
    }

    // --- bit helpers ------------------------------------------------------------------------------

    /** SignExtend of the low {@code bits} bits of {@code value} to 64 bits. */
    public static long signExtend(long value, int bits) {
        return (value << (64 - bits)) >> (64 - bits);
    }

    /** The value truncated to datasize (zero-extending a 32-bit result into the X register). */
    public static long truncate(long value, boolean sf) {
        return sf ? value : value & 0xFFFFFFFFL;
    }

    /** ROR within datasize. */
    public static long ror(long value, int amount, boolean sf) {
        return sf ? Long.rotateRight(value, amount) : Integer.rotateRight((int) value, amount) & 0xFFFFFFFFL;
    }

    /** The high 64 bits of the unsigned 128-bit product (UMULH). */
    public static long unsignedMultiplyHigh(long x, long y) {
        long high = Math.multiplyHigh(x, y);
        // a negative signed operand stands for operand + 2^64: add the other operand's share back
        return high + ((x >> 63) & y) + ((y >> 63) & x);
    }
}
