package dev.debuglab.emulator.testkit;

import java.time.Duration;

/**
 * How to run a guest program.
 *
 * @param el1              start at EL1 (emulator {@code --el1}; QEMU {@code -M virt} without virtualization)
 * @param timeout          QEMU's wall-clock limit
 * @param budget           the emulator's instruction budget
 * @param recordExceptions collect exception entries (QEMU {@code -d int})
 */
public record RunOptions(boolean el1, Duration timeout, long budget, boolean recordExceptions) {
    public static final RunOptions DEFAULT = new RunOptions(false, Duration.ofSeconds(20), 500_000_000L, true);

    public RunOptions atEl1() {
        return new RunOptions(true, timeout, budget, recordExceptions);
    }

    public RunOptions withBudget(long instructions) {
        return new RunOptions(el1, timeout, instructions, recordExceptions);
    }

    public RunOptions withTimeout(Duration t) {
        return new RunOptions(el1, t, budget, recordExceptions);
    }

    public RunOptions withoutExceptions() {
        return new RunOptions(el1, timeout, budget, false);
    }
}
