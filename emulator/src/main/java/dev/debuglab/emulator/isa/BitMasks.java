package dev.debuglab.emulator.isa;

/**
 * DecodeBitMasks (Arm ARM shared pseudocode, J1.1): the bitmask immediates of the logical
 * (immediate) and bitfield instructions. Shared by execute, the assembler and the disassembler.
 */
public final class BitMasks {
    private BitMasks() {}

    /** Returned when the field combination is reserved (the instruction is UNDEFINED). */
    public static final long[] RESERVED = null;

    /**
     * @param immN      N field
     * @param imms      imms field
     * @param immr      immr field
     * @param immediate true for logical (immediate): an all-ones element is then reserved
     * @param datasize  32 or 64
     * @return {wmask, tmask} truncated to datasize, or {@link #RESERVED}
     */
    public static long[] decodeBitMasks(int immN, int imms, int immr, boolean immediate, int datasize) {
        int combined = (immN << 6) | (~imms & 0x3F);
        if (combined == 0) return RESERVED;
        int len = 31 - Integer.numberOfLeadingZeros(combined); // HighestSetBit
        if (len < 1) return RESERVED;
        int esize = 1 << len;
        if (esize > datasize) return RESERVED;
        int levels = esize - 1;
        if (immediate && (imms & levels) == levels) return RESERVED;
        int s = imms & levels, r = immr & levels;
        int d = (s - r) & levels;
        long welem = ones(s + 1), telem = ones(d + 1);
        long wmask = replicate(ror(welem, r, esize), esize, datasize);
        long tmask = replicate(telem, esize, datasize);
        return new long[] {wmask, tmask};
    }

    /** The logical-immediate value of (N, immr, imms), or null if reserved. */
    public static Long logicalImmediate(int immN, int imms, int immr, int datasize) {
        long[] m = decodeBitMasks(immN, imms, immr, true, datasize);
        return m == null ? null : m[0];
    }

    /**
     * The (N, immr, imms) encoding of {@code value} as a logical immediate of {@code datasize}
     * bits, packed as {@code N << 12 | immr << 6 | imms}, or -1 if it is not encodable.
     */
    public static int encodeLogicalImmediate(long value, int datasize) {
        // The element: the smallest period e of the value (a 32-bit value repeats every 32 bits), which must be a
        // contiguous run of k ones (0 < k < e) rotated right by r. Its encoding is the first one the search below meets
        // (N, then immr, then imms ascending): N = 1 only for e = 64, immr = r (< e; larger immr repeat it), imms =
        // the size pattern of e with k - 1 in its low bits. BitMasksTest checks this against the search for every
        // encodable value and random others.
        long v = datasize == 32 ? (value & 0xFFFF_FFFFL) | value << 32 : value;
        if (v == 0 || v == -1L) return -1;
        int e = 64;
        while (e > 2 && v == Long.rotateRight(v, e / 2)) e /= 2;
        long elem = v & ones(e);
        int k = Long.bitCount(elem);
        // where the run of ones starts: its lowest bit, or, if it wraps round bit 0, just above the run of zeros
        long zeros = ~elem & ones(e);
        int start = (elem & 1) == 0 ? Long.numberOfTrailingZeros(elem) : (Long.numberOfTrailingZeros(zeros) + Long.bitCount(zeros)) % e;
        int r = (e - start) % e;
        if (ror(ones(k), r, e) != elem) return -1; // not one run
        int imms = (e == 64 ? 0 : (~(e - 1) << 1) & 0x3F) | (k - 1);
        return (e == 64 ? 1 : 0) << 12 | r << 6 | imms;
    }

    /** {@link #encodeLogicalImmediate} by trying every (N, immr, imms) in order: the definition the direct encoder is tested against. */
    static int encodeLogicalImmediateBySearch(long value, int datasize) {
        for (int n = 0; n <= (datasize == 64 ? 1 : 0); n++)
            for (int immr = 0; immr < 64; immr++)
                for (int imms = 0; imms < 64; imms++) {
                    // imms >= 32 with N = 0 selects an element of 16 bits or less, valid for W
                    if (datasize == 32 && immr >= 32) continue;
                    Long v = logicalImmediate(n, imms, immr, datasize);
                    if (v != null && v == (datasize == 32 ? value & 0xFFFFFFFFL : value)) return n << 12 | immr << 6 | imms;
                }
        return -1;
    }

    static long ones(int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    static long ror(long v, int r, int width) {
        if (r == 0) return v;
        long m = ones(width);
        return ((v >>> r) | (v << (width - r))) & m;
    }

    static long replicate(long elem, int esize, int datasize) {
        long out = 0;
        for (int i = 0; i < datasize; i += esize) out |= elem << i;
        return datasize == 64 ? out : out & 0xFFFFFFFFL;
    }
}
