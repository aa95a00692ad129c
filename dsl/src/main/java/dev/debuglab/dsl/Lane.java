package dev.debuglab.dsl;

/** The swimlanes of a run: who handles an event (the guest at EL0 or EL1, KVM at EL2, the VMM in userspace). */
public enum Lane {
    GUEST_EL0("guest EL0"), GUEST_EL1("guest EL1"), KVM_EL2("KVM/EL2"), VMM("VMM");

    private final String label;

    Lane(String label) {
        this.label = label;
    }

    /** "guest EL1", "KVM/EL2", ... */
    public String label() {
        return label;
    }

    /**
     * The label in a run on bare metal ({@code bareMetal}) or under KVM: on bare metal there is no KVM and no VMM, and
     * EL2 is the firmware stub that ends the run (PSCI SYSTEM_OFF, or any exception taken to EL2), "EL2 (firmware)".
     */
    public String label(boolean bareMetal) {
        return bareMetal && this == KVM_EL2 ? "EL2 (firmware)" : label;
    }

    /** The lane of a guest exception level (0 or 1; 2 is KVM). */
    public static Lane ofEl(int el) {
        return switch (el) {
            case 0 -> GUEST_EL0;
            case 1 -> GUEST_EL1;
            default -> KVM_EL2;
        };
    }
}
