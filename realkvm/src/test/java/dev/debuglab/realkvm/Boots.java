package dev.debuglab.realkvm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One boot per Debian kernel for the whole test run (boots are the expensive part): every scenario, parsed. */
final class Boots {
    private Boots() {}

    record Real(Kernel kernel, QemuHost.Boot boot, ConsoleParser.Parsed parsed, List<String> script) {}

    private static final Map<String, Real> BOOTS = new HashMap<>();

    static synchronized Real of(String alias) {
        return BOOTS.computeIfAbsent(alias, a -> {
            Kernel k = Kernel.of(a);
            List<String> script = RealKvm.script(Scenarios.all());
            QemuHost.Boot b = QemuHost.boot(k, Initramfs.build(script), QemuHost.Options.defaults());
            return new Real(k, b, ConsoleParser.parse(b.console()), script);
        });
    }

    /** The comparison of that boot with the model of the kernel's own release (or {@code model}). */
    static RealKvm.Report report(String alias, dev.debuglab.emulator.kvm.KvmVersion model) {
        Real r = of(alias);
        return RealKvm.compare(Scenarios.all(), r.script(), r.parsed(), model != null ? model : RealKvm.modelFor(r.parsed().release()),
                r.boot(), r.boot().totalSeconds());
    }
}
