package dev.debuglab.emulator.kvm;

import java.util.Arrays;

/**
 * The argument of KVM_SET_GUEST_DEBUG ({@code struct kvm_guest_debug}, kvm.md §1.1): the control
 * word and the arm64 {@code struct kvm_guest_debug_arch} — 16 each of bcr, bvr, wcr, wvr, copied
 * into the vCPU's "external" debug state when {@link #USE_HW} is set. Immutable: the arrays are
 * copied in and out.
 */
public record GuestDebug(long control, long[] bcr, long[] bvr, long[] wcr, long[] wvr) {
    public static final long ENABLE = 0x1, SINGLESTEP = 0x2, USE_SW_BP = 0x1_0000, USE_HW = 0x2_0000;
    /** The control bits arm64 accepts (KVM_GUESTDBG_VALID_MASK; KVM_CAP_SET_GUEST_DEBUG2 reports it). */
    public static final long VALID_MASK = ENABLE | SINGLESTEP | USE_SW_BP | USE_HW;
    /** KVM_ARM_MAX_DBG_REGS. */
    public static final int MAX_DBG_REGS = 16;

    public GuestDebug {
        bcr = bcr == null ? null : bcr.clone();
        bvr = bvr == null ? null : bvr.clone();
        wcr = wcr == null ? null : wcr.clone();
        wvr = wvr == null ? null : wvr.clone();
    }

    /** Control only, all comparators 0. */
    public static GuestDebug of(long control) {
        return new GuestDebug(control, new long[16], new long[16], new long[16], new long[16]);
    }

    /** Debugging off (control 0). */
    public static GuestDebug disabled() {
        return of(0);
    }

    /** This request with breakpoint {@code n} set to (bcr, bvr). */
    public GuestDebug withBreakpoint(int n, long bcrValue, long bvrValue) {
        checkIndex("breakpoint", n);
        long[] c = copy(bcr), v = copy(bvr);
        c[n] = bcrValue;
        v[n] = bvrValue;
        return new GuestDebug(control, c, v, wcr, wvr);
    }

    /** This request with watchpoint {@code n} set to (wcr, wvr). */
    public GuestDebug withWatchpoint(int n, long wcrValue, long wvrValue) {
        checkIndex("watchpoint", n);
        long[] c = copy(wcr), v = copy(wvr);
        c[n] = wcrValue;
        v[n] = wvrValue;
        return new GuestDebug(control, bcr, bvr, c, v);
    }

    /** This request with another control word. */
    public GuestDebug withControl(long newControl) {
        return new GuestDebug(newControl, bcr, bvr, wcr, wvr);
    }

    @Override
    public long[] bcr() {
        return bcr == null ? null : bcr.clone();
    }

    @Override
    public long[] bvr() {
        return bvr == null ? null : bvr.clone();
    }

    @Override
    public long[] wcr() {
        return wcr == null ? null : wcr.clone();
    }

    @Override
    public long[] wvr() {
        return wvr == null ? null : wvr.clone();
    }

    private static void checkIndex(String what, int n) {
        if (n < 0 || n >= MAX_DBG_REGS)
            throw new IllegalArgumentException(what + " " + n + ": struct kvm_guest_debug_arch has slots 0..15 "
                    + "(the hardware uses the first KVM_CAP_GUEST_DEBUG_HW_BPS / _WPS of them)");
    }

    private static long[] copy(long[] a) {
        return a == null || a.length != MAX_DBG_REGS ? new long[MAX_DBG_REGS] : a.clone();
    }

    /** "ENABLE|USE_HW" etc. */
    public static String controlString(long control) {
        if (control == 0) return "0";
        StringBuilder b = new StringBuilder();
        if ((control & ENABLE) != 0) b.append("ENABLE|");
        if ((control & SINGLESTEP) != 0) b.append("SINGLESTEP|");
        if ((control & USE_SW_BP) != 0) b.append("USE_SW_BP|");
        if ((control & USE_HW) != 0) b.append("USE_HW|");
        long other = control & ~VALID_MASK;
        if (other != 0) b.append(String.format("0x%X|", other));
        return b.substring(0, b.length() - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestDebug g && g.control == control && Arrays.equals(g.bcr, bcr) && Arrays.equals(g.bvr, bvr)
                && Arrays.equals(g.wcr, wcr) && Arrays.equals(g.wvr, wvr);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(control) * 31 + Arrays.hashCode(bcr) + Arrays.hashCode(wcr);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("KVM_SET_GUEST_DEBUG control=" + controlString(control));
        for (int n = 0; bcr != null && n < bcr.length; n++)
            if (bcr[n] != 0) b.append(String.format(" bcr%d=0x%X bvr%d=0x%X", n, bcr[n], n, bvr == null || n >= bvr.length ? 0 : bvr[n]));
        for (int n = 0; wcr != null && n < wcr.length; n++)
            if (wcr[n] != 0) b.append(String.format(" wcr%d=0x%X wvr%d=0x%X", n, wcr[n], n, wvr == null || n >= wvr.length ? 0 : wvr[n]));
        return b.toString();
    }
}
