package dev.debuglab.emulator.testkit;

import java.util.List;

/**
 * What one run of a guest program produced, on either engine.
 *
 * @param engine      "qemu" or "debuglab"
 * @param uart        bytes the PL011 transmitted (as ISO-8859-1 text)
 * @param semihosting semihosting console output (SYS_WRITEC / SYS_WRITE0)
 * @param status      how the run ended
 * @param exitCode    the exit status the guest asked for (low 8 bits, as a process exit status)
 * @param exceptions  exception entries in order (only when the run recorded them)
 * @param detail      diagnostics: QEMU's own messages, or the emulator's stop reason
 */
public record RunResult(String engine, String uart, String semihosting, Status status, int exitCode,
                        List<ExceptionEvent> exceptions, String detail) {
    public enum Status {
        /** The guest exited through semihosting. */
        EXITED,
        /** The time limit (QEMU) or the instruction budget (emulator) ran out. */
        TIMEOUT,
        /** The engine stopped the guest some other way (QEMU crashed; the emulator halted the PE). */
        STOPPED
    }

    public RunResult {
        exceptions = List.copyOf(exceptions);
    }

    /** The run as the lines a side-by-side diff compares. */
    public List<String> lines(boolean withExceptions) {
        java.util.ArrayList<String> l = new java.util.ArrayList<>();
        l.add("status: " + status + (status == Status.EXITED ? " code " + exitCode : ""));
        for (String s : uart.split("\n", -1)) l.add("uart: " + s);
        if (!semihosting.isEmpty())
            for (String s : semihosting.split("\n", -1)) l.add("semihosting: " + s);
        if (withExceptions)
            for (ExceptionEvent e : exceptions) l.add("exception: " + e);
        return l;
    }
}
