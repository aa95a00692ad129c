package dev.debuglab.dsl.render;

import dev.debuglab.dsl.Lane;
import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.RoutingEvent;
import dev.debuglab.dsl.RoutingEvent.KvmDecisionKind;
import dev.debuglab.dsl.RoutingEvent.VmmDecisionKind;
import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.verdict.Difference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's routing events as the pictures draw them: each event becomes one {@link Step} — an arrow
 * between two lanes (an exception, an exit, an injection, a return into the guest) or a note on one
 * lane (KVM's or the VMM's decision, a debug event not generated) — with a short label and the
 * differences from the architecture that the verdict places on it.
 *
 * <p>Placing the verdict's differences: an extra exception or a different field is placed on the
 * guest exception with the same ELR (and on the injection that caused it, when one precedes it); a
 * missing exception on the events at the ELR where the architecture takes it (KVM's exit and
 * decision, a "not generated" note); a difference that has no such event stays in {@link #unplaced}
 * and is drawn as a row of its own.
 *
 * @param steps     one per shown event, in order
 * @param unplaced  differences with no event to carry them
 * @param hiddenMmio the number of MMIO round trips (guest log and console stores) left out
 * @param hiddenSteps the number of one-instruction KVM_RUNs the VMM made to reach a stop point (a migration at a
 *                    label) left out: each is a KVM_EXIT_INTR and a re-entry, nothing the guest or KVM decided
 */
public record Story(List<Step> steps, List<Difference> unplaced, int hiddenMmio, int hiddenSteps) {

    /** How a step is drawn; {@link #cssClass} is the colour class of the SVG and HTML. */
    public enum Kind {
        EXCEPTION("exception", "exception taken by the guest"),
        EXIT("exit", "exit to KVM (EL2)"),
        USERSPACE_EXIT("userspace-exit", "KVM_RUN returns to the VMM"),
        INJECTION("injection", "exception injected into the guest"),
        RETURN("return", "return into the guest (ERET)"),
        DECISION("decision", "KVM's or the VMM's decision"),
        NOT_GENERATED("not-generated", "debug event not generated"),
        MISSING("missing", "missing: bare metal takes it here");

        public final String cssClass;
        public final String legend;

        Kind(String cssClass, String legend) {
            this.cssClass = cssClass;
            this.legend = legend;
        }

        public boolean arrow() {
            return this != DECISION && this != NOT_GENERATED;
        }
    }

    /**
     * One drawn event.
     *
     * @param index       the event's position in {@link LabRun#events()} (-1 for an unplaced difference)
     * @param event       the event (null for an unplaced difference)
     * @param kind        how it is drawn
     * @param from        the lane the arrow starts at (the note's lane)
     * @param to          the lane the arrow ends at (= from for a note)
     * @param label       the first label line ("BRK ESR 0xF2000042")
     * @param detail      the second label line ("PC 0x40000010 <target>")
     * @param differences why this step differs from the architecture (empty: it does not)
     */
    public record Step(int index, RoutingEvent event, Kind kind, Lane from, Lane to, String label, String detail,
                       List<String> differences) {
        public Step {
            differences = List.copyOf(differences);
        }

        public boolean differs() {
            return !differences.isEmpty();
        }
    }

    public Story {
        steps = List.copyOf(steps);
        unplaced = List.copyOf(unplaced);
    }

    /** The steps of a run, MMIO round trips of the guest log and console left out. */
    public static Story of(LabRun run) {
        return of(run, false);
    }

    public static Story of(LabRun run, boolean includeMmio) {
        List<RoutingEvent> events = run.events();
        boolean[] hidden = new boolean[events.size()];
        int mmio = includeMmio ? 0 : hideMmio(events, hidden);
        int stepping = includeMmio ? 0 : hideStepping(events, hidden);
        Map<Long, String> labels = new LinkedHashMap<>();
        if (run.listing() != null)
            run.listing().labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> labels.putIfAbsent(e.getValue(), e.getKey()));
        List<List<String>> marks = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) marks.add(new ArrayList<>());
        List<Difference> unplaced = new ArrayList<>();
        if (run.verdict() != null) place(run.verdict().differences(), events, hidden, marks, unplaced);

        List<Step> steps = new ArrayList<>();
        Lane guestLane = Lane.GUEST_EL1;
        for (int i = 0; i < events.size(); i++) {
            RoutingEvent e = events.get(i);
            if (e instanceof RoutingEvent.ExitToEl2 x) guestLane = Lane.ofEl(Math.min(x.fromEl(), 1));
            if (e instanceof RoutingEvent.ExceptionTaken x) guestLane = Lane.ofEl(Math.min(x.toEl(), 1));
            if (hidden[i]) continue;
            if (!includeMmio && e instanceof RoutingEvent.GuestEntry && !steps.isEmpty() && marks.get(i).isEmpty()) {
                RoutingEvent prev = steps.get(steps.size() - 1).event();
                // A re-entry with no exit before it (the guest-log MMIO exit before it is not in the trace): nothing to draw.
                if (prev instanceof RoutingEvent.ExceptionTaken || prev instanceof RoutingEvent.GuestEntry) {
                    mmio++;
                    continue;
                }
            }
            steps.add(step(i, e, guestLane, labels, marks.get(i)));
        }
        for (Difference d : unplaced) {
            if (d.kind() != Difference.Kind.MISSING_EXCEPTION) continue;
            GuestLog.Exception x = (GuestLog.Exception) d.expected();
            Lane from = x.vector() >= 0x400 ? Lane.GUEST_EL0 : Lane.GUEST_EL1;
            steps.add(new Step(-1, null, Kind.MISSING, from, Lane.GUEST_EL1,
                    Esr.shortName(x.ec()) + " ESR " + String.format("0x%08X", x.esr()) + " missing",
                    "ELR " + pcText(x.elr(), labels), List.of(d.toString())));
        }
        return new Story(steps, unplaced, mmio, stepping);
    }

    /** Hides the VMM's one-instruction runs towards a stop point (KVM_EXIT_INTR of a budget of 1) and the re-entry after each. */
    private static int hideStepping(List<RoutingEvent> events, boolean[] hidden) {
        int count = 0;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof RoutingEvent.ExitToVmm x && x.exitName().equals("KVM_EXIT_INTR")
                    && x.description().contains("budget of 1 ran out")) {
                hidden[i] = true;
                count++;
                if (i + 1 < events.size() && events.get(i + 1) instanceof RoutingEvent.GuestEntry) hidden[i + 1] = true;
            }
        }
        return count;
    }

    /** Hides each exit whose handling was an MMIO round trip, with its userspace exit and the guest re-entry. */
    private static int hideMmio(List<RoutingEvent> events, boolean[] hidden) {
        int count = 0;
        int start = -1;
        for (int i = 0; i <= events.size(); i++) {
            RoutingEvent e = i < events.size() ? events.get(i) : null;
            boolean opens = e == null || e instanceof RoutingEvent.ExitToEl2 || e instanceof RoutingEvent.ExceptionTaken;
            if (opens && start >= 0) {
                // The group [start, i): an exit and what followed it up to the next exit or guest exception.
                boolean isMmio = false, other = false;
                for (int k = start; k < i; k++) {
                    RoutingEvent g = events.get(k);
                    if (g instanceof RoutingEvent.KvmDecision d && (d.kind() == KvmDecisionKind.MMIO || d.kind() == KvmDecisionKind.MMIO_COMPLETED))
                        isMmio = true;
                    else if (g instanceof RoutingEvent.KvmDecision || g instanceof RoutingEvent.VmmDecision v && v.kind() != VmmDecisionKind.UNASSIGNED_MMIO
                            || g instanceof RoutingEvent.NotGenerated)
                        other = true;
                }
                if (isMmio && !other) {
                    for (int k = start; k < i; k++) hidden[k] = true;
                    count++;
                }
                start = -1;
            }
            if (e instanceof RoutingEvent.ExitToEl2) start = i;
        }
        return count;
    }

    private static void place(List<Difference> differences, List<RoutingEvent> events, boolean[] hidden, List<List<String>> marks,
                              List<Difference> unplaced) {
        boolean[] used = new boolean[events.size()];
        for (Difference d : differences) {
            boolean placed = false;
            switch (d.kind()) {
                case EXTRA_EXCEPTION, DIFFERENT_FIELD -> {
                    GuestLog.Exception x = (GuestLog.Exception) d.actual();
                    for (int i = 0; i < events.size() && !placed; i++) {
                        if (used[i] || hidden[i] || !(events.get(i) instanceof RoutingEvent.ExceptionTaken t)) continue;
                        if (t.elr() != x.elr() || (d.kind() == Difference.Kind.EXTRA_EXCEPTION && t.esr() != x.esr())) continue;
                        marks.get(i).add(d.toString());
                        used[i] = d.kind() == Difference.Kind.EXTRA_EXCEPTION;
                        int k = i - 1;
                        while (k >= 0 && events.get(k) instanceof RoutingEvent.GuestEntry) k--;
                        if (k >= 0 && !hidden[k] && isInjection(events.get(k))) marks.get(k).add("this injection delivers it: " + d);
                        placed = true;
                    }
                }
                case MISSING_EXCEPTION -> {
                    GuestLog.Exception x = (GuestLog.Exception) d.expected();
                    for (int i = 0; i < events.size(); i++) {
                        RoutingEvent e = events.get(i);
                        if (hidden[i] || e instanceof RoutingEvent.GuestEntry || e instanceof RoutingEvent.ExceptionTaken) continue;
                        if (e.pc() != -1 && (e.pc() == x.elr() || e.elr() == x.elr())) {
                            marks.get(i).add(d.toString());
                            placed = true;
                        }
                    }
                }
                default -> { }
            }
            if (!placed) unplaced.add(d);
        }
    }

    private static boolean isInjection(RoutingEvent e) {
        return e instanceof RoutingEvent.VmmDecision v && v.kind() == VmmDecisionKind.REINJECTED
                || e instanceof RoutingEvent.KvmDecision k && k.kind() == KvmDecisionKind.UNDEF_INJECTED;
    }

    static String pcText(long pc, Map<Long, String> labels) {
        if (pc == -1) return "-";
        String l = labels.get(pc);
        return String.format("0x%X", pc) + (l == null ? "" : " <" + l + ">");
    }

    private static String esrLabel(RoutingEvent e) {
        return e.hasSyndrome() ? Esr.shortName(e.ec()) + " ESR " + String.format("0x%08X", e.esr()) : "";
    }

    private static Step step(int i, RoutingEvent e, Lane guestLane, Map<Long, String> labels, List<String> marks) {
        String pc = e.pc() == -1 ? "" : "PC " + pcText(e.pc(), labels);
        if (e instanceof RoutingEvent.ExceptionTaken x)
            return new Step(i, e, Kind.EXCEPTION, Lane.ofEl(x.fromEl()), Lane.ofEl(x.toEl()), esrLabel(e),
                    "ELR " + pcText(x.elr(), labels) + (x.far() == RoutingEvent.NO_FAR ? "" : String.format(" FAR 0x%X", x.far())), marks);
        if (e instanceof RoutingEvent.ExitToEl2 x)
            return new Step(i, e, Kind.EXIT, Lane.ofEl(x.fromEl()), Lane.KVM_EL2, esrLabel(e), pc, marks);
        if (e instanceof RoutingEvent.GuestEntry g)
            return new Step(i, e, Kind.RETURN, Lane.KVM_EL2, guestLane, "ERET to guest (" + g.row() + ")",
                    String.format("TDE %d  OSLK %d  %s", g.tde() ? 1 : 0, g.osLocked() ? 1 : 0, pcText(g.pc(), labels)), marks);
        if (e instanceof RoutingEvent.ExitToVmm x)
            return new Step(i, e, Kind.USERSPACE_EXIT, Lane.KVM_EL2, Lane.VMM,
                    x.exitName() + (x.hasSyndrome() ? " " + Esr.shortName(x.ec()) : ""),
                    x.hasSyndrome() ? String.format("hsr 0x%08X %s", x.esr(), pc) : pc, marks);
        if (e instanceof RoutingEvent.KvmDecision d) {
            if (d.kind() == KvmDecisionKind.UNDEF_INJECTED)
                return new Step(i, e, Kind.INJECTION, Lane.KVM_EL2, guestLane, "inject UNDEF", pc, marks);
            return new Step(i, e, Kind.DECISION, Lane.KVM_EL2, Lane.KVM_EL2, lower(d.kind()) + " (" + d.handler() + ")", d.text(), marks);
        }
        if (e instanceof RoutingEvent.VmmDecision d) {
            if (d.kind() == VmmDecisionKind.REINJECTED)
                return new Step(i, e, Kind.INJECTION, Lane.VMM, Lane.GUEST_EL1, "inject " + esrLabel(e), pc, marks);
            return new Step(i, e, Kind.DECISION, Lane.VMM, Lane.VMM, d.vmm() + ": " + lower(d.kind()), d.text(), marks);
        }
        if (e instanceof RoutingEvent.NotGenerated n)
            return new Step(i, e, Kind.NOT_GENERATED, e.lane(), e.lane(), n.event() + " not generated", n.reason(), marks);
        return new Step(i, e, Kind.DECISION, e.lane(), e.lane(), e.getClass().getSimpleName(), e.what(), marks);
    }

    private static String lower(Enum<?> k) {
        return k.name().toLowerCase().replace('_', ' ');
    }
}
