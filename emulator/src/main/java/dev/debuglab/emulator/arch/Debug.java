package dev.debuglab.emulator.arch;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.sysreg.RegisterFields.DBGBCR;
import dev.debuglab.emulator.sysreg.RegisterFields.DBGPRCR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.DBGWCR;
import dev.debuglab.emulator.sysreg.RegisterFields.DBGxVR;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSDLR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLSR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.SPSR;
import dev.debuglab.emulator.sysreg.RegisterFields.VTTBR_EL2;
import dev.debuglab.emulator.sysreg.SystemRegisters;

/**
 * The self-hosted debug architecture (Arm ARM D2; architecture.md §5-§11): the enable rule,
 * routing, BRK, hardware breakpoints, watchpoints, software step, OS Lock and OS Double Lock.
 *
 * <p>Hooks into the fetch-execute loop: the interpreter calls {@link #beforeFetch},
 * {@link #beforeExecute} and {@link #afterExecute} only while {@code cpu.debugChecks} is true,
 * and data accesses call {@link #checkWatchpoint} only while {@code cpu.watchpointsArmed}.
 * {@link #refresh} recomputes both flags; it runs after every write to MDSCR_EL1, DBGBCR/DBGWCR,
 * OSLAR/OSDLR/DBGPRCR, DAIF, HCR_EL2, MDCR_EL2, and on every exception entry and return. The flags
 * err on the side of true (they ignore PSTATE.D and the EL, which the hooks evaluate exactly).
 */
public final class Debug {
    private Debug() {}

    // --- enable rule and routing (§5, §6) ---------------------------------------------------------

    /** OSLSR_EL1.OSLK (bit 1; QEMU deviation Q1 tests bit 0). */
    public static boolean osLocked(SystemRegisters s) {
        return OSLSR_EL1.OSLK.isSet(s.oslsrEl1);
    }

    /** DoubleLockStatus: DLKeff = OSDLR_EL1.DLK = 1 and DBGPRCR_EL1.CORENPDRQ = 0, with FEAT_DoubleLock (§5.2). */
    public static boolean doubleLockStatus(SystemRegisters s) {
        return s.doubleLockImplemented() && OSDLR_EL1.DLK.isSet(s.osdlrEl1)
                && !DBGPRCR_EL1.CORENPDRQ.isSet(s.dbgprcrEl1);
    }

    /** The debug target EL, ELd: EL2 if MDCR_EL2.TDE = 1 or HCR_EL2.TGE = 1, else EL1 (§5.1). EL2 is always enabled here. */
    public static int debugTargetEl(SystemRegisters s) {
        return MDCR_EL2.TDE.isSet(s.mdcrEl2) || HCR_EL2.TGE.isSet(s.hcrEl2) ? 2 : 1;
    }

    /**
     * AArch64.GenerateDebugExceptionsFrom: are Breakpoint, Watchpoint and Software Step exceptions
     * enabled at {@code fromEl} with PSTATE.D = {@code mask}? (decision table §5.3)
     */
    public static boolean generateDebugExceptionsFrom(SystemRegisters s, int fromEl, boolean mask) {
        if (osLocked(s) || doubleLockStatus(s)) return false;         // rows 1, 2 (Halted() is always FALSE)
        int elD = debugTargetEl(s);
        if (fromEl < elD) return true;                                 // rows 3, 5: target above the current EL
        if (fromEl == elD) return MDSCR_EL1.KDE.isSet(s.mdscrEl1) && !mask; // rows 4, 6: same EL needs KDE and D = 0
        return false;                                                  // row 7: target below the current EL
    }

    /** AArch64.GenerateDebugExceptions: the enable rule for the current EL and PSTATE.D. */
    public static boolean generateDebugExceptions(Cpu cpu) {
        return generateDebugExceptionsFrom(cpu.sys, cpu.el, cpu.d);
    }

    // --- flags for the interpreter --------------------------------------------------------------------

