package dev.debuglab.emulator.differential;

/**
 * The architecture rules the differential tests compute their expectations from, written
 * independently of the emulator (test code must not ask the emulator what the answer is).
 * Each method cites the table of {@code /work/shared/spec/architecture.md} (and the Arm ARM
 * pseudocode function) it transcribes.
 *
 * <p>A {@link Model} names the reference being predicted: the architecture itself, or the
 * architecture with one known QEMU deviation (architecture.md §17) applied, so that a QEMU
 * disagreement can be attributed to a listed deviation instead of failing the test.
 */
final class ArchModel {
    private ArchModel() {}

    // --- Exception classes and syndromes (architecture.md §13) --------------------------------------

    static final int EC_UNKNOWN = 0x00, EC_ILLEGAL_STATE = 0x0E, EC_SVC64 = 0x15, EC_HVC64 = 0x16,
            EC_BREAKPOINT_LOWER = 0x30, EC_SOFTWARE_STEP_LOWER = 0x32, EC_WATCHPOINT_LOWER = 0x34,
            EC_BRK64 = 0x3C;
    /** ESR_ELx.IL: every A64 exception in this model reports a 32-bit instruction (§13.1). */
    static final long ESR_IL = 1L << 25;
    /** IFSC / DFSC value "debug event" (§13.2). */
    static final int FSC_DEBUG = 0x22;
    /** Software Step ISS.ISV (bit 24) and ISS.EX (bit 6) (§10.5). */
    static final long STEP_ISV = 1L << 24, STEP_EX = 1L << 6;
    /** Watchpoint ISS.WnR (bit 6) (§8.3). */
    static final long WATCH_WNR = 1L << 6;

    /** ESR value for exception class {@code ec} with syndrome {@code iss} and IL = 1. */
    static long esr(int ec, long iss) {
        return (long) ec << 26 | ESR_IL | iss;
    }

    /**
     * The "same EL" variant of a debug exception class: EC 0x30, 0x32, 0x34 become +1 when the
     * exception is taken to the EL it came from (§13.2). Not applicable to BRK (always 0x3C).
     */
    static int debugEc(int lowerEc, int fromEl, int targetEl) {
        return fromEl == targetEl ? lowerEc + 1 : lowerEc;
    }

    static long brkEsr(int imm16) {
        return esr(EC_BRK64, imm16 & 0xFFFF);
    }

    static long breakpointEsr(int fromEl, int targetEl) {
        return esr(debugEc(EC_BREAKPOINT_LOWER, fromEl, targetEl), FSC_DEBUG);
    }

    static long watchpointEsr(int fromEl, int targetEl, boolean write) {
        return esr(debugEc(EC_WATCHPOINT_LOWER, fromEl, targetEl), FSC_DEBUG | (write ? WATCH_WNR : 0));
    }

    static long softwareStepEsr(int fromEl, int targetEl, boolean isv, boolean ex) {
        return esr(debugEc(EC_SOFTWARE_STEP_LOWER, fromEl, targetEl),
                FSC_DEBUG | (isv ? STEP_ISV : 0) | (isv && ex ? STEP_EX : 0));
    }

    static long svcEsr(int imm16) {
        return esr(EC_SVC64, imm16);
    }

    static long hvcEsr(int imm16) {
        return esr(EC_HVC64, imm16);
    }

    // --- PSTATE / SPSR (architecture.md §2.2) ------------------------------------------------------

    static final long SPSR_SS = 1L << 21, SPSR_IL = 1L << 20, SPSR_D = 1L << 9, SPSR_A = 1L << 8,
            SPSR_I = 1L << 7, SPSR_F = 1L << 6, SPSR_AIF = SPSR_A | SPSR_I | SPSR_F;

    /** SPSR.M[3:0] for AArch64 EL {@code el} with stack-pointer select {@code spSel} (EL0t, EL1t/h, EL2t/h). */
    static long mode(int el, int spSel) {
        return (long) el << 2 | spSel;
    }

    /** The PSTATE of handler code just after exception entry to {@code el} (§3.1 rule 6): ELxh, DAIF set. */
    static long handlerPstate(int el) {
        return mode(el, 1) | SPSR_D | SPSR_AIF;
    }

