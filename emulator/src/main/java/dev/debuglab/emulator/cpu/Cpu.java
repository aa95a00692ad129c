package dev.debuglab.emulator.cpu;

import dev.debuglab.emulator.arch.ExceptionListener;
import dev.debuglab.emulator.arch.ExceptionRecord;
import dev.debuglab.emulator.mem.PhysicalMemory;
import dev.debuglab.emulator.sysreg.SystemRegisters;

/**
 * Architectural state of one AArch64 PE with EL0, EL1 and EL2 (Non-secure, no EL3, no AArch32).
 *
 * <p>Only state lives here, with the small accessors every layer needs (register file with
 * XZR/SP selection, PSTATE packing). Behaviour lives in three layers: the decode table
 * ({@code isa}), the per-instruction execute routines, and the shared pseudocode library
 * ({@code arch}: exception entry/return, debug, system registers). The fetch-execute loop is the
 * separate {@code Interpreter}.
 */
public final class Cpu {
    /** X0..X30; index 31 is never stored (it is XZR or SP depending on the encoding). */
    public final long[] x = new long[32];
    /** SP_EL0, SP_EL1, SP_EL2. */
    public final long[] sp = new long[3];
    public long pc;

    // PSTATE (architecture.md §2.1)
    /** N Z C V in bits 3..0 (N = 8, Z = 4, C = 2, V = 1). */
    public int nzcv;
    public boolean d = true, a = true, i = true, f = true;
    public boolean ss, il;
    public int el = 2;
    /** PSTATE.SP: 0 selects SP_EL0, 1 selects SP_ELx. */
    public int spSel = 1;

    public final PhysicalMemory mem;
    public final SystemRegisters sys = new SystemRegisters();

    /** Set by {@code Exceptions.take} when an exception is taken during the current instruction. */
    public boolean exceptionTaken;
    /** Told of every exception entry; null for none. */
    public ExceptionListener exceptionListener;
    /** Set when the machine stops the PE (semihosting exit, budget); the interpreter loop stops. */
    public boolean halted;
    /** Why the PE stopped (shown to the user), when {@link #halted}. */
    public String stopReason;
    /** Semihosting handler for HLT #0xF000; null = HLT is UNDEFINED. */
    public SemihostingHandler semihosting;
    /**
     * True while a breakpoint or software step could fire: the interpreter then calls the
     * {@code arch.Debug} hooks around every instruction. Maintained by the debug code.
     */
    public boolean debugChecks;
    /**
     * True while {@link #debugChecks} is set only by address breakpoints: every enabled breakpoint is an address
     * match (DBGBCR.BT 0b0000/0b0001) or a type that never fires on its own, MDSCR_EL1.SS = 0 and PSTATE.IL = 0. The
     * interpreter may then run a basic block none of whose instructions is at an armed address
     * ({@code arch.Debug.blockMayRun}). Maintained by the debug code.
     */
    public boolean addressBreakpointsOnly;
    /** Bit n: breakpoint n is enabled as an address match (meaningful while {@link #addressBreakpointsOnly}). */
    public int addressBreakpoints;
    /** True while any watchpoint is enabled: data accesses then check them. Maintained by the debug code. */
    public boolean watchpointsArmed;
    /** The last exception taken (for tracing); null before the first. */
    public ExceptionRecord lastException;
    /** Set by the execute routine of ERET (the step state machine does not advance after it). */
    public boolean eretExecuted;
    /** Number of instructions retired (executed to completion or ended by an exception). */
    public long instructionsRetired;
    /** The exclusive monitor: armed address, size, or -1 when open. */
    public long exclusiveAddress = -1;
    public int exclusiveSize;
    /** The event register (WFE/SEV). */
    public boolean eventRegister;

    // Software-step bookkeeping, maintained by arch.Debug (architecture.md §10.2, §10.5).
    /** The current instruction started in the Active-not-pending state (it is being stepped). */
    public boolean stepping;
    /** ... and it is a Load-Exclusive (for the step syndrome's EX bit). */
    public boolean steppingExclusive;
    /** ISV and EX of the next Software Step exception: the last instruction completed while stepped. */
    public boolean stepSyndromeValid, stepSyndromeExclusive;

    public Cpu(PhysicalMemory mem) {
        this.mem = mem;
    }

    // --- register file ---------------------------------------------------------------------------

    /** Xn with 31 = XZR. */
    public long xreg(int n) {
        return n == 31 ? 0 : x[n];
    }

    /** Writes Xn with 31 = XZR (the write is discarded). */
    public void setXreg(int n, long v) {
        if (n != 31) x[n] = v;
    }

    /** Xn with 31 = the current stack pointer. */
    public long xregOrSp(int n) {
        return n == 31 ? sp[spSel == 0 ? 0 : el] : x[n];
    }

    public void setXregOrSp(int n, long v) {
        if (n == 31) sp[spSel == 0 ? 0 : el] = v;
        else x[n] = v;
    }

    public long currentSp() {
        return sp[spSel == 0 ? 0 : el];
    }

    public void setCurrentSp(long v) {
        sp[spSel == 0 ? 0 : el] = v;
    }

    // --- PSTATE <-> SPSR (architecture.md §2.2) ------------------------------------------------------

    public static final int SPSR_N = 1 << 31, SPSR_SS = 1 << 21, SPSR_IL = 1 << 20,
            SPSR_D = 1 << 9, SPSR_A = 1 << 8, SPSR_I = 1 << 7, SPSR_F = 1 << 6;

    /** PSTATE packed as an SPSR value (AArch64 source). */
    public long packPstate() {
        long v = (long) nzcv << 28;
        if (ss) v |= SPSR_SS;
        if (il) v |= SPSR_IL;
        if (d) v |= SPSR_D;
        if (a) v |= SPSR_A;
        if (i) v |= SPSR_I;
        if (f) v |= SPSR_F;
        v |= (long) el << 2 | spSel;
        return v;
    }

    /** DAIF as the DAIF system register reads it (D/A/I/F in bits 9/8/7/6). */
    public long daif() {
        return (d ? SPSR_D : 0) | (a ? SPSR_A : 0) | (i ? SPSR_I : 0) | (f ? SPSR_F : 0);
    }

    public void setDaif(long v) {
        d = (v & SPSR_D) != 0;
        a = (v & SPSR_A) != 0;
        i = (v & SPSR_I) != 0;
        f = (v & SPSR_F) != 0;
    }

    public String pstateString() {
        return String.format("EL%d%s %c%c%c%c %c%c%c%c%s%s", el, spSel == 0 ? "t" : "h",
                (nzcv & 8) != 0 ? 'N' : 'n', (nzcv & 4) != 0 ? 'Z' : 'z', (nzcv & 2) != 0 ? 'C' : 'c', (nzcv & 1) != 0 ? 'V' : 'v',
                d ? 'D' : 'd', a ? 'A' : 'a', i ? 'I' : 'i', f ? 'F' : 'f', ss ? " SS" : "", il ? " IL" : "");
    }
}
