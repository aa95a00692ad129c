package dev.debuglab.emulator.cpu.exec;

import static dev.debuglab.emulator.cpu.exec.Instr.bit;
import static dev.debuglab.emulator.cpu.exec.Instr.bits;
import static dev.debuglab.emulator.cpu.exec.Instr.field;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.signExtend;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.DecodedOp;
import dev.debuglab.emulator.cpu.Op;
import dev.debuglab.emulator.isa.Encoding;

/**
 * Branches (Arm ARM C4.1.87, pages C6.2): unconditional immediate (B, BL), conditional (B.cond),
 * compare and branch (CBZ, CBNZ), test and branch (TBZ, TBNZ), unconditional register (BR, BLR,
 * RET). A branch to a misaligned target is not a fault here: the PC alignment fault is raised by
 * the fetch of the next instruction (architecture.md §9, order 2).
 */
public final class Branches {
    private Branches() {}

    /** B / BL: PC + SignExtend(imm26:'00'); BL writes PC + 4 to X30 (C6.2.26, C6.2.34). */
    public static Op branchImmediate(Encoding e, int w) {
        long offset = signExtend((long) field(e, w, "imm26") << 2, 28);
        return HotOp.branch(bit(w, 31) ? HotOp.BL : HotOp.B, 0, offset);
    }

    /** B.cond: branch to PC + SignExtend(imm19:'00') if ConditionHolds(cond) (C6.2.25). */
    public static Op branchConditional(Encoding e, int w) {
        long offset = signExtend((long) field(e, w, "imm19") << 2, 21);
        int holds = Pseudocode.conditionTable(field(e, w, "cond"));
        return HotOp.branchConditional(holds, offset);
    }

    /** CBZ / CBNZ: compare W/X[t] with zero (C6.2.47, C6.2.46). */
    public static Op compareAndBranch(Encoding e, int w) {
        boolean sf = bit(w, 31), nonzero = bit(w, 24);
        int t = field(e, w, "Rt");
        long offset = signExtend((long) field(e, w, "imm19") << 2, 21);
        long mask = sf ? -1L : 0xFFFFFFFFL;
        if (t != 31) return HotOp.compareAndBranch(t, nonzero, mask, offset);
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                cpu.pc += ((cpu.xreg(t) & mask) != 0) == nonzero ? offset : 4;
            }
        };
    }

    /** TBZ / TBNZ: test bit b5:b40 of X[t] (C6.2.370, C6.2.369). */
    public static Op testAndBranch(Encoding e, int w) {
        int bitPos = (field(e, w, "b5") << 5) | field(e, w, "b40");
        boolean op = bit(w, 24);
        int t = field(e, w, "Rt");
        long offset = signExtend((long) field(e, w, "imm14") << 2, 16);
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                cpu.pc += (((cpu.xreg(t) >>> bitPos) & 1) != 0) == op ? offset : 4;
            }
        };
    }

    /**
     * BR / BLR / RET (C6.2.38, C6.2.35, C6.2.219): the target is read before BLR writes X30, so
     * {@code BLR X30} branches to the old X30.
     */
    public static Op branchRegister(Encoding e, int w) {
        int n = field(e, w, "Rn");
        int opc = bits(w, 24, 21);
        if (opc == 0b0001) return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                long target = cpu.xreg(n);
                cpu.x[30] = cpu.pc + 4;
                cpu.pc = target;
            }
        };
        if (n != 31) return HotOp.branch(HotOp.BR, n, 0);
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                cpu.pc = cpu.xreg(n);
            }
        };
    }
}
