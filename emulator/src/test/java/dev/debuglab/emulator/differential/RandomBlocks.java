package dev.debuglab.emulator.differential;

import dev.debuglab.emulator.isa.Disassembler;
import dev.debuglab.emulator.isa.Encoding;
import dev.debuglab.emulator.isa.Encodings;
import dev.debuglab.emulator.isa.Kind;
import dev.debuglab.emulator.isa.Samples;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Blocks of random A64 integer instructions for the random-instruction differential test: every
 * integer data-processing row of the encoding table, loads and stores of every size, sign
 * extension, addressing mode and pair form against a scratch buffer, and forward branches that
 * stay inside their block. Instruction words come from {@link Samples#random} (valid, no
 * reserved field values, none of the CONSTRAINED UNPREDICTABLE register combinations of the
 * loads and stores); this class then makes each word safe to run at EL2 with the MMU off:
 *
 * <ul>
 * <li><b>Loads and stores.</b> The base register (and the index register of the register-offset
 * forms) is rewritten and set by "setup" instructions just before the access, so that every
 * byte touched lies in the scratch buffer and every element is naturally aligned (with the MMU
 * off, data accesses are to Device memory, where an unaligned access takes an Alignment fault —
 * QEMU 7.2 does not model that, so the test never relies on it). The offset or index of the
 * word itself is kept. The base is sometimes SP (set with {@code mov sp, Xt}, 16-byte aligned
 * for the SP alignment check) and sometimes computed from a live register of the block
 * ({@code and Xn, Xk, #0xf0}), so the address depends on the block's own results. A rewritten
 * word is checked again against {@link Samples#unpredictable} (writeback with Rn = Rt, Rt2).
 * Index registers of the {@code uxtw}/{@code sxtw} forms carry random upper 32 bits, which the
 * extension must ignore. Literal loads are pointed into the block's own register record.</li>
 * <li><b>Store-Exclusive is left out</b> (STXR, STLXR, STXP, STLXP): whether a Store-Exclusive
 * succeeds after an intervening ordinary store to the marked address, or to Device memory, is
 * IMPLEMENTATION DEFINED, so QEMU and DebugLab may legally differ. Load-Exclusive,
 * Load-Acquire and Store-Release are kept (the loaded value is architectural).</li>
 * <li><b>Branches</b> jump forward to the start of a later instruction group of the same block
 * (never into the middle of a setup sequence), at most {@link #MAX_SKIP} groups ahead, so blocks
 * always terminate; BR, BLR and RET get their target from an {@code adr} setup instruction.</li>
 * <li><b>Division by zero and overflow</b> are forced now and then: UDIV/SDIV with Rm = XZR, and
 * SDIV of INT_MIN by -1 (both have architectural results: 0 and INT_MIN).</li>
 * </ul>
 *
 * <p>Nothing else is constrained: Rd = 31 writes SP where the row allows it, ADR/ADRP results
 * depend on the (identical) load address, and register values come from a mix of uniform random
 * numbers and edge values (0, ±1, INT_MIN, INT_MAX, 32-bit boundaries).
 */
final class RandomBlocks {
    /** How far ahead (in instruction groups) a forward branch may jump. */
    static final int MAX_SKIP = 3;

    /** The integer data-processing kinds (Arm ARM C4.1.86 and C4.1.89). */
    static final Set<Kind> DATA_PROCESSING = EnumSet.of(Kind.ADR, Kind.ADRP, Kind.ADD_SUB_IMM, Kind.LOGICAL_IMM,
            Kind.MOVE_WIDE, Kind.BITFIELD, Kind.EXTR, Kind.LOGICAL_SHIFTED, Kind.ADD_SUB_SHIFTED, Kind.ADD_SUB_EXT,
            Kind.ADC_SBC, Kind.COND_COMPARE, Kind.COND_SELECT, Kind.DP_1SRC, Kind.DP_2SRC, Kind.DP_3SRC);
    static final Set<Kind> MEMORY = EnumSet.of(Kind.LDST_IMM9, Kind.LDST_UIMM, Kind.LDST_REG, Kind.LDST_PAIR,
            Kind.LD_LITERAL, Kind.LDST_EXCL);
    static final Set<Kind> BRANCH = EnumSet.of(Kind.B_COND, Kind.CB, Kind.TB, Kind.B_IMM, Kind.BR_REG);

    /** Where the scratch buffer lies and how large it is (bytes); 16-byte aligned. */
    record Scratch(long address, int size) {}

    /**
     * One random instruction with the setup instructions that precede it.
     *
     * @param setup       instruction words executed just before the word (address and index registers, branch targets)
     * @param row         the encoding row the word was drawn from
     * @param word        the instruction word (final once {@link Block#layOut} has run)
     * @param branchTo    for a direct or register branch: index of the group it jumps to (the group
     *                    count stands for the end of the block); else -1
     */
    static final class Group {
        final List<Integer> setup = new ArrayList<>();
        final Encoding row;
        int word;
        int branchTo = -1;
        /** For BR, BLR and RET: the register the setup's ADR loads with the target. */
        int branchRegister;
        /** For a literal load: the byte offset in the block's register record it loads from. */
        int literalSlot;
        /** Offset of the group's first instruction from the start of the block body, in bytes. */
        int offset;

        Group(Encoding row, int word) {
            this.row = row;
            this.word = word;
        }

        int size() {
            return 4 * (setup.size() + 1);
        }

        /** Offset of the random instruction itself. */
        int wordOffset() {
            return offset + 4 * setup.size();
        }
    }

    /**
     * One block: the register values it starts from and its instruction groups.
     *
     * @param before X0..X30, then NZCV (in bits [31:28]), then SP
     */
    record Block(int index, long[] before, List<Group> groups) {
        /**
         * Doublewords of the register record in front of each block: X0..X30, NZCV, SP, and the
         * address of the block that follows (which the prologue hands to the shared epilogue).
         */
        static final int X_REGS = 31, NZCV = 31, SP = 32, NEXT = 33, RECORD_WORDS = 34;

        /**
         * Assigns offsets and resolves every PC-relative field now that the group sizes are known.
         *
         * @param recordToBody bytes from the start of the block's register record to its first random instruction
         */
        void layOut(int recordToBody) {
            int off = 0;
            for (Group g : groups) {
                g.offset = off;
                off += g.size();
            }
            int end = off;
            for (int i = 0; i < groups.size(); i++) {
                Group g = groups.get(i);
                if (g.branchTo < 0) continue;
                int target = g.branchTo == groups.size() ? end : groups.get(g.branchTo).offset;
                if (g.row.kind() == Kind.BR_REG) {
                    // the setup's last instruction is "adr Xn, <target>"
                    int adrOffset = g.wordOffset() - 4;
                    g.setup.set(g.setup.size() - 1, Setup.adr(g.branchRegister, target - adrOffset));
                } else {
                    g.word = branchWithOffset(g.row, g.word, target - g.wordOffset());
                }
            }
            // literal loads read the block's register record, recordToBody bytes before the body
            for (Group g : groups) {
                if (g.row.kind() != Kind.LD_LITERAL) continue;
                long pc = g.wordOffset();
                long target = -(long) recordToBody + g.literalSlot;
                g.word = g.row.field("imm19").put(g.word, (int) ((target - pc) >> 2));
            }
        }

        int bodyBytes() {
            int n = 0;
            for (Group g : groups) n += g.size();
            return n;
        }
    }

    private final SplittableRandom rnd;
    private final Scratch scratch;
    private final List<Encoding> dpRows, memRows, branchRows;

    RandomBlocks(long seed, Scratch scratch) {
        this.rnd = new SplittableRandom(seed);
        this.scratch = scratch;
        dpRows = new ArrayList<>();
        memRows = new ArrayList<>();
        branchRows = new ArrayList<>();
        for (Encoding e : Samples.supported()) {
            if (DATA_PROCESSING.contains(e.kind())) dpRows.add(e);
            else if (MEMORY.contains(e.kind()) && !isStoreExclusive(e)) memRows.add(e);
            else if (BRANCH.contains(e.kind())) branchRows.add(e);
        }
    }

    /** Every row the generator draws from (data processing, memory, branches). */
    List<Encoding> rows() {
        List<Encoding> all = new ArrayList<>(dpRows);
        all.addAll(memRows);
        all.addAll(branchRows);
        return all;
    }

    static boolean isStoreExclusive(Encoding e) {
        return e.kind() == Kind.LDST_EXCL && e.mnemonic().startsWith("st") && e.mnemonic().contains("x");
    }

    // --- blocks ---------------------------------------------------------------------------------------

    /** A block of {@code groups} random instructions (each with its setup), and its starting registers. */
    Block block(int index, int groups) {
        long[] before = new long[Block.SP + 1];
        for (int r = 0; r < Block.X_REGS; r++) before[r] = value();
        before[Block.NZCV] = (long) rnd.nextInt(16) << 28;
        before[Block.SP] = rnd.nextBoolean() ? value() : scratch.address() - 0x10000 + 16L * rnd.nextInt(0x1000);
        List<Group> list = new ArrayList<>();
        for (int i = 0; i < groups; i++) list.add(group(i, groups));
        return new Block(index, before, list);
    }

    /** A register value: uniform, small, an edge value, or a 32-bit value zero- or sign-extended. */
    long value() {
        return switch (rnd.nextInt(7)) {
            case 0, 1, 2 -> rnd.nextLong();
            case 3 -> rnd.nextInt(-256, 257);
            case 4 -> EDGES[rnd.nextInt(EDGES.length)];
            case 5 -> rnd.nextInt() & 0xFFFF_FFFFL;
            default -> (long) rnd.nextInt();
        };
    }

    static final long[] EDGES = {0, 1, -1, 2, -2, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, 0x8000_0000L,
            0x7FFF_FFFFL, 0xFFFF_FFFFL, 0x1_0000_0000L, 0xFFFF_FFFF_8000_0000L, 0xFFFF_FFFF_7FFF_FFFFL, 63, 64, 32, 31};

    private Group group(int i, int groups) {
        int pick = rnd.nextInt(100);
        if (pick < 62) return dataProcessing(dpRows.get(rnd.nextInt(dpRows.size())));
        if (pick < 93) return memory(memRows.get(rnd.nextInt(memRows.size())));
        return branch(branchRows.get(rnd.nextInt(branchRows.size())), i, groups);
    }

    // --- data processing ------------------------------------------------------------------------------

    private Group dataProcessing(Encoding row) {
        int word = Samples.random(row, rnd);
        Group g = new Group(row, word);
        if (row.kind() == Kind.DP_2SRC && row.id().endsWith("DIV") && rnd.nextInt(6) == 0) {
            if (row.id().equals("SDIV") && rnd.nextBoolean()) {
                // INT_MIN / -1 overflows: the architectural result is INT_MIN (C6.2 SDIV: RoundTowardsZero, truncated)
                int n = reg(word, 5), m = reg(word, 16);
                if (n == 31 || m == 31 || n == m) {
                    n = rnd.nextInt(15);
                    m = 15 + rnd.nextInt(15);
                    g.word = word = (word & ~(0x1F << 5) & ~(0x1F << 16)) | n << 5 | m << 16;
                }
                int sf = word >>> 31;
                g.setup.add(Setup.moveWide("MOVZ", sf, n, 0x8000, sf == 1 ? 3 : 1)); // INT_MIN
                g.setup.add(Setup.moveWide("MOVN", sf, m, 0, 0));                     // -1
            } else {
                g.word = word | 0x1F << 16; // Rm = XZR: division by zero, result 0 (C6.2 UDIV/SDIV)
            }
        }
        return g;
    }

    // --- loads and stores -----------------------------------------------------------------------------

    /** The shape of one access: element size, element count, required alignment of the first element. */
    private record Shape(int size, int count, int align) {
        int bytes() {
            return size * count;
        }
    }

    private static Shape shape(Encoding row, int word) {
        int sizeBits = word >>> 30;
        switch (row.kind()) {
            case LDST_PAIR -> {
                int elem = sizeBits == 2 ? 8 : 4;
                return new Shape(elem, 2, elem);
            }
            case LDST_EXCL -> {
                if (row.id().endsWith("XP")) {
                    int elem = (sizeBits & 1) == 1 ? 8 : 4;
                    return new Shape(elem, 2, 2 * elem); // exclusive pairs need the whole footprint aligned
                }
                return new Shape(1 << sizeBits, 1, 1 << sizeBits);
            }
            case LD_LITERAL -> {
                return new Shape(sizeBits == 1 ? 8 : 4, 1, sizeBits == 1 ? 8 : 4);
            }
            default -> {
                return new Shape(1 << sizeBits, 1, 1 << sizeBits);
            }
        }
    }

    private Group memory(Encoding row) {
        for (int attempt = 0; ; attempt++) {
            if (attempt == 1000) throw new IllegalStateException("cannot place " + row.id());
            int word = Samples.random(row, rnd);
            if (row.kind() == Kind.LD_LITERAL) {
                // an aligned slot of the block's register record; a word load may read either half
                Group g = new Group(row, word);
                g.literalSlot = 8 * rnd.nextInt(Block.RECORD_WORDS) + (shape(row, word).size() == 4 ? 4 * rnd.nextInt(2) : 0);
                return g; // the offset is resolved by Block.layOut
            }
            Group g = placeAccess(row, word);
            if (g != null) return g;
        }
    }

    /** Rewrites the base (and index) register of {@code word} and adds the setup; null to retry. */
    private Group placeAccess(Encoding row, int word) {
        Shape s = shape(row, word);
        int rt = reg(word, 0);
        boolean reg = row.kind() == Kind.LDST_REG;
        int rn = rnd.nextInt(8) == 0 ? 31 : rnd.nextInt(31);
        word = (word & ~(0x1F << 5)) | rn << 5;
        if (Samples.unpredictable(row, word) != null) return null;
        int rm = reg ? reg(word, 16) : -1;
        if (reg && rm == rn && rn != 31) return null;

        // The byte offset the access adds to the base before it accesses memory.
        long addOffset;
        long rmValue = 0;
        switch (row.kind()) {
            case LDST_IMM9 -> {
                int mode = (word >>> 10) & 3, imm9 = signExtend((word >>> 12) & 0x1FF, 9);
                if (rn == 31 && Math.floorMod(imm9, s.align()) != 0) {
                    imm9 -= Math.floorMod(imm9, s.align());
                    if (imm9 < -256) imm9 += s.align();
                    word = (word & ~(0x1FF << 12)) | (imm9 & 0x1FF) << 12;
                }
                addOffset = mode == 1 ? 0 : imm9; // post-index accesses the base itself
            }
            case LDST_UIMM -> addOffset = (long) ((word >>> 10) & 0xFFF) * s.size();
            case LDST_PAIR -> {
                int mode = (word >>> 23) & 3;
                addOffset = mode == 1 ? 0 : (long) signExtend((word >>> 15) & 0x7F, 7) * s.size();
            }
            case LDST_REG -> {
                int option = (word >>> 13) & 7;
                int shift = ((word >>> 12) & 1) == 1 ? Integer.numberOfTrailingZeros(s.size()) : 0;
                if ((option & 2) == 0) throw new AssertionError("reserved extend in " + Integer.toHexString(word));
                long index;
                if (rm == 31) {
                    index = 0;
                } else if (option == 0b010) { // UXTW: the low word, zero-extended; random upper half
                    index = rnd.nextInt(32);
                    rmValue = (long) rnd.nextInt() << 32 | index;
                } else if (option == 0b110) { // SXTW: the low word, sign-extended; random upper half
                    index = rnd.nextInt(-16, 16);
                    rmValue = (long) rnd.nextInt() << 32 | (index & 0xFFFF_FFFFL);
                } else { // LSL / SXTX: the whole register
                    index = rnd.nextInt(-16, 16);
                    rmValue = index;
                }
                addOffset = index << shift;
            }
            default -> addOffset = 0; // LDST_EXCL: [Xn|SP] only
        }
        Group g = new Group(row, word);
        long lo = scratch.address(), room = scratch.size() - s.bytes();
        if (rn == 31) {
            // SP as the base must be 16-byte aligned (SCTLR_EL2.SA); the element alignment then
            // follows from the offset, which is a multiple of it (scaled forms, and imm9 adjusted above).
            if (Math.floorMod(addOffset, s.align()) != 0) return null;
            long base = Math.floorDiv(lo + rnd.nextLong(room + 1) - addOffset, 16) * 16;
            while (base + addOffset < lo) base += 16;
            while (base + addOffset > lo + room) base -= 16;
            if (base + addOffset < lo) return null;
            int t = reg ? pickOtherThan(rm) : rnd.nextInt(31);
            mov64(g.setup, t, base);
            g.setup.add(Setup.addImmediate(31, t, 0)); // mov sp, Xt
        } else {
            long target = lo + s.align() * rnd.nextLong(room / s.align() + 1);
            long base = target - addOffset;
            if (!dataDependentBase(g, rn, s, addOffset)) mov64(g.setup, rn, base);
        }
        if (reg && rm != 31) mov64(g.setup, rm, rmValue);
        return g;
    }

    /**
     * Sometimes makes the base depend on a live register of the block: {@code and Xn, Xk, #0xf0},
     * {@code movk Xn, #hi, lsl #16}, {@code add/sub Xn, Xn, #c} gives the scratch buffer's 64 KiB
     * page plus (Xk AND 0xF0) plus c, which lands anywhere in a 256-byte window of the buffer.
     */
    private boolean dataDependentBase(Group g, int rn, Shape s, long addOffset) {
        if (rnd.nextInt(3) != 0) return false;
        long lo = scratch.address(), page = lo & ~0xFFFFL;
        long room = scratch.size() - s.bytes() - 0xF0;
        if (room < 0 || (lo & 0xF) != 0) return false;
        long t0 = s.align() * rnd.nextLong(room / s.align() + 1);
        long c = (lo - page) + t0 - addOffset;
        if (c < -4095 || c > 4095) return false;
        if ((page >>> 32) != 0) throw new IllegalStateException("scratch buffer above 4 GiB");
        int k = rnd.nextInt(31);
        g.setup.add(Setup.andF0(rn, k));
        g.setup.add(Setup.moveWide("MOVK", 1, rn, (int) (page >>> 16) & 0xFFFF, 1));
        g.setup.add(c >= 0 ? Setup.addImmediate(rn, rn, (int) c) : Setup.subImmediate(rn, rn, (int) -c));
        return true;
    }

    private int pickOtherThan(int r) {
        int t;
        do t = rnd.nextInt(31); while (t == r);
        return t;
    }

    // --- branches ---------------------------------------------------------------------------------------

    private Group branch(Encoding row, int i, int groups) {
        int word = Samples.random(row, rnd);
        Group g = new Group(row, word);
        g.branchTo = Math.min(groups, i + 1 + rnd.nextInt(MAX_SKIP + 1));
        if (row.kind() == Kind.BR_REG) {
            int n = reg(word, 5);
            if (n == 31) {
                n = rnd.nextInt(31);
                g.word = (word & ~(0x1F << 5)) | n << 5;
            }
            g.branchRegister = n;
            g.setup.add(Setup.adr(n, 0)); // the offset is resolved by Block.layOut
        }
        return g;
    }

    /** {@code word} with its branch offset field set to {@code offset} bytes. */
    static int branchWithOffset(Encoding row, int word, int offset) {
        String field = switch (row.kind()) {
            case B_IMM -> "imm26";
            case B_COND, CB -> "imm19";
            case TB -> "imm14";
            default -> throw new IllegalArgumentException(row.id());
        };
        return row.field(field).put(word, offset >> 2);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    static int reg(int word, int lo) {
        return (word >>> lo) & 0x1F;
    }

    static int signExtend(int v, int bits) {
        return v << (32 - bits) >> (32 - bits);
    }

    /** MOVZ or MOVN then MOVKs: the shortest sequence of move-wide instructions setting Xr to {@code v}. */
    static void mov64(List<Integer> out, int r, long v) {
        int zeros = 0, ones = 0;
        for (int hw = 0; hw < 4; hw++) {
            long h = (v >>> (16 * hw)) & 0xFFFF;
            if (h == 0) zeros++;
            if (h == 0xFFFF) ones++;
        }
        boolean inverted = ones > zeros;
        boolean first = true;
        for (int hw = 0; hw < 4; hw++) {
            int h = (int) (v >>> (16 * hw)) & 0xFFFF;
            if (h == (inverted ? 0xFFFF : 0)) continue;
            out.add(first ? Setup.moveWide(inverted ? "MOVN" : "MOVZ", 1, r, inverted ? ~h & 0xFFFF : h, hw)
                    : Setup.moveWide("MOVK", 1, r, h, hw));
            first = false;
        }
        if (first) out.add(Setup.moveWide(inverted ? "MOVN" : "MOVZ", 1, r, 0, 0));
    }

    /**
     * The setup instructions, encoded through the rows of the encoding table (the same rows the
     * assembler and disassembler use), so that a block is built as words without assembling text.
     */
    static final class Setup {
        private Setup() {}

        /** MOVZ / MOVN / MOVK {@code Xd|Wd, #imm16, lsl #(16 * hw)}. */
        static int moveWide(String rowId, int sf, int rd, int imm16, int hw) {
            Encoding row = Encodings.byId(rowId);
            return put(row, row.value(), "sf", sf, "hw", hw, "imm16", imm16, "Rd", rd);
        }

        /** {@code add Xd|SP, Xn|SP, #imm12} (with Rd = 31 and imm12 = 0: {@code mov sp, Xn}). */
        static int addImmediate(int rd, int rn, int imm12) {
            Encoding row = Encodings.byId("ADD_IMM");
            return put(row, row.value(), "sf", 1, "sh", 0, "imm12", imm12, "Rn", rn, "Rd", rd);
        }

        static int subImmediate(int rd, int rn, int imm12) {
            Encoding row = Encodings.byId("SUB_IMM");
            return put(row, row.value(), "sf", 1, "sh", 0, "imm12", imm12, "Rn", rn, "Rd", rd);
        }

        /** {@code and Xd, Xn, #0xf0}: N = 1, a 64-bit element of four ones (imms = 3) rotated right by 60. */
        static int andF0(int rd, int rn) {
            Encoding row = Encodings.byId("AND_IMM");
            return put(row, row.value(), "sf", 1, "N", 1, "immr", 60, "imms", 3, "Rn", rn, "Rd", rd);
        }

        /** {@code adr Xd, . + offset}. */
        static int adr(int rd, int offset) {
            Encoding row = Encodings.byId("ADR");
            return put(row, row.value(), "immlo", offset & 3, "immhi", offset >> 2, "Rd", rd);
        }

        private static int put(Encoding row, int word, Object... fieldValues) {
            for (int i = 0; i < fieldValues.length; i += 2)
                word = row.field((String) fieldValues[i]).put(word, (Integer) fieldValues[i + 1]);
            return word;
        }
    }

    static String disassemble(int word, long address) {
        return Disassembler.normalized(word, address);
    }
}
