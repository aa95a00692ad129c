package dev.debuglab.emulator.cpu.exec;

import static dev.debuglab.emulator.cpu.exec.Instr.bit;
import static dev.debuglab.emulator.cpu.exec.Instr.bits;
import static dev.debuglab.emulator.cpu.exec.Instr.field;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.addWithCarryFlags;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.extendReg;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.logicalFlags;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.shiftReg;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.truncate;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.DecodedOp;
import dev.debuglab.emulator.cpu.Op;
import dev.debuglab.emulator.isa.Encoding;

/**
 * Data processing -- register (Arm ARM C4.1.89): logical and add/subtract (shifted register),
 * add/subtract (extended register), add/subtract with carry, conditional compare, conditional
 * select, data processing (1 source, 2 source, 3 source). Registers are the XZR forms except
 * where a page says SP (Rn and, without S, Rd of the extended-register add/subtract).
 */
public final class DataProcessingRegister {
    private DataProcessingRegister() {}

    /**
     * AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register): operand2 = ShiftReg(Rm, shift,
     * imm6), inverted when N = 1. sf = 0 with imm6<5> = 1 is UNDEFINED. ROR is allowed here.
     */
    public static Op logicalShifted(Encoding e, int w) {
        boolean sf = bit(w, 31), invert = bit(w, 21);
        int opc = bits(w, 30, 29);
        int shift = field(e, w, "shift"), amount = field(e, w, "imm6");
        int m = field(e, w, "Rm"), n = field(e, w, "Rn"), d = field(e, w, "Rd");
        if (!sf && (amount & 0x20) != 0) return null;
        if (sf && !invert && amount == 0 && m != 31 && d != 31) {
            // MOV Xd, Xm (ORR Xd, XZR, Xm): the commonest register move
            if (opc == 0b01 && n == 31) return HotOp.dataProcessing(HotOp.MOV_REG, d, 0, m, 0);
            if (opc != 0b11 && n != 31)
                return HotOp.dataProcessing(opc == 0b00 ? HotOp.AND_REG : opc == 0b01 ? HotOp.ORR_REG : HotOp.EOR_REG, d, n, m, 0);
        }
        if (opc == 0b01 && !invert && n == 31 && amount == 0) return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                cpu.setXreg(d, truncate(cpu.xreg(m), sf));
                cpu.pc += 4;
            }
        };
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                long operand2 = shiftReg(truncate(cpu.xreg(m), sf), shift, amount, sf);
                if (invert) operand2 = ~operand2;
                long operand1 = cpu.xreg(n), result;
                switch (opc) {
                    case 0b00: result = operand1 & operand2; break;
                    case 0b01: result = operand1 | operand2; break;
                    case 0b10: result = operand1 ^ operand2; break;
                    default:
                        result = truncate(operand1 & operand2, sf);
                        cpu.nzcv = logicalFlags(result, sf);
                        break;
                }
                cpu.setXreg(d, truncate(result, sf));
                cpu.pc += 4;
            }
        };
    }

    /**
     * ADD/ADDS/SUB/SUBS (shifted register): operand2 = ShiftReg(Rm, shift, imm6); shift = 0b11
     * and, for sf = 0, imm6<5> = 1 are UNDEFINED. Rd and Rn are XZR forms.
     */
    public static Op addSubShifted(Encoding e, int w) {
        boolean sf = bit(w, 31), sub = bit(w, 30), setFlags = bit(w, 29);
        int shift = field(e, w, "shift"), amount = field(e, w, "imm6");
        int m = field(e, w, "Rm"), n = field(e, w, "Rn"), d = field(e, w, "Rd");
        if (shift == 0b11) return null;
        if (!sf && (amount & 0x20) != 0) return null;
        int carryIn = sub ? 1 : 0;
        if (sf && amount == 0 && n != 31 && m != 31) {
            // ADD/SUB Xd, Xn, Xm; ADDS/SUBS Xd, Xn, Xm and CMN/CMP Xn, Xm (Rd = XZR)
            if (setFlags)
                return HotOp.flagSetting(d != 31 ? HotOp.ADDS_REG : HotOp.CMP_REG, d, n, m, 0, sub ? -1L : 0, carryIn);
            if (d != 31) return HotOp.dataProcessing(sub ? HotOp.SUB_REG : HotOp.ADD_REG, d, n, m, 0);
        }
        if (sf && amount == 0 && !setFlags) {
            // ADD/SUB Xd, Xn, Xm
            if (sub) return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    cpu.setXreg(d, cpu.xreg(n) - cpu.xreg(m));
                    cpu.pc += 4;
                }
            };
            return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    cpu.setXreg(d, cpu.xreg(n) + cpu.xreg(m));
                    cpu.pc += 4;
                }
            };
        }
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                long operand2 = shiftReg(truncate(cpu.xreg(m), sf), shift, amount, sf);
                if (sub) operand2 = ~operand2;
                long operand1 = cpu.xreg(n);
                if (setFlags) cpu.nzcv = addWithCarryFlags(operand1, operand2, carryIn, sf);
                cpu.setXreg(d, truncate(operand1 + operand2 + carryIn, sf));
                cpu.pc += 4;
            }
        };
    }

    /**
     * ADD/ADDS/SUB/SUBS (extended register): operand2 = ExtendReg(Rm, option, imm3); imm3 > 4 is
     * UNDEFINED. Rn is SP-form; Rd is SP-form without S, XZR with S.
     */
    public static Op addSubExtended(Encoding e, int w) {
        boolean sf = bit(w, 31), sub = bit(w, 30), setFlags = bit(w, 29);
        int option = field(e, w, "option"), shift = field(e, w, "imm3");
        int m = field(e, w, "Rm"), n = field(e, w, "Rn"), d = field(e, w, "Rd");
        if (shift > 4) return null;
        int carryIn = sub ? 1 : 0;
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                long operand2 = truncate(extendReg(cpu.xreg(m), option, shift), sf);
                if (sub) operand2 = ~operand2;
                long operand1 = cpu.xregOrSp(n);
                long result = truncate(operand1 + operand2 + carryIn, sf);
                if (setFlags) {
                    cpu.nzcv = addWithCarryFlags(operand1, operand2, carryIn, sf);
                    cpu.setXreg(d, result);
                } else {
                    cpu.setXregOrSp(d, result);
                }
                cpu.pc += 4;
            }
        };
    }

    /** ADC/ADCS/SBC/SBCS: AddWithCarry(X[n], X[m] or NOT(X[m]), PSTATE.C). */
    public static Op addSubCarry(Encoding e, int w) {
        boolean sf = bit(w, 31), sub = bit(w, 30), setFlags = bit(w, 29);
        int m = field(e, w, "Rm"), n = field(e, w, "Rn"), d = field(e, w, "Rd");
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                long operand1 = cpu.xreg(n), operand2 = cpu.xreg(m);
                if (sub) operand2 = ~operand2;
                int carryIn = (cpu.nzcv & Pseudocode.C) != 0 ? 1 : 0;
                if (setFlags) cpu.nzcv = addWithCarryFlags(operand1, operand2, carryIn, sf);
                cpu.setXreg(d, truncate(operand1 + operand2 + carryIn, sf));
                cpu.pc += 4;
            }
        };
    }

    /**
     * CCMN/CCMP (register and immediate): if ConditionHolds(cond), NZCV = AddWithCarry(X[n],
     * operand2 or NOT(operand2), op) flags; otherwise NZCV = the nzcv field.
     */
    public static Op conditionalCompare(Encoding e, int w) {
        boolean sf = bit(w, 31), sub = bit(w, 30), immediate = bit(w, 11);
        int holds = Pseudocode.conditionTable(field(e, w, "cond"));
        int flags = field(e, w, "nzcv"), n = field(e, w, "Rn");
        int m = immediate ? -1 : field(e, w, "Rm");
        long imm = immediate ? field(e, w, "imm5") : 0;
        int carryIn = sub ? 1 : 0;
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                if (((holds >>> cpu.nzcv) & 1) != 0) {
                    long operand2 = immediate ? imm : cpu.xreg(m);
                    if (sub) operand2 = ~operand2;
                    cpu.nzcv = addWithCarryFlags(cpu.xreg(n), operand2, carryIn, sf);
                } else {
                    cpu.nzcv = flags;
                }
                cpu.pc += 4;
            }
        };
    }

    /**
     * CSEL/CSINC/CSINV/CSNEG: Rd = ConditionHolds(cond) ? Rn : Rm, with Rm incremented,
     * inverted or negated per op:o2.
     */
    public static Op conditionalSelect(Encoding e, int w) {
        boolean sf = bit(w, 31), op = bit(w, 30);
        int o2 = bits(w, 11, 10);
        int holds = Pseudocode.conditionTable(field(e, w, "cond"));
        int m = field(e, w, "Rm"), n = field(e, w, "Rn"), d = field(e, w, "Rd");
        int variant = (op ? 2 : 0) | (o2 & 1); // 0 CSEL, 1 CSINC, 2 CSINV, 3 CSNEG
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                long result;
                if (((holds >>> cpu.nzcv) & 1) != 0) {
                    result = cpu.xreg(n);
                } else {
                    long v = cpu.xreg(m);
                    switch (variant) {
                        case 0: result = v; break;
                        case 1: result = v + 1; break;
                        case 2: result = ~v; break;
                        default: result = -v; break;
                    }
                }
                cpu.setXreg(d, truncate(result, sf));
                cpu.pc += 4;
            }
        };
    }

    /** RBIT, REV16, REV32, REV, CLZ, CLS (data processing, 1 source). */
    public static Op oneSource(Encoding e, int w) {
        boolean sf = bit(w, 31);
        int opcode = bits(w, 15, 10);
        int n = field(e, w, "Rn"), d = field(e, w, "Rd");
        switch (opcode) {
            case 0b000000: // RBIT
                return sf ? unary(n, d, Long::reverse) : unary(n, d, v -> Integer.reverse((int) v) & 0xFFFFFFFFL);
            case 0b000001: // REV16: bytes swapped within each halfword
                return sf ? unary(n, d, DataProcessingRegister::rev16)
                        : unary(n, d, v -> rev16(v) & 0xFFFFFFFFL);
            case 0b000010: // REV (32-bit) / REV32: bytes swapped within each word
                return sf ? unary(n, d, v -> (Integer.reverseBytes((int) (v >>> 32)) & 0xFFFFFFFFL) << 32
                        | (Integer.reverseBytes((int) v) & 0xFFFFFFFFL))
                        : unary(n, d, v -> Integer.reverseBytes((int) v) & 0xFFFFFFFFL);
            case 0b000011: // REV (64-bit); sf = 0 has no row
                return sf ? unary(n, d, Long::reverseBytes) : null;
            case 0b000100: // CLZ
                return sf ? unary(n, d, v -> Long.numberOfLeadingZeros(v))
                        : unary(n, d, v -> Integer.numberOfLeadingZeros((int) v));
            case 0b000101: // CLS: CountLeadingSignBits = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>)
                return sf ? unary(n, d, v -> Long.numberOfLeadingZeros((v ^ (v << 1)) | 1L) )
                        : unary(n, d, v -> Integer.numberOfLeadingZeros(((int) v ^ ((int) v << 1)) | 1));
            default:
                return null;
        }
    }

    private interface Unary {
        long apply(long v);
    }

    private static Op unary(int n, int d, Unary f) {
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                cpu.setXreg(d, f.apply(cpu.xreg(n)));
                cpu.pc += 4;
            }
        };
    }

    private static long rev16(long v) {
        return ((v & 0x00FF00FF00FF00FFL) << 8) | ((v >>> 8) & 0x00FF00FF00FF00FFL);
    }

    /**
     * UDIV, SDIV (integer division rounding toward zero; division by zero gives 0 and SDIV of the
     * most negative value by -1 gives that value back, Arm ARM C6.2 SDIV), LSLV, LSRV, ASRV, RORV
     * (shift amount = Rm MOD datasize).
     */
    public static Op twoSource(Encoding e, int w) {
        boolean sf = bit(w, 31);
        int opcode = bits(w, 15, 10);
        int m = field(e, w, "Rm"), n = field(e, w, "Rn"), d = field(e, w, "Rd");
        switch (opcode) {
            case 0b000010: // UDIV
                return sf ? binary(m, n, d, (a, b) -> b == 0 ? 0 : Long.divideUnsigned(a, b))
                        : binary(m, n, d, (a, b) -> (b & 0xFFFFFFFFL) == 0 ? 0
                        : (a & 0xFFFFFFFFL) / (b & 0xFFFFFFFFL));
            case 0b000011: // SDIV: Java's division already truncates and wraps MIN / -1 to MIN
                return sf ? binary(m, n, d, (a, b) -> b == 0 ? 0 : a / b)
                        : binary(m, n, d, (a, b) -> (int) b == 0 ? 0 : ((int) a / (int) b) & 0xFFFFFFFFL);
            case 0b001000: case 0b001001: case 0b001010: case 0b001011: {
                int type = opcode & 3; // LSL, LSR, ASR, ROR
                int widthMask = sf ? 63 : 31;
                return binary(m, n, d, (a, b) -> shiftReg(truncate(a, sf), type, (int) b & widthMask, sf));
            }
            default:
                return null;
        }
    }

    private interface Binary {
        long apply(long operand1, long operand2);
    }

    private static Op binary(int m, int n, int d, Binary f) {
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                cpu.setXreg(d, f.apply(cpu.xreg(n), cpu.xreg(m)));
                cpu.pc += 4;
            }
        };
    }

    /**
     * MADD, MSUB, SMADDL, SMSUBL, SMULH, UMADDL, UMSUBL, UMULH (data processing, 3 source). The
     * long forms multiply the sign- or zero-extended W registers; the high forms return bits
     * [127:64] of the 128-bit product (Ra is ignored).
     */
    public static Op threeSource(Encoding e, int w) {
        boolean sf = bit(w, 31), o0 = bit(w, 15);
        int op31 = bits(w, 23, 21);
        int m = field(e, w, "Rm"), a = field(e, w, "Ra"), n = field(e, w, "Rn"), d = field(e, w, "Rd");
        switch (op31) {
            case 0b000: // MADD / MSUB
                if (o0) return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        cpu.setXreg(d, truncate(cpu.xreg(a) - cpu.xreg(n) * cpu.xreg(m), sf));
                        cpu.pc += 4;
                    }
                };
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        cpu.setXreg(d, truncate(cpu.xreg(a) + cpu.xreg(n) * cpu.xreg(m), sf));
                        cpu.pc += 4;
                    }
                };
            case 0b001: // SMADDL / SMSUBL
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        long product = (long) (int) cpu.xreg(n) * (int) cpu.xreg(m);
                        cpu.setXreg(d, o0 ? cpu.xreg(a) - product : cpu.xreg(a) + product);
                        cpu.pc += 4;
                    }
                };
            case 0b101: // UMADDL / UMSUBL
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        long product = (cpu.xreg(n) & 0xFFFFFFFFL) * (cpu.xreg(m) & 0xFFFFFFFFL);
                        cpu.setXreg(d, o0 ? cpu.xreg(a) - product : cpu.xreg(a) + product);
                        cpu.pc += 4;
                    }
                };
            case 0b010: // SMULH
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        cpu.setXreg(d, Math.multiplyHigh(cpu.xreg(n), cpu.xreg(m)));
                        cpu.pc += 4;
                    }
                };
            case 0b110: // UMULH
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        cpu.setXreg(d, Pseudocode.unsignedMultiplyHigh(cpu.xreg(n), cpu.xreg(m)));
                        cpu.pc += 4;
                    }
                };
            default:
                return null;
        }
    }
}
