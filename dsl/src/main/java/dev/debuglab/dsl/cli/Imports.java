package dev.debuglab.dsl.cli;

import java.util.List;

/** What every script sees without writing an import: the DSL, its constants and its assertions. */
final class Imports {
    private Imports() {
    }

    /** Evaluated in JShell before the script's first line. */
    static final List<String> JAVA = List.of(
            "import dev.debuglab.dsl.*;",
            "import static dev.debuglab.dsl.Lab.*;",
            "import static dev.debuglab.dsl.DebugLabAssertions.*;",
            "import dev.debuglab.emulator.kvm.KvmVersion;",
            "import dev.debuglab.emulator.kvm.Step;",
            "import dev.debuglab.emulator.vmm.QemuPolicy;");

    /** The default import header of a {@code .kts} script. */
    static final List<String> KOTLIN = List.of(
            "import dev.debuglab.dsl.*",
            "import dev.debuglab.dsl.kotlin.*",
            "import dev.debuglab.emulator.kvm.KvmVersion",
            "import dev.debuglab.emulator.kvm.Step",
            "import dev.debuglab.emulator.vmm.QemuPolicy");
}
