package dev.debuglab.realkvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Boots an arm64 kernel as the KVM host under {@code qemu-system-aarch64 -M virt,virtualization=on}
 * (EL2 emulated, so KVM initialises inside it) with the driver's initramfs, and collects the serial
 * console. A watchdog bounds the boot (until the driver's first line) and the run; QEMU is destroyed
 * in every case, and a shutdown hook kills any QEMU still running when the JVM exits.
 */
public final class QemuHost {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "realkvm-qemu-reaper"));
    }

    /**
     * How to boot.
     *
     * @param cpu          QEMU's -cpu ("cortex-a57": the fastest under TCG; "max")
     * @param append       extra kernel command line
     * @param bootSeconds  time allowed until the driver prints its first line
     * @param runSeconds   time allowed after that for the whole script
     * @param virtualization whether the board emulates EL2 (false boots a host without KVM: for the bad-input test)
     */
    public record Options(String cpu, String append, int bootSeconds, int runSeconds, boolean virtualization) {
        public static Options defaults() {
            return new Options("cortex-a57", "", 180, 600, true);
        }

        public Options withCpu(String c) {
            return new Options(c, append, bootSeconds, runSeconds, virtualization);
        }

        public Options withAppend(String a) {
            return new Options(cpu, a, bootSeconds, runSeconds, virtualization);
        }

        public Options withTimeouts(int boot, int run) {
            return new Options(cpu, append, boot, run, virtualization);
        }

        public Options withVirtualization(boolean v) {
            return new Options(cpu, append, bootSeconds, runSeconds, v);
        }
    }

    /** The console of one boot and how long it took. */
    public record Boot(List<String> console, double bootSeconds, double totalSeconds) {}

    private QemuHost() {}

    /** Boots {@code kernel} with {@code initrd}; returns the console when the driver finished, else a clear RealKvmException. */
    public static Boot boot(Kernel kernel, byte[] initrd, Options o) {
        Tools.require("qemu-system-aarch64", "qemu-system-arm");
        Path rd;
        try {
            rd = Files.createTempFile("debuglab-realkvm-", ".cpio");
            Files.write(rd, initrd);
        } catch (IOException e) {
            throw new RealKvmException("cannot write the initramfs to a temporary file: " + e.getMessage());
        }
        List<String> cmd = List.of("qemu-system-aarch64", "-M", "virt,gic-version=3" + (o.virtualization() ? ",virtualization=on" : ""),
                "-cpu", o.cpu(), "-smp", "1", "-m", "1G", "-nographic", "-monitor", "none", "-serial", "stdio", "-no-reboot",
                "-kernel", kernel.image().toString(), "-initrd", rd.toString(),
                "-append", ("console=ttyAMA0 quiet loglevel=3 panic=-1 " + o.append()).trim());
        List<String> console = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        double[] firstLine = {-1};
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new RealKvmException("cannot start qemu-system-aarch64: " + e.getMessage());
        }
        RUNNING.add(p);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (firstLine[0] < 0 && line.contains("DLKVM ")) firstLine[0] = (System.nanoTime() - t0) / 1e9;
                    console.add(line);
                }
            } catch (IOException ignored) {
                // the process was destroyed
            }
        }, "realkvm-console");
        reader.setDaemon(true);
        reader.start();
        boolean finished = false;
        String timeout = null;
        try {
            p.getOutputStream().close();
            while (true) {
                if (p.waitFor(100, TimeUnit.MILLISECONDS)) {
                    finished = true;
                    break;
                }
                double t = (System.nanoTime() - t0) / 1e9;
                if (firstLine[0] < 0 && t > o.bootSeconds()) {
                    timeout = "the kernel did not start the driver within " + o.bootSeconds() + " s (boot hung)";
                    break;
                }
                if (firstLine[0] >= 0 && t > firstLine[0] + o.runSeconds()) {
                    timeout = "the scenarios did not finish within " + o.runSeconds() + " s after the driver started";
                    break;
                }
            }
        } catch (InterruptedException | IOException e) {
            Thread.currentThread().interrupt();
            timeout = "interrupted";
        } finally {
            if (!finished) p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RUNNING.remove(p);
            try {
                Files.deleteIfExists(rd);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
        double total = (System.nanoTime() - t0) / 1e9;
        List<String> lines;
        synchronized (console) {
            lines = List.copyOf(console);
        }
        ConsoleParser.Parsed parsed = ConsoleParser.parse(lines);
        String where = "booting " + kernel + " under qemu-system-aarch64 -cpu " + o.cpu();
        if (parsed.panic() != null)
            throw new RealKvmException("kernel panic " + where + ":\n" + indent(parsed.panic()) + "\n(check the kernel command line and the image)");
        if (parsed.noKvm() != 0)
            throw new RealKvmException("no KVM in this kernel: /dev/kvm could not be opened (errno " + parsed.noKvm() + ") " + where
                    + ". KVM/arm64 needs a kernel built with CONFIG_KVM=y, booted at EL2 (QEMU's virtualization=on), and without kvm-arm.mode=none."
                    + kvmLines(lines));
        if (timeout != null)
            throw new RealKvmException(timeout + " " + where + "; QEMU was stopped. Last console lines:\n" + indent(Tools.tail(String.join("\n", lines), 12)));
        if (parsed.release() == null)
            throw new RealKvmException("the kernel stopped without starting the driver " + where + " (QEMU exit " + p.exitValue()
                    + "). Last console lines:\n" + indent(Tools.tail(String.join("\n", lines), 12)));
        if (parsed.fatal() != null)
            throw new RealKvmException("the KVM driver failed on " + parsed.release() + ": " + parsed.fatal() + "\n" + indent(Tools.tail(String.join("\n", lines), 12)));
        if (!parsed.done())
            throw new RealKvmException("the KVM driver stopped before the end of the script on " + parsed.release() + ". Last console lines:\n"
                    + indent(Tools.tail(String.join("\n", lines), 12)));
        return new Boot(lines, firstLine[0], total);
    }

    private static String kvmLines(List<String> console) {
        StringBuilder b = new StringBuilder();
        for (String l : console) if (l.toLowerCase().contains("kvm") && !l.contains("DLKVM")) b.append("\n  ").append(l.strip());
        return b.length() == 0 ? "" : " The kernel said:" + b;
    }

    private static String indent(String s) {
        return "  " + s.replace("\n", "\n  ");
    }

    /** QEMU processes this JVM started that are still running (0 after every boot). */
    public static int running() {
        return RUNNING.size();
    }
}
