package dev.debuglab.emulator.arch;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.Op;
import dev.debuglab.emulator.isa.Encoding;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.SCTLR;
import dev.debuglab.emulator.sysreg.SysReg;
import dev.debuglab.emulator.sysreg.SysRegAccess;
import dev.debuglab.emulator.sysreg.SysRegTable;

/**
 * Execute routines of the system-level kinds: ERET, EXCEPTION_GEN (SVC/HVC/SMC/BRK/HLT),
 * MSR_IMM, SYS, SYSL, MSR_REG, MRS (Arm ARM C6.2; architecture.md §4, §14, §15, §16). The system
 * register is looked up once, at predecode; the access check runs at execute time.
 */
public final class SystemOps {
    private SystemOps() {}

    /** The semihosting call: HLT #0xF000 when a handler is installed (QEMU's A64 convention). */
    public static final int SEMIHOSTING_HLT_IMM = 0xF000;

    /** The predecoded op for a row of one of the system kinds. */
    public static Op predecode(Encoding e, int word) {
        switch (e.kind()) {
            case ERET:
                return SystemOps::eret;
            case EXCEPTION_GEN:
                return exceptionGenerating(e, word);
            case MSR_IMM:
                return msrImmediate(e, word);
            case MSR_REG:
            case MRS:
            case SYS:
                return systemRegister(e, word);
            case SYSL:
                // No SYSL encoding is allocated in Armv8.0 (the GIC/TLBI "SYSL" forms are later or absent).
                return Exceptions::undefined;
            default:
                throw new IllegalArgumentException("not a system kind: " + e.id());
        }
    }

    // --- ERET (§4) -----------------------------------------------------------------------------------

    static void eret(Cpu cpu) {
        if (cpu.el == 0) {
            Exceptions.undefined(cpu);
            return;
        }
        Exceptions.exceptionReturn(cpu);
    }

    // --- exception generating (§16) -------------------------------------------------------------------

    static Op exceptionGenerating(Encoding e, int word) {
        int imm16 = e.field("imm16").get(word);
        switch (e.id()) {
            case "SVC": return cpu -> svc(cpu, imm16);
            case "HVC": return cpu -> hvc(cpu, imm16);
            case "SMC": return cpu -> smc(cpu, imm16);
            case "BRK": return cpu -> Debug.softwareBreakpoint(cpu, imm16);
            case "HLT": return cpu -> hlt(cpu, imm16);
            default: return Exceptions::undefined;
        }
    }

