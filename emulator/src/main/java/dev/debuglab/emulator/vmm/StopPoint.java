package dev.debuglab.emulator.vmm;

/**
 * Where {@link Vmm#runUntil} pauses the guest (for a migration or an inspection): after a number of
 * instructions, or when the PC reaches an address (a label of the guest). Pausing needs no guest
 * debug state: the VMM runs KVM_RUN with a budget (the model's analogue of a signal kicking the
 * vCPU out) and, for an address, one instruction at a time.
 */
public record StopPoint(long instructions, Long address, String label) {
    public static StopPoint afterInstructions(long n) {
        if (n <= 0) throw new IllegalArgumentException("stop after " + n + " instructions: give a positive count");
        return new StopPoint(n, null, null);
    }

    public static StopPoint atAddress(long pc) {
        return new StopPoint(0, pc, null);
    }

    public static StopPoint atLabel(GuestImage guest, String label) {
        return new StopPoint(0, guest.symbol(label), label);
    }

    @Override
    public String toString() {
        if (address == null) return "after " + instructions + " instructions";
        return label != null ? String.format("at %s (0x%X)", label, address) : String.format("at 0x%X", address);
    }
}
