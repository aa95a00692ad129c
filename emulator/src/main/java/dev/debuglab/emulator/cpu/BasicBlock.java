package dev.debuglab.emulator.cpu;

import dev.debuglab.emulator.cpu.exec.HotOp;
import dev.debuglab.emulator.isa.Decoder;
import dev.debuglab.emulator.isa.Encoding;

/**
 * A straight-line run of predecoded instructions that the interpreter executes without going
 * back to its fetch loop, while no debug check is armed ({@code cpu.debugChecks} false).
 *
 * <p>A block starts at any word and ends, inclusively, at the first instruction that may change
 * the control flow or the debug state (a branch, ERET, an exception-generating, system, hint or
 * barrier instruction, or an UNDEFINED word), at the end of its 4 KiB page, or after
 * {@link #MAX_LENGTH} instructions. Inside it there are only data-processing instructions, which
 * always complete, and loads/stores, which may take an exception (alignment, watchpoint,
 * External abort) or write code: after each of those the block stops as soon as an exception was
 * taken or a write invalidated it (or a device halted the PE), so the next boundary is fetched
 * afresh exactly as the one-instruction-at-a-time loop would.
 *
 * <p>Blocks are cached by {@link InstructionCache} and dropped (and marked {@link #invalid}) when
 * a write touches one of their words.
 */
final class BasicBlock {
    /** Longest block, so that invalidation on a code write only looks back this far. */
    static final int MAX_LENGTH = 64;

    /** What an instruction does to the block it is in. */
    enum Role {
        /** Always completes and falls through to PC + 4 (data processing). */
        STRAIGHT,
        /** Falls through, or takes an exception; may write memory (loads and stores). */
        MAY_STOP,
        /** Ends the block: may branch, take an exception or change the debug state. */
        ENDS
    }

    /** The address of the first instruction. */
    final long pc;
    final DecodedOp[] ops;
    /** The leading data-processing {@link HotOp}s of {@link #ops}, run by a loop of their own. */
    final HotOp[] hotPrefix;
    /** Bit i set: the block must be checked for an exception or invalidation after op i. */
    final long checkAfter;
    /** Set when a write touched one of the block's words; a running block stops at the next check. */
    boolean invalid;
    /** The block that ran after this one last time: a one-entry cache for the interpreter loop. */
    BasicBlock next;

    BasicBlock(long pc, DecodedOp[] ops, long checkAfter) {
        this.pc = pc;
        this.ops = ops;
        this.checkAfter = checkAfter;
        int hot = 0;
        while (hot < ops.length && ops[hot] instanceof HotOp h && h.isStraight()) hot++;
        this.hotPrefix = new HotOp[hot];
        System.arraycopy(ops, 0, hotPrefix, 0, hot);
    }

    int length() {
        return ops.length;
    }

    /**
     * Executes the block from its first instruction; returns the number of instruction
     * boundaries processed (each one instruction that completed or took an exception). The caller
     * has checked that its budget allows {@link #length} of them. HotOps run inline, and the PC
     * stays in a local variable until an op that reads {@code cpu.pc}, or the end.
     */
    int execute(Cpu cpu) {
        long pc = cpu.pc;
        HotOp[] hotPrefix = this.hotPrefix;
        for (HotOp h : hotPrefix) h.compute(cpu);
        DecodedOp[] ops = this.ops;
        int i = hotPrefix.length, last = ops.length - 1;
        pc += 4L * i;
        if (i > last) {
            cpu.pc = pc;
            return i;
        }
        long checkAfter = this.checkAfter;
        for (; ; i++) {
            DecodedOp op = ops[i];
            if (op instanceof HotOp h) {
                if (i == last) {
                    cpu.pc = h.step(cpu, pc);
                    return i + 1;
                }
                h.compute(cpu); // not last: a data-processing form (branches end blocks)
                pc += 4;
            } else {
                cpu.pc = pc;
                op.execute(cpu);
                if (i == last || (checkAfter >>> i & 1) != 0 && mustStop(cpu)) return i + 1;
                pc = cpu.pc;
            }
        }
    }

    /**
     * After a load or store: stop if it took an exception or wrote this block's code, or if a
     * device it accessed halted the PE or armed a debug check, so that the next boundary is
     * processed exactly as the one-instruction loop would.
     */
    private boolean mustStop(Cpu cpu) {
        return cpu.exceptionTaken || invalid || cpu.halted || cpu.debugChecks;
    }

    /** The role of {@code word}, whose predecoded op is {@code op}. */
    static Role role(int word, DecodedOp op) {
        Role r = Predecoder.memoRole(word);
        return r != null ? r : roleOf(word, op);
    }

    /** {@link #role}, worked out from the word's encoding. */
    static Role roleOf(int word, DecodedOp op) {
        if (op == Predecoder.UNDEFINED || op instanceof HotOp h && !h.isStraight()) return Role.ENDS;
        Encoding e = Decoder.decode(word);
        if (e == null) return Role.ENDS;
        switch (e.kind()) {
            case ADR: case ADRP: case ADD_SUB_IMM: case LOGICAL_IMM: case MOVE_WIDE: case BITFIELD: case EXTR:
            case LOGICAL_SHIFTED: case ADD_SUB_SHIFTED: case ADD_SUB_EXT: case ADC_SBC: case COND_COMPARE:
            case COND_SELECT: case DP_1SRC: case DP_2SRC: case DP_3SRC:
                return Role.STRAIGHT;
            case LDST_EXCL: case LD_LITERAL: case LDST_PAIR: case LDST_IMM9: case LDST_REG: case LDST_UIMM:
                return Role.MAY_STOP;
            default:
                return Role.ENDS;
        }
    }
}
