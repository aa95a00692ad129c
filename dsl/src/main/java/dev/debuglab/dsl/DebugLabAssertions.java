package dev.debuglab.dsl;

import dev.debuglab.emulator.sysreg.RegisterFields.ESR;
import dev.debuglab.emulator.arch.Syndrome;
import dev.debuglab.emulator.guest.GuestLog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * AssertJ-shaped assertions on a {@link LabRun}, for tests and notebooks that must fail when wrong:
 * {@code assertThat(run).tookAt(EL1).withEc(0x3C).withEsr(0xF2000042L)}. A failure throws
 * {@link AssertionError} whose message says what was expected, what happened, and the routing inputs
 * (where it ran, the guest's debug setup, KVM's debug setup at each guest entry, the routing events).
 */
public final class DebugLabAssertions {
    private DebugLabAssertions() {}

    /** Where an exception was taken. */
    public enum Where { EL1, EL2, VMM }

    public static final Where EL1 = Where.EL1, EL2 = Where.EL2, VMM = Where.VMM;

    public static RunAssert assertThat(LabRun run) {
        if (run == null) throw new AssertionError("expected a LabRun but got null");
        return new RunAssert(run);
    }

    /** The routing inputs of a run, for failure messages. */
    static String inputs(LabRun run) {
        StringBuilder b = new StringBuilder("\nRouting inputs:\n  ran on: ").append(run.config().where());
        if (!run.config().debugRequests().isEmpty()) b.append("\n  userspace debug: ").append(String.join(", ", run.config().debugRequests()));
        b.append("\n  guest setup: ").append(run.config().guestSetup().isEmpty() ? "(none)" : String.join(", ", run.config().guestSetup()));
        for (RoutingEvent e : run.events())
            if (e instanceof RoutingEvent.GuestEntry g) b.append("\n  KVM ").append(g.what());
        b.append("\n  outcome: ").append(run.outcome()).append(" after ").append(run.instructions()).append(" instructions");
        b.append("\nRouting events:");
        if (run.events().isEmpty()) b.append(" (none)");
        for (RoutingEvent e : run.events()) b.append("\n  ").append(e.story());
        b.append("\nGuest log:");
        if (run.guestLog().isEmpty()) b.append(" (nothing)");
        for (GuestLog.Entry e : run.guestLog()) b.append("\n  ").append(e);
        return b.toString();
    }

    /** One exception as the assertions see it. */
    record Taken(Where where, int fromEl, long esr, long elr, long far, String text) {
        int ec() {
            return (int) ESR.EC.get(esr);
        }
    }

    public static final class RunAssert {
        private final LabRun run;

        RunAssert(LabRun run) {
            this.run = run;
        }

        private AssertionError fail(String msg) {
            return new AssertionError(msg + inputs(run));
        }

        /** The run has an exception taken at {@code where} (EL1: the guest's vectors; EL2: KVM or firmware; VMM: a KVM_EXIT_DEBUG the VMM kept). */
        public ExceptionAssert tookAt(Where where) {
            List<Taken> all = new ArrayList<>();
            switch (where) {
                case EL1 -> {
                    for (GuestLog.Exception x : run.guestExceptions())
                        all.add(new Taken(EL1, (x.vector() & 0x400) != 0 ? 0 : 1, x.esr(), x.elr(), x.far(), x.toString()));
                }
                case EL2 -> {
                    for (RoutingEvent e : run.events()) {
                        if (e instanceof RoutingEvent.ExitToEl2 x && x.ec() != 0x18 && x.ec() != 0x16 && x.ec() != 0x24)
                            all.add(new Taken(EL2, x.el(), x.esr(), x.elr(), x.far(), x.story()));
                        if (e instanceof RoutingEvent.ExceptionTaken t && t.toEl() == 2 && t.ec() != 0x16)
                            all.add(new Taken(EL2, t.fromEl(), t.esr(), t.elr(), t.far(), t.story()));
                    }
                }
                case VMM -> {
                    for (RoutingEvent.VmmDecision d : run.events(RoutingEvent.VmmDecision.class))
                        if (d.kind() == RoutingEvent.VmmDecisionKind.OWN_STOP || d.kind() == RoutingEvent.VmmDecisionKind.DUMPED)
                            all.add(new Taken(VMM, 1, d.esr(), d.elr(), d.far(), d.story()));
                }
            }
            if (all.isEmpty()) throw fail("expected an exception taken at " + where + ", but none was");
            return new ExceptionAssert(this, where, all, "taken at " + where);
        }

        /** No exception reached the guest's vectors. */
        public RunAssert hasNoGuestExceptions() {
            if (!run.guestExceptions().isEmpty())
                throw fail("expected no exception at the guest's vectors, but it took " + run.guestExceptions().size());
            return this;
        }

        /** A debug event the guest or VMM armed was not generated; {@code what} is part of its description ("breakpoint", "watchpoint 0"). */
        public NotGeneratedAssert notGenerated(String what) {
            List<RoutingEvent.NotGenerated> l = run.events(RoutingEvent.NotGenerated.class).stream()
                    .filter(n -> what == null || n.event().contains(what)).toList();
            if (l.isEmpty()) throw fail("expected \"" + what + "\" not to be generated, but " + (run.events(RoutingEvent.NotGenerated.class).isEmpty()
                    ? "every armed event was generated" : "the events not generated are " + run.events(RoutingEvent.NotGenerated.class)));
            return new NotGeneratedAssert(this, l);
        }