    // --- Exception entry (architecture.md §3.2) ----------------------------------------------------

    /** Offset of the synchronous vector for an exception from {@code fromEl} (with PSTATE.SP = spSel) to {@code targetEl}. */
    static int vectorOffset(int fromEl, int spSel, int targetEl) {
        if (fromEl < targetEl) return 0x400;
        return spSel == 0 ? 0x000 : 0x200;
    }

    // --- Debug enable and routing (architecture.md §5, §6) -----------------------------------------

    /** The inputs of the debug enable and routing decisions, as a test case programs them. */
    record DebugControls(boolean oslk, boolean dlk, boolean kde, boolean pstateD, boolean mde,
                         boolean tde, boolean tge) {}

    /**
     * A reference whose behaviour the tests predict: the architecture ({@link #ARCHITECTURE}), or
     * the architecture with a listed QEMU deviation applied.
     *
     * @param id                   "ARCH" or the deviation id (architecture.md §17)
     * @param osLockHonoured       false models Q1: QEMU tests OSLSR_EL1 bit 0 instead of OSLK (bit 1),
     *                             so the OS Lock never suppresses breakpoints, watchpoints or step
     * @param doubleLockImplemented ID_AA64DFR0_EL1.DoubleLock = 0b0000 on the machine being predicted
     * @param isvAfterSteppedEret  the ISV reported by the step exception that follows a stepped
     *                             ERET (architecturally either value; the project chooses 0)
     * @param dbgprcrImplemented   DBGPRCR_EL1 exists (architecture: yes; its CORENPDRQ bit takes part in
     *                             DoubleLockStatus, §5.2)
     * @param stepAfterMaskingD    a Software Step exception is taken after a stepped instruction that set
     *                             PSTATE.D to 1 at an EL where that disables debug exceptions (architecture:
     *                             no — step is then inactive, §10.1; QEMU 7.2: yes, Q12)
     */
    record Model(String id, boolean osLockHonoured, boolean doubleLockImplemented, boolean isvAfterSteppedEret,
                 boolean dbgprcrImplemented, boolean stepAfterMaskingD) {
        static final Model ARCHITECTURE = new Model("ARCH", true, true, false, true, false);

        Model withDoubleLock(boolean implemented) {
            return new Model(id, osLockHonoured, implemented, isvAfterSteppedEret, dbgprcrImplemented, stepAfterMaskingD);
        }

        /** Q1: the OS Lock is tested on the wrong bit (OSLSR_EL1 bit 0 instead of OSLK, bit 1). */
        Model withQ1() {
            return new Model("Q1", false, doubleLockImplemented, isvAfterSteppedEret, dbgprcrImplemented, stepAfterMaskingD);
        }

        /**
         * Q2: QEMU has no DBGPRCR_EL1 (accesses are UNDEFINED), so the OS Double Lock depends on
         * OSDLR_EL1.DLK alone, without the CORENPDRQ term.
         */
        Model withQ2() {
            return new Model("Q2", osLockHonoured, doubleLockImplemented, isvAfterSteppedEret, false, stepAfterMaskingD);
        }

        /**
         * Q8: QEMU's choice of ISV where the architecture allows either value (§10.5): after a
         * stepped ERET it reports ISV = 1 (it treats the ERET as a completed stepped instruction);
         * the project reports 0.
         */
        Model withQ8() {
            return new Model("Q8", osLockHonoured, doubleLockImplemented, true, dbgprcrImplemented, stepAfterMaskingD);
        }

        /**
         * Q12: QEMU decides at translation time that a stepped instruction ends with a step
         * exception, so after a stepped MSR DAIFSet (or MSR DAIF) that sets PSTATE.D at an EL
         * whose debug exceptions PSTATE.D masks (same EL as ELd, KDE = 1) it still takes a
         * Software Step exception (ISV = 1, ELR = the next instruction, SPSR.D = 1). The Arm ARM
         * (D2.11.5) says software step then advances to the inactive state: no exception.
         */
        Model withQ12() {
            return new Model("Q12", osLockHonoured, doubleLockImplemented, isvAfterSteppedEret, dbgprcrImplemented, true);
        }
    }

