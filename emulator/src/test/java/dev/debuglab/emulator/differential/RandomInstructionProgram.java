package dev.debuglab.emulator.differential;

import dev.debuglab.emulator.differential.RandomBlocks.Block;
import dev.debuglab.emulator.differential.RandomBlocks.Group;
import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Encodings;
import dev.debuglab.emulator.isa.Program;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The bare-metal program of the random-instruction differential test: many blocks of random
 * integer instructions ({@link RandomBlocks}) run one after the other at EL2 in one boot.
 *
 * <p>Each block is preceded by its register record (X0..X30, NZCV, SP, and the address of the
 * next block: 34 doublewords). Its prologue loads SP, NZCV and X0..X30 from that record and puts
 * the next block's address in TPIDR_EL0; the random instructions follow; the block ends with
 * {@code b save_block}. The shared {@code save_block} stores X0..X30, NZCV and SP into a dump area
 * without disturbing any of them first (X0 goes through TPIDR_EL2, the dump address comes from
 * TPIDR_EL1), computes a checksum of the scratch buffer and prints one line through the PL011:
 *
 * <pre>B&lt;block&gt; &lt;X0&gt; ... &lt;X30&gt; &lt;NZCV&gt; &lt;SP&gt; &lt;checksum&gt;</pre>
 *
 * (block number 4 hex digits, each value 16), then continues at the address in TPIDR_EL0. A block
 * that takes an exception (none should) prints {@code !<block> <ESR_EL2> <ELR_EL2>} instead, and
 * the run goes on with the next block.
 *
 * <p>Layout: {@code b harness} at the base, the 512-byte scratch buffer at +0x200 (random initial
 * contents, part of the image), the EL2 vectors at +0x800, the harness (assembled from text by the
 * project's own {@link Assembler}), then from +{@link #BLOCKS_OFFSET} the blocks, built directly as
 * words: the random words exactly as drawn, and the prologue and setup instructions encoded
 * through the rows of the encoding table. So no assembler decides what is executed, and every
 * address the generator computed is the address the instruction has.
 */
final class RandomInstructionProgram {
    static final long BASE = 0x4008_0000L;
    static final RandomBlocks.Scratch SCRATCH = new RandomBlocks.Scratch(BASE + 0x200, 0x200);
    /** Where the blocks start, after the harness. */
    static final int BLOCKS_OFFSET = 0x2000;
    /** A block's prologue: adr, TPIDR_EL0, SP, NZCV, 15 LDP, LDR X30 (the same words in every block). */
    static final String PROLOGUE = String.format(Locale.ROOT, """
                adr x30, . - %d
                ldr x0, [x30, #%d]
                msr TPIDR_EL0, x0
                ldr x0, [x30, #%d]
                mov sp, x0
                ldr x0, [x30, #%d]
                msr nzcv, x0
            """, 8 * Block.RECORD_WORDS, 8 * Block.NEXT, 8 * Block.SP, 8 * Block.NZCV)
            + ldpX0ToX29() + "    ldr x30, [x30, #240]\n";
    static final int[] PROLOGUE_WORDS = Assembler.assemble(0, PROLOGUE).words();
    /** From the start of a block's record to its first random instruction. */
    static final int RECORD_TO_BODY = 8 * Block.RECORD_WORDS + 4 * PROLOGUE_WORDS.length;
    /** SCTLR_EL2 for the run: the RES1 bits (E2H = 0) plus SA; M, A, C, I clear. */
    static final long SCTLR_EL2 = 0x30C5_0838L;
    /** Values per block line: X0..X30, NZCV, SP, scratch checksum. */
    static final int LINE_VALUES = 34;
    static final int NOP = 0xD503201F;

    final long seed;
    final List<Block> blocks;
    final long[] scratchInit;
    final Program harness;
    /** The whole image from {@link #BASE}. */
    private final byte[] image;
    private final long[] recordAddress;

    private RandomInstructionProgram(long seed, List<Block> blocks, long[] scratchInit) {
        this.seed = seed;
        this.blocks = blocks;
        this.scratchInit = scratchInit;
        this.harness = Assembler.assemble(BASE, harnessSource());
        if (harness.symbol("scratch") != SCRATCH.address())
            throw new IllegalStateException("scratch buffer at 0x" + Long.toHexString(harness.symbol("scratch")));
        if (harness.end() > BASE + BLOCKS_OFFSET)
            throw new IllegalStateException("the harness overlaps the blocks: it ends at 0x" + Long.toHexString(harness.end()));
        this.recordAddress = new long[blocks.size()];
        long at = BASE + BLOCKS_OFFSET;
        for (Block b : blocks) {
            recordAddress[b.index()] = at;
            at += blockBytes(b);
        }
        this.image = new byte[(int) (at - BASE)];
        System.arraycopy(harness.bytes(), 0, image, 0, harness.bytes().length);
        for (Block b : blocks) writeBlock(b);
    }

    static RandomInstructionProgram generate(long seed, int blockCount, int groupsPerBlock) {
        RandomBlocks gen = new RandomBlocks(seed, SCRATCH);
        List<Block> blocks = new ArrayList<>();
        for (int k = 0; k < blockCount; k++) {
            Block b = gen.block(k, groupsPerBlock);
            b.layOut(RECORD_TO_BODY);
            blocks.add(b);
        }
        SplittableRandom init = new SplittableRandom(seed ^ 0x5C2A7C4B1D9E3F01L);
        long[] scratch = new long[SCRATCH.size() / 8];
        for (int i = 0; i < scratch.length; i++) scratch[i] = init.nextLong();
        return new RandomInstructionProgram(seed, blocks, scratch);
    }

    private static String ldpX0ToX29() {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < 30; r += 2) s.append("    ldp x").append(r).append(", x").append(r + 1).append(", [x30, #").append(8 * r).append("]\n");
        return s.toString();
    }

    byte[] bytes() {
        return image.clone();
    }

    long bodyAddress(int block) {
        return recordAddress[block] + RECORD_TO_BODY;
    }

    int wordAt(long address) {
        int i = (int) (address - BASE);
        return (image[i] & 0xFF) | (image[i + 1] & 0xFF) << 8 | (image[i + 2] & 0xFF) << 16 | (image[i + 3] & 0xFF) << 24;
    }

    /** Record, prologue, body, {@code b save_block}, and a NOP if needed to keep the next record 8-byte aligned. */
    private static int blockBytes(Block b) {
        int n = RECORD_TO_BODY + b.bodyBytes() + 4;
        return (n + 7) & ~7;
    }

    private void writeBlock(Block b) {
        long rec = recordAddress[b.index()];
        int k = b.index();
        long next = k + 1 < blocks.size() ? recordAddress[k + 1] + 8L * Block.RECORD_WORDS : harness.symbol("finish");
        long[] record = Arrays.copyOf(b.before(), Block.RECORD_WORDS);
        record[Block.NEXT] = next;
        int at = (int) (rec - BASE);
        for (long v : record) {
            for (int i = 0; i < 8; i++) image[at++] = (byte) (v >>> (8 * i));
        }
        List<Integer> words = new ArrayList<>();
        for (int w : PROLOGUE_WORDS) words.add(w);
        for (Group g : b.groups()) {
            words.addAll(g.setup);
            words.add(g.word);
        }
        long end = rec + RECORD_TO_BODY + b.bodyBytes();
        words.add(RandomBlocks.branchWithOffset(Encodings.byId("B"), 0x14000000,
                (int) (harness.symbol("save_block") - end)));
        if ((words.size() & 1) == 1) words.add(NOP);
        for (int w : words) {
            for (int i = 0; i < 4; i++) image[at++] = (byte) (w >>> (8 * i));
        }
    }

    // --- harness source -----------------------------------------------------------------------------

    private String harnessSource() {
        StringBuilder s = new StringBuilder();
        s.append("// DebugLab random-instruction differential program, seed 0x").append(Long.toHexString(seed))
                .append(", ").append(blocks.size()).append(" blocks (generated by ").append(getClass().getName()).append(")\n");
        s.append("    .text\n    .global _start\n_start:\n    b harness\n");
        s.append("    .balign 512\nscratch:\n");
        quads(s, scratchInit);
        s.append("    .balign 2048\nvectors_el2:\n");
        for (int i = 0; i < 16; i++) s.append("    .balign 128\n    b el2_exception\n");
        harness(s);
        s.append("// All blocks done: \"Z\", then semihosting SYS_EXIT (ADP_Stopped_ApplicationExit).\n");
        s.append(BareMetalProgram.FINISH).append("""
                    .balign 8
                exit_block:
                    .quad 0x20026, 0
                """);
        return s.toString();
    }

    private void harness(StringBuilder s) {
        s.append("harness:\n    adr x0, vectors_el2\n    msr VBAR_EL2, x0\n");
        s.append(String.format(Locale.ROOT, "    movz x0, #0x%x\n    movk x0, #0x%x, lsl #16\n", SCTLR_EL2 & 0xFFFF,
                SCTLR_EL2 >>> 16));
        s.append("""
                    msr SCTLR_EL2, x0
                    adr x0, dump
                    msr TPIDR_EL1, x0
                    isb
                // "R<seed> <blocks>"
                    mov x0, #82
                    bl putc
                    ldr x1, seed
                    mov x7, #16
                    bl puthex
                    mov x0, #32
                    bl putc
                    ldr x1, block_count
                    mov x7, #4
                    bl puthex
                    mov x0, #10
                    bl putc
                    ldr x0, first_block
                    br x0

                // End of every block: save X0..X30, NZCV and SP (touching none of them before it is saved),
                // checksum the scratch buffer, print the line, go on with the block whose address is in TPIDR_EL0.
                save_block:
                    msr TPIDR_EL2, x0
                    mrs x0, TPIDR_EL1
                    str x1, [x0, #8]
                """);
        for (int r = 2; r < 30; r += 2) s.append(String.format(Locale.ROOT, "    stp x%d, x%d, [x0, #%d]%n", r, r + 1, 8 * r));
        s.append("""
                    str x30, [x0, #240]
                    mrs x1, TPIDR_EL2
                    str x1, [x0]
                    mrs x1, NZCV
                    str x1, [x0, #248]
                    mov x1, sp
                    str x1, [x0, #256]
                    adr x2, scratch
                    mov x3, #0
                """);
        s.append("    mov x4, #").append(SCRATCH.size() / 16).append('\n');
        s.append("""
                checksum_loop:
                    ldp x5, x6, [x2], #16
                    eor x3, x5, x3, ror #13
                    eor x3, x6, x3, ror #13
                    subs x4, x4, #1
                    b.ne checksum_loop
                    str x3, [x0, #264]
                    mov x0, #66
                    bl putc
                    adr x11, block_number
                    ldr x1, [x11]
                    mov x7, #4
                    bl puthex
                    mrs x12, TPIDR_EL1
                """);
        s.append("    mov x13, #").append(LINE_VALUES).append('\n');
        s.append("""
                print_loop:
                    mov x0, #32
                    bl putc
                    ldr x1, [x12], #8
                    mov x7, #16
                    bl puthex
                    subs x13, x13, #1
                    b.ne print_loop
                    mov x0, #10
                    bl putc
                next_block:
                    adr x11, block_number
                    ldr x1, [x11]
                    add x1, x1, #1
                    str x1, [x11]
                    mrs x30, TPIDR_EL0
                    br x30

                // No block should take an exception; if one does: "!<block> <ESR_EL2> <ELR_EL2>", then the next
                // block at EL2h with DAIF masked (its prologue sets SP and every register again).
                el2_exception:
                    mov x0, #33
                    bl putc
                    adr x11, block_number
                    ldr x1, [x11]
                    mov x7, #4
                    bl puthex
                    mov x0, #32
                    bl putc
                    mrs x1, ESR_EL2
                    mov x7, #8
                    bl puthex
                    mov x0, #32
                    bl putc
                    mrs x1, ELR_EL2
                    mov x7, #16
                    bl puthex
                    mov x0, #10
                    bl putc
                    adr x11, block_number
                    ldr x1, [x11]
                    add x1, x1, #1
                    str x1, [x11]
                    mrs x0, TPIDR_EL0
                    msr ELR_EL2, x0
                    mov x0, #0x3c9
                    msr SPSR_EL2, x0
                    eret

                // putc: W0 to the PL011 data register. Clobbers x8. No wait for UARTFR.TXFF: the PL011 models of
                // QEMU and DebugLab transmit at once and never report a full FIFO, and the poll would double the
                // number of MMIO accesses (the run prints about a megabyte).
                putc:
                    movz x8, #0x900, lsl #16
                    strb w0, [x8]
                    ret
                // puthex: X1 as X7 upper-case hex digits. Clobbers x0, x2, x3, x8, x10.
                puthex:
                    mov x10, x30
                    lsl x2, x7, #2
                puthex_loop:
                    sub x2, x2, #4
                    lsr x3, x1, x2
                    and x3, x3, #0xf
                    add x0, x3, #48
                    cmp x3, #10
                    b.lt puthex_digit
                    add x0, x3, #55
                puthex_digit:
                    bl putc
                    cbnz x2, puthex_loop
                    mov x30, x10
                    ret

                    .balign 8
                """);
        s.append("first_block:  .quad 0x").append(Long.toHexString(BASE + BLOCKS_OFFSET + 8L * Block.RECORD_WORDS)).append('\n');
        s.append("seed:         .quad 0x").append(Long.toHexString(seed)).append('\n');
        s.append("block_count:  .quad ").append(blocks.size()).append('\n');
        s.append("block_number: .quad 0\n");
        s.append("dump:         .space ").append(8 * LINE_VALUES).append('\n');
    }

    private static void quads(StringBuilder s, long[] values) {
        for (int i = 0; i < values.length; i += 4) {
            s.append("    .quad ");
            for (int j = i; j < Math.min(values.length, i + 4); j++)
                s.append(j == i ? "" : ", ").append("0x").append(Long.toHexString(values[j]));
            s.append('\n');
        }
    }

    // --- facts for the report -------------------------------------------------------------------------

    /** Random instructions in all blocks. */
    int instructionCount() {
        int n = 0;
        for (Block b : blocks) n += b.groups().size();
        return n;
    }

    /**
     * Random instructions that run whatever the branches decide: those no forward branch of
     * their block can skip.
     */
    int certainlyExecuted() {
        int n = 0;
        for (Block b : blocks) {
            List<Group> g = b.groups();
            boolean[] skippable = new boolean[g.size()];
            for (int i = 0; i < g.size(); i++)
                for (int j = i + 1; j < Math.max(i + 1, g.get(i).branchTo); j++) skippable[j] = true;
            for (boolean sk : skippable) if (!sk) n++;
        }
        return n;
    }

    int setupCount() {
        int n = 0;
        for (Block b : blocks) for (Group g : b.groups()) n += g.setup.size();
        return n;
    }
}
