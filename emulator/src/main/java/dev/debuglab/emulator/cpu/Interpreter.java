package dev.debuglab.emulator.cpu;

import dev.debuglab.emulator.arch.Debug;
import dev.debuglab.emulator.arch.ExceptionClass;
import dev.debuglab.emulator.arch.ExceptionRecord;
import dev.debuglab.emulator.arch.Exceptions;

/**
 * The fetch-execute harness. At each instruction boundary, in the architectural priority order
 * of the synchronous exceptions one instruction can raise (architecture.md §9; Arm ARM D1.3.5
 * "Synchronous exception prioritization"):
 * <ol>
 *   <li>Software Step, when the step state machine is Active-pending ({@link Debug#beforeFetch});</li>
 *   <li>PC alignment fault (EC 0x22, FAR = PC) when PC&lt;1:0&gt; is not 0b00;</li>
 *   <li>Instruction Abort on the fetch (EC 0x20/0x21, IFSC 0b010000 synchronous External abort,
 *       FAR = PC) when PC is outside RAM (MMU off: there is no translation fault);</li>
 *   <li>Breakpoint ({@link Debug#beforeExecute});</li>
 *   <li>Illegal Execution state (EC 0x0E) when PSTATE.IL is set;</li>
 *   <li>whatever the instruction itself raises, then {@link Debug#afterExecute} advances the
 *       step state machine.</li>
 * </ol>
 * The debug hooks run only while {@code cpu.debugChecks} is true. Instructions come from the
 * {@link InstructionCache}, decoded once per word.
 *
 * <p>While {@code cpu.debugChecks} is false and PSTATE.IL is clear, rows 1, 4 and 5 cannot fire,
 * and the loop runs whole {@link BasicBlock}s instead (also while only address breakpoints are armed, for a block
 * none of whose instructions is at an armed address: {@link Debug#blockMayRun}): straight-line runs of cached ops, ended by
 * any instruction that may branch or change the debug state, chained to the block that followed
 * them last time. Every instruction of a block is still one boundary, the fetch checks of rows 2
 * and 3 hold for all of them because a block lies inside one RAM page, and a block stops right
 * after an instruction that took an exception or wrote to the block's own code, so the result
 * and the count are those of the one-instruction loop.
 */
public final class Interpreter {
    private Interpreter() {}

    /** IFSC / DFSC 0b010000: synchronous External abort, not on a translation table walk. */
    static final int FSC_SYNC_EXTERNAL_ABORT = 0b010000;

    /**
     * Runs until {@code cpu.halted} or until {@code maxInstructions} instruction boundaries have
     * been processed; returns how many were. Each boundary is one instruction executed, or one
     * exception taken in place of it (step, alignment, abort, breakpoint, illegal state); every
     * boundary also counts in {@code cpu.instructionsRetired}.
     */
    public static long run(Cpu cpu, long maxInstructions) {
        return run(cpu, maxInstructions, true);
    }

    /**
     * {@link #run(Cpu, long)}, with {@code blocks} false: every boundary through the
     * one-instruction loop, the reference that the block tests compare against.
     */
    static long run(Cpu cpu, long maxInstructions, boolean blocks) {
        InstructionCache cache = InstructionCache.of(cpu.mem);
        long n = 0;
        while (n < maxInstructions && !cpu.halted) {
            long left = maxInstructions - n;
            // (a single boundary, as in step, is not worth building a block for)
            long done = blocks && (!cpu.debugChecks || cpu.addressBreakpointsOnly) && !cpu.il && left > 1 ? runBlocks(cpu, cache, left) : 0;
            n += done > 0 ? done : runOneByOne(cpu, cache, left, blocks);
        }
        cpu.instructionsRetired += n;
        return n;
    }

    /**
     * The one-instruction loop: at least one boundary, and more while a debug check is armed or
     * PSTATE.IL is set (or blocks are off), up to {@code budget}; returns how many. A loop of its
     * own, so that the JIT compiles the debug-heavy case apart from the block path.
     */
    private static long runOneByOne(Cpu cpu, InstructionCache cache, long budget, boolean blocks) {
        long n = 0;
        do {
            n++;
            boundary(cpu, cache);
        } while (n < budget && !cpu.halted && (!blocks || cpu.il
                || cpu.debugChecks && !(cpu.addressBreakpointsOnly && Debug.blockMayRun(cpu, cpu.pc, BasicBlock.MAX_LENGTH))));
        return n;
    }

