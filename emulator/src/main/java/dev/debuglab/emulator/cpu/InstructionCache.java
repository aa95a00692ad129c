package dev.debuglab.emulator.cpu;

import dev.debuglab.emulator.mem.PhysicalMemory;
import java.util.Arrays;

/**
 * The predecoded instruction cache of one physical memory: one {@link Op} slot per aligned RAM
 * word, filled on first fetch, grouped in pages of {@link #PAGE_WORDS} slots allocated on demand,
 * and the {@link BasicBlock}s built from those slots, by start word. It stays correct when code is
 * written (self-modifying code, a loader, a debugger planting BRK): every page it fills is marked
 * in {@link PhysicalMemory}, and a write to a marked page clears the slots of the words it touched
 * and drops (and marks invalid) every block that holds one of them, so the next fetch decodes the
 * new word. Ops and blocks hold no PE state, so all PEs sharing the memory share the cache.
 *
 * <p>A released memory's cache goes to the pool with its RAM array and serves the next memory over that array
 * ({@link #reattach}): the RAM was zeroed and the next guest loaded without telling it, so before anything runs each
 * page of ops is compared with its bytes at the release ({@link #verify}), and the ops and blocks of the words that
 * changed are dropped.
 * A VM that loads the same image again keeps its decoded blocks.
 */
public final class InstructionCache implements PhysicalMemory.CodeListener {
    static final int PAGE_SHIFT = PhysicalMemory.PAGE_SHIFT, PAGE_WORDS = 1 << (PAGE_SHIFT - 2);

    /** The memory served (another one over the same RAM array after a {@link #reattach}). */
    PhysicalMemory mem;
    final long ramBase, ramSize;
    final DecodedOp[][] pages;
    /** Per page with ops, one bit per slot ever filled (a superset of the slots holding an op). */
    private final long[][] filled;
    /** Per page with ops, its bytes when the memory was released: what every op of the page was decoded from. */
    private final byte[][] snapshot;
    /**
     * Set while the RAM may differ from what the ops and blocks were decoded from (the memory was released, then reused):
     * {@link #of} checks every decoded word against the RAM before anything runs and drops those that changed.
     */
    private boolean unverified;
    /** Per page, the blocks by start word; allocated with the first block of the page. */
    final BasicBlock[][] blocks;
    /** Per page, one bit per word held by some block (a superset after invalidations). */
    private final long[][] blockWords;

    private InstructionCache(PhysicalMemory mem) {
        this.mem = mem;
        this.ramBase = mem.ramBase;
        this.ramSize = mem.ram.length;
        int pageCount = (int) ((ramSize + (1 << PAGE_SHIFT) - 1) >>> PAGE_SHIFT);
        this.pages = new DecodedOp[pageCount][];
        this.blocks = new BasicBlock[pageCount][];
        this.blockWords = new long[pageCount][];
        this.filled = new long[pageCount][];
        this.snapshot = new byte[pageCount][];
    }

    /** The cache of {@code mem}, created and attached on first use. */
    public static InstructionCache of(PhysicalMemory mem) {
        if (mem.codeListener() instanceof InstructionCache c) {
            if (c.unverified) c.verify();
            return c;
        }
        InstructionCache c = new InstructionCache(mem);
        mem.setCodeListener(c);
        return c;
    }

    /** Decodes the word at RAM offset {@code off} (aligned, inside RAM) into its slot. */
    DecodedOp fill(long off) {
        int pageIndex = (int) (off >>> PAGE_SHIFT);
        DecodedOp[] page = pages[pageIndex];
        if (page == null) {
            page = new DecodedOp[PAGE_WORDS];
            pages[pageIndex] = page;
            filled[pageIndex] = new long[PAGE_WORDS / 64];
            mem.markCode(off);
        }
        int slot = (int) (off >>> 2) & (PAGE_WORDS - 1);
        DecodedOp op = Predecoder.predecode(mem.fetch(ramBase + off));
        page[slot] = op;
        filled[pageIndex][slot >>> 6] |= 1L << slot;
        return op;
    }

    /** Before the released RAM is zeroed: the bytes of every page with ops, which they were decoded from, are kept. */
    @Override
    public void detached() {
        // Still unverified (the memory was released without running anything): the snapshots taken at the release
        // before are what the ops were decoded from, not the RAM now.
        if (unverified) return;
        byte[] ram = mem.ram;
        for (int p = 0; p < pages.length; p++) {
            if (pages[p] == null) continue;
            int from = p << PAGE_SHIFT, len = (int) Math.min(1 << PAGE_SHIFT, ramSize - from);
            if (snapshot[p] == null) snapshot[p] = new byte[len];
            System.arraycopy(ram, from, snapshot[p], 0, len);
        }
        unverified = true;
    }

    /** Serves {@code m}, a new memory over the same RAM array, if it has the same RAM base and size: the ops stay, to be verified. */
    @Override
    public boolean reattach(PhysicalMemory m) {
        if (m.ramBase != ramBase || m.ram.length != ramSize) return false;
        mem = m;
        unverified = true;
        for (int p = 0; p < pages.length; p++) if (pages[p] != null) m.markCode((long) p << PAGE_SHIFT);
        return true;
    }

