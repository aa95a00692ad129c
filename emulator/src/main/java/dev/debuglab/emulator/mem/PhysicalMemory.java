package dev.debuglab.emulator.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Flat physical address space: one RAM region and any number of MMIO windows. Little-endian.
 * An access that hits neither sets {@link #fault} (the caller turns it into the architectural
 * synchronous external abort) and reads as 0; nothing is thrown.
 *
 * <p>Code marks keep a predecoded-instruction cache coherent: the cache marks every RAM page it
 * holds instructions from ({@link #markCode}), and a write that lands on a marked page tells the
 * {@link CodeListener}, which drops the predecoded words the write touched. Stores to pages
 * without code pay one array test. Writes must go through {@link #write} or {@link #load}; code
 * that writes {@link #ram} directly calls {@link #codeModified} afterwards.
 */
public final class PhysicalMemory {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    public final long ramBase;
    public final byte[] ram;
    private final List<Window> windows = new ArrayList<>();
    /** Set by an access outside RAM and every device; cleared by the caller before the access. */
    public boolean fault;
    /** Size of the pages code marks are kept for. */
    public static final int PAGE_SHIFT = 12;
    /**
     * Per RAM page: non-zero when a write starting in the page may touch cached code (the page
     * holds code, or the next page does, so that a write straddling the boundary is seen).
     */
    private final byte[] codeMarks;
    /**
     * One bit per {@link #LINE}-byte line of RAM, set once anything may have written it (a store, {@link #load}, or
     * {@link #codeModified}), so that {@link #release} zeroes only those lines before the array is used again.
     */
    private final long[] dirty;
    /** The granularity of {@link #dirty}: 512 bytes (a guest's code, runtime and stack touch a few kilobytes of its RAM). */
    static final int LINE_SHIFT = 9, LINE = 1 << LINE_SHIFT;
    private boolean released;
    private CodeListener codeListener;

    /**
     * Per thread, RAM arrays given back by {@link #release}: all zero, ready for {@link #pooled}, each with the code
     * listener (the instruction cache) it had, which may serve the next memory over the array ({@link CodeListener#reattach}).
     */
    private static final ThreadLocal<java.util.Map<Integer, java.util.ArrayDeque<Pooled>>> POOL =
            ThreadLocal.withInitial(java.util.HashMap::new);

    private record Pooled(byte[] ram, CodeListener listener) {}
    /** Arrays kept per size and thread (a migration holds two VMs), and the largest size kept. */
    private static final int POOL_DEPTH = 4, POOL_MAX_SIZE = 16 << 20;

    /** Told of writes to RAM that may have changed cached instructions. */
    public interface CodeListener {
        /** {@code size} bytes at RAM offset {@code ramOffset} were written. */
        void codeWritten(long ramOffset, int size);

        /**
         * The memory is being {@link #release released} (its RAM still as the guest left it): from now until
         * {@link #reattach}, the RAM array may be zeroed and rewritten without {@link #codeWritten} calls, so what the
         * listener holds must be checked against the RAM before use.
         */
        default void detached() {}

        /**
         * Offered the new memory {@code m} over the released array (its content may differ anywhere from what this
         * listener saw); true if the listener serves {@code m} from now on, having marked its code pages there.
         */
        default boolean reattach(PhysicalMemory m) {
            return false;
        }
    }

    private record Window(long base, long size, MmioDevice device) {}

    public PhysicalMemory(long ramBase, int ramSize) {
        this(ramBase, new byte[ramSize]);
    }

    private PhysicalMemory(long ramBase, byte[] ram) {
        this.ramBase = ramBase;
        this.ram = ram;
        int pages = (int) (((long) ram.length + (1 << PAGE_SHIFT) - 1) >>> PAGE_SHIFT);
        this.codeMarks = new byte[pages];
        this.dirty = new long[(int) ((((long) ram.length + LINE - 1) >>> LINE_SHIFT) + 63 >>> 6)];
    }

    /**
     * Memory whose RAM array comes from this thread's pool of {@link #release released} arrays when one of the size is
     * there (a new array otherwise). The RAM reads all zero, exactly as a new {@code PhysicalMemory}'s: releasing
     * zeroes every 512-byte line written. Saves allocating and zeroing the whole RAM for each short-lived VM.
     */
    public static PhysicalMemory pooled(long ramBase, int ramSize) {
        java.util.ArrayDeque<Pooled> q = POOL.get().get(ramSize);
        Pooled p = q == null ? null : q.poll();
        if (p == null) return new PhysicalMemory(ramBase, new byte[ramSize]);
        PhysicalMemory m = new PhysicalMemory(ramBase, p.ram);
        if (p.listener != null && p.listener.reattach(m)) m.codeListener = p.listener;
        return m;
    }

    /**
     * Zeroes the pages that were written and gives the RAM array to this thread's pool for {@link #pooled}. The memory
     * must not be used afterwards (nothing else may hold its {@link #ram}). A second call does nothing.
     */
    public void release() {
        if (released) return;
        released = true;
        CodeListener l = codeListener;
        codeListener = null;
        if (l != null) l.detached();
        for (int k = 0; k < dirty.length; k++)
            for (long b = dirty[k]; b != 0; b &= b - 1) {
                long line = (long) k << 6 | Long.numberOfTrailingZeros(b);
                java.util.Arrays.fill(ram, (int) (line << LINE_SHIFT), (int) Math.min(ram.length, (line + 1) << LINE_SHIFT), (byte) 0);
            }
        if (ram.length > POOL_MAX_SIZE) return;
        java.util.ArrayDeque<Pooled> q = POOL.get().computeIfAbsent(ram.length, k -> new java.util.ArrayDeque<>());
        if (q.size() < POOL_DEPTH) q.push(new Pooled(ram, l));
    }

    private void markDirty(long from, long to) {
        for (long l = from >>> LINE_SHIFT; l <= (to - 1) >>> LINE_SHIFT; l++) dirty[(int) (l >>> 6)] |= 1L << l;
    }

    public CodeListener codeListener() {
        return codeListener;
    }

    public void setCodeListener(CodeListener listener) {
        this.codeListener = listener;
    }

    /** Marks the RAM page holding RAM offset {@code ramOffset} as holding cached code. */
    public void markCode(long ramOffset) {
        int page = (int) (ramOffset >>> PAGE_SHIFT);
        codeMarks[page] = 1;
        if (page > 0) codeMarks[page - 1] = 1;
    }

    /** Forgets all code marks (the cache was flushed). */
    public void clearCodeMarks() {
        java.util.Arrays.fill(codeMarks, (byte) 0);
    }

    /** Tells the code listener that [pa, pa+size) of RAM changed behind {@link #write}'s back. */
    public void codeModified(long pa, long size) {
        long off = pa - ramBase;
        if (size <= 0) return;
        long from = Math.max(0, off), to = Math.min(ram.length, off + size);
        if (from < to) markDirty(from, to);
        if (codeListener == null) return;
        for (long o = from; o < to; o += Integer.MAX_VALUE / 2)
            codeListener.codeWritten(o, (int) Math.min(to - o, Integer.MAX_VALUE / 2));
    }

    public void map(long base, long size, MmioDevice device) {
        windows.add(new Window(base, size, device));
    }

    /** True if [pa, pa+size) lies wholly inside RAM. */
    public boolean inRam(long pa, int size) {
        long off = pa - ramBase;
        return off >= 0 && off <= ram.length - size;
    }

    public boolean isMapped(long pa, int size) {
        return inRam(pa, size) || window(pa, size) != null;
    }

    private Window window(long pa, int size) {
        for (Window w : windows) {
            long off = pa - w.base;
            if (off >= 0 && off <= w.size - size) return w;
        }
        return null;
    }

    /** Reads 1, 2, 4 or 8 bytes, zero-extended. */
    public long read(long pa, int size) {
        long off = pa - ramBase;
        if (off >= 0 && off <= ram.length - size) {
            int o = (int) off;
            switch (size) {
                case 1: return ram[o] & 0xFFL;
                case 2: return ((short) I16.get(ram, o)) & 0xFFFFL;
                case 4: return ((int) I32.get(ram, o)) & 0xFFFFFFFFL;
                default: return (long) I64.get(ram, o);
            }
        }
        Window w = window(pa, size);
        if (w == null) {
            fault = true;
            return 0;
        }
        return w.device.read(pa - w.base, size);
    }

    public void write(long pa, int size, long value) {
        long off = pa - ramBase;
        if (off >= 0 && off <= ram.length - size) {
            int o = (int) off;
            if (codeMarks[o >>> PAGE_SHIFT] != 0 && codeListener != null) codeListener.codeWritten(o, size);
            dirty[o >>> (LINE_SHIFT + 6)] |= 1L << (o >>> LINE_SHIFT);
            int e = o + size - 1;
            dirty[e >>> (LINE_SHIFT + 6)] |= 1L << (e >>> LINE_SHIFT);
            switch (size) {
                case 1: ram[o] = (byte) value; break;
                case 2: I16.set(ram, o, (short) value); break;
                case 4: I32.set(ram, o, (int) value); break;
                default: I64.set(ram, o, value); break;
            }
            return;
        }
        Window w = window(pa, size);
        if (w == null) {
            fault = true;
            return;
        }
        w.device.write(pa - w.base, size, value);
    }

    /** Reads an aligned 32-bit instruction word from RAM; sets {@link #fault} outside RAM. */
    public int fetch(long pa) {
        long off = pa - ramBase;
        if (off >= 0 && off <= ram.length - 4) return (int) I32.get(ram, (int) off);
        fault = true;
        return 0;
    }

    public void load(long pa, byte[] bytes) {
        if (!inRam(pa, bytes.length)) throw new IllegalArgumentException("segment outside RAM");
        System.arraycopy(bytes, 0, ram, (int) (pa - ramBase), bytes.length);
        codeModified(pa, bytes.length);
    }
}
