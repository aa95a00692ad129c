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

    @Override
    public String toString() {
        return id + " — " + description;
    }
}
