package dev.debuglab.emulator.arch;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.SPSR;

/**
 * Exception entry and return: AArch64.TakeException and AArch64.ExceptionReturn (Arm ARM D1.10,
 * D1.11; architecture.md §3, §4).
 */
public final class Exceptions {
    private Exceptions() {}

    /** Vector group offsets (architecture.md §3.2); all exceptions here are synchronous (+0x000 in the group). */
    static final long CURRENT_EL_SP0 = 0x000, CURRENT_EL_SPX = 0x200, LOWER_EL_AARCH64 = 0x400;
    static final long VECTOR_OFFSET_MASK = 0x7FF;

    /**
     * Routes {@code r} and enters the handler: AArch64.TakeException. The target EL is the
     * record's explicit one, or the usual rule for synchronous exceptions: the current EL, raised
     * to EL1 from EL0, and to EL2 from EL0 when HCR_EL2.TGE = 1. Sets {@code cpu.exceptionTaken}.
     */
    public static void take(Cpu cpu, ExceptionRecord r) {
        takeException(cpu, r);
    }

    /** AArch64.TakeException (architecture.md §3.1, steps 1-7). */
    public static void takeException(Cpu cpu, ExceptionRecord r) {
        int from = cpu.el;
        int target = r.targetEl() != ExceptionRecord.ROUTE_DEFAULT ? r.targetEl() : defaultTarget(cpu);
        ExceptionClass ec = target == from ? r.ec().sameEl() : r.ec();
        long offset = target > from ? LOWER_EL_AARCH64 : cpu.spSel == 0 ? CURRENT_EL_SP0 : CURRENT_EL_SPX;
        // SPSR: PSTATE as it was, including the unadvanced PSTATE.SS (§10.3; SVC/HVC advanced it before).
        cpu.sys.spsr[target] = cpu.packPstate();
        cpu.sys.elr[target] = r.returnAddr();
        cpu.sys.esr[target] = Syndrome.esr(ec, r.iss());
        // FAR only for the classes that report one; otherwise UNKNOWN, left unchanged (project choice, §3.1 step 5).
        if (r.hasFar()) cpu.sys.far[target] = r.far();
        cpu.el = target;
        cpu.spSel = 1;
        cpu.d = cpu.a = cpu.i = cpu.f = true;
        cpu.ss = false;
        cpu.il = false;
        cpu.pc = (cpu.sys.vbar[target] & ~VECTOR_OFFSET_MASK) + offset;
        cpu.exceptionTaken = true;
        cpu.lastException = r;
        // Another exception intervened: a following step exception reports ISV = 0 (§10.5, project choice).
        cpu.stepping = false;
        cpu.stepSyndromeValid = false;
        cpu.stepSyndromeExclusive = false;
        Debug.refresh(cpu);
        if (cpu.exceptionListener != null)
            cpu.exceptionListener.taken(r, from, target, cpu.sys.esr[target], cpu.sys.elr[target], cpu.pc);
    }

    /** Synchronous exceptions from EL0 go to EL1, or to EL2 when HCR_EL2.TGE = 1; otherwise to the current EL. */
    static int defaultTarget(Cpu cpu) {
        if (cpu.el == 0) return HCR_EL2.TGE.isSet(cpu.sys.hcrEl2) ? 2 : 1;
        return cpu.el;
    }

    /** UNDEFINED at the current PC (EC 0x00, ELR = the instruction). */
    public static void undefined(Cpu cpu) {
        take(cpu, ExceptionRecord.of(ExceptionClass.UNKNOWN, 0, cpu.pc));
    }

    /** Illegal Execution state exception (EC 0x0E), for an instruction executed with PSTATE.IL = 1 (§4 rule 8). */
    public static void illegalState(Cpu cpu) {
        take(cpu, ExceptionRecord.of(ExceptionClass.ILLEGAL_STATE, 0, cpu.pc));
    }

    /**
     * IllegalExceptionReturn (architecture.md §4 table): true if returning with {@code spsr}
     * from the current EL is illegal.
     */
    public static boolean illegalExceptionReturn(Cpu cpu, long spsr) {
        if (SPSR.M4.isSet(spsr)) return true;                        // 1: AArch32 not implemented
        int target = SPSR.M_EL.getInt(spsr);
        if (target == 3) return true;                                // 2: EL3 not implemented
        if (target > cpu.el) return true;                            // 3: return to a higher EL
        if (SPSR.M1.isSet(spsr)) return true;                        // 4: M[1] = 1 is reserved
        if (target == 0 && SPSR.M_SP.isSet(spsr)) return true;       // 5: EL0 has no SP_EL0 selection bit
        return target == 1 && HCR_EL2.TGE.isSet(cpu.sys.hcrEl2);    // 6: EL1 is not in use with TGE = 1
    }

    /**
     * ERET: AArch64.ExceptionReturn (architecture.md §4). Restores PSTATE from SPSR_ELx (only
     * NZCV/DAIF on an illegal return, which sets PSTATE.IL), sets PSTATE.SS by the ERET step rule
     * evaluated with the pre-ERET state (§10.4), branches to ELR_ELx, clears the local exclusive
     * monitor and sets the event register. The step state machine does not advance.
     */
    public static void exceptionReturn(Cpu cpu) {
        int el = cpu.el;
        long spsr = cpu.sys.spsr[el];
        long elr = cpu.sys.elr[el];
        boolean illegal = illegalExceptionReturn(cpu, spsr);
        int destEl = illegal ? el : SPSR.M_EL.getInt(spsr);
        boolean ss = Debug.debugExceptionReturnSS(cpu, spsr, destEl);
        cpu.nzcv = SPSR.NZCV.getInt(spsr);
        cpu.d = SPSR.D.isSet(spsr);
        cpu.a = SPSR.A.isSet(spsr);
        cpu.i = SPSR.I.isSet(spsr);
        cpu.f = SPSR.F.isSet(spsr);
        if (illegal) {
            cpu.il = true;
        } else {
            cpu.il = SPSR.IL.isSet(spsr);
            cpu.el = destEl;
            cpu.spSel = SPSR.M_SP.getInt(spsr);
        }
        cpu.ss = ss;
        cpu.pc = elr;
        cpu.exclusiveAddress = -1;
        cpu.eventRegister = true;
        cpu.eretExecuted = true;
        cpu.stepping = false;
        cpu.stepSyndromeValid = false;
        cpu.stepSyndromeExclusive = false;
        Debug.refresh(cpu);
    }
}