    /**
     * The fast path, while no debug hook is armed and PSTATE.IL is clear: executes whole
     * {@link BasicBlock}s, up to {@code budget} boundaries; returns how many it processed. It
     * returns (possibly 0) as soon as the debug state changes, the PE halts, the next block does
     * not fit the budget, or the PC cannot be fetched, leaving the next boundary to
     * {@link #boundary}. Without debug hooks and IL a boundary is fetch, fetch checks and execute,
     * and a block does exactly that for each of its instructions: those before the last always
     * complete and fall through unless the block stops after an exception or a code write.
     */
    private static long runBlocks(Cpu cpu, InstructionCache cache, long budget) {
        BasicBlock b = cache.block(cpu.pc);
        long n = 0;
        while (b != null && b.length() <= budget - n) {
            if (cpu.debugChecks && !(cpu.addressBreakpointsOnly && Debug.blockMayRun(cpu, b.pc, b.length()))) break;
            cpu.exceptionTaken = false;
            cpu.eretExecuted = false;
            n += b.execute(cpu);
            if (n >= budget || cpu.debugChecks && !cpu.addressBreakpointsOnly || cpu.il || cpu.halted) break;
            // blocks chain: the successor of last time, if it still starts at the PC and is valid
            BasicBlock next = b.next;
            long pc = cpu.pc;
            if (next == null || next.pc != pc || next.invalid) {
                next = cache.block(pc);
                b.next = next;
            }
            b = next;
        }
        return n;
    }

    /**
     * One instruction boundary with every check, in the priority order of the class comment.
     */
    private static void boundary(Cpu cpu, InstructionCache cache) {
        cpu.exceptionTaken = false;
        cpu.eretExecuted = false;
        if (cpu.debugChecks && Debug.beforeFetch(cpu)) return;
        long pc = cpu.pc;
        long off = pc - cache.ramBase;
        if ((pc & 3) != 0 || off < 0 || off >= cache.ramSize) {
            fetchFault(cpu, pc);
            return;
        }
        DecodedOp[] page = cache.pages[(int) (off >>> InstructionCache.PAGE_SHIFT)];
        DecodedOp op = page == null ? null : page[(int) (off >>> 2) & (InstructionCache.PAGE_WORDS - 1)];
        if (op == null) op = cache.fill(off);
        if (cpu.debugChecks && Debug.beforeExecute(cpu)) return;
        if (cpu.il) {
            illegalExecutionState(cpu);
            return;
        }
        op.execute(cpu);
        if (cpu.debugChecks) Debug.afterExecute(cpu);
    }

    /** Processes exactly one instruction boundary (even when {@code cpu.halted}). */
    public static void step(Cpu cpu) {
        boolean halted = cpu.halted;
        cpu.halted = false;
        run(cpu, 1);
        cpu.halted |= halted;
    }

    /**
     * Executes {@code word} as if fetched at {@code cpu.pc}, bypassing fetch and the debug hooks
     * (for tests and tools that try single instruction words).
     */
    public static void executeWord(Cpu cpu, int word) {
        cpu.exceptionTaken = false;
        cpu.eretExecuted = false;
        cpu.instructionsRetired++;
        Predecoder.predecode(word).execute(cpu);
    }

    /** PC alignment fault, or the Instruction Abort of a fetch outside RAM. */
    private static void fetchFault(Cpu cpu, long pc) {
        if ((pc & 3) != 0) {
            Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.PC_ALIGN, 0, pc).withFar(pc));
        } else {
            Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.IABT_LOWER, FSC_SYNC_EXTERNAL_ABORT, pc).withFar(pc));
        }
    }

    /** Illegal Execution state exception (EC 0x0E): PSTATE.IL set at an instruction boundary. */
    private static void illegalExecutionState(Cpu cpu) {
        Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.ILLEGAL_STATE, 0, cpu.pc));
    }
}