    /**
     * Checks every decoded word against the RAM: an op whose word changed is dropped with every block holding it, as a
     * write of that word would have dropped it. What remains is what decoding the RAM now would give.
     */
    void verify() {
        byte[] ram = mem.ram;
        for (int p = 0; p < pages.length; p++) {
            DecodedOp[] page = pages[p];
            if (page == null) continue;
            byte[] was = snapshot[p];
            int from = p << PAGE_SHIFT;
            if (Arrays.mismatch(was, 0, was.length, ram, from, from + was.length) < 0) continue; // the same bytes
            long[] bits = filled[p];
            for (int k = 0; k < bits.length; k++) {
                for (long b = bits[k]; b != 0; b &= b - 1) {
                    int slot = k << 6 | Long.numberOfTrailingZeros(b), o = slot << 2;
                    if (page[slot] == null || (was[o] == ram[from + o] && was[o + 1] == ram[from + o + 1] && was[o + 2] == ram[from + o + 2]
                            && was[o + 3] == ram[from + o + 3])) continue;
                    page[slot] = null;
                    bits[k] &= ~(1L << slot);
                    if (blocks[p] != null) dropBlocks(p, slot, slot + 1);
                }
            }
        }
        unverified = false;
    }

    /** The predecoded op at RAM offset {@code off} (aligned, inside RAM), decoded if need be. */
    DecodedOp op(long off) {
        DecodedOp[] page = pages[(int) (off >>> PAGE_SHIFT)];
        DecodedOp op = page == null ? null : page[(int) (off >>> 2) & (PAGE_WORDS - 1)];
        return op != null ? op : fill(off);
    }

    /**
     * Builds and caches the block starting at RAM offset {@code off} (aligned, inside RAM): it
     * extends while instructions are {@link BasicBlock.Role#STRAIGHT} or
     * {@link BasicBlock.Role#MAY_STOP}, up to and including the first one that ends a block, and
     * never past the page, RAM or {@link BasicBlock#MAX_LENGTH}.
     */
    BasicBlock buildBlock(long off) {
        int pageIndex = (int) (off >>> PAGE_SHIFT);
        int first = (int) (off >>> 2) & (PAGE_WORDS - 1);
        DecodedOp[] ops = new DecodedOp[BasicBlock.MAX_LENGTH];
        long checkAfter = 0;
        int length = 0;
        while (true) {
            long o = off + 4L * length;
            DecodedOp op = op(o);
            BasicBlock.Role role = BasicBlock.role(mem.fetch(ramBase + o), op);
            if (role == BasicBlock.Role.MAY_STOP) checkAfter |= 1L << length;
            ops[length++] = op;
            if (role == BasicBlock.Role.ENDS || length == BasicBlock.MAX_LENGTH
                    || first + length == PAGE_WORDS || o + 4 > ramSize - 4) break;
        }
        BasicBlock b = new BasicBlock(ramBase + off, Arrays.copyOf(ops, length), checkAfter);
        if (blocks[pageIndex] == null) {
            blocks[pageIndex] = new BasicBlock[PAGE_WORDS];
            blockWords[pageIndex] = new long[PAGE_WORDS / 64];
        }
        blocks[pageIndex][first] = b;
        long[] words = blockWords[pageIndex];
        for (int w = first; w < first + length; w++) words[w >>> 6] |= 1L << w;
        return b;
    }

    @Override
    public void codeWritten(long ramOffset, int size) {
        if (unverified) return; // nothing runs before verify(), which checks every decoded word
        long first = ramOffset >>> 2, last = (ramOffset + size - 1) >>> 2; // word indexes
        for (long word = first; word <= last; ) {
            int pageIndex = (int) (word >>> (PAGE_SHIFT - 2));
            long pageEnd = ((long) pageIndex + 1) << (PAGE_SHIFT - 2);
            long stop = Math.min(last + 1, pageEnd);
            DecodedOp[] page = pageIndex < pages.length ? pages[pageIndex] : null;
            int from = (int) (word & (PAGE_WORDS - 1)), to = (int) (((stop - 1) & (PAGE_WORDS - 1)) + 1);
            if (page != null) Arrays.fill(page, from, to, null);
            if (pageIndex < blocks.length && blocks[pageIndex] != null) dropBlocks(pageIndex, from, to);
            word = stop;
        }
    }

    /** Drops the blocks of page {@code pageIndex} that hold a word in [from, to). */
    private void dropBlocks(int pageIndex, int from, int to) {
        long[] words = blockWords[pageIndex];
        boolean held = false;
        for (int w = from; w < to && !held; w++) held = (words[w >>> 6] >>> w & 1) != 0;
        if (!held) return;
        BasicBlock[] page = blocks[pageIndex];
        for (int start = Math.max(0, from - BasicBlock.MAX_LENGTH + 1); start < to; start++) {
            BasicBlock b = page[start];
            if (b != null && start + b.length() > from) {
                b.invalid = true;
                page[start] = null;
            }
        }
    }

    /**
     * The block at {@code pc}, built if need be; null if {@code pc} cannot be fetched (misaligned
     * or outside RAM: the one-instruction loop takes the fault).
     */
    BasicBlock block(long pc) {
        long off = pc - ramBase;
        if ((pc & 3) != 0 || off < 0 || off >= ramSize) return null;
        BasicBlock[] page = blocks[(int) (off >>> PAGE_SHIFT)];
        BasicBlock b = page == null ? null : page[(int) (off >>> 2) & (PAGE_WORDS - 1)];
        return b != null ? b : buildBlock(off);
    }

    /** Drops every predecoded instruction and block. */
    public void flush() {
        Arrays.fill(pages, null);
        Arrays.fill(filled, null);
        for (BasicBlock[] page : blocks) {
            if (page == null) continue;
            for (BasicBlock b : page) if (b != null) b.invalid = true;
        }
        Arrays.fill(blocks, null);
        Arrays.fill(blockWords, null);
        mem.clearCodeMarks();
    }
}