    /** Recomputes {@code cpu.debugChecks} and {@code cpu.watchpointsArmed} after a debug-relevant change. */
    public static void refresh(Cpu cpu) {
        SystemRegisters s = cpu.sys;
        boolean locked = osLocked(s) || doubleLockStatus(s);
        boolean mde = MDSCR_EL1.MDE.isSet(s.mdscrEl1);
        boolean anyBreakpoint = false, anyWatchpoint = false, anyContext = false;
        int addresses = 0;
        if (mde && !locked) {
            for (int n = 0; n < s.breakpoints(); n++) {
                long bcr = s.dbgbcr[n];
                if (!DBGBCR.E.isSet(bcr)) continue;
                anyBreakpoint = true;
                switch (DBGBCR.BT.getInt(bcr)) {
                    case BT_ADDRESS, BT_LINKED_ADDRESS -> addresses |= 1 << n;
                    case BT_CONTEXTIDR, BT_VMID, BT_VMID_CONTEXTIDR -> anyContext = true; // may match at any address
                    default -> { } // never fires on its own (breakpointMatch)
                }
            }
            for (int n = 0; n < s.watchpoints(); n++) anyWatchpoint |= DBGWCR.E.isSet(s.dbgwcr[n]);
        }
        boolean step = MDSCR_EL1.SS.isSet(s.mdscrEl1) && !locked;
        cpu.debugChecks = cpu.il || step || anyBreakpoint;
        cpu.addressBreakpointsOnly = cpu.debugChecks && !cpu.il && !MDSCR_EL1.SS.isSet(s.mdscrEl1) && !anyContext;
        cpu.addressBreakpoints = addresses;
        cpu.watchpointsArmed = anyWatchpoint;
        if (!cpu.debugChecks) cpu.stepping = false;
    }

    /**
     * While {@link Cpu#addressBreakpointsOnly}: true if the {@code length} instructions from {@code pc} (inside one page)
     * may run without the hooks, with the same result as one at a time with them. With MDSCR_EL1.SS = 0 and IL = 0 the
     * hooks can only take a Breakpoint exception — at an instruction whose VA[48:2] equals an enabled address
     * breakpoint's DBGBVR.VA; none of these lies in the range — and clear the step bookkeeping (stepping, the step
     * syndrome), which must already be clear.
     */
    public static boolean blockMayRun(Cpu cpu, long pc, int length) {
        if (cpu.stepping || cpu.steppingExclusive || cpu.stepSyndromeValid || cpu.stepSyndromeExclusive) return false;
        long first = DBGxVR.VA.get(pc);
        for (int m = cpu.addressBreakpoints; m != 0; m &= m - 1) {
            long d = DBGxVR.VA.get(cpu.sys.dbgbvr[Integer.numberOfTrailingZeros(m)]) - first;
            if (d >= 0 && d < length) return false;
        }
        return true;
    }

    // --- interpreter hooks -------------------------------------------------------------------------------

    /**
     * Before fetch: if the step state machine is Active-pending, take the Software Step exception
     * (highest priority, §9 row 1; ELR = this instruction, which is not executed). Otherwise
     * remember whether this instruction is being stepped (Active-not-pending). True if an
     * exception was taken.
     */
    public static boolean beforeFetch(Cpu cpu) {
        cpu.stepping = false;
        cpu.steppingExclusive = false;
        if (!softwareStepActive(cpu)) return false;
        if (!cpu.ss) {
            softwareStepException(cpu);
            return true;
        }
        cpu.stepping = true;
        boolean fault = cpu.mem.fault;
        cpu.steppingExclusive = isLoadExclusive(cpu.mem.fetch(cpu.pc));
        cpu.mem.fault = fault;
        return false;
    }

    /**
     * After the fetch, before execute: hardware breakpoints (§9 row 4), then the Illegal Execution
     * state check (§9 row 5, §4 rule 8). True if an exception was taken.
     */
    public static boolean beforeExecute(Cpu cpu) {
        if (checkBreakpoints(cpu)) return true;
        if (cpu.il) {
            Exceptions.illegalState(cpu);
            return true;
        }
        return false;
    }

    /**
     * After execute: the step advance of §10.2 rule 4. If the instruction completed normally (no
     * exception, not ERET) and MDSCR_EL1.SS = PSTATE.SS = 1, PSTATE.SS becomes 0; when the
     * instruction was stepped, the next step exception reports ISV = 1 (and EX for a Load-Exclusive).
     */
    public static void afterExecute(Cpu cpu) {
        if (cpu.exceptionTaken || cpu.eretExecuted) {
            cpu.stepping = false;
            return;
        }
        if (MDSCR_EL1.SS.isSet(cpu.sys.mdscrEl1) && cpu.ss) {
            cpu.ss = false;
            cpu.stepSyndromeValid = cpu.stepping;
            cpu.stepSyndromeExclusive = cpu.stepping && cpu.steppingExclusive;
        } else {
            cpu.stepSyndromeValid = false;
            cpu.stepSyndromeExclusive = false;
        }
        cpu.stepping = false;
    }

