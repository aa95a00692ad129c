package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.guest.GuestLog;
import java.util.List;
import java.util.Map;

/**
 * The result of one {@link Vmm#run} (or {@link Vmm#runUntil}): how it ended, what the VMM did
 * ({@link VmmEvent}s, with KVM's trace interleaved when subscribed), what the guest observed (its
 * {@link GuestLog}, cumulative since the guest was loaded), its console output, and the final
 * core registers read through ONE_REG.
 *
 * @param outcome      how the run ended
 * @param message      one line: why it ended
 * @param events       what the VMM did during this run
 * @param observations the guest's log since it was loaded
 * @param console      the PL011 output since the guest was loaded
 * @param registers    core registers at the end ("PC", "PSTATE", "X0".."X30", "SP", "SP_EL1", "ELR_EL1", "SPSR_EL1")
 * @param instructions guest instructions executed during this run
 * @param version      the KVM version (or variant) name
 * @param vmm          the VMM's name (with its policy)
 * @param guest        the guest image, for the verdict's bare-metal run
 */
public record VmmRun(Outcome outcome, String message, List<VmmEvent> events, List<GuestLog.Entry> observations,
                     String console, Map<String, Long> registers, long instructions, String version, String vmm,
                     GuestImage guest) {

    public enum Outcome {
        /** The guest called PSCI SYSTEM_OFF (KVM_EXIT_SYSTEM_EVENT, SHUTDOWN). */
        SYSTEM_OFF,
        /** KVM_EXIT_SYSTEM_EVENT of another type (RESET, CRASH). */
        SYSTEM_EVENT,
        /** The instruction budget ran out (KVM_EXIT_INTR). */
        BUDGET_EXHAUSTED,
        /** The VMM's own debug event stopped the vCPU and the debugger front has no further request. */
        STOPPED,
        /** The requested stop point (after N instructions, at a label) was reached; {@code run} continues. */
        PAUSED,
        /** The same debug exit repeated without progress (kvmtool's re-entry loop); bounded by the VMM. */
        EXIT_LOOP,
        /** KVM_EXIT_INTERNAL_ERROR (an unsupported exit, or a reviewer's override of a KVM step failed). */
        INTERNAL_ERROR,
        /** The VMM itself failed: an ioctl it issued was refused, or a reviewer's override of a VMM step threw. */
        VMM_ERROR
    }

    public VmmRun {
        events = List.copyOf(events);
        observations = List.copyOf(observations);
        registers = registers instanceof CoreRegisters ? registers : Map.copyOf(registers); // CoreRegisters is unmodifiable
    }

    public long pc() {
        return registers.getOrDefault("PC", 0L);
    }

    public long pstate() {
        return registers.getOrDefault("PSTATE", 0L);
    }

    public long x(int n) {
        return registers.getOrDefault("X" + n, 0L);
    }

    /** The exceptions the guest saw at its vectors. */
    public List<GuestLog.Exception> guestExceptions() {
        return observations.stream().filter(e -> e instanceof GuestLog.Exception).map(e -> (GuestLog.Exception) e).toList();
    }

    /** The values the guest logged under {@code tag}. */
    public List<Long> values(int tag) {
        return observations.stream().filter(e -> e instanceof GuestLog.Value v && v.tag() == tag).map(e -> ((GuestLog.Value) e).value()).toList();
    }

    /** The events of one kind, e.g. {@code events(VmmEvent.Injected.class)}. */
    public <T extends VmmEvent> List<T> events(Class<T> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Every KVM_EXIT_DEBUG the VMM handled during this run, in order. */
    public List<DebugExit> debugExits() {
        return events.stream().map(VmmRun::exitOf).filter(java.util.Objects::nonNull).toList();
    }

    private static DebugExit exitOf(VmmEvent e) {
        if (e instanceof VmmEvent.Injected i) return i.exit();
        if (e instanceof VmmEvent.Stopped s) return s.exit();
        if (e instanceof VmmEvent.Ignored g) return g.exit();
        if (e instanceof VmmEvent.Dumped d) return d.exit();
        return null;
    }

    public boolean completed() {
        return outcome == Outcome.SYSTEM_OFF;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format("%s on KVM %s: %s after %d instructions — %s", vmm, version, outcome,
                instructions, message));
        for (VmmEvent e : events) b.append("\n  ").append(e.toString().replace("\n", "\n  "));
        b.append("\n  guest observed:");
        if (observations.isEmpty()) b.append(" nothing");
        for (GuestLog.Entry e : observations) b.append("\n    ").append(e);
        if (!console.isEmpty()) b.append("\n  console: ").append(console.strip().replace("\n", "\n           "));
        b.append(String.format("%n  PC 0x%X PSTATE 0x%X", pc(), pstate()));
        return b.toString();
    }
}