    /** ELd (§5.1, AArch64.DebugTarget with EL2 implemented and enabled, no EL3). */
    static int debugTarget(DebugControls c) {
        return c.tde() || c.tge() ? 2 : 1;
    }

    /**
     * DoubleLockStatus() (§5.2): OSDLR_EL1.DLK = 1 and DBGPRCR_EL1.CORENPDRQ = 0 (the programs
     * never write DBGPRCR_EL1, so CORENPDRQ keeps its reset value 0), only with FEAT_DoubleLock.
     */
    static boolean doubleLockStatus(DebugControls c, Model m) {
        return m.doubleLockImplemented() && c.dlk();
    }

    /** The OS Lock as the predicted reference applies it (§5.2; Q1 ignores it). */
    static boolean osLockStatus(DebugControls c, Model m) {
        return m.osLockHonoured() && c.oslk();
    }

    /**
     * AArch64.GenerateDebugExceptionsFrom (decision table §5.3) for code at {@code el} with
     * PSTATE.D = {@code d}.
     */
    static boolean generateDebugExceptionsFrom(int el, boolean d, DebugControls c, Model m) {
        if (osLockStatus(c, m) || doubleLockStatus(c, m)) return false;      // rows 1, 2
        int elD = debugTarget(c);
        if (el < elD) return true;                                            // rows 3, 5
        if (el == elD) return c.kde() && !d;                                  // rows 4, 6
        return false;                                                         // row 7
    }

    /** AArch64.GenerateDebugExceptions: the same decision for the current PSTATE.D of the case. */
    static boolean generateDebugExceptions(int el, DebugControls c, Model m) {
        return generateDebugExceptionsFrom(el, c.pstateD(), c, m);
    }

    /** Target EL of BRK (AArch64.SoftwareBreakpoint, §6): EL2 at EL2, else ELd. Never gated. */
    static int softwareBreakpointTarget(int el, DebugControls c) {
        return el == 2 ? 2 : debugTarget(c);
    }

    /** Breakpoint and watchpoint generation (§5.4, §7.5 rule 1, §8.3 rule 1): enabled and MDE = 1. */
    static boolean breakpointOrWatchpointGenerated(int el, DebugControls c, Model m) {
        return generateDebugExceptions(el, c, m) && c.mde();
    }

    /** Software step is active at {@code el} (§10.1 stepEnabled, with MDSCR_EL1.SS = 1): MDE not involved. */
    static boolean softwareStepActive(int el, boolean d, DebugControls c, Model m) {
        return generateDebugExceptionsFrom(el, d, c, m);
    }

    /**
     * DebugExceptionReturnSS (§10.4): PSTATE.SS after an ERET from {@code fromEl} (with PSTATE.D =
     * {@code fromD}) to {@code toEl} (with SPSR.D = {@code toD}) when MDSCR_EL1.SS = {@code mdscrSs}.
     */
    static boolean debugExceptionReturnSS(boolean mdscrSs, int fromEl, boolean fromD, int toEl, boolean toD,
                                          boolean spsrSs, DebugControls c, Model m) {
        boolean enabledAtSource = generateDebugExceptionsFrom(fromEl, fromD, c, m);
        boolean enabledAtDest = generateDebugExceptionsFrom(toEl, toD, c, m);
        return mdscrSs && !enabledAtSource && enabledAtDest && spsrSs;
    }

    // --- ERET (architecture.md §4) ------------------------------------------------------------------

    /** IllegalExceptionReturn (§4 decision table) for an ERET at {@code currentEl} with SPSR {@code spsr}. */
    static boolean illegalExceptionReturn(int currentEl, long spsr, boolean tge) {
        long m = spsr & 0x1F;
        int target = (int) (m >> 2) & 3;
        if ((m & 0x10) != 0) return true;              // 1: AArch32
        if (target == 3) return true;                  // 2: EL3 not implemented
        if (target > currentEl) return true;           // 3: return to a higher EL
        if ((m & 0x2) != 0) return true;               // 4: M[1] = 1
        if (target == 0 && (m & 1) != 0) return true;  // 5: EL0 with SP_ELx
        return target == 1 && currentEl == 2 && tge;   // 6: EL1 while HCR_EL2.TGE = 1
    }
}