    // --- BRK (§6) ------------------------------------------------------------------------------------

    /**
     * AArch64.SoftwareBreakpoint: BRK #imm16. Never gated by any enable (OSLK, DLK, MDE, KDE,
     * PSTATE.D). From EL2 to EL2; from EL0/EL1 to EL2 if TGE or TDE, else to EL1. ELR = the BRK.
     */
    public static void softwareBreakpoint(Cpu cpu, int imm16) {
        int target = cpu.el == 2 ? 2 : debugTargetEl(cpu.sys);
        Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.BRK64, Syndrome.immediate(imm16), cpu.pc).to(target));
    }

    // --- state match (§7.4) -----------------------------------------------------------------------------

    /**
     * AArch64.StateMatch for a Non-secure-only PE with EL2 and no EL3: does a comparator with
     * SSC/HMC/PxC match at {@code el}? Reserved combinations never match (project choice,
     * CONSTRAINED UNPREDICTABLE in the Arm ARM). If {@code linked}, the linked context
     * breakpoint {@code lbn} must also match.
     */
    public static boolean stateMatch(Cpu cpu, int ssc, boolean hmc, int pxc, boolean linked, int lbn, int el) {
        boolean valid;
        if (ssc == 0b00) valid = hmc ? (pxc == 0b01 || pxc == 0b11) : pxc != 0b00;
        else if (ssc == 0b01) valid = hmc && pxc == 0b00;
        else valid = false;
        if (!valid) return false;
        boolean priv;
        switch (el) {
            case 2: priv = hmc; break;
            case 1: priv = (pxc & 0b01) != 0; break;
            default: priv = (pxc & 0b10) != 0; break;
        }
        if (!priv) return false;
        return !linked || linkedContextMatch(cpu, lbn, el);
    }

    /**
     * The context side of a linked comparator (§7.3, §7.5 rule 5): breakpoint {@code lbn} must be
     * implemented, context-aware, enabled and programmed with a linked context type, and its
     * context compare must hold. Anything else never matches (project choice for the CONSTRAINED
     * UNPREDICTABLE cases).
     */
    static boolean linkedContextMatch(Cpu cpu, int lbn, int el) {
        SystemRegisters s = cpu.sys;
        if (!s.isContextAware(lbn) || !DBGBCR.E.isSet(s.dbgbcr[lbn])) return false;
        int bt = DBGBCR.BT.getInt(s.dbgbcr[lbn]);
        if (bt != BT_LINKED_CONTEXTIDR && bt != BT_LINKED_VMID && bt != BT_LINKED_VMID_CONTEXTIDR) return false;
        return contextMatch(cpu, lbn, bt, el);
    }

    /** Breakpoint types (DBGBCR.BT, §7.3) this model implements. */
    static final int BT_ADDRESS = 0b0000, BT_LINKED_ADDRESS = 0b0001, BT_CONTEXTIDR = 0b0010,
            BT_LINKED_CONTEXTIDR = 0b0011, BT_VMID = 0b1000, BT_LINKED_VMID = 0b1001,
            BT_VMID_CONTEXTIDR = 0b1010, BT_LINKED_VMID_CONTEXTIDR = 0b1011;

    /** CONTEXTIDR_EL1 and VMID compares apply only to EL1&0 execution (no VHE). */
    static boolean contextMatch(Cpu cpu, int n, int bt, int el) {
        if (el == 2) return false;
        long bvr = cpu.sys.dbgbvr[n];
        boolean cid = DBGxVR.CONTEXTID.get(bvr) == DBGxVR.CONTEXTID.get(cpu.sys.contextidrEl1);
        boolean vmid = DBGxVR.VMID.get(bvr) == VTTBR_EL2.VMID.get(cpu.sys.vttbrEl2);
        switch (bt) {
            case BT_CONTEXTIDR: case BT_LINKED_CONTEXTIDR: return cid;
            case BT_VMID: case BT_LINKED_VMID: return vmid;
            case BT_VMID_CONTEXTIDR: case BT_LINKED_VMID_CONTEXTIDR: return cid && vmid;
            default: return false;
        }
    }

    // --- breakpoints (§7) ------------------------------------------------------------------------------

    /**
     * AArch64.BreakpointMatch: does breakpoint {@code n} match an instruction fetched from
     * {@code va} at {@code el}? (§7.5 rules 2-5; BAS is ignored for A64, project rule §7.2)
     */
    public static boolean breakpointMatch(Cpu cpu, int n, long va, int el) {
        SystemRegisters s = cpu.sys;
        long bcr = s.dbgbcr[n];
        if (!DBGBCR.E.isSet(bcr)) return false;
        int bt = DBGBCR.BT.getInt(bcr);
        boolean linked;
        boolean valueMatch;
        switch (bt) {
            case BT_ADDRESS:
            case BT_LINKED_ADDRESS:
                linked = bt == BT_LINKED_ADDRESS;
                valueMatch = DBGxVR.VA.get(s.dbgbvr[n]) == DBGxVR.VA.get(va);
                break;
            case BT_CONTEXTIDR:
            case BT_VMID:
            case BT_VMID_CONTEXTIDR:
                // Unlinked context types: only on a context-aware breakpoint (else never matches).
                linked = false;
                valueMatch = s.isContextAware(n) && contextMatch(cpu, n, bt, el);
                break;
            default:
                // Linked context types never fire on their own; mismatch (0b010x) is reserved
                // without AArch32/FEAT_ABLE; the VHE context types are not implemented.
                return false;
        }
        if (!valueMatch) return false;
        return stateMatch(cpu, DBGBCR.SSC.getInt(bcr), DBGBCR.HMC.isSet(bcr), DBGBCR.PMC.getInt(bcr),
                linked, DBGBCR.LBN.getInt(bcr), el);
    }

    /**
     * AArch64.CheckBreakpoint: with debug exceptions enabled (§5.3) and MDSCR_EL1.MDE = 1, any
     * matching breakpoint generates one Breakpoint exception to ELd (ELR = the instruction, not
     * executed; EC 0x30/0x31; FAR UNKNOWN, left unchanged). True if taken.
     */
    public static boolean checkBreakpoints(Cpu cpu) {
        SystemRegisters s = cpu.sys;
        if (!MDSCR_EL1.MDE.isSet(s.mdscrEl1) || !generateDebugExceptions(cpu)) return false;
        for (int n = 0; n < s.breakpoints(); n++) {
            if (breakpointMatch(cpu, n, cpu.pc, cpu.el)) {
                Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.BREAKPOINT_LOWER, Syndrome.breakpoint(), cpu.pc)
                        .to(debugTargetEl(s)));
                return true;
            }
        }
        return false;
    }

    // --- watchpoints (§8) ------------------------------------------------------------------------------

    /**
     * AArch64.WatchpointMatch for one byte: does watchpoint {@code n} match the byte at
     * {@code address}, for an access at {@code el} (EL0 for unprivileged accesses) that reads
     * and/or writes? (§8.3 rules 2-4)
     */
    public static boolean watchpointMatch(Cpu cpu, int n, long address, boolean isRead, boolean isWrite, int el) {
        SystemRegisters s = cpu.sys;
        long wcr = s.dbgwcr[n];
        if (!DBGWCR.E.isSet(wcr)) return false;
        int lsc = DBGWCR.LSC.getInt(wcr);
        boolean kindMatch = (isRead && (lsc & 0b01) != 0) || (isWrite && (lsc & 0b10) != 0);
        if (!kindMatch) return false;
        if (!watchpointValueMatch(s.dbgwvr[n], wcr, address)) return false;
        return stateMatch(cpu, DBGWCR.SSC.getInt(wcr), DBGWCR.HMC.isSet(wcr), DBGWCR.PAC.getInt(wcr),
                DBGWCR.WT.isSet(wcr), DBGWCR.LBN.getInt(wcr), el);
    }

    /** The address side of §8.3 rule 3 for one byte. */
    static boolean watchpointValueMatch(long wvr, long wcr, long byteAddress) {
        int mask = DBGWCR.MASK.getInt(wcr);
        if (mask == 1 || mask == 2) return false;   // reserved MASK values: no match (project choice)
        long va = DBGxVR.VA.get(wvr) << DBGxVR.VA.lsb();
        long b = DBGxVR.VA.get(byteAddress) << DBGxVR.VA.lsb() | (byteAddress & 0b11);
        if (mask >= 3) {
            long keep = -1L << mask;
            return (va & keep) == (b & keep);   // BAS must be 0xFF; not checked (CONSTRAINED UNPREDICTABLE)
        }
        int bas = DBGWCR.BAS.getInt(wcr);
        boolean wordMode = (va & 0b100) != 0;
        // Word mode (DBGWVR[2] = 1): only BAS[3:0] is used, one bit per byte of the word.
        if (wordMode) return (va >>> 2) == (b >>> 2) && ((bas >>> (int) (b & 0b11)) & 1) != 0;
        // Every set BAS bit counts, contiguous or not (project choice, §8.3 rule 3).
        return (va >>> 3) == (b >>> 3) && ((bas >>> (int) (b & 0b111)) & 1) != 0;
    }

    /**
     * AArch64.CheckWatchpoint for an access of {@code size} bytes at {@code va}: with debug
     * enabled and MDE = 1, the lowest watched byte of the access (FAR rule §8.4) among all
     * watchpoints generates a Watchpoint exception to ELd; the access is not performed. WnR
     * follows the rule of §8.3: a read that the watchpoint's LSC watches reports WnR = 0. True if taken.
     */
    public static boolean checkWatchpoint(Cpu cpu, long va, int size, boolean isRead, boolean isWrite,
                                          boolean unprivileged, boolean cacheMaintenance) {
        SystemRegisters s = cpu.sys;
        if (!MDSCR_EL1.MDE.isSet(s.mdscrEl1) || !generateDebugExceptions(cpu)) return false;
        int el = unprivileged && cpu.el == 1 ? 0 : cpu.el;
        int count = s.watchpoints();
        for (int i = 0; i < size; i++) {
            long b = va + i;
            for (int n = 0; n < count; n++) {
                if (watchpointMatch(cpu, n, b, isRead, isWrite, el)) {
                    int lsc = DBGWCR.LSC.getInt(s.dbgwcr[n]);
                    boolean wnr = !(isRead && (lsc & 0b01) != 0);
                    Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.WATCHPOINT_LOWER,
                            Syndrome.watchpoint(wnr, cacheMaintenance), cpu.pc).withFar(b).to(debugTargetEl(s)));
                    return true;
                }
            }
        }
        return false;
    }

    // --- software step (§10) ----------------------------------------------------------------------------

    /** SoftwareStepActive: MDSCR_EL1.SS = 1 and debug exceptions enabled at the current EL with the current PSTATE.D. */
    public static boolean softwareStepActive(Cpu cpu) {
        return MDSCR_EL1.SS.isSet(cpu.sys.mdscrEl1) && generateDebugExceptions(cpu);
    }

    /** Takes the Software Step exception of the Active-pending state (ELR = the next instruction, §10.5). */
    static void softwareStepException(Cpu cpu) {
        int iss = Syndrome.softwareStep(cpu.stepSyndromeValid, cpu.stepSyndromeExclusive);
        Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.SOFTWARE_STEP_LOWER, iss, cpu.pc).to(debugTargetEl(cpu.sys)));
    }

    /**
     * The step advance that SVC, HVC and SMC perform before taking their exception (§10.3 rule
     * 1): PSTATE.SS becomes 0, so SPSR.SS = 0 and the return lands Active-pending.
     */
    public static void advanceBeforeCall(Cpu cpu) {
        if (MDSCR_EL1.SS.isSet(cpu.sys.mdscrEl1)) cpu.ss = false;
    }

    /**
     * DebugExceptionReturnSS (§10.4): PSTATE.SS after an ERET with {@code spsr} to {@code destEl},
     * evaluated with the pre-ERET PSTATE: SPSR.SS only if MDSCR_EL1.SS = 1, step is disabled at the
     * source and enabled at the destination (with D = SPSR.D); otherwise 0.
     */
    public static boolean debugExceptionReturnSS(Cpu cpu, long spsr, int destEl) {
        SystemRegisters s = cpu.sys;
        if (!MDSCR_EL1.SS.isSet(s.mdscrEl1)) return false;
        boolean enabledAtSource = generateDebugExceptionsFrom(s, cpu.el, cpu.d);
        boolean enabledAtDest = generateDebugExceptionsFrom(s, destEl, SPSR.D.isSet(spsr));
        return !enabledAtSource && enabledAtDest && SPSR.SS.isSet(spsr);
    }

    /** Load-Exclusive (LDXR, LDAXR, LDXP, LDAXP and byte/halfword forms): size:001000:o2=0:L=1. */
    static boolean isLoadExclusive(int word) {
        return (word & 0x3FC0_0000) == 0x0840_0000;
    }
}
