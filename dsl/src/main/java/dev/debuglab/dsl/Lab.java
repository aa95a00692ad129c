package dev.debuglab.dsl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry point of the DSL.
 *
 * <pre>{@code
 * LabRun run = Lab.guest().osLock(true).brk(0x42).build().bareMetal().run();
 * LabRun kvm = Lab.guest().osLock(true).brk(0x42).build().kvm("6.1").qemu().run();
 * Comparison c = guest.compareAcross("5.15", "v2", "6.1", "6.14");
 * SweepResult s = Lab.sweep().oslk(false, true).kde(false, true).events(Sweep.Event.values()).versions("6.1").run();
 * }</pre>
 */
public final class Lab {
    private Lab() {}

    /** Starts guest code at EL1 (the standard vector table is installed first, PSCI SYSTEM_OFF ends it). */
    public static GuestCode guest() {
        return new GuestCode(List.of(), null, 0);
    }

    /** A guest from an AArch64 ELF executable (loaded in guest RAM at its segments' addresses, entry at e_entry). */
    public static Guest elf(Path file) {
        return Guest.elf(file);
    }

    /** A guest from an AArch64 ELF executable. */
    public static Guest elf(String file) {
        if (file == null) throw new DslException("elf(null): give the path of an AArch64 ELF executable");
        return Guest.elf(Path.of(file));
    }

    /** Runs each configured stage (e.g. the same guest on bare metal and several versions) and puts the runs side by side. */
    public static Comparison compare(Stages.Runnable... stages) {
        if (stages == null || stages.length < 2) throw new DslException("compare(...): give at least two configured runs, e.g. compare(g.bareMetal(), g.kvm(\"6.1\").qemu())");
        List<LabRun> runs = new ArrayList<>();
        for (Stages.Runnable s : stages) runs.add(s.run());
        return new Comparison(runs);
    }

    /** A configuration-space sweep; vary the axes, then {@code run()}. */
    public static Sweep sweep() {
        return Sweep.defaults();
    }
}
