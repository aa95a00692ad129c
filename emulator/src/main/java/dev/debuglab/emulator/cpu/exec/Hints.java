package dev.debuglab.emulator.cpu.exec;

import static dev.debuglab.emulator.cpu.exec.Instr.bits;

import dev.debuglab.emulator.arch.ExceptionClass;
import dev.debuglab.emulator.arch.ExceptionRecord;
import dev.debuglab.emulator.arch.Exceptions;
import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.DecodedOp;
import dev.debuglab.emulator.cpu.Op;
import dev.debuglab.emulator.isa.Encoding;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.SCTLR;

/**
 * Hints and barriers (Arm ARM C6.2.124 HINT, C6.2.400 WFE, C6.2.401 WFI, C6.2.252 SEV,
 * C6.2.253 SEVL, C6.2.411 YIELD, C6.2.56 CLREX, C6.2.78 DSB, C6.2.76 DMB, C6.2.125 ISB).
 *
 * <p>This PE has no interrupt sources and no other PEs, so a WFI or WFE that would wait is
 * completed at once: the architecture allows both to complete spuriously ("WFI/WFE is a hint",
 * Arm ARM D1.6.2), and QEMU's wake-up would never come. Their traps are still taken. Hint
 * encodings this Armv8.0 PE does not implement (ESB, PAC*, BTI, ...) execute as NOP, as the
 * architecture requires for unallocated hints. Barriers order nothing in a single in-order PE.
 */
public final class Hints {
    private Hints() {}

    /** ISS of a trapped WFx from AArch64: CV = 1, COND = 0b1110 (ISS[24:20]), TI in ISS[0]. */
    static final int WFX_ISS_CV_COND = (1 << 24) | (0b1110 << 20), WFX_ISS_TI_WFE = 1;

    static final Op NOP = new DecodedOp() {
        @Override
        public void execute(Cpu cpu) {
            cpu.pc += 4;
        }
    };

    static final Op WFE = new DecodedOp() {
        @Override
        public void execute(Cpu cpu) {
            wfe(cpu);
        }
    };

    static final Op WFI = new DecodedOp() {
        @Override
        public void execute(Cpu cpu) {
            wfi(cpu);
        }
    };

    public static Op hint(Encoding e, int w) {
        int crmOp2 = bits(w, 11, 5);
        switch (crmOp2) {
            case 0b0000_010: return WFE;
            case 0b0000_011: return WFI;
            case 0b0000_100: // SEV: the event reaches this PE too
            case 0b0000_101: // SEVL: send event local
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        cpu.eventRegister = true;
                        cpu.pc += 4;
                    }
                };
            default: // NOP, YIELD, and every hint Armv8.0 leaves unallocated
                return NOP;
        }
    }

    /** WFE (C6.2.400): consumes a set event register; otherwise would wait, after the trap checks. */
    static void wfe(Cpu cpu) {
        if (cpu.eventRegister) {
            cpu.eventRegister = false;
            cpu.pc += 4;
            return;
        }
        if (checkForWFxTrap(cpu, true)) return;
        cpu.pc += 4; // WaitForEvent: no event source, so it completes at once
    }

    /** WFI (C6.2.401): no interrupt is ever pending, so it would wait; trap checks first. */
    static void wfi(Cpu cpu) {
        if (checkForWFxTrap(cpu, false)) return;
        cpu.pc += 4; // WaitForInterrupt: completes at once (spurious wake-up)
    }

    /**
     * AArch64.CheckForWFxTrap for EL1 (from EL0: SCTLR_EL1.nTWx = 0) then EL2 (from EL0/EL1:
     * HCR_EL2.TWx = 1; EL2 is implemented and Non-secure, so always enabled). No EL3. The EL1 trap
     * uses the default route, so HCR_EL2.TGE sends it to EL2. True if an exception was taken.
     */
    static boolean checkForWFxTrap(Cpu cpu, boolean wfe) {
        int iss = WFX_ISS_CV_COND | (wfe ? WFX_ISS_TI_WFE : 0);
        if (cpu.el == 0 && !(wfe ? SCTLR.nTWE : SCTLR.nTWI).isSet(cpu.sys.sctlr[1])) {
            Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.WFX_TRAP, iss, cpu.pc));
            return true;
        }
        if (cpu.el <= 1 && (wfe ? HCR_EL2.TWE : HCR_EL2.TWI).isSet(cpu.sys.hcrEl2)) {
            Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.WFX_TRAP, iss, cpu.pc).to(2));
            return true;
        }
        return false;
    }

    /** CLREX, DSB, DMB, ISB (and the DSB/ISB option values Armv8.0 leaves reserved, which act as SY). */
    public static Op barrier(Encoding e, int w) {
        int op2 = bits(w, 7, 5);
        if (op2 == 0b010) return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) { // CLREX: ClearExclusiveLocal
                cpu.exclusiveAddress = -1;
                cpu.pc += 4;
            }
        };
        return NOP;
    }
}
