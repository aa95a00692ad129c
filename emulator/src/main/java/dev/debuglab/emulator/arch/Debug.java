package dev.debuglab.emulator.arch;

import dev.debuglab.emulator.cpu.Cpu;

/**
 * Hooks of the self-hosted debug architecture into the fetch-execute loop. The interpreter calls
 * them only while {@code cpu.debugChecks} is true (the debug code keeps that flag true whenever a
 * breakpoint or software step could fire). FIRST CUT: no debug events.
 */
public final class Debug {
    private Debug() {}

    /** Before fetch: takes a Software Step exception if the step state machine is Active-pending. */
    public static boolean beforeFetch(Cpu cpu) {
        return false;
    }

    /** After a successful fetch, before execute: takes a Breakpoint exception if one matches. */
    public static boolean beforeExecute(Cpu cpu) {
        return false;
    }

    /** After execute: advances the step state machine if the instruction completed normally. */
    public static void afterExecute(Cpu cpu) {
    }
}
