package dev.debuglab.emulator.testkit;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs one program on QEMU and on the emulator and compares what a user sees: the UART and
 * semihosting output, how the run ended, the exit status, and (optionally) the sequence of
 * exception entries (from/to EL, ESR, ELR, vector; FAR only where both engines write one). On a
 * difference the failure shows both runs side by side.
 *
 * <p>QEMU is the reference only where it follows the architecture: a test whose program touches a
 * row of {@code docs/reference-deviations.md} must say so and assert the architectural outcome
 * on the emulator instead.
 */
public final class Differential {
    private Differential() {}

    /**
     * Both runs and whether they agree.
     *
     * @param name a label for messages
     */
    public record Comparison(String name, RunResult qemu, RunResult emu, boolean compareExceptions) {
        public boolean same() {
            return qemu.status() == emu.status() && qemu.exitCode() == emu.exitCode() && qemu.uart().equals(emu.uart())
                    && qemu.semihosting().equals(emu.semihosting()) && (!compareExceptions || sameExceptions());
        }

        public boolean sameExceptions() {
            List<ExceptionEvent> a = qemu.exceptions(), b = emu.exceptions();
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).sameEntry(b.get(i))) return false;
                Long fa = a.get(i).far(), fb = b.get(i).far();
                if (fa != null && fb != null && !fa.equals(fb)) return false;
            }
            return true;
        }

        public String report() {
            return name + ": QEMU and DebugLab " + (same() ? "agree" : "DIFFER") + "\n"
                    + SideBySide.render("QEMU " + qemu.detail().trim(), qemu.lines(compareExceptions),
                            "DebugLab " + emu.detail().trim(), emu.lines(compareExceptions));
        }
    }

    public static Comparison compare(String name, Path elf, RunOptions options) {
        RunResult q = Qemu.run(elf, options);
        RunResult e = Emu.run(elf, options);
        return new Comparison(name, q, e, options.recordExceptions());
    }

    /** Fails with a side-by-side report unless both engines agree; returns the comparison otherwise. */
    public static Comparison assertSame(String name, Path elf, RunOptions options) {
        Comparison c = compare(name, elf, options);
        if (!c.same()) throw new AssertionError(c.report());
        if (c.qemu().status() != RunResult.Status.EXITED)
            throw new AssertionError(name + ": the program did not exit on QEMU either (" + c.qemu().status()
                    + "); a differential test needs a program that finishes\n" + c.report());
        return c;
    }

    public static Comparison assertSame(String name, Path elf) {
        return assertSame(name, elf, RunOptions.DEFAULT);
    }
}
