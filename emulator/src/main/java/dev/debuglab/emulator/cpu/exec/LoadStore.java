package dev.debuglab.emulator.cpu.exec;

import static dev.debuglab.emulator.cpu.exec.Instr.bit;
import static dev.debuglab.emulator.cpu.exec.Instr.bits;
import static dev.debuglab.emulator.cpu.exec.Instr.field;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.extendReg;
import static dev.debuglab.emulator.cpu.exec.Pseudocode.signExtend;

import dev.debuglab.emulator.arch.DataAccess;
import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.DecodedOp;
import dev.debuglab.emulator.cpu.Op;
import dev.debuglab.emulator.isa.Encoding;

/**
 * Loads and stores (Arm ARM C4.1.88): single register with unscaled/pre/post/unprivileged
 * immediate, unsigned scaled immediate and register offset; literal; pairs (incl. LDPSW and the
 * no-allocate pairs); exclusive and load-acquire/store-release forms. PRFM/PRFUM are no-ops
 * (a prefetch never faults).
 *
 * <p>Every access goes through {@link DataAccess}, so alignment, watchpoints and aborts apply;
 * when an access takes an exception the routine returns at once with no register or memory
 * written. Instructions that touch several locations check their whole footprint first.
 *
 * <p>CONSTRAINED UNPREDICTABLE choices (Arm ARM K1.2), matching QEMU TCG where it has one:
 * <ul>
 *   <li>Load with writeback and Rn == Rt (Unpredictable_WBOVERLAPLD): Constraint_UNKNOWN with the
 *       UNKNOWN value being the written-back address (the register is loaded, then written back).</li>
 *   <li>Store with writeback and Rn == Rt (Unpredictable_WBOVERLAPST): Constraint_NONE, the
 *       value stored is Rt before the writeback.</li>
 *   <li>LDP with Rt == Rt2 (Unpredictable_LDPOVERLAP): Constraint_UNKNOWN, the register receives
 *       the first element; LDXP/LDAXP with Rt == Rt2: it receives the second element.</li>
 *   <li>STXR/STXP with Rs == Rt, Rt2 or Rn (Unpredictable_DATAOVERLAP, _BASEOVERLAP):
 *       Constraint_NONE, the data and address are read before the status is written.</li>
 *   <li>LDAR/STLR/LDXR... with the should-be-one fields (Rs, Rt2) not all ones: executed as if
 *       they were.</li>
 * </ul>
 */
public final class LoadStore {
    private LoadStore() {}

    private static final int LOAD = DataAccess.LOAD, STORE = DataAccess.STORE;

    /** CheckSPAlignment, with SP as the base register (the arch layer's rule; false if the fault was taken). */
    static boolean checkSPAlignment(Cpu cpu) {
        return DataAccess.checkSpAlignment(cpu, cpu.currentSp());
    }

    // --- single register --------------------------------------------------------------------------

    /**
     * The memory operation a (size, opc) pair encodes in the single-register classes (the shared
     * decode of LDR/STR (immediate, register)): a store, a load zero-extended into a W or X
     * register, a sign-extending load into W or X, or a prefetch. Null if reserved.
     */
    private record Access(boolean store, boolean prefetch, boolean signed, boolean regsize64, int bytes) {}

    private static Access access(int size, int opc) {
        int bytes = 1 << size;
        if ((opc & 2) == 0) { // STR / LDR (zero-extending)
            return new Access(opc == 0, false, false, size == 3, bytes);
        }
        if (size == 3) return opc == 2 ? new Access(false, true, false, true, 8) : null; // PRFM; 11 11 reserved
        if (size == 2 && (opc & 1) == 1) return null; // LDRSW into W: reserved
        return new Access(false, false, true, (opc & 1) == 0, bytes);
    }

    /** Extends loaded data: sign-extension from the access size, then truncation to regsize. */
    private static long extend(long data, Access a) {
        long v = a.signed ? signExtend(data, a.bytes * 8) : data;
        return a.regsize64 ? v : v & 0xFFFFFFFFL;
    }

