package dev.debuglab.dsl;

import java.util.List;

/**
 * The configuration a run used, as data: where it ran (bare metal or a KVM version and VMM), the
 * userspace debug requests, the migration, and the guest's own debug setup as the DSL built it.
 *
 * @param target        "bare metal" or "KVM"
 * @param version       the KVM version or variant name ("" on bare metal)
 * @param vmm           the VMM's name with its policy ("" on bare metal)
 * @param debugRequests the userspace debug requests, as gdb would say them ("hbreak target", "stepi 1")
 * @param migration     "" or "to 6.12 at `mid`"
 * @param guestSetup    the guest's debug macros in program order ("OS lock locked", "KDE 1", ...)
 */
public record RunConfig(String target, String version, String vmm, List<String> debugRequests, String migration,
                        List<String> guestSetup) {
    public RunConfig {
        debugRequests = List.copyOf(debugRequests);
        guestSetup = List.copyOf(guestSetup);
    }

    public boolean bareMetal() {
        return version.isEmpty();
    }

    /** "bare metal", "KVM 6.1 + QEMU", "KVM 6.1 + kvmtool, migrated to 6.12 at `mid`". */
    public String where() {
        if (bareMetal()) return "bare metal";
        return "KVM " + version + " + " + vmm + (migration.isEmpty() ? "" : ", migrated " + migration);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(where());
        if (!debugRequests.isEmpty()) b.append("; userspace debug: ").append(String.join(", ", debugRequests));
        if (!guestSetup.isEmpty()) b.append("; guest: ").append(String.join(", ", guestSetup));
        return b.toString();
    }
}