    /** AArch64.CallSupervisor: to EL1 from EL0 (EL2 if TGE), else the current EL; ELR = next; step advances first. */
    static void svc(Cpu cpu, int imm16) {
        Debug.advanceBeforeCall(cpu);
        Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.SVC64, Syndrome.immediate(imm16), cpu.pc + 4));
    }

    /** AArch64.CallHypervisor: UNDEFINED at EL0 and when HCR_EL2.HCD = 1; else to EL2, ELR = next. */
    static void hvc(Cpu cpu, int imm16) {
        if (cpu.el == 0 || HCR_EL2.HCD.isSet(cpu.sys.hcrEl2)) {
            Exceptions.undefined(cpu);
            return;
        }
        Debug.advanceBeforeCall(cpu);
        Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.HVC64, Syndrome.immediate(imm16), cpu.pc + 4).to(2));
    }

    /**
     * SMC without EL3: UNDEFINED, except that at EL1 HCR_EL2.TSC = 1 traps it to EL2 (EC 0x17,
     * ELR = the SMC itself, no step advance: it is a trap, not a call). UNVERIFIED (§16).
     */
    static void smc(Cpu cpu, int imm16) {
        if (cpu.el == 1 && HCR_EL2.TSC.isSet(cpu.sys.hcrEl2)) {
            Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.SMC64, Syndrome.immediate(imm16), cpu.pc).to(2));
            return;
        }
        Exceptions.undefined(cpu);
    }

    /**
     * HLT: halting debug is not implemented, so HLT is UNDEFINED (§16), except HLT #0xF000 when the
     * machine installed a semihosting handler (QEMU deviation Q10, opted into by the machine).
     */
    static void hlt(Cpu cpu, int imm16) {
        if (imm16 == SEMIHOSTING_HLT_IMM && cpu.semihosting != null) {
            cpu.semihosting.call(cpu);
            cpu.pc += 4;
            return;
        }
        Exceptions.undefined(cpu);
    }

    // --- MSR (immediate) -------------------------------------------------------------------------------

    /** PSTATE fields of MSR (immediate) in Armv8.0: op1:op2 = 000:101 SPSel, 011:110 DAIFSet, 011:111 DAIFClr. */
    static Op msrImmediate(Encoding e, int word) {
        int op1 = e.field("op1").get(word), op2 = e.field("op2").get(word), crm = e.field("CRm").get(word);
        if (op1 == 0b000 && op2 == 0b101) return cpu -> {
            if (cpu.el == 0) {
                Exceptions.undefined(cpu);
                return;
            }
            cpu.spSel = crm & 1;
            cpu.pc += 4;
        };
        if (op1 == 0b011 && (op2 == 0b110 || op2 == 0b111)) {
            boolean set = op2 == 0b110;
            return cpu -> {
                // EL0 access to DAIF needs SCTLR_EL1.UMA, else EC 0x18 to EL1 (EL2 with TGE).
                if (cpu.el == 0 && !SCTLR.UMA.isSet(cpu.sys.sctlr[1])) {
                    Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.SYS64, Syndrome.sysRegTrap(word), cpu.pc));
                    return;
                }
                // CRm = D:A:I:F
                if ((crm & 0b1000) != 0) cpu.d = set;
                if ((crm & 0b0100) != 0) cpu.a = set;
                if ((crm & 0b0010) != 0) cpu.i = set;
                if ((crm & 0b0001) != 0) cpu.f = set;
                Debug.refresh(cpu);
                cpu.pc += 4;
            };
        }
        // Other PSTATE fields (PAN, UAO, DIT, SSBS, TCO ...) belong to features not implemented here.
        return Exceptions::undefined;
    }

    // --- MRS / MSR (register) / SYS ---------------------------------------------------------------------

    static Op systemRegister(Encoding e, int word) {
        int op0 = e.kind() == dev.debuglab.emulator.isa.Kind.SYS ? 1 : 2 + e.field("o0").get(word);
        int op1 = e.field("op1").get(word), crn = e.field("CRn").get(word), crm = e.field("CRm").get(word),
                op2 = e.field("op2").get(word), rt = e.field("Rt").get(word);
        SysReg reg = SysRegTable.lookup(op0, op1, crn, crm, op2);
        if (reg == null) return Exceptions::undefined;
        boolean read = e.kind() == dev.debuglab.emulator.isa.Kind.MRS;
        if (read) return cpu -> {
            if (!allowed(cpu, reg.access(cpu, true), word)) return;
            cpu.setXreg(rt, reg.read(cpu));
            cpu.pc += 4;
        };
        return cpu -> {
            if (!allowed(cpu, reg.access(cpu, false), word)) return;
            cpu.exceptionTaken = false;
            reg.write(cpu, cpu.xreg(rt));
            if (cpu.exceptionTaken) return;
            cpu.pc += 4;
        };
    }

    /** Takes the exception an access check asked for; true if the access may proceed. */
    static boolean allowed(Cpu cpu, SysRegAccess a, int word) {
        switch (a) {
            case ALLOWED:
                return true;
            case UNDEFINED:
                Exceptions.undefined(cpu);
                return false;
            case TRAP_EL1:
                Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.SYS64, Syndrome.sysRegTrap(word), cpu.pc));
                return false;
            default:
                Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.SYS64, Syndrome.sysRegTrap(word), cpu.pc).to(2));
                return false;
        }
    }
}
