package dev.debuglab.emulator.cpu.exec;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.DecodedOp;

/**
 * The commonest integer forms, predecoded to plain data ({@link #form} and operands) instead of
 * a class per instruction, so that the interpreter's block loop runs them inline through a
 * {@code switch} ({@link #compute}, {@link #branch}) rather than through a virtual call that the
 * JIT cannot inline (the call site sees every op class: megamorphic). Each form is the special
 * case of an execute routine in this package whose decode half chose it; the general routine
 * still covers every other case. The forms avoid register 31 wherever it would mean SP or XZR,
 * so they read and write {@code cpu.x} directly. They never take an exception.
 *
 * <p>{@link #step} takes and returns the PC, so that a block can keep it in a local variable
 * between instructions; each form's {@link #execute} does the same on {@code cpu.pc}.
 */
public abstract class HotOp extends DecodedOp {
    // Data processing: always complete, next PC = PC + 4.
    /** ADD/SUB Xd, Xn, #imm: X[d] = X[n] + imm (imm negated for SUB). */
    static final int ADD_IMM = 0;
    /** ADDS/SUBS Xd, Xn, #imm: AddWithCarry(X[n], imm, carry) (imm inverted for SUBS). */
    static final int ADDS_IMM = 1;
    /** CMN/CMP Xn, #imm: ADDS/SUBS with Rd = XZR, only NZCV is written. */
    static final int CMP_IMM = 2;
    /** ADD Xd, Xn, Xm. */
    static final int ADD_REG = 3;
    /** SUB Xd, Xn, Xm. */
    static final int SUB_REG = 4;
    /** ADDS/SUBS Xd, Xn, Xm: AddWithCarry(X[n], X[m] EOR mask, carry) (mask = ones for SUBS). */
    static final int ADDS_REG = 5;
    /** CMN/CMP Xn, Xm: ADDS/SUBS with Rd = XZR. */
    static final int CMP_REG = 6;
    /** AND Xd, Xn, Xm. */
    static final int AND_REG = 7;
    /** ORR Xd, Xn, Xm. */
    static final int ORR_REG = 8;
    /** EOR Xd, Xn, Xm. */
    static final int EOR_REG = 9;
    /** MOV Xd, Xm (ORR Xd, XZR, Xm). */
    static final int MOV_REG = 10;
    /** MOVZ/MOVN Xd|Wd, #imm: X[d] = the precomputed value. */
    static final int MOV_IMM = 11;
    // Branches: end a block.
    /** B label. */
    static final int B = 12;
    /** BL label: X30 = PC + 4. */
    static final int BL = 13;
    /** B.cond label: taken if bit NZCV of the condition's truth table ({@link #holds}) is set. */
    static final int B_COND = 14;
    /** CBZ/CBNZ Xt|Wt, label: taken if ((X[n] AND mask) != 0) == nonzero. */
    static final int CBZ = 15;
    /** BR Xn / RET Xn: PC = X[n]. */
    static final int BR = 16;

    final int form, d, n, m;
    /** ADDS/SUBS carry-in; CBZ/CBNZ: 1 for CBNZ; B.cond: the ConditionHolds truth table by NZCV. */
    final int carry, holds;
    /** The immediate, the precomputed value, or the branch offset. */
    final long imm;
    /** ADDS_REG/CMP_REG: operand-2 inversion mask; CBZ: datasize mask. */
    final long mask;

    private HotOp(int form, int d, int n, int m, int carry, int holds, long imm, long mask) {
        this.form = form;
        this.d = d;
        this.n = n;
        this.m = m;
        this.carry = carry;
        this.holds = holds;
        this.imm = imm;
        this.mask = mask;
    }

    /*
     * Each form also has its own execute, the plain code of that one instruction: the
     * one-instruction loop (under debug, or single-stepping) calls it through the same virtual
     * call as any other op, without going through the form switch. BasicBlockTest runs random
     * programs both ways and compares, which keeps the two in step.
     */

