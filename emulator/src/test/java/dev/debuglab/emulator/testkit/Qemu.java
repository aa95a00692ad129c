package dev.debuglab.emulator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a bare-metal ELF on the reference, QEMU TCG:
 * {@code qemu-system-aarch64 -M virt,virtualization=on -cpu max -nographic
 * -semihosting-config enable=on,target=native -kernel FILE.elf}, with a time limit, capturing the
 * UART (stdout), the semihosting console (stderr in QEMU 7.2), the exit status and, with
 * {@code -d int}, every exception entry. For {@link RunOptions#el1()} the machine is
 * {@code -M virt} without virtualization (QEMU then starts the ELF at EL1h).
 */
public final class Qemu {
    private Qemu() {}

    public static final String QEMU = "qemu-system-aarch64";

    public static RunResult run(Path elf) {
        return run(elf, RunOptions.DEFAULT);
    }

    public static RunResult run(Path elf, RunOptions options) {
        Path dir = Toolchain.cacheDir();
        Path log = null;
        try {
            List<String> cmd = new ArrayList<>(List.of(QEMU, "-M", options.el1() ? "virt" : "virt,virtualization=on", "-cpu", "max",
                    "-nographic", "-semihosting-config", "enable=on,target=native", "-kernel", elf.toAbsolutePath().toString()));
            if (options.recordExceptions()) {
                log = Files.createTempFile(dir, "qemu-int", ".log");
                cmd.addAll(List.of("-d", "int", "-D", log.toString()));
            }
            Proc.Result r = Proc.run(cmd, dir, options.timeout());
            List<ExceptionEvent> events = log == null ? List.of() : parseIntLog(Files.readString(log));
            StringBuilder semi = new StringBuilder(), diag = new StringBuilder();
            for (String line : r.stderr().split("(?<=\n)")) {
                if (line.startsWith("qemu-system-aarch64:") || line.startsWith("qemu:")) diag.append(line);
                else semi.append(line);
            }
            RunResult.Status status;
            if (r.timedOut()) status = RunResult.Status.TIMEOUT;
            else if (diag.length() > 0 && r.exitCode() != 0) status = RunResult.Status.STOPPED;
            else status = RunResult.Status.EXITED;
            return new RunResult("qemu", r.stdout(), semi.toString(), status, r.timedOut() ? -1 : r.exitCode() & 0xFF, events,
                    diag.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (log != null) log.toFile().delete();
        }
    }

    private static final Pattern TAKING = Pattern.compile("^Taking exception (\\d+) \\[([^\\]]*)\\]");
    private static final Pattern FROM = Pattern.compile("^\\.\\.\\.from EL(\\d) to EL(\\d)");
    private static final Pattern ESR = Pattern.compile("^\\.\\.\\.with ESR 0x[0-9a-f]+/0x([0-9a-f]+)");
    private static final Pattern ELR = Pattern.compile("^\\.\\.\\.with ELR 0x([0-9a-f]+)");
    private static final Pattern FAR = Pattern.compile("^\\.\\.\\.with FAR 0x([0-9a-f]+)");
    private static final Pattern TO = Pattern.compile("^\\.\\.\\.to EL(\\d) PC 0x([0-9a-f]+)");

    /** Parses QEMU's {@code -d int} log (format of target/arm arm_cpu_do_interrupt in QEMU 7.2). */
    static List<ExceptionEvent> parseIntLog(String log) {
        List<ExceptionEvent> events = new ArrayList<>();
        int from = -1, to = -1;
        long esr = 0, elr = 0;
        Long far = null;
        boolean inEntry = false;
        for (String line : log.split("\n")) {
            Matcher m;
            if ((m = TAKING.matcher(line)).find()) {
                inEntry = !m.group(2).equals("Semihosting call");
                from = to = -1;
                esr = elr = 0;
                far = null;
            } else if (!inEntry) {
                continue;
            } else if ((m = FROM.matcher(line)).find()) {
                from = Integer.parseInt(m.group(1));
                to = Integer.parseInt(m.group(2));
            } else if ((m = ESR.matcher(line)).find()) {
                esr = Long.parseUnsignedLong(m.group(1), 16);
            } else if ((m = ELR.matcher(line)).find()) {
                elr = Long.parseUnsignedLong(m.group(1), 16);
            } else if ((m = FAR.matcher(line)).find()) {
                far = Long.parseUnsignedLong(m.group(1), 16);
            } else if ((m = TO.matcher(line)).find()) {
                events.add(new ExceptionEvent(from, to, esr, elr, Long.parseUnsignedLong(m.group(2), 16), far));
                inEntry = false;
            }
        }
        return events;
    }
}