    /** LDR/STR family with a 9-bit signed immediate: unscaled (LDUR), post-, pre-index, unprivileged (LDTR). */
    public static Op immediate9(Encoding e, int w) {
        Access a = access(bits(w, 31, 30), bits(w, 23, 22));
        if (a == null) return null;
        if (a.prefetch) return Hints.NOP;
        int idx = bits(w, 11, 10);
        long imm = signExtend(field(e, w, "imm9"), 9);
        boolean wback = idx == 0b01 || idx == 0b11, postIndex = idx == 0b01;
        int flags = (a.store ? STORE : LOAD) | (idx == 0b10 ? DataAccess.UNPRIVILEGED : 0);
        return single(a, field(e, w, "Rn"), field(e, w, "Rt"), imm, wback, postIndex, flags);
    }

    /** LDR/STR family with an unsigned 12-bit immediate scaled by the access size. */
    public static Op unsignedImmediate(Encoding e, int w) {
        int size = bits(w, 31, 30);
        Access a = access(size, bits(w, 23, 22));
        if (a == null) return null;
        if (a.prefetch) return Hints.NOP;
        long offset = (long) field(e, w, "imm12") << size;
        return single(a, field(e, w, "Rn"), field(e, w, "Rt"), offset, false, false, a.store ? STORE : LOAD);
    }

