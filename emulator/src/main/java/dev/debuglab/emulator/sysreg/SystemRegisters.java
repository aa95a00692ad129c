package dev.debuglab.emulator.sysreg;

/**
 * System register storage of one PE. FIRST CUT (to be replaced by the data-table design: one row
 * per register with encoding, reset, access/trap rule and hooks). The typed fields below are the
 * hot ones the exception and debug pseudocode read directly; they stay as fields for speed.
 */
public final class SystemRegisters {
    /** Indexed by EL (index 0 unused). */
    public final long[] vbar = new long[3], esr = new long[3], elr = new long[3], spsr = new long[3],
            far = new long[3], sctlr = new long[3];
    public long hcrEl2, mdcrEl2, mdscrEl1;
    public long oslsrEl1 = 0xA; // cold reset: OSLM = 0b10, OSLK = 1
}