        /** Every debug event armed was generated. */
        public RunAssert allGenerated() {
            if (!run.events(RoutingEvent.NotGenerated.class).isEmpty())
                throw fail("expected every armed event to be generated, but not: " + run.events(RoutingEvent.NotGenerated.class));
            return this;
        }

        public RunAssert isArchitectural() {
            if (!run.architectural()) throw fail("expected the run to be architectural (as bare metal), but:\n" + run.verdict());
            return this;
        }

        public RunAssert isNotArchitectural() {
            if (run.architectural()) throw fail("expected the run to differ from bare metal, but the guest saw exactly what the architecture shows");
            return this;
        }

        public RunAssert endedWith(String outcome) {
            if (!run.outcome().equals(outcome)) throw fail("expected the run to end with " + outcome + ", but it ended with " + run.outcome() + " (" + run.message() + ")");
            return this;
        }

        public RunAssert loggedValue(int tag, long value) {
            if (!run.values(tag).contains(value))
                throw fail(String.format("expected the guest to log 0x%X under tag %d, but it logged %s", value, tag,
                        run.values(tag).stream().map(v -> String.format("0x%X", v)).toList()));
            return this;
        }

        public RunAssert hasRegister(String name, long value) {
            long v = run.register(name);
            if (v != value) throw fail(String.format("expected %s = 0x%X, but it is 0x%X", name, value, v));
            return this;
        }

        /** The run has a KVM decision of this kind. */
        public RunAssert kvmDecided(RoutingEvent.KvmDecisionKind kind) {
            if (run.events(RoutingEvent.KvmDecision.class).stream().noneMatch(d -> d.kind() == kind))
                throw fail("expected a KVM decision " + kind + ", but there was none");
            return this;
        }

        /** The run has a VMM decision of this kind. */
        public RunAssert vmmDecided(RoutingEvent.VmmDecisionKind kind) {
            if (run.events(RoutingEvent.VmmDecision.class).stream().noneMatch(d -> d.kind() == kind))
                throw fail("expected a VMM decision " + kind + ", but there was none");
            return this;
        }

        public LabRun run() {
            return run;
        }
    }

    public static final class ExceptionAssert {
        private final RunAssert parent;
        private final Where where;
        private final List<Taken> candidates;
        private final String so;

        ExceptionAssert(RunAssert parent, Where where, List<Taken> candidates, String so) {
            this.parent = parent;
            this.where = where;
            this.candidates = candidates;
            this.so = so;
        }

        private ExceptionAssert filter(String what, Predicate<Taken> p) {
            List<Taken> l = candidates.stream().filter(p).toList();
            if (l.isEmpty()) {
                StringBuilder b = new StringBuilder("expected an exception " + so + " " + what + ", but the exceptions " + so + " were:");
                for (Taken t : candidates)
                    b.append(String.format("%n  ESR 0x%08X (%s) ELR 0x%X%s from EL%d", t.esr(), dev.debuglab.dsl.render.Esr.decode(t.esr()), t.elr(),
                            t.far() == RoutingEvent.NO_FAR ? "" : String.format(" FAR 0x%X", t.far()), t.fromEl()));
                throw parent.fail(b.toString());
            }
            return new ExceptionAssert(parent, where, l, so + " " + what);
        }

        public ExceptionAssert withEc(int ec) {
            return filter(String.format("with EC 0x%02X", ec), t -> t.ec() == ec);
        }

        public ExceptionAssert withEsr(long esr) {
            return filter(String.format("with ESR 0x%08X", esr), t -> t.esr() == esr);
        }

        /** With an ISS (ESR bits 24:0). */
        public ExceptionAssert withIss(int iss) {
            return filter(String.format("with ISS 0x%07X", iss), t -> (t.esr() & 0x1FF_FFFF) == iss);
        }

        public ExceptionAssert atPc(long elr) {
            return filter(String.format("at PC 0x%X", elr), t -> t.elr() == elr);
        }

        /** At the address of a label of the guest. */
        public ExceptionAssert atLabel(String label) {
            Long a = parent.run.listing().labels().get(label);
            if (a == null) throw new DslException("atLabel(\"" + label + "\"): the guest has no such label");
            return filter("at `" + label + "` (0x" + Long.toHexString(a) + ")", t -> t.elr() == a);
        }

        public ExceptionAssert withFar(long far) {
            return filter(String.format("with FAR 0x%X", far), t -> t.far() == far);
        }

        /** Taken from this EL (0 or 1). */
        public ExceptionAssert from(int el) {
            return filter("from EL" + el, t -> t.fromEl() == el);
        }

        /** Exactly {@code n} such exceptions. */
        public ExceptionAssert times(int n) {
            if (candidates.size() != n)
                throw parent.fail("expected " + n + " exception(s) " + so + ", but there were " + candidates.size());
            return this;
        }

        /** Back to the run. */
        public RunAssert and() {
            return parent;
        }
    }

    public static final class NotGeneratedAssert {
        private final RunAssert parent;
        private final List<RoutingEvent.NotGenerated> events;

        NotGeneratedAssert(RunAssert parent, List<RoutingEvent.NotGenerated> events) {
            this.parent = parent;
            this.events = events;
        }

        /** The reason contains {@code text}, e.g. "OSLK = 1". */
        public NotGeneratedAssert because(String text) {
            if (events.stream().noneMatch(e -> e.reason().contains(text)))
                throw parent.fail("expected the reason to mention \"" + text + "\", but the reasons are "
                        + events.stream().map(RoutingEvent.NotGenerated::reason).toList());
            return this;
        }

        public RunAssert and() {
            return parent;
        }
    }
}
