package dev.debuglab.dsl;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.List;
import java.util.Map;

/**
 * The result of one run: the ordered routing events, what the guest logged itself, the console text,
 * the final registers, how the run ended, the architectural verdict (the same guest on bare metal
 * compared with what it observed here), the configuration it ran with and the guest's listing.
 * Immutable; {@code toString()} tells the story as aligned tables.
 *
 * @param config       where and how it ran
 * @param events       the routing events, in order
 * @param guestLog     the guest's own log (exceptions at its vectors, values it logged)
 * @param console      PL011 output
 * @param registers    final core registers ("PC", "PSTATE", "X0".."X30", "SP_EL1", "ELR_EL1", "SPSR_EL1", ...)
 * @param outcome      how the run ended ("SYSTEM_OFF", "STOPPED", "BUDGET_EXHAUSTED", ...)
 * @param message      one line: why it ended
 * @param instructions guest instructions executed
 * @param verdict      the architectural verdict (on bare metal: the run compared with itself, architectural)
 * @param listing      the guest program
 */
public record LabRun(RunConfig config, List<RoutingEvent> events, List<GuestLog.Entry> guestLog, String console,
                     Map<String, Long> registers, String outcome, String message, long instructions, Verdict verdict,
                     Listing listing) {
    public LabRun {
        events = List.copyOf(events);
        guestLog = List.copyOf(guestLog);
        registers = registers instanceof dev.debuglab.emulator.vmm.CoreRegisters ? registers : Map.copyOf(registers); // unmodifiable
    }

    public long register(String name) {
        Long v = registers.get(name.toUpperCase());
        if (v == null) throw new DslException("no register `" + name + "` in the run's final state; the run has " + new java.util.TreeSet<>(registers.keySet()));
        return v;
    }

    public long x(int n) {
        return registers.getOrDefault("X" + n, 0L);
    }

    public long pc() {
        return registers.getOrDefault("PC", 0L);
    }

    /** True when the guest cannot tell this stack from bare hardware. */
    public boolean architectural() {
        return verdict.architectural();
    }

    /** The exceptions the guest saw at its vectors. */
    public List<GuestLog.Exception> guestExceptions() {
        return guestLog.stream().filter(e -> e instanceof GuestLog.Exception).map(e -> (GuestLog.Exception) e).toList();
    }

    /** The values the guest logged under {@code tag}. */
    public List<Long> values(int tag) {
        return guestLog.stream().filter(e -> e instanceof GuestLog.Value v && v.tag() == tag).map(e -> ((GuestLog.Value) e).value()).toList();
    }

    /** The events of one kind: {@code run.events(RoutingEvent.NotGenerated.class)}. */
    public <T extends RoutingEvent> List<T> events(Class<T> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** The events of one lane. */
    public List<RoutingEvent> events(Lane lane) {
        return events.stream().filter(e -> e.lane() == lane).toList();
    }

    /**
     * One line per guest exception: "EC 0x3C at EL1 (ESR 0xF2000042)", or "nothing" — the short outcome
     * the comparison and sweep tables show.
     */
    public String summary() {
        List<GuestLog.Exception> ex = guestExceptions();
        StringBuilder b = new StringBuilder();
        for (RoutingEvent e : events) {
            if (e instanceof RoutingEvent.VmmDecision d && d.kind() == RoutingEvent.VmmDecisionKind.OWN_STOP) {
                if (b.length() > 0) b.append("; ");
                b.append(String.format("EC 0x%02X to VMM", d.ec()));
            }
        }
        for (GuestLog.Exception e : ex) {
            if (b.length() > 0) b.append("; ");
            b.append(String.format("EC 0x%02X at EL1", e.ec()));
        }
        if (b.length() == 0) b.append("none");
        if (!outcome.equals("SYSTEM_OFF")) b.append(" [").append(outcome).append(']');
        return b.toString();
    }

    /** The text rendering ({@link dev.debuglab.dsl.render.TextRenderer#render(LabRun)}): the one plain-text form of a run. */
    @Override
    public String toString() {
        return dev.debuglab.dsl.render.TextRenderer.render(this);
    }
}
