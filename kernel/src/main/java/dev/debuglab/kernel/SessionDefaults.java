package dev.debuglab.kernel;

/** Hands a session's {@code %kvm}/{@code %vmm} choices to the DSL for the runs of that session's cells. */
final class SessionDefaults {
    private SessionDefaults() {
    }

    static void apply(CellContext context, String kvm, String vmm) {
        context.kvm = kvm;
        context.vmm = vmm;
    }
}
