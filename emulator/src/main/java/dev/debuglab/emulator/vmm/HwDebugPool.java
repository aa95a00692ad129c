package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.sysreg.RegisterFields.DBGBCR;
import dev.debuglab.emulator.sysreg.RegisterFields.DBGWCR;
import java.util.ArrayList;
import java.util.List;

/**
 * QEMU's pool of hardware breakpoints and watchpoints for KVM guest debug
 * ({@code target/arm/hyp_gdbstub.c}: {@code insert_hw_breakpoint}, {@code insert_hw_watchpoint},
 * {@code check_watchpoint_in_range}, {@code find_hw_breakpoint}, {@code find_hw_watchpoint}). One
 * global pool shared by all vCPUs (vmm.md §1.1); its size is what KVM reports through
 * {@code KVM_CAP_GUEST_DEBUG_HW_BPS} / {@code _WPS}. Encodings (vmm.md §1.1):
 * <ul>
 *   <li>breakpoint: {@code bcr} = E 1, PMC 0b11, BAS 0b1111 (0x1E7), unlinked address match;
 *       {@code bvr} = the address sign-extended from bit 52;</li>
 *   <li>watchpoint: {@code wcr} = E 1, PAC 0b11, LSC 0b01 read / 0b10 write / 0b11 access;
 *       {@code wvr} = the address with bits [2:0] clear; length ≤ 8: BAS = {@code length} ones from
 *       bit (address mod 8), cut at the end of the doubleword; a larger power of two: MASK =
 *       log2(length), BAS = 0xFF, and {@code wvr} aligned to the length (as QEMU's code does);
 *       anything else: {@code -ENOBUFS}.</li>
 * </ul>
 */
public final class HwDebugPool {
    /** gdb's watchpoint types (GDB_WATCHPOINT_READ / WRITE / ACCESS) with their LSC. */
    public enum WatchType {
        READ(0b01), WRITE(0b10), ACCESS(0b11);

        public final int lsc;

        WatchType(int lsc) {
            this.lsc = lsc;
        }
    }

    /** One hardware breakpoint as QEMU keeps it. */
    public record HwBreakpoint(long bcr, long bvr) {
        @Override
        public String toString() {
            return String.format("hbreak bcr 0x%X bvr 0x%X", bcr, bvr);
        }
    }

    /** One hardware watchpoint: the register pair and what gdb asked for. */
    public record HwWatchpoint(long wcr, long wvr, long address, long length, WatchType type) {
        @Override
        public String toString() {
            return String.format("watch(%s) 0x%X len %d: wcr 0x%X wvr 0x%X", type, address, length, wcr, wvr);
        }
    }

    private final int maxBreakpoints, maxWatchpoints;
    private final List<HwBreakpoint> breakpoints = new ArrayList<>();
    private final List<HwWatchpoint> watchpoints = new ArrayList<>();

    public HwDebugPool(int maxBreakpoints, int maxWatchpoints) {
        this.maxBreakpoints = maxBreakpoints;
        this.maxWatchpoints = maxWatchpoints;
    }

    public int maxBreakpoints() {
        return maxBreakpoints;
    }

    public int maxWatchpoints() {
        return maxWatchpoints;
    }

    public List<HwBreakpoint> breakpoints() {
        return List.copyOf(breakpoints);
    }

    public List<HwWatchpoint> watchpoints() {
        return List.copyOf(watchpoints);
    }

    public boolean isEmpty() {
        return breakpoints.isEmpty() && watchpoints.isEmpty();
    }

    /** The register pair QEMU computes for {@code hbreak *addr}. */
    public static HwBreakpoint encodeBreakpoint(long address) {
        long bcr = DBGBCR.E.of(1) | DBGBCR.PMC.of(0b11) | DBGBCR.BAS.of(0b1111);
        return new HwBreakpoint(bcr, signExtendFromBit52(address));
    }

    /** {@code sextract64(addr, 0, 53)}. */
    static long signExtendFromBit52(long address) {
        return address << 11 >> 11;
    }

    /** The register pair QEMU computes for a watchpoint, or {@code -ENOBUFS} for a length it cannot encode. */
    public static HwWatchpoint encodeWatchpoint(long address, long length, WatchType type) {
        if (length <= 0)
            throw new VmmError("EINVAL", "watchpoint length " + length + " is not positive; give the number of bytes to watch (1..8, or a power of two)");
        long wcr = DBGWCR.E.of(1) | DBGWCR.PAC.of(0b11) | DBGWCR.LSC.of(type.lsc);
        long wvr = address & ~0x7L;
        if (length <= 8) {
            int offset = (int) (address & 0x7);
            long bas = ((1L << length) - 1) << offset & 0xFF;   // bytes beyond the doubleword are not watched
            wcr = DBGWCR.BAS.set(wcr, bas);
        } else if (Long.bitCount(length) == 1) {
            int bits = Long.numberOfTrailingZeros(length);
            wvr &= ~(length - 1);
            wcr = DBGWCR.MASK.set(wcr, bits);
            wcr = DBGWCR.BAS.set(wcr, 0xFF);
        } else {
            throw new VmmError("ENOBUFS", String.format(
                    "a watchpoint of %d bytes at 0x%X cannot be encoded (QEMU takes 1..8 bytes or a power of two); watch a power-of-two range instead",
                    length, address));
        }
        return new HwWatchpoint(wcr, wvr, address, length, type);
    }

