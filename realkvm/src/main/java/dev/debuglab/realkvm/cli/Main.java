package dev.debuglab.realkvm.cli;

import dev.debuglab.realkvm.Kernel;
import dev.debuglab.realkvm.QemuHost;
import dev.debuglab.realkvm.RealKvm;
import dev.debuglab.realkvm.RealKvmException;
import dev.debuglab.realkvm.Scenario;
import dev.debuglab.realkvm.Scenarios;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./debuglab realkvm --kernel IMAGE|6.1|6.12|6.18|7.2 [--cpu cortex-a57] [--model VERSION]
 * [--append KERNEL-ARGS] [--timeout SECONDS] [--summary] SCENARIO...|--all}, and {@code --list}. Exit status: 0 when real KVM
 * agrees with the model (differences the spec explains as artefacts allowed), 1 when it differs, 2
 * for bad input (one message, no stack trace).
 */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: ./debuglab realkvm --kernel IMAGE|6.1|6.12|6.18|7.2 [--cpu cortex-a57|max] [--model VERSION]
                                      [--append KERNEL-ARGS] [--timeout SECONDS] [--summary] SCENARIO...|--all
                   ./debuglab realkvm --list
              Boots the kernel under qemu-system-aarch64 with EL2, replays the scenarios through /dev/kvm, runs them
              on the KVM model (by default the kernel's own version) and prints both side by side with the verdict.""";

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return run(args, out);
        } catch (RealKvmException | IllegalArgumentException e) {
            err.println("debuglab realkvm: " + e.getMessage());
            return 2;
        }
    }

    private static int run(String[] args, PrintStream out) {
        String kernel = null, cpu = "cortex-a57", model = null, append = "";
        int timeout = -1;
        boolean all = false, list = false, summary = false;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--kernel" -> kernel = value(args, ++i, a);
                case "--cpu" -> cpu = value(args, ++i, a);
                case "--model" -> model = value(args, ++i, a);
                case "--append" -> append = value(args, ++i, a);
                case "--timeout" -> {
                    String v = value(args, ++i, a);
                    try {
                        timeout = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new RealKvmException("--timeout wants a number of seconds, not '" + v + "'");
                    }
                }
                case "--all" -> all = true;
                case "--list" -> list = true;
                case "--summary" -> summary = true;
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (a.startsWith("-")) throw new RealKvmException("unknown option " + a + "\n" + USAGE);
                    ids.add(a);
                }
            }
        }
        if (list) {
            for (Scenario s : Scenarios.all()) out.printf("%-27s %s%n", s.id(), s.description());
            out.println("\nNot run on real KVM:");
            for (Map.Entry<String, String> e : RealKvm.unsupported().entrySet()) out.printf("  %s: %s%n", e.getKey(), e.getValue());
            return 0;
        }
        if (kernel == null) throw new RealKvmException("no kernel given: --kernel IMAGE|6.1|6.12|6.18|7.2\n" + USAGE);
        if (!all && ids.isEmpty()) throw new RealKvmException("no scenario given: name scenarios (./debuglab realkvm --list) or use --all");
        List<Scenario> scenarios = all ? Scenarios.all() : ids.stream().map(Scenarios::byId).toList();
        QemuHost.Options o = QemuHost.Options.defaults().withCpu(cpu).withAppend(append);
        if (timeout > 0) o = o.withTimeouts(timeout, timeout);
        RealKvm r = RealKvm.on(Kernel.of(kernel)).options(o);
        if (model != null) r = r.model(model);
        RealKvm.Report report = r.run(scenarios);
        out.print(summary ? report.summary() : report.toString());
        return report.agrees() ? 0 : 1;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new RealKvmException(option + " needs a value\n" + USAGE);
        return args[i];
    }
}
