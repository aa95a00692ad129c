package dev.debuglab.realkvm;

import java.util.List;

/**
 * One scenario of scenarios.md section B as both sides run it: the guest (assembled by the
 * project's {@link dev.debuglab.emulator.isa.Assembler} with the {@link dev.debuglab.emulator.guest.StandardVectors}
 * runtime) and the VMM's actions, in one {@link Script} that {@link ModelDriver} runs on the model
 * and {@code dlkvm} runs on real KVM.
 *
 * @param id          the scenario's id (scenarios.md, or the kvm.md §6.1 observation id)
 * @param rows        the rows of scenarios.md it checks
 * @param description what it does, in one line
 * @param script      the VMM's script (framed by the runner)
 * @param known       null, or why real KVM under QEMU is known to differ from the model here: an
 *                    environment artefact the spec records (kvm.md §6.3 N3) or a finding of this
 *                    comparison that the spec does not settle (docs/realkvm.md)
 */
public record Scenario(String id, List<String> rows, String description, Script script, String known) {
    public Scenario {
        rows = List.copyOf(rows);
    }

    /**
     * A scenario of your own: {@code image} (e.g. a DSL guest's {@code Guest.image()}) in a fresh VM,
     * run to PSCI SYSTEM_OFF with userspace debugging off, its guest log compared on both sides:
     * <pre>{@code RealKvm.on(Kernel.of("6.1")).run(List.of(Scenario.of("my-guest", guest.image())))}</pre>
     */
    public static Scenario of(String id, dev.debuglab.emulator.vmm.GuestImage image) {
        return of(id, image, Script.empty());
    }

    /** As {@link #of(String, dev.debuglab.emulator.vmm.GuestImage)}, with the VMM's setup ({@code vmm}: guest debug, rules) before the run. */
    public static Scenario of(String id, dev.debuglab.emulator.vmm.GuestImage image, Script vmm) {
        if (id == null || !id.matches("[A-Za-z0-9._-]+"))
            throw new RealKvmException("a scenario id is letters, digits, '.', '_' and '-' (it is a word in the driver's script), not '" + id + "'");
        Script s = Script.empty().vm().load(image);
        for (String line : vmm.lines()) s = s.line(line);
        return new Scenario(id, List.of(), "your guest (entry 0x" + Long.toHexString(image.entry()) + ")", s.run(), null);
    }

    @Override
    public String toString() {
        return id + " — " + description;
    }
}
