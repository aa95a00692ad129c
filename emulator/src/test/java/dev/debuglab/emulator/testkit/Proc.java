package dev.debuglab.emulator.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host tool with a time limit, its output captured in files (no pipe can fill up). */
public final class Proc {
    private Proc() {}

    /**
     * @param exitCode the tool's exit status (-1 when it was killed at the time limit)
     * @param stdout   everything it wrote to stdout
     * @param stderr   everything it wrote to stderr
     * @param timedOut true if it was still running at the time limit and was killed
     */
    public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {}

    /** Debian package that provides each tool the kit uses, for the error message when one is missing. */
    static String packageOf(String tool) {
        if (tool.startsWith("qemu-system-aarch64")) return "qemu-system-arm";
        if (tool.equals("aarch64-linux-gnu-gcc")) return "gcc-aarch64-linux-gnu";
        if (tool.startsWith("aarch64-linux-gnu-")) return "binutils-aarch64-linux-gnu";
        return tool;
    }

    /** Fails with a clear message (the fix included) unless {@code tool} is on the PATH. */
    public static void require(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return;
        }
        throw new AssertionError(tool + " is not installed: these tests need it. Install the Debian package "
                + packageOf(tool) + " (apt-get install " + packageOf(tool) + "), or run ./debuglab test, which installs it.");
    }

    public static Result run(List<String> command, Path workDir, Duration timeout) {
        require(command.get(0));
        try {
            Path out = Files.createTempFile(workDir, "out", ".txt");
            Path err = Files.createTempFile(workDir, "err", ".txt");
            try {
                Process p = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
                return new Result(done ? p.exitValue() : -1, Files.readString(out, StandardCharsets.ISO_8859_1),
                        Files.readString(err, StandardCharsets.ISO_8859_1), !done);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** Runs a build step and fails the test with the tool's messages if it does not succeed. */
    public static void check(List<String> command, Path workDir) {
        Result r = run(command, workDir, Duration.ofSeconds(120));
        if (r.timedOut() || r.exitCode() != 0)
            throw new AssertionError("build step failed (" + (r.timedOut() ? "timed out" : "exit " + r.exitCode()) + "): "
                    + String.join(" ", command) + "\n" + r.stdout() + r.stderr());
    }
}