    /** {@code insert_hw_breakpoint}: {@code -ENOBUFS} when the pool is full. */
    public HwBreakpoint insertBreakpoint(long address) {
        if (breakpoints.size() >= maxBreakpoints)
            throw new VmmError("ENOBUFS", String.format("hbreak *0x%X: all %d hardware breakpoints are in use (KVM_CAP_GUEST_DEBUG_HW_BPS); delete one or use a software breakpoint",
                    address, maxBreakpoints));
        HwBreakpoint b = encodeBreakpoint(address);
        breakpoints.add(b);
        return b;
    }

    /** {@code delete_hw_breakpoint}: the first breakpoint whose bvr equals the address; {@code -ENOENT} if none. */
    public void deleteBreakpoint(long address) {
        for (int i = 0; i < breakpoints.size(); i++)
            if (breakpoints.get(i).bvr() == address) {
                breakpoints.remove(i);
                return;
            }
        throw new VmmError("ENOENT", String.format("no hardware breakpoint at 0x%X; the inserted ones are %s", address, breakpoints));
    }

    /** {@code insert_hw_watchpoint}: {@code -ENOBUFS} when the pool is full or the length cannot be encoded. */
    public HwWatchpoint insertWatchpoint(long address, long length, WatchType type) {
        if (watchpoints.size() >= maxWatchpoints)
            throw new VmmError("ENOBUFS", String.format("watch 0x%X: all %d hardware watchpoints are in use (KVM_CAP_GUEST_DEBUG_HW_WPS); delete one first",
                    address, maxWatchpoints));
        HwWatchpoint w = encodeWatchpoint(address, length, type);
        watchpoints.add(w);
        return w;
    }

    /** {@code delete_hw_watchpoint}: the first watchpoint whose range holds the address; {@code -ENOENT} if none. */
    public void deleteWatchpoint(long address) {
        for (int i = 0; i < watchpoints.size(); i++)
            if (inRange(watchpoints.get(i), address)) {
                watchpoints.remove(i);
                return;
            }
        throw new VmmError("ENOENT", String.format("no hardware watchpoint covers 0x%X; the inserted ones are %s", address, watchpoints));
    }

    /** {@code find_hw_breakpoint}: a breakpoint whose bvr equals {@code pc} exactly. */
    public boolean findBreakpoint(long pc) {
        return breakpoints.stream().anyMatch(b -> b.bvr() == pc);
    }

    /** {@code find_hw_watchpoint}: the first watchpoint whose range holds {@code address}, or null. */
    public HwWatchpoint findWatchpoint(long address) {
        for (HwWatchpoint w : watchpoints) if (inRange(w, address)) return w;
        return null;
    }

    /**
     * {@code check_watchpoint_in_range}, as QEMU computes it: with MASK, [wvr, wvr + 2^MASK]; without,
     * bottom = wvr + ctz32(BAS) and top = bottom + clo32(BAS). {@code clo32} counts the leading ones of
     * the 32-bit value, which is 0 for any 8-bit BAS, so only the first watched byte is recognised:
     * a watchpoint hit reported at a later byte of the range is not QEMU's own and gets re-injected
     * (the "event QEMU cannot attribute" of vmm.md §4.1). Both bounds inclusive.
     */
    public static boolean inRange(HwWatchpoint w, long address) {
        int bas = (int) DBGWCR.BAS.get(w.wcr());
        int mask = (int) DBGWCR.MASK.get(w.wcr());
        long bottom = w.wvr(), top;
        if (mask != 0) {
            top = bottom + (1L << mask);
        } else {
            bottom += Integer.numberOfTrailingZeros(bas);
            top = bottom + Integer.numberOfLeadingZeros(~bas);  // clo32(bas)
        }
        return Long.compareUnsigned(address, bottom) >= 0 && Long.compareUnsigned(address, top) <= 0;
    }

    /** The {@code arch} part of KVM_SET_GUEST_DEBUG: the first slots hold the pool, the rest are zero. */
    public long[][] archArrays() {
        long[] bcr = new long[16], bvr = new long[16], wcr = new long[16], wvr = new long[16];
        for (int i = 0; i < breakpoints.size(); i++) {
            bcr[i] = breakpoints.get(i).bcr();
            bvr[i] = breakpoints.get(i).bvr();
        }
        for (int i = 0; i < watchpoints.size(); i++) {
            wcr[i] = watchpoints.get(i).wcr();
            wvr[i] = watchpoints.get(i).wvr();
        }
        return new long[][] {bcr, bvr, wcr, wvr};
    }
}
