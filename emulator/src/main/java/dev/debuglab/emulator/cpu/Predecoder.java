package dev.debuglab.emulator.cpu;

import dev.debuglab.emulator.arch.Exceptions;
import dev.debuglab.emulator.arch.SystemOps;
import dev.debuglab.emulator.cpu.exec.Branches;
import dev.debuglab.emulator.cpu.exec.DataProcessingImmediate;
import dev.debuglab.emulator.cpu.exec.DataProcessingRegister;
import dev.debuglab.emulator.cpu.exec.Hints;
import dev.debuglab.emulator.cpu.exec.LoadStore;
import dev.debuglab.emulator.isa.Decoder;
import dev.debuglab.emulator.isa.Encoding;

/**
 * Decode of one instruction word into a predecoded {@link Op}: the encoding table finds the row,
 * the row's kind selects the execute routine, and that routine's decode half extracts the fields
 * once. An unallocated word, a row left out on purpose (SIMD&amp;FP, CRC32, DCPSx ...) and a reserved
 * field value inside a row all become UNDEFINED (EC 0x00), as on hardware. The system kinds are
 * the {@code arch} layer's ({@link SystemOps#predecode}).
 *
 * <p>Total: every 32-bit word yields an op, and no word makes this method throw.
 */
public final class Predecoder {
    private Predecoder() {}

    /** The op of every UNDEFINED word: take the Undefined Instruction exception at this PC. */
    public static final DecodedOp UNDEFINED = new DecodedOp() {
        @Override
        public void execute(Cpu cpu) {
            Exceptions.undefined(cpu);
        }
    };

    /** A word and its op, as kept in {@link #MEMO}. */
    private record Memo(int word, DecodedOp op, BasicBlock.Role role) {}

    /**
     * Recently predecoded words, direct-mapped by a hash of the word: ops hold no PE or address state, so the op of a
     * word is the same wherever and whenever it is decoded, and a new instruction cache (a new VM, a new machine) finds
     * the ops of code it has seen before without decoding again. Entries are immutable; a race only costs a decode.
     */
    private static final Memo[] MEMO = new Memo[1 << 14];

    public static DecodedOp predecode(int word) {
        int slot = (word * 0x9E3779B9) >>> (32 - 14);
        Memo m = MEMO[slot];
        if (m != null && m.word == word) return m.op;
        DecodedOp op = decode(word);
        MEMO[slot] = new Memo(word, op, BasicBlock.roleOf(word, op));
        return op;
    }

    /** The block role of {@code word} if it was predecoded recently (see {@link #MEMO}), else null. */
    static BasicBlock.Role memoRole(int word) {
        Memo m = MEMO[(word * 0x9E3779B9) >>> (32 - 14)];
        return m != null && m.word == word ? m.role : null;
    }

    private static DecodedOp decode(int word) {
        Encoding e = Decoder.decode(word);
        if (e == null) return UNDEFINED;
        Op op = predecode(e, word);
        return op == null ? UNDEFINED : DecodedOp.of(op);
    }

    /** The op for {@code word}, which row {@code e} encodes; null = UNDEFINED (reserved field values). */
    static Op predecode(Encoding e, int word) {
        switch (e.kind()) {
            case ADR: return DataProcessingImmediate.adr(e, word);
            case ADRP: return DataProcessingImmediate.adrp(e, word);
            case ADD_SUB_IMM: return DataProcessingImmediate.addSubImmediate(e, word);
            case LOGICAL_IMM: return DataProcessingImmediate.logicalImmediate(e, word);
            case MOVE_WIDE: return DataProcessingImmediate.moveWide(e, word);
            case BITFIELD: return DataProcessingImmediate.bitfield(e, word);
            case EXTR: return DataProcessingImmediate.extract(e, word);

            case B_IMM: return Branches.branchImmediate(e, word);
            case B_COND: return Branches.branchConditional(e, word);
            case CB: return Branches.compareAndBranch(e, word);
            case TB: return Branches.testAndBranch(e, word);
            case BR_REG: return Branches.branchRegister(e, word);
            case HINT: return Hints.hint(e, word);
            case BARRIER: return Hints.barrier(e, word);
            case ERET: case EXCEPTION_GEN: case MSR_IMM: case SYS: case SYSL: case MSR_REG: case MRS:
                return SystemOps.predecode(e, word);

            case LDST_EXCL: return LoadStore.exclusive(e, word);
            case LD_LITERAL: return LoadStore.literal(e, word);
            case LDST_PAIR: return LoadStore.pair(e, word);
            case LDST_IMM9: return LoadStore.immediate9(e, word);
            case LDST_REG: return LoadStore.registerOffset(e, word);
            case LDST_UIMM: return LoadStore.unsignedImmediate(e, word);

            case LOGICAL_SHIFTED: return DataProcessingRegister.logicalShifted(e, word);
            case ADD_SUB_SHIFTED: return DataProcessingRegister.addSubShifted(e, word);
            case ADD_SUB_EXT: return DataProcessingRegister.addSubExtended(e, word);
            case ADC_SBC: return DataProcessingRegister.addSubCarry(e, word);
            case COND_COMPARE: return DataProcessingRegister.conditionalCompare(e, word);
            case COND_SELECT: return DataProcessingRegister.conditionalSelect(e, word);
            case DP_1SRC: return DataProcessingRegister.oneSource(e, word);
            case DP_2SRC: return DataProcessingRegister.twoSource(e, word);
            case DP_3SRC: return DataProcessingRegister.threeSource(e, word);

            case NOT_IMPLEMENTED:
            default:
                return null;
        }
    }
}