    static HotOp dataProcessing(int form, int d, int n, int m, long imm) {
        switch (form) {
            case ADD_IMM: return new HotOp(form, d, n, m, 0, 0, imm, 0) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.x[d] = cpu.x[n] + imm;
                    cpu.pc += 4;
                }
            };
            case ADD_REG: return new HotOp(form, d, n, m, 0, 0, imm, 0) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.x[d] = cpu.x[n] + cpu.x[m];
                    cpu.pc += 4;
                }
            };
            case SUB_REG: return new HotOp(form, d, n, m, 0, 0, imm, 0) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.x[d] = cpu.x[n] - cpu.x[m];
                    cpu.pc += 4;
                }
            };
            case AND_REG: return new HotOp(form, d, n, m, 0, 0, imm, 0) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.x[d] = cpu.x[n] & cpu.x[m];
                    cpu.pc += 4;
                }
            };
            case ORR_REG: return new HotOp(form, d, n, m, 0, 0, imm, 0) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.x[d] = cpu.x[n] | cpu.x[m];
                    cpu.pc += 4;
                }
            };
            case EOR_REG: return new HotOp(form, d, n, m, 0, 0, imm, 0) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.x[d] = cpu.x[n] ^ cpu.x[m];
                    cpu.pc += 4;
                }
            };
            case MOV_REG: return new HotOp(form, d, n, m, 0, 0, imm, 0) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.x[d] = cpu.x[m];
                    cpu.pc += 4;
                }
            };
            case MOV_IMM: return new HotOp(form, d, n, m, 0, 0, imm, 0) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.x[d] = imm;
                    cpu.pc += 4;
                }
            };
            default: throw new IllegalArgumentException("not a data-processing form: " + form);
        }
    }

    /** ADDS/SUBS/CMN/CMP: {@code operand2} and {@code carry} as AddWithCarry takes them. */
    static HotOp flagSetting(int form, int d, int n, int m, long operand2, long mask, int carry) {
        switch (form) {
            case ADDS_IMM: return new HotOp(form, d, n, m, carry, 0, operand2, mask) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.x[d] = addWithCarry(cpu, cpu.x[n], imm, carry);
                    cpu.pc += 4;
                }
            };
            case CMP_IMM: return new HotOp(form, d, n, m, carry, 0, operand2, mask) {
                @Override
                public void execute(Cpu cpu) {
                    addWithCarry(cpu, cpu.x[n], imm, carry);
                    cpu.pc += 4;
                }
            };
            case ADDS_REG: return new HotOp(form, d, n, m, carry, 0, operand2, mask) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.x[d] = addWithCarry(cpu, cpu.x[n], cpu.x[m] ^ mask, carry);
                    cpu.pc += 4;
                }
            };
            case CMP_REG: return new HotOp(form, d, n, m, carry, 0, operand2, mask) {
                @Override
                public void execute(Cpu cpu) {
                    addWithCarry(cpu, cpu.x[n], cpu.x[m] ^ mask, carry);
                    cpu.pc += 4;
                }
            };
            default: throw new IllegalArgumentException("not a flag-setting form: " + form);
        }
    }

    /** B, BL (X30 = PC + 4), BR/RET ({@code n} = the target register). */
    static HotOp branch(int form, int n, long offset) {
        switch (form) {
            case B: return new HotOp(form, 0, n, 0, 0, 0, offset, 0) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.pc += imm;
                }
            };
            case BL: return new HotOp(form, 0, n, 0, 0, 0, offset, 0) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.x[30] = cpu.pc + 4;
                    cpu.pc += imm;
                }
            };
            case BR: return new HotOp(form, 0, n, 0, 0, 0, offset, 0) {
                @Override
                public void execute(Cpu cpu) {
                    cpu.pc = cpu.x[n];
                }
            };
            default: throw new IllegalArgumentException("not an unconditional branch form: " + form);
        }
    }

    static HotOp branchConditional(int holds, long offset) {
        return new HotOp(B_COND, 0, 0, 0, 0, holds, offset, 0) {
            @Override
            public void execute(Cpu cpu) {
                cpu.pc += ((holds >>> cpu.nzcv) & 1) != 0 ? imm : 4;
            }
        };
    }

    static HotOp compareAndBranch(int t, boolean nonzero, long mask, long offset) {
        return new HotOp(CBZ, 0, t, 0, nonzero ? 1 : 0, 0, offset, mask) {
            @Override
            public void execute(Cpu cpu) {
                cpu.pc += ((cpu.x[n] & mask) != 0) == (carry != 0) ? imm : 4;
            }
        };
    }

    /** True for the data-processing forms, which always fall through to PC + 4. */
    public final boolean isStraight() {
        return form < B;
    }

    /** Executes this instruction at {@code pc}; returns the next PC. */
    public final long step(Cpu cpu, long pc) {
        if (isStraight()) {
            compute(cpu);
            return pc + 4;
        }
        return branch(cpu, pc);
    }

    /*
     * compute and branch stay under the JIT's inlining limit for hot methods (325 bytecodes), so
     * that they inline into the block loop. The operands are read once up front: X[n] and X[m]
     * are read even by the forms that do not use them, which has no effect.
     */

    /** A data-processing form ({@link #isStraight}): its effect on the registers and NZCV. */
    public final void compute(Cpu cpu) {
        long[] x = cpu.x;
        long a = x[n], b = x[m], imm = this.imm;
        switch (form) {
            case ADD_IMM: x[d] = a + imm; break;
            case ADDS_IMM: x[d] = addWithCarry(cpu, a, imm, carry); break;
            case CMP_IMM: addWithCarry(cpu, a, imm, carry); break;
            case ADD_REG: x[d] = a + b; break;
            case SUB_REG: x[d] = a - b; break;
            case ADDS_REG: x[d] = addWithCarry(cpu, a, b ^ mask, carry); break;
            case CMP_REG: addWithCarry(cpu, a, b ^ mask, carry); break;
            case AND_REG: x[d] = a & b; break;
            case ORR_REG: x[d] = a | b; break;
            case EOR_REG: x[d] = a ^ b; break;
            case MOV_REG: x[d] = b; break;
            default: x[d] = imm; break; // MOV_IMM
        }
    }

    /** A branch form (not {@link #isStraight}) at {@code pc}: returns the next PC. */
    public final long branch(Cpu cpu, long pc) {
        long[] x = cpu.x;
        switch (form) {
            case B: return pc + imm;
            case BL: x[30] = pc + 4; return pc + imm;
            case B_COND: return ((holds >>> cpu.nzcv) & 1) != 0 ? pc + imm : pc + 4;
            case CBZ: return ((x[n] & mask) != 0) == (carry != 0) ? pc + imm : pc + 4;
            default: return x[n]; // BR
        }
    }

    /** AddWithCarry (64-bit): sets NZCV, returns the sum. */
    private static long addWithCarry(Cpu cpu, long x, long y, int carryIn) {
        cpu.nzcv = Pseudocode.addWithCarryFlags64(x, y, carryIn);
        return x + y + carryIn;
    }
}
