package dev.debuglab.emulator.cpu.exec;

import static dev.debuglab.emulator.cpu.exec.Instr.bit;
import static dev.debuglab.emulator.cpu.exec.Instr.bits;
import static dev.debuglab.emulator.cpu.exec.Instr.field;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.addWithCarryFlags;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.logicalFlags;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.signExtend;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.truncate;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.DecodedOp;
import dev.debuglab.emulator.cpu.Op;
import dev.debuglab.emulator.isa.BitMasks;
import dev.debuglab.emulator.isa.Encoding;

/**
 * Data processing -- immediate (Arm ARM C4.1.86, instruction pages C6.2): PC-relative addressing,
 * add/subtract (immediate), logical (immediate), move wide, bitfield, extract. Each
 * {@code predecode} method runs the encoding's decode pseudocode once (reserved values become
 * UNDEFINED there) and returns an op holding the decoded operands.
 */
public final class DataProcessingImmediate {
    private DataProcessingImmediate() {}

    /** ADR: X[d] = PC + SignExtend(immhi:immlo, 64) (C6.2.10). */
    public static Op adr(Encoding e, int w) {
        int d = field(e, w, "Rd");
        long imm = signExtend(((long) field(e, w, "immhi") << 2) | field(e, w, "immlo"), 21);
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                cpu.setXreg(d, cpu.pc + imm);
                cpu.pc += 4;
            }
        };
    }

    /** ADRP: X[d] = PC<63:12>:Zeros(12) + SignExtend(immhi:immlo:Zeros(12), 64) (C6.2.11). */
    public static Op adrp(Encoding e, int w) {
        int d = field(e, w, "Rd");
        long imm = signExtend(((long) field(e, w, "immhi") << 2) | field(e, w, "immlo"), 21) << 12;
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                cpu.setXreg(d, (cpu.pc & ~0xFFFL) + imm);
                cpu.pc += 4;
            }
        };
    }

    /**
     * ADD/ADDS/SUB/SUBS (immediate) (C6.2.4, C6.2.8, C6.2.356, C6.2.362): Rn may be SP; Rd is SP
     * for ADD/SUB and XZR for the flag-setting forms. sub: AddWithCarry(X[n], NOT(imm), 1).
     */
    public static Op addSubImmediate(Encoding e, int w) {
        boolean sf = bit(w, 31), op = bit(w, 30), s = bit(w, 29);
        int n = field(e, w, "Rn"), d = field(e, w, "Rd");
        long imm = field(e, w, "imm12");
        if (field(e, w, "sh") == 1) imm <<= 12;
        long operand2 = op ? ~imm : imm;
        int carryIn = op ? 1 : 0;
        if (!s) {
            // The hot forms: ADD/SUB Xd|SP, Xn|SP, #imm (also MOV to/from SP).
            long addend = op ? -imm : imm;
            if (sf) {
                if (n != 31 && d != 31) return HotOp.dataProcessing(HotOp.ADD_IMM, d, n, 0, addend);
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        cpu.setXregOrSp(d, cpu.xregOrSp(n) + addend);
                        cpu.pc += 4;
                    }
                };
            }
            return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    cpu.setXregOrSp(d, (cpu.xregOrSp(n) + addend) & 0xFFFFFFFFL);
                    cpu.pc += 4;
                }
            };
        }
        if (sf && n != 31) // ADDS/SUBS Xd, Xn, #imm, and CMN/CMP Xn, #imm (Rd = XZR)
            return HotOp.flagSetting(d != 31 ? HotOp.ADDS_IMM : HotOp.CMP_IMM, d, n, 0, operand2, 0, carryIn);
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                long x = cpu.xregOrSp(n);
                cpu.setXreg(d, truncate(x + operand2 + carryIn, sf));
                cpu.nzcv = addWithCarryFlags(x, operand2, carryIn, sf);
                cpu.pc += 4;
            }
        };
    }

    /**
     * AND/ORR/EOR/ANDS (immediate) (C6.2.12, C6.2.205, C6.2.102, C6.2.14): the immediate is
     * DecodeBitMasks(N, imms, immr, TRUE); sf = 0 with N = 1 and reserved bitmasks are UNDEFINED.
     * Rd is SP except for ANDS (XZR).
     */
    public static Op logicalImmediate(Encoding e, int w) {
        boolean sf = bit(w, 31);
        int opc = bits(w, 30, 29);
        int immN = field(e, w, "N"), n = field(e, w, "Rn"), d = field(e, w, "Rd");
        if (!sf && immN == 1) return null;
        long[] masks = BitMasks.decodeBitMasks(immN, field(e, w, "imms"), field(e, w, "immr"), true, sf ? 64 : 32);
        if (masks == BitMasks.RESERVED) return null;
        long imm = masks[0];
        switch (opc) {
            case 0b00: return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    cpu.setXregOrSp(d, cpu.xreg(n) & imm);
                    cpu.pc += 4;
                }
            };
            case 0b01: return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    cpu.setXregOrSp(d, truncate(cpu.xreg(n) | imm, sf));
                    cpu.pc += 4;
                }
            };
            case 0b10: return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    cpu.setXregOrSp(d, truncate(cpu.xreg(n) ^ imm, sf));
                    cpu.pc += 4;
                }
            };
            default: return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    long r = cpu.xreg(n) & imm;
                    cpu.setXreg(d, r);
                    cpu.nzcv = logicalFlags(r, sf);
                    cpu.pc += 4;
                }
            };
        }
    }

    /**
     * MOVN/MOVZ/MOVK (C6.2.192-194): imm16 placed at hw*16; sf = 0 with hw<1> = 1 is UNDEFINED.
     * opc = 01 is unallocated (no row).
     */
    public static Op moveWide(Encoding e, int w) {
        boolean sf = bit(w, 31);
        int opc = bits(w, 30, 29), hw = field(e, w, "hw"), d = field(e, w, "Rd");
        if (!sf && (hw & 2) != 0) return null;
        int pos = hw << 4;
        long imm = (long) field(e, w, "imm16") << pos;
        switch (opc) {
            case 0b00: { // MOVN
                long v = truncate(~imm, sf);
                if (d != 31) return HotOp.dataProcessing(HotOp.MOV_IMM, d, 0, 0, v);
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        cpu.setXreg(d, v);
                        cpu.pc += 4;
                    }
                };
            }
            case 0b10: // MOVZ
                if (d != 31) return HotOp.dataProcessing(HotOp.MOV_IMM, d, 0, 0, imm);
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        cpu.setXreg(d, imm);
                        cpu.pc += 4;
                    }
                };
            default: { // MOVK: keep the other bits of Rd
                long keep = ~(0xFFFFL << pos);
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        cpu.setXreg(d, truncate((cpu.xreg(d) & keep) | imm, sf));
                        cpu.pc += 4;
                    }
                };
            }
        }
    }

    /**
     * SBFM/BFM/UBFM (C6.2.245, C6.2.29, C6.2.382): DecodeBitMasks(N, imms, immr, FALSE) gives
     * wmask/tmask; sf must equal N, and for sf = 0 immr<5> and imms<5> must be 0 (else UNDEFINED).
     * Execution follows the pseudocode: bot = ROR(src, R) AND wmask (merged into Rd for BFM),
     * top = Replicate(src<S>) for SBFM, Rd for BFM, zero for UBFM; result = (top AND NOT tmask)
     * OR (bot AND tmask).
     */
    public static Op bitfield(Encoding e, int w) {
        boolean sf = bit(w, 31);
        int opc = bits(w, 30, 29);
        int immN = field(e, w, "N"), immr = field(e, w, "immr"), imms = field(e, w, "imms");
        int n = field(e, w, "Rn"), d = field(e, w, "Rd");
        if (sf && immN != 1) return null;
        if (!sf && (immN != 0 || (immr & 0x20) != 0 || (imms & 0x20) != 0)) return null;
        long[] masks = BitMasks.decodeBitMasks(immN, imms, immr, false, sf ? 64 : 32);
        if (masks == BitMasks.RESERVED) return null;
        long wmask = masks[0], tmask = masks[1];
        int r = immr, topBit = imms;
        switch (opc) {
            case 0b00: { // SBFM
                if (sf && imms == 63 && r != 0) { // ASR Xd, Xn, #r
                    return new DecodedOp() {
                        @Override
                        public void execute(Cpu cpu) {
                            cpu.setXreg(d, cpu.xreg(n) >> r);
                            cpu.pc += 4;
                        }
                    };
                }
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        long src = cpu.xreg(n);
                        long bot = Pseudocode.ror(truncate(src, sf), r, sf) & wmask;
                        long top = ((src >>> topBit) & 1) != 0 ? -1L : 0L;
                        cpu.setXreg(d, truncate((top & ~tmask) | (bot & tmask), sf));
                        cpu.pc += 4;
                    }
                };
            }
            case 0b01: // BFM
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        long src = cpu.xreg(n), dst = cpu.xreg(d);
                        long bot = (dst & ~wmask) | (Pseudocode.ror(truncate(src, sf), r, sf) & wmask);
                        cpu.setXreg(d, truncate((dst & ~tmask) | (bot & tmask), sf));
                        cpu.pc += 4;
                    }
                };
            case 0b10: { // UBFM
                long both = wmask & tmask;
                return new DecodedOp() {
                    @Override
                    public void execute(Cpu cpu) {
                        cpu.setXreg(d, Pseudocode.ror(truncate(cpu.xreg(n), sf), r, sf) & both);
                        cpu.pc += 4;
                    }
                };
            }
            default:
                return null; // opc = 11 is unallocated (no row)
        }
    }

    /**
     * EXTR (C6.2.103): result = (X[n]:X[m])<lsb+datasize-1:lsb>. N must equal sf and, for sf = 0,
     * imms<5> must be 0 (else UNDEFINED).
     */
    public static Op extract(Encoding e, int w) {
        boolean sf = bit(w, 31);
        int immN = field(e, w, "N"), lsb = field(e, w, "imms");
        int m = field(e, w, "Rm"), n = field(e, w, "Rn"), d = field(e, w, "Rd");
        if ((sf ? 1 : 0) != immN) return null;
        if (!sf && (lsb & 0x20) != 0) return null;
        if (sf) {
            return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    long lo = cpu.xreg(m), hi = cpu.xreg(n);
                    cpu.setXreg(d, lsb == 0 ? lo : (lo >>> lsb) | (hi << (64 - lsb)));
                    cpu.pc += 4;
                }
            };
        }
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                long concat = (cpu.xreg(n) << 32) | (cpu.xreg(m) & 0xFFFFFFFFL);
                cpu.setXreg(d, (concat >>> lsb) & 0xFFFFFFFFL);
                cpu.pc += 4;
            }
        };
    }
}
