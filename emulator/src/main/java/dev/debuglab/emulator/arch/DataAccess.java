package dev.debuglab.emulator.arch;

import dev.debuglab.emulator.cpu.Cpu;

/**
 * Explicit data accesses of load/store instructions (MMU off: VA = PA). The single path through
 * which execute routines touch memory, so alignment checks, watchpoints (architecture.md §8) and
 * external aborts apply to every access. FIRST CUT: external abort only.
 *
 * <p>Contract: on a fault or debug event the routine takes the exception (cpu.exceptionTaken) and
 * returns 0; the caller must then return without further side effects. Instructions that make
 * several accesses (pairs) call {@link #check} for the whole footprint first, so that a watchpoint
 * or abort leaves memory and registers unchanged.
 */
public final class DataAccess {
    private DataAccess() {}

    public static final int LOAD = 1, STORE = 2, ATOMIC = LOAD | STORE, UNPRIVILEGED = 4, EXCLUSIVE = 8,
            ACQUIRE_RELEASE = 16;

    /** Checks an access of {@code size} bytes without performing it; false if an exception was taken. */
    public static boolean check(Cpu cpu, long va, int size, int flags) {
        if (!cpu.mem.isMapped(va, Math.min(size, 8)) || !cpu.mem.isMapped(va + size - Math.min(size, 8), Math.min(size, 8))) {
            externalAbort(cpu, va, flags);
            return false;
        }
        return true;
    }

    public static long read(Cpu cpu, long va, int size, int flags) {
        cpu.mem.fault = false;
        long v = cpu.mem.read(va, size);
        if (cpu.mem.fault) {
            externalAbort(cpu, va, flags);
            return 0;
        }
        return v;
    }

    public static void write(Cpu cpu, long va, int size, long value, int flags) {
        cpu.mem.fault = false;
        cpu.mem.write(va, size, value);
        if (cpu.mem.fault) externalAbort(cpu, va, flags);
    }

    /** Synchronous External abort on a data access (DFSC 0b010000), FAR = the VA. */
    static void externalAbort(Cpu cpu, long va, int flags) {
        int iss = 0x10 | ((flags & STORE) != 0 && (flags & LOAD) == 0 ? 1 << 6 : 0);
        Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.DABT_LOWER, iss, cpu.pc).withFar(va));
    }
}
