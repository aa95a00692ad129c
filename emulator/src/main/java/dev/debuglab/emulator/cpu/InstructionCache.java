package dev.debuglab.emulator.cpu;

import dev.debuglab.emulator.mem.PhysicalMemory;
import java.util.Arrays;

/**
 * The predecoded instruction cache of one physical memory: one {@link Op} slot per aligned RAM
 * word, filled on first fetch, grouped in pages of {@link #PAGE_WORDS} slots allocated on demand.
 * It stays correct when code is written (self-modifying code, a loader, a debugger planting BRK):
 * every page it fills is marked in {@link PhysicalMemory}, and a write to a marked page clears the
 * slots of the words it touched, so the next fetch decodes the new word. Ops hold no PE state, so
 * all PEs sharing the memory share the cache.
 */
public final class InstructionCache implements PhysicalMemory.CodeListener {
    static final int PAGE_SHIFT = PhysicalMemory.PAGE_SHIFT, PAGE_WORDS = 1 << (PAGE_SHIFT - 2);

    final PhysicalMemory mem;
    final long ramBase, ramSize;
    final DecodedOp[][] pages;

    private InstructionCache(PhysicalMemory mem) {
        this.mem = mem;
        this.ramBase = mem.ramBase;
        this.ramSize = mem.ram.length;
        this.pages = new DecodedOp[(int) ((ramSize + (1 << PAGE_SHIFT) - 1) >>> PAGE_SHIFT)][];
    }

    /** The cache of {@code mem}, created and attached on first use. */
    public static InstructionCache of(PhysicalMemory mem) {
        if (mem.codeListener() instanceof InstructionCache c) return c;
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
            mem.markCode(off);
        }
        DecodedOp op = Predecoder.predecode(mem.fetch(ramBase + off));
        page[(int) (off >>> 2) & (PAGE_WORDS - 1)] = op;
        return op;
    }

    @Override
    public void codeWritten(long ramOffset, int size) {
        long first = ramOffset >>> 2, last = (ramOffset + size - 1) >>> 2; // word indexes
        for (long word = first; word <= last; ) {
            int pageIndex = (int) (word >>> (PAGE_SHIFT - 2));
            long pageEnd = ((long) pageIndex + 1) << (PAGE_SHIFT - 2);
            long stop = Math.min(last + 1, pageEnd);
            DecodedOp[] page = pageIndex < pages.length ? pages[pageIndex] : null;
            if (page != null)
                Arrays.fill(page, (int) (word & (PAGE_WORDS - 1)), (int) (((stop - 1) & (PAGE_WORDS - 1)) + 1), null);
            word = stop;
        }
    }

    /** Drops every predecoded instruction. */
    public void flush() {
        Arrays.fill(pages, null);
        mem.clearCodeMarks();
    }
}
