package dev.debuglab.emulator.testkit;

import dev.debuglab.emulator.machine.ElfImage;
import dev.debuglab.emulator.machine.ElfLoader;
import dev.debuglab.emulator.machine.VirtMachine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs a bare-metal ELF in-process on the DebugLab {@link VirtMachine}. */
public final class Emu {
    private Emu() {}

    public static RunResult run(Path elf) {
        return run(elf, RunOptions.DEFAULT);
    }

    public static RunResult run(Path elf, RunOptions options) {
        return run(ElfLoader.load(elf), options, m -> {});
    }

    /**
     * Runs {@code image}; {@code setup} may adjust the machine after reset (e.g. system register
     * values, breakpoints) before the first instruction.
     */
    public static RunResult run(ElfImage image, RunOptions options, Consumer<VirtMachine> setup) {
        ByteArrayOutputStream uart = new ByteArrayOutputStream(), semi = new ByteArrayOutputStream();
        VirtMachine m = new VirtMachine(uart, semi);
        List<ExceptionEvent> events = new ArrayList<>();
        if (options.recordExceptions())
            m.addExceptionListener((r, from, to, esr, elr, vector) ->
                    events.add(new ExceptionEvent(from, to, esr, elr, vector, r.hasFar() ? r.far() : null)));
        m.load(image);
        m.reset(options.el1() ? VirtMachine.Start.EL1 : VirtMachine.Start.EL2);
        setup.accept(m);
        VirtMachine.Result r = m.run(options.budget());
        RunResult.Status status = switch (r.outcome()) {
            case EXITED -> RunResult.Status.EXITED;
            case BUDGET_EXHAUSTED -> RunResult.Status.TIMEOUT;
            case STOPPED -> RunResult.Status.STOPPED;
        };
        return new RunResult("debuglab", uart.toString(StandardCharsets.ISO_8859_1), semi.toString(StandardCharsets.ISO_8859_1),
                status, status == RunResult.Status.EXITED ? r.exitCode() & 0xFF : -1, events,
                r.message() == null ? "" : r.message());
    }
}