    private static Op single(Access a, int n, int t, long offset, boolean wback, boolean postIndex, int flags) {
        int bytes = a.bytes;
        if (a.store) {
            if (!wback && n != 31) return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) { // STR Xt, [Xn, #imm]
                    DataAccess.write(cpu, cpu.x[n] + offset, bytes, cpu.xreg(t), flags);
                    if (!cpu.exceptionTaken) cpu.pc += 4;
                }
            };
            return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    if (n == 31 && !checkSPAlignment(cpu)) return;
                    long base = cpu.xregOrSp(n);
                    long address = postIndex ? base : base + offset;
                    DataAccess.write(cpu, address, bytes, cpu.xreg(t), flags);
                    if (cpu.exceptionTaken) return;
                    if (wback) cpu.setXregOrSp(n, postIndex ? address + offset : address);
                    cpu.pc += 4;
                }
            };
        }
        if (!wback && n != 31 && !a.signed) { // LDR Wt/Xt, [Xn, #imm]
            return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    long data = DataAccess.read(cpu, cpu.x[n] + offset, bytes, flags);
                    if (cpu.exceptionTaken) return;
                    cpu.setXreg(t, data);
                    cpu.pc += 4;
                }
            };
        }
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                if (n == 31 && !checkSPAlignment(cpu)) return;
                long base = cpu.xregOrSp(n);
                long address = postIndex ? base : base + offset;
                long data = DataAccess.read(cpu, address, bytes, flags);
                if (cpu.exceptionTaken) return;
                cpu.setXreg(t, extend(data, a));
                if (wback) cpu.setXregOrSp(n, postIndex ? address + offset : address);
                cpu.pc += 4;
            }
        };
    }

    /**
     * LDR/STR family (register offset): offset = ExtendReg(X[m], option, S ? size : 0); option<1>
     * = 0 (UXTB, UXTH, SXTB, SXTH) is UNDEFINED, also for PRFM.
     */
    public static Op registerOffset(Encoding e, int w) {
        int size = bits(w, 31, 30);
        int option = field(e, w, "option");
        if ((option & 2) == 0) return null;
        Access a = access(size, bits(w, 23, 22));
        if (a == null) return null;
        if (a.prefetch) return Hints.NOP;
        int shift = field(e, w, "S") == 1 ? size : 0;
        int n = field(e, w, "Rn"), t = field(e, w, "Rt"), m = field(e, w, "Rm");
        int bytes = a.bytes;
        if (a.store) return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                if (n == 31 && !checkSPAlignment(cpu)) return;
                long address = cpu.xregOrSp(n) + extendReg(cpu.xreg(m), option, shift);
                DataAccess.write(cpu, address, bytes, cpu.xreg(t), STORE);
                if (!cpu.exceptionTaken) cpu.pc += 4;
            }
        };
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                if (n == 31 && !checkSPAlignment(cpu)) return;
                long address = cpu.xregOrSp(n) + extendReg(cpu.xreg(m), option, shift);
                long data = DataAccess.read(cpu, address, bytes, LOAD);
                if (cpu.exceptionTaken) return;
                cpu.setXreg(t, extend(data, a));
                cpu.pc += 4;
            }
        };
    }

    /** LDR (literal) W/X, LDRSW (literal), PRFM (literal): address = PC + SignExtend(imm19:'00'). */
    public static Op literal(Encoding e, int w) {
        int opc = bits(w, 31, 30);
        if (opc == 0b11) return Hints.NOP; // PRFM (literal)
        long offset = signExtend((long) field(e, w, "imm19") << 2, 21);
        int t = field(e, w, "Rt");
        int bytes = opc == 0b00 ? 4 : opc == 0b01 ? 8 : 4;
        boolean signed = opc == 0b10;
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                long data = DataAccess.read(cpu, cpu.pc + offset, bytes, LOAD);
                if (cpu.exceptionTaken) return;
                cpu.setXreg(t, signed ? (long) (int) data : data);
                cpu.pc += 4;
            }
        };
    }

    // --- pairs ------------------------------------------------------------------------------------

    /**
     * STP/LDP/STNP/LDNP/LDPSW: opc 00 = 32-bit, 01 = LDPSW (load only), 10 = 64-bit; imm7 scaled
     * by the element size; bits 24:23 select no-allocate offset, post-index, offset, pre-index.
     * Both elements are checked (footprint) before either is accessed.
     */
    public static Op pair(Encoding e, int w) {
        int opc = bits(w, 31, 30), mode = bits(w, 24, 23);
        boolean load = bit(w, 22);
        if (opc == 0b11 || (opc == 0b01 && (!load || mode == 0b00))) return null; // no row reaches these
        boolean signed = opc == 0b01;
        int scale = 2 + (opc >> 1), bytes = 1 << scale;
        long offset = signExtend(field(e, w, "imm7"), 7) << scale;
        boolean wback = mode == 0b01 || mode == 0b11, postIndex = mode == 0b01;
        int n = field(e, w, "Rn"), t = field(e, w, "Rt"), t2 = field(e, w, "Rt2");
        if (!load) return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                if (n == 31 && !checkSPAlignment(cpu)) return;
                long base = cpu.xregOrSp(n);
                long address = postIndex ? base : base + offset;
                long data1 = cpu.xreg(t), data2 = cpu.xreg(t2);
                if (!DataAccess.check(cpu, address, 2 * bytes, STORE)) return;
                DataAccess.write(cpu, address, bytes, data1, STORE);
                if (cpu.exceptionTaken) return;
                DataAccess.write(cpu, address + bytes, bytes, data2, STORE);
                if (cpu.exceptionTaken) return;
                if (wback) cpu.setXregOrSp(n, postIndex ? address + offset : address);
                cpu.pc += 4;
            }
        };
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                if (n == 31 && !checkSPAlignment(cpu)) return;
                long base = cpu.xregOrSp(n);
                long address = postIndex ? base : base + offset;
                if (!DataAccess.check(cpu, address, 2 * bytes, LOAD)) return;
                long data1 = DataAccess.read(cpu, address, bytes, LOAD);
                if (cpu.exceptionTaken) return;
                long data2 = DataAccess.read(cpu, address + bytes, bytes, LOAD);
                if (cpu.exceptionTaken) return;
                if (signed) {
                    data1 = (int) data1;
                    data2 = (int) data2;
                }
                // Rt2 first, so that Rt == Rt2 leaves the first element (the LDPOVERLAP choice above)
                cpu.setXreg(t2, data2);
                cpu.setXreg(t, data1);
                if (wback) cpu.setXregOrSp(n, postIndex ? address + offset : address);
                cpu.pc += 4;
            }
        };
    }

    // --- exclusive, acquire/release ----------------------------------------------------------------

    /**
     * Load/store exclusive (LDXR, LDAXR, STXR, STLXR, byte/halfword/pair forms) and load-acquire /
     * store-release (LDAR, STLR). The local exclusive monitor is {@code cpu.exclusiveAddress} /
     * {@code exclusiveSize}: a load-exclusive marks the address and size; a store-exclusive
     * passes only if the same address and size are marked, and clears the monitor either way
     * (AArch64.ExclusiveMonitorsPass). A failing store-exclusive writes status 1 and makes no
     * access; only an alignment fault, which the architecture checks before the monitor, is still
     * raised.
     */
    public static Op exclusive(Encoding e, int w) {
        int size = bits(w, 31, 30);
        boolean o2 = bit(w, 23), load = bit(w, 22), o1 = bit(w, 21), o0 = bit(w, 15);
        int n = field(e, w, "Rn"), t = field(e, w, "Rt");
        int ordered = o0 ? DataAccess.ACQUIRE_RELEASE : 0;
        if (o2) { // LDAR / STLR: single-copy atomic, ordered, not exclusive
            if (!o0 || o1) return null; // LDLAR/STLLR (FEAT_LOR) and the LSE space: no row here
            int bytes = 1 << size;
            if (load) return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    if (n == 31 && !checkSPAlignment(cpu)) return;
                    long data = DataAccess.read(cpu, cpu.xregOrSp(n), bytes, LOAD | ordered);
                    if (cpu.exceptionTaken) return;
                    cpu.setXreg(t, data);
                    cpu.pc += 4;
                }
            };
            return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    if (n == 31 && !checkSPAlignment(cpu)) return;
                    DataAccess.write(cpu, cpu.xregOrSp(n), bytes, cpu.xreg(t), STORE | ordered);
                    if (!cpu.exceptionTaken) cpu.pc += 4;
                }
            };
        }
        boolean pair = o1;
        int s = field(e, w, "Rs");
        int elementBytes = pair ? 4 << (size & 1) : 1 << size; // pairs: size = 1:sz
        int total = pair ? 2 * elementBytes : elementBytes;
        int t2 = field(e, w, "Rt2");
        if (load) {
            int flags = LOAD | DataAccess.EXCLUSIVE | ordered;
            return new DecodedOp() {
                @Override
                public void execute(Cpu cpu) {
                    if (n == 31 && !checkSPAlignment(cpu)) return;
                    long address = cpu.xregOrSp(n);
                    long data1, data2 = 0;
                    if (!pair || elementBytes == 4) {
                        // a single access of the whole footprint (LDXP of two words is one doubleword)
                        long data = DataAccess.read(cpu, address, total, flags);
                        if (cpu.exceptionTaken) return;
                        data1 = pair ? data & 0xFFFFFFFFL : data;
                        data2 = data >>> 32;
                    } else {
                        if (!DataAccess.check(cpu, address, total, flags)) return;
                        data1 = DataAccess.read(cpu, address, 8, flags);
                        if (cpu.exceptionTaken) return;
                        data2 = DataAccess.read(cpu, address + 8, 8, flags);
                        if (cpu.exceptionTaken) return;
                    }
                    cpu.exclusiveAddress = address;
                    cpu.exclusiveSize = total;
                    cpu.setXreg(t, data1);
                    if (pair) cpu.setXreg(t2, data2); // Rt == Rt2 keeps the second element
                    cpu.pc += 4;
                }
            };
        }
        int flags = STORE | DataAccess.EXCLUSIVE | ordered;
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                if (n == 31 && !checkSPAlignment(cpu)) return;
                long address = cpu.xregOrSp(n);
                long data1 = cpu.xreg(t), data2 = pair ? cpu.xreg(t2) : 0;
                if ((address & (total - 1)) != 0) { // the alignment fault precedes the monitor check
                    if (!DataAccess.check(cpu, address, total, flags)) return;
                }
                boolean passed = cpu.exclusiveAddress == address && cpu.exclusiveSize == total;
                cpu.exclusiveAddress = -1; // ClearExclusiveLocal
                if (passed) {
                    if (!pair) {
                        DataAccess.write(cpu, address, total, data1, flags);
                    } else if (elementBytes == 4) {
                        DataAccess.write(cpu, address, 8, (data2 << 32) | (data1 & 0xFFFFFFFFL), flags);
                    } else {
                        if (!DataAccess.check(cpu, address, total, flags)) return;
                        DataAccess.write(cpu, address, 8, data1, flags);
                        if (cpu.exceptionTaken) return;
                        DataAccess.write(cpu, address + 8, 8, data2, flags);
                    }
                    if (cpu.exceptionTaken) return;
                }
                cpu.setXreg(s, passed ? 0 : 1);
                cpu.pc += 4;
            }
        };
    }
}
