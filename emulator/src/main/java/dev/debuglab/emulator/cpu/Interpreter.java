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
        InstructionCache cache = InstructionCache.of(cpu.mem);
        final DecodedOp[][] pages = cache.pages;
        final long ramBase = cache.ramBase, ramSize = cache.ramSize;
        long n = 0;
        while (n < maxInstructions && !cpu.halted) {
            n++;
            cpu.exceptionTaken = false;
            cpu.eretExecuted = false;
            if (cpu.debugChecks && Debug.beforeFetch(cpu)) continue;
            long pc = cpu.pc;
            long off = pc - ramBase;
            if ((pc & 3) != 0 || off < 0 || off >= ramSize) {
                fetchFault(cpu, pc);
                continue;
            }
            DecodedOp[] page = pages[(int) (off >>> InstructionCache.PAGE_SHIFT)];
            DecodedOp op = page == null ? null : page[(int) (off >>> 2) & (InstructionCache.PAGE_WORDS - 1)];
            if (op == null) op = cache.fill(off);
            if (cpu.debugChecks && Debug.beforeExecute(cpu)) continue;
            if (cpu.il) {
                illegalExecutionState(cpu);
                continue;
            }
            op.execute(cpu);
            if (cpu.debugChecks) Debug.afterExecute(cpu);
        }
        cpu.instructionsRetired += n;
        return n;
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
