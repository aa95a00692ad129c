package dev.debuglab.realkvm;

import dev.debuglab.emulator.kvm.KvmVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The comparison of the KVM model with real KVM: boot a kernel once, run every scenario through
 * /dev/kvm, run the same scripts on the model, compare observation by observation.
 *
 * <pre>{@code
 * Report r = RealKvm.on(Kernel.of("6.1")).run(Scenarios.all());
 * System.out.println(r);            // side by side, with the verdict per scenario
 * }</pre>
 * Immutable; {@link #model(KvmVersion)} takes any model, including a what-if variant.
 */
public final class RealKvm {
    private final Kernel kernel;
    private final QemuHost.Options options;
    private final KvmVersion model;

    private RealKvm(Kernel kernel, QemuHost.Options options, KvmVersion model) {
        this.kernel = kernel;
        this.options = options;
        this.model = model;
    }

    public static RealKvm on(Kernel kernel) {
        return new RealKvm(kernel, QemuHost.Options.defaults(), null);
    }

    /** QEMU's -cpu for the host ("cortex-a57" by default; "max"). */
    public RealKvm cpu(String cpu) {
        return new RealKvm(kernel, options.withCpu(cpu), model);
    }

    public RealKvm options(QemuHost.Options o) {
        return new RealKvm(kernel, o, model);
    }

    /** The model to compare with; by default the model of the booted kernel's release (6.1.0-56 → "6.1"). */
    public RealKvm model(KvmVersion version) {
        return new RealKvm(kernel, options, version);
    }

    public RealKvm model(String version) {
        return model(KvmVersion.of(version));
    }

    /** The model version for a kernel release string ("6.12.117+deb12-arm64" → 6.12). */
    public static KvmVersion modelFor(String release) {
        String[] p = release.split("[.+-]");
        try {
            return KvmVersion.of(p[0] + "." + p[1]);
        } catch (RuntimeException e) {
            throw new RealKvmException("the kernel's release '" + release + "' has no model version (" + e.getMessage()
                    + "); choose one with --model");
        }
    }

    /** The whole script of these scenarios, as the driver reads it. */
    static List<String> script(List<Scenario> scenarios) {
        List<String> all = new ArrayList<>();
        for (Scenario s : scenarios) all.addAll(s.script().framed(s.id()));
        return all;
    }

    /** One boot, every scenario, then the model on the same script. */
    public Report run(List<Scenario> scenarios) {
        if (scenarios.isEmpty()) throw new RealKvmException("no scenario given: name scenarios or use --all");
        List<String> script = script(scenarios);
        long t0 = System.nanoTime();
        QemuHost.Boot boot = QemuHost.boot(kernel, Initramfs.build(script), options);
        ConsoleParser.Parsed real = ConsoleParser.parse(boot.console());
        KvmVersion m = model != null ? model : modelFor(real.release());
        return compare(scenarios, script, real, m, boot, (System.nanoTime() - t0) / 1e9);
    }

    static Report compare(List<Scenario> scenarios, List<String> script, ConsoleParser.Parsed real, KvmVersion m, QemuHost.Boot boot,
                          double seconds) {
        ConsoleParser.Parsed onModel = ConsoleParser.parse(ModelDriver.run(m, script));
        List<ScenarioComparison> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            List<String> r = real.scenarios().getOrDefault(s.id(), List.of()), mm = onModel.scenarios().getOrDefault(s.id(), List.of());
            out.add(ScenarioComparison.of(s, m.name(), real.release(), mm, r));
        }
        return new Report(real.release(), m.name(), out, boot == null ? 0 : boot.bootSeconds(), seconds);
    }

    /**
     * Everything one comparison found.
     *
     * @param kernel      the real kernel's release
     * @param model       the model version's name
     * @param scenarios   per scenario, the comparison
     * @param bootSeconds time until the driver started
     * @param seconds     the whole comparison (boot, scenarios, model)
     */
    public record Report(String kernel, String model, List<ScenarioComparison> scenarios, double bootSeconds, double seconds) {
        public Report {
            scenarios = List.copyOf(scenarios);
        }

        /** The scenarios whose observations differ and that are not known differences (Scenario#known). */
        public List<ScenarioComparison> unexplained() {
            return scenarios.stream().filter(c -> !c.agrees() && !c.knownDifference()).toList();
        }

        public boolean agrees() {
            return unexplained().isEmpty();
        }

        public ScenarioComparison get(String id) {
            return scenarios.stream().filter(c -> c.scenario().id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no scenario " + id + " in this report"));
        }

        public String summary() {
            StringBuilder b = new StringBuilder();
            b.append(String.format("Real KVM %s vs model %s: %d scenarios, %d agree, %d differ as known, %d differ%n", kernel, model,
                    scenarios.size(), scenarios.stream().filter(ScenarioComparison::agrees).count(),
                    scenarios.stream().filter(ScenarioComparison::knownDifference).count(), unexplained().size()));
            for (ScenarioComparison c : scenarios) b.append("  ").append(c.summary()).append('\n');
            b.append(String.format("(boot to driver %.1f s, whole comparison %.1f s)%n", bootSeconds, seconds));
            return b.toString();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (ScenarioComparison c : scenarios) b.append(c).append('\n');
            return b.append(summary()).toString();
        }
    }

    /** What cannot run on a real kernel, and why (scenarios.md section B rows). */
    public static Map<String, String> unsupported() {
        return Scenarios.unsupported();
    }
}
