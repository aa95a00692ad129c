package dev.debuglab.dsl;

import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import dev.debuglab.emulator.arch.ExceptionClass;
import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Program;
import dev.debuglab.emulator.kvm.KvmEvent;
import dev.debuglab.emulator.kvm.KvmRun;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.machine.ElfImage;
import dev.debuglab.emulator.machine.VirtMachine;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.verdict.BareMetal;
import dev.debuglab.emulator.verdict.Verdict;
import dev.debuglab.emulator.vmm.KvmtoolVmm;
import dev.debuglab.emulator.vmm.Migration;
import dev.debuglab.emulator.vmm.QemuPolicy;
import dev.debuglab.emulator.vmm.QemuVmm;
import dev.debuglab.emulator.vmm.StopPoint;
import dev.debuglab.emulator.vmm.Vmm;
import dev.debuglab.emulator.vmm.VmmEvent;
import dev.debuglab.emulator.vmm.VmmRun;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a configured stage and turns what the emulator, KVM model and VMM report into a {@link LabRun}. */
final class Runner {
    private Runner() {}

    /** Device window of the PL011 and the guest log: MMIO exits there are plumbing, not routing. */
    static final long DEVICES_LO = 0x0900_0000L, DEVICES_HI = 0x0902_0000L;

    // --- bare metal ---------------------------------------------------------------------------------------

    /** The bare-metal machine of stage {@code s}, loaded and reset, its guest log mapped. */
    private static VirtMachine bareMachine(Stages.BareMetalStage s, ByteArrayOutputStream console, GuestLog log) {
        Guest g = s.guest();
        VirtMachine m = new VirtMachine(BareMetal.RAM_SIZE, console, new ByteArrayOutputStream());
        m.mem.map(GuestLog.BASE, GuestLog.SIZE, log);
        List<ElfImage.Segment> segments = new ArrayList<>(g.image().image().segments());
        Long stub = g.image().symbols().get("el2_vectors");
        if (stub == null) {
            Program p = Assembler.assemble(BareMetal.STUB_ADDRESS, StandardVectors.EL2_EXIT_STUB);
            segments.add(new ElfImage.Segment(BareMetal.STUB_ADDRESS, p.bytes()));
            stub = p.symbol("el2_vectors");
        }
        m.load(new ElfImage(g.image().entry(), segments));
        m.reset(VirtMachine.Start.EL1);
        m.cpu.sp[1] = g.image().stackPointer();
        m.cpu.sys.vbar[2] = stub;
        if (s.tde()) m.cpu.sys.mdcrEl2 = MDCR_EL2.TDE.set(m.cpu.sys.mdcrEl2, true);
        return m;
    }

    static LabRun bareMetal(Stages.BareMetalStage s) {
        Guest g = s.guest();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        GuestLog log = new GuestLog();
        VirtMachine m = bareMachine(s, console, log);
        List<RoutingEvent> events = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        m.addExceptionListener((rec, from, to, esr, elr, vector) -> {
            if (events.size() < MAX_EVENTS) {
                events.add(new RoutingEvent.ExceptionTaken(elr, from, to, esr, elr, rec.hasFar() ? rec.far() : RoutingEvent.NO_FAR, vector));
                times.add(m.cpu.instructionsRetired);
            }
        });
        VirtMachine.Result r = m.run(s.budget());
        String outcome;
        String message = r.message();
        RoutingEvent last = events.isEmpty() ? null : events.get(events.size() - 1);
        if (r.outcome() == VirtMachine.Outcome.EXITED) {
            Long off1 = g.image().symbols().get("dl_system_off");
            boolean off = last instanceof RoutingEvent.ExceptionTaken t && t.toEl() == 2 && t.ec() == ExceptionClass.HVC64.ec
                    && (off1 == null || t.elr() == off1 + 4);
            outcome = off ? "SYSTEM_OFF" : "TAKEN_TO_EL2";
            message = off ? "the guest called PSCI SYSTEM_OFF" : "an exception was taken to EL2, where the bare-metal firmware stub ends the run";
        } else outcome = r.outcome().name();
        Map<String, Long> regs = new LinkedHashMap<>();
        regs.put("PC", m.cpu.pc);
        regs.put("PSTATE", m.cpu.packPstate());
        for (int i = 0; i <= 30; i++) regs.put("X" + i, m.cpu.x[i]);
        regs.put("SP_EL0", m.cpu.sp[0]);
        regs.put("SP_EL1", m.cpu.sp[1]);
        regs.put("ELR_EL1", m.cpu.sys.elr[1]);
        regs.put("SPSR_EL1", m.cpu.sys.spsr[1]);
        regs.put("ESR_EL1", m.cpu.sys.esr[1]);
        regs.put("FAR_EL1", m.cpu.sys.far[1]);
        regs.put("MDSCR_EL1", m.cpu.sys.mdscrEl1);
        regs.put("OSLSR_EL1", m.cpu.sys.oslsrEl1);
        List<GuestLog.Entry> obs = log.entries();
        // A bare-metal run is the architecture for its own configuration (TDE included: with MDCR_EL2.TDE = 1 the
        // architecture routes debug exceptions to EL2), so its reference is itself; docs/dsl-grammar.md "Verdicts".
        Verdict v = Verdict.compare(obs, obs, s.tde() ? "bare metal with MDCR_EL2.TDE = 1: the architecture itself"
                : "bare metal: the architecture itself");
        if (outcome.equals("SYSTEM_OFF") && needsProbe(g, events, obs)) {
            VirtMachine machine = bareMachine(s, new ByteArrayOutputStream(), new GuestLog());
            Probe probe = new Probe(machine.cpu) {
                boolean step() {
                    return machine.run(1).outcome() == VirtMachine.Outcome.BUDGET_EXHAUSTED;
                }
            };
            machine.addExceptionListener((rec, from, to, esr, elr, vector) -> probe.taken(esr));
            Moments at = moments(g, probe, r.instructions(), events, obs);
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < times.size(); i++) all.add(i);
            exactTimes(times, all, probe.exceptions);
            place(events, times, at, (w, e) -> reason(w.armed(), null, s.tde(), false, w.state()));
        }
        return new LabRun(s.config(), events, obs, console.toString(StandardCharsets.UTF_8), regs, outcome, message, r.instructions(), v,
                g.listing());
    }

    // --- KVM + VMM ----------------------------------------------------------------------------------------

    /**
     * The DSL's VMs have 1 MiB of RAM: a DSL guest (code, data, the runtime at +64 KiB, the stacks below 1 MiB) fits,
     * and a VM is created in a fraction of the time of the VMMs' 8 MiB default (the RAM array dominates a short run).
     * An ELF guest gets the default.
     */
    static final int DSL_RAM = 1 << 20;

    static Vmm vmm(KvmVersion v, boolean qemu, QemuPolicy policy, boolean dss, int ram) {
        dev.debuglab.emulator.kvm.VmConfig c = Vmm.DEFAULT_CONFIG.withRamSize(ram);
        return qemu ? new QemuVmm(v, policy, c) : new KvmtoolVmm(v, dss, c);
    }

    /** Routing events kept per run (a guest that loops on an exception would otherwise fill the heap). */
    static final int MAX_EVENTS = 10_000;

    static LabRun kvm(Guest g, KvmVersion version, boolean qemu, QemuPolicy policy, boolean dss, List<String> requests,
                      Stages.MigrationPoint migration, long budget, RunConfig config) {
        return kvm(g, version, qemu, policy, dss, requests, migration, budget, config, true);
    }

    /** {@code trace} false: without KVM's trace (the VMM's decisions only), for sweeps. */
    static LabRun kvm(Guest g, KvmVersion version, boolean qemu, QemuPolicy policy, boolean dss, List<String> requests,
                      Stages.MigrationPoint migration, long budget, RunConfig config, boolean trace) {
        int ram = g.image().stackPointer() <= Guest.BASE + DSL_RAM ? DSL_RAM : Vmm.DEFAULT_CONFIG.ramSize();
        Vmm src = vmm(version, qemu, policy, dss, ram);
        src.traceKvm(trace);
        src.load(g.image());
        if (qemu && !requests.isEmpty()) {
            List<String> script = new ArrayList<>(requests);
            boolean resumes = requests.stream().anyMatch(r -> r.startsWith("continue") || r.startsWith("stepi"));
            if (!resumes || requests.stream().noneMatch(r -> r.startsWith("continue"))) script.add("continue");
            for (int i = 0; i < requests.size(); i++) script.add("continue");
            try {
                ((QemuVmm) src).gdb(script.toArray(new String[0]));
            } catch (IllegalArgumentException e) {
                throw new DslException("userspace debug request: " + e.getMessage());
            }
        }
        Vmm[] dst = {null};
        try {
            return kvmRun(g, src, dst, version, qemu, policy, dss, requests, migration, budget, config, trace, ram);
        } finally {
            src.release();
            if (dst[0] != null) dst[0].release();
        }
    }

    private static LabRun kvmRun(Guest g, Vmm src, Vmm[] dstOut, KvmVersion version, boolean qemu, QemuPolicy policy, boolean dss,
                                 List<String> requests, Stages.MigrationPoint migration, long budget, RunConfig config, boolean trace,
                                 int ram) {
        List<RoutingEvent> events = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        java.util.IdentityHashMap<KvmEvent, Long> when = trace ? new java.util.IdentityHashMap<>() : null;
        VmmRun run;
        String vmmName = src.name();
        String message = null;
        long before = 0, after = -1; // instructions on the source and (after a migration) on the destination
        if (migration != null) {
            StopPoint stop = migration.label() != null ? StopPoint.atLabel(g.image(), migration.label())
                    : StopPoint.afterInstructions(migration.instructions());
            VmmRun paused = src.runUntil(stop, budget);
            events.addAll(convert(paused.events(), vmmName));
            if (paused.outcome() != VmmRun.Outcome.PAUSED) {
                run = paused;
                events.add(new RoutingEvent.VmmDecision(paused.pc(), RoutingEvent.VmmDecisionKind.MIGRATED, vmmName,
                        "migration " + migration + " did not happen: the run ended first (" + paused.outcome() + ")", RoutingEvent.NO_ESR,
                        paused.pc(), RoutingEvent.NO_FAR));
            } else {
                Vmm dst = vmm(Stages.version(migration.version()), qemu, policy, dss, ram);
                dstOut[0] = dst;
                dst.traceKvm(trace);
                Migration.LoadResult lr = Migration.migrate(src, dst);
                before = paused.instructions();
                if (lr.succeeded()) {
                    events.add(new RoutingEvent.VmmDecision(paused.pc(), RoutingEvent.VmmDecisionKind.MIGRATED, vmmName,
                            "live state moved " + migration + " (" + paused.instructions() + " instructions in)", RoutingEvent.NO_ESR,
                            paused.pc(), RoutingEvent.NO_FAR));
                    run = dst.run(budget);
                    events.addAll(convert(run.events(), vmmName));
                    after = run.instructions();
                    message = run.message() + String.format(" (%d instructions: %d on KVM %s before the migration, %d on KVM %s after)",
                            before + after, before, version.name(), after, migration.version());
                } else {
                    run = paused;
                    message = "migration " + migration + " failed after " + before + " instructions: " + failure(lr, dst);
                    events.add(new RoutingEvent.VmmDecision(paused.pc(), RoutingEvent.VmmDecisionKind.MIGRATION_FAILED, vmmName,
                            message + " (QEMU: " + String.join("; ", lr.error().lines().filter(l -> !l.startsWith("reason: ")).toList()) + ")", RoutingEvent.NO_ESR, paused.pc(),
                            RoutingEvent.NO_FAR));
                }
            }
        } else {
            // When (instructions retired) each KVM event happened, so that events not generated can be put in their place.
            dev.debuglab.emulator.cpu.Cpu cpu = src.vcpu().cpu();
            if (trace) src.vcpu().addListener(e -> when.put(e, cpu.instructionsRetired));
            run = src.run(budget);
            events.addAll(convert(run.events(), vmmName, when, times));
        }
        Verdict verdict = Verdict.compare(run.observations(), g.bareMetalObservations(), config.where() + " vs bare metal");
        RoutingEvent.GuestEntry entry = null;
        for (RoutingEvent e : events) if (e instanceof RoutingEvent.GuestEntry ge) entry = ge;
        String outcome = run.outcome().name();
        if (migration != null && run.outcome() == VmmRun.Outcome.PAUSED) outcome = "MIGRATION_FAILED";
        if (trace) {
            List<GuestLog.Entry> obs = run.observations();
            boolean missed = needsProbe(g, events, obs);
            boolean probe = missed && migration == null && requests.isEmpty() && outcome.equals("SYSTEM_OFF") && times.size() == events.size();
            if (probe) {
                // The same VM again, one instruction at a time, to find when each event would have been generated.
                Vmm p = vmm(version, qemu, policy, dss, ram);
                try {
                    p.load(g.image());
                    Probe stepper = new Probe(p.vcpu().cpu()) {
                        boolean step() {
                            return p.runUntil(StopPoint.afterInstructions(1), budget).outcome() == VmmRun.Outcome.PAUSED;
                        }
                    };
                    p.vcpu().addListener(e -> {
                        if (e instanceof KvmEvent.GuestException x) stepper.taken(x.esr());
                    });
                    Moments at = moments(g, stepper, run.instructions(), events, obs);
                    List<Long> probeTimes = stepper.exceptions;
                    // Exceptions inside the guest are taken during a long KVM_RUN slice: their times come from the probe.
                    int k = 0;
                    for (VmmEvent ve : run.events())
                        if (ve instanceof VmmEvent.Kvm kv && kv.event() instanceof KvmEvent.GuestException)
                            when.put(kv.event(), k < probeTimes.size() ? probeTimes.get(k++) : Long.MAX_VALUE / 2);
                    times.clear();
                    List<RoutingEvent> again = convert(run.events(), vmmName, when, times);
                    if (again.equals(events))
                        place(events, times, at, (v, e) -> e == null ? "no guest entry was traced" : reason(v.armed(), e, false, true, v.state()));
                    else events.addAll(notGenerated(g, events, obs, outcome, entry, false, List.of(), true));
                } finally {
                    p.release();
                }
            } else events.addAll(notGenerated(g, events, obs, outcome, entry, false, List.of(), true));
            events.addAll(notGenerated(g, events, obs, outcome, entry, false, requests, false));
        }
        if (events.size() > MAX_EVENTS) events = new ArrayList<>(events.subList(0, MAX_EVENTS));
        return new LabRun(config, events, run.observations(), run.console(), run.registers(), outcome,
                message != null ? message : run.message(), after >= 0 ? before + after : run.instructions(), verdict, g.listing());
    }

    /** The reason of a failed migration load (its "reason:" line: the register, the ioctl and the errno), else its first line. */
    private static String failure(Migration.LoadResult lr, Vmm dst) {
        String reason = null;
        for (String line : lr.error().lines().toList()) if (line.startsWith("reason: ")) reason = line.substring("reason: ".length());
        if (reason == null) reason = lr.error().lines().findFirst().orElse("the destination refused the state");
        if (lr.failedId() != null && !reason.contains(" failed with ")) {
            // A register the destination does not list: what its KVM_GET_ONE_REG answers (the errno QEMU would meet).
            try {
                dst.vcpu().getOneReg(lr.failedId());
            } catch (dev.debuglab.emulator.kvm.KvmError e) {
                reason += String.format("; KVM_GET_ONE_REG(%s) on KVM %s fails with %s",
                        dev.debuglab.emulator.kvm.RegId.name(lr.failedId()).replaceFirst(" \\(0x[0-9A-F]+\\)$", ""), lr.destination(), e.errno());
            }
        }
        return reason;
    }

    /** VMM events (with KVM's trace interleaved) as routing events; MMIO round trips to the console and the guest log are left out. */
    static List<RoutingEvent> convert(List<VmmEvent> in, String vmm) {
        return convert(in, vmm, null, new ArrayList<>());
    }

    /**
     * {@link #convert(List, String)}, and into {@code times}, for each routing event, the instructions retired when it
     * happened (the time of the KVM event it comes from or follows, from {@code when}; null: not recorded).
     */
    static List<RoutingEvent> convert(List<VmmEvent> in, String vmm, Map<KvmEvent, Long> when, List<Long> times) {
        List<RoutingEvent> out = new ArrayList<>();
        long lastPc = -1, lastEsr = RoutingEvent.NO_ESR, lastFar = RoutingEvent.NO_FAR;
        boolean plumbing = false;
        String lastEntry = null;
        long now = 0;
        for (VmmEvent ve : in) {
            while (times.size() < out.size()) times.add(now); // the previous event's outputs
            if (when != null && ve instanceof VmmEvent.Kvm k0) now = when.getOrDefault(k0.event(), now);
            if (ve instanceof VmmEvent.Kvm k) {
                KvmEvent e = k.event();
                if (e instanceof KvmEvent.GuestEntry ge) {
                    RoutingEvent.GuestEntry r = new RoutingEvent.GuestEntry(ge.pc(), ge.row(), ge.tde(), ge.tda(), ge.tdosa(), ge.hwMdscr(),
                            ge.osLocked(), dev.debuglab.emulator.kvm.GuestDebug.controlString(ge.guestDebug()), ge.comparators().name());
                    if (!r.what().equals(lastEntry)) out.add(r);
                    lastEntry = r.what();
                } else if (e instanceof KvmEvent.GuestException x) {
                    out.add(new RoutingEvent.ExceptionTaken(x.elr(), x.fromEl(), x.toEl(), x.esr(), x.elr(), RoutingEvent.NO_FAR, x.vector()));
                } else if (e instanceof KvmEvent.ExitToEl2 x) {
                    lastPc = x.elr();
                    lastEsr = x.esr();
                    lastFar = x.far();
                    plumbing = (x.ec() == 0x24 || x.ec() == 0x25) && x.far() >= DEVICES_LO && x.far() < DEVICES_HI;
                    if (!plumbing) out.add(new RoutingEvent.ExitToEl2(x.elr(), (int) (x.spsr() >>> 2) & 3, x.esr(), x.elr(), x.far()));
                } else if (e instanceof KvmEvent.Decision d) {
                    if (d.kind() == KvmEvent.DecisionKind.MMIO_COMPLETED || plumbing && d.kind() == KvmEvent.DecisionKind.MMIO_EXIT) continue;
                    out.add(new RoutingEvent.KvmDecision(lastPc, kind(d.kind()), d.handler(), d.text(),
                            d.kind() == KvmEvent.DecisionKind.HOST_WARNING ? RoutingEvent.NO_ESR : lastEsr));
                } else if (e instanceof KvmEvent.OverrideFailed f) {
                    out.add(new RoutingEvent.KvmDecision(lastPc, RoutingEvent.KvmDecisionKind.OVERRIDE_FAILED, f.step(), f.message(), RoutingEvent.NO_ESR));
                } else if (e instanceof KvmEvent.ExitToUserspace u) {
                    if (u.exitReason() == KvmRun.KVM_EXIT_MMIO && plumbing) continue;
                    boolean debug = u.exitReason() == KvmRun.KVM_EXIT_DEBUG;
                    out.add(new RoutingEvent.ExitToVmm(lastPc, KvmRun.exitName(u.exitReason()), u.description(), debug ? lastEsr : RoutingEvent.NO_ESR,
                            debug && ((lastEsr >>> 26) & 0x3E) == 0x34 ? lastFar : RoutingEvent.NO_FAR));
                }
            } else if (ve instanceof VmmEvent.Injected i) {
                out.add(new RoutingEvent.VmmDecision(i.exit().pc(), RoutingEvent.VmmDecisionKind.REINJECTED, vmm,
                        String.format("re-injected (%s): ESR_EL1 0x%08X, ELR_EL1 0x%X, %s, PC = 0x%X", i.policy(), i.esr(), i.elr(),
                                i.farWritten() ? String.format("FAR_EL1 0x%X", i.far()) : "FAR_EL1 not written", i.pc()),
                        i.esr(), i.elr(), i.farWritten() ? i.far() : RoutingEvent.NO_FAR));
                out.add(new RoutingEvent.ExceptionTaken(i.exit().pc(), (int) (i.exit().pstate() >>> 2) & 3, 1, i.esr(), i.elr(),
                        i.farWritten() ? i.far() : RoutingEvent.NO_FAR, i.pc()));
            } else if (ve instanceof VmmEvent.Stopped s) {
                out.add(new RoutingEvent.VmmDecision(s.exit().pc(), RoutingEvent.VmmDecisionKind.OWN_STOP, vmm, "own event, vCPU stopped — " + s.reason(),
                        s.exit().hsr(), s.exit().pc(), s.exit().ec() == 0x34 ? s.exit().far() : RoutingEvent.NO_FAR));
            } else if (ve instanceof VmmEvent.Ignored g) {
                out.add(new RoutingEvent.VmmDecision(g.exit().pc(), RoutingEvent.VmmDecisionKind.IGNORED, vmm, "not injected — " + g.message(),
                        g.exit().hsr(), g.exit().pc(), RoutingEvent.NO_FAR));
            } else if (ve instanceof VmmEvent.Dumped d) {
                out.add(new RoutingEvent.VmmDecision(d.exit().pc(), RoutingEvent.VmmDecisionKind.DUMPED, vmm, "registers dumped, KVM_RUN re-entered unchanged",
                        d.exit().hsr(), d.exit().pc(), RoutingEvent.NO_FAR));
            } else if (ve instanceof VmmEvent.Log l) {
                out.add(new RoutingEvent.VmmDecision(-1, RoutingEvent.VmmDecisionKind.LOG, vmm, l.message(), RoutingEvent.NO_ESR, -1, RoutingEvent.NO_FAR));
            } else if (ve instanceof VmmEvent.UnassignedMmio u) {
                out.add(new RoutingEvent.VmmDecision(lastPc, RoutingEvent.VmmDecisionKind.UNASSIGNED_MMIO, vmm, u.toString(), RoutingEvent.NO_ESR,
                        lastPc, u.address()));
            }
        }
        while (times.size() < out.size()) times.add(now);
        return out;
    }

    static RoutingEvent.KvmDecisionKind kind(KvmEvent.DecisionKind k) {
        return switch (k) {
            case TRAP_EMULATED -> RoutingEvent.KvmDecisionKind.TRAP_EMULATED;
            case TRAP_RAZ_WI -> RoutingEvent.KvmDecisionKind.TRAP_RAZ_WI;
            case UNDEF_INJECTED -> RoutingEvent.KvmDecisionKind.UNDEF_INJECTED;
            case INSTRUCTION_SKIPPED -> RoutingEvent.KvmDecisionKind.BRK_SKIPPED;
            case DEBUG_EXIT -> RoutingEvent.KvmDecisionKind.DEBUG_EXIT;
            case MMIO_EXIT -> RoutingEvent.KvmDecisionKind.MMIO;
            case MMIO_COMPLETED -> RoutingEvent.KvmDecisionKind.MMIO_COMPLETED;
            case PSCI -> RoutingEvent.KvmDecisionKind.PSCI;
            case INTERNAL_ERROR -> RoutingEvent.KvmDecisionKind.INTERNAL_ERROR;
            case HOST_WARNING -> RoutingEvent.KvmDecisionKind.HOST_WARNING;
        };
    }

    // --- events not generated -------------------------------------------------------------------------------

    private static boolean matches(String kind, int ec, long elr, long far, Guest.Armed a) {
        return switch (kind) {
            case "breakpoint" -> (ec == 0x30 || ec == 0x31) && elr == a.address();
            case "watchpoint" -> (ec == 0x34 || ec == 0x35) && far >= a.address() && far < a.address() + a.length();
            case "step" -> ec == 0x32 || ec == 0x33;
            default -> false;
        };
    }

    private static boolean seen(Guest.Armed a, List<RoutingEvent> events, List<GuestLog.Entry> log) {
        for (GuestLog.Entry e : log)
            if (e instanceof GuestLog.Exception x && matches(a.kind(), x.ec(), x.elr(), x.far(), a)) return true;
        for (RoutingEvent e : events)
            if (e.hasSyndrome() && !(e instanceof RoutingEvent.NotGenerated) && matches(a.kind(), e.ec(), e.elr(), e.far(), a)) return true;
        return false;
    }

    /** A second run of the same machine, one instruction at a time. */
    /** The run again, one instruction at a time; its exceptions are recorded through {@link #taken}. */
    abstract static class Probe {
        final dev.debuglab.emulator.cpu.Cpu cpu;
        /**
         * When (instructions retired) each exception the probe saw was taken, in order: exact, because the probe runs one
         * instruction at a time (a long run only adds up its count when it returns).
         */
        final List<Long> exceptions = new ArrayList<>();
        /** The exception class of each of {@link #exceptions}, in the same order. */
        final List<Integer> ecs = new ArrayList<>();

        Probe(dev.debuglab.emulator.cpu.Cpu cpu) {
            this.cpu = cpu;
        }

        /** Executes one instruction; false when the run ended. */
        abstract boolean step();

        /** An exception with syndrome {@code esr} was taken just now. */
        final void taken(long esr) {
            exceptions.add(cpu.instructionsRetired);
            ecs.add((int) (esr >>> 26) & 0x3F);
        }
    }

    /** {@code times} of the run's exceptions replaced, in order, by the probe's exact ones; those past the probe last. */
    static void exactTimes(List<Long> times, List<Integer> exceptionIndexes, List<Long> probeTimes) {
        for (int k = 0; k < exceptionIndexes.size(); k++)
            times.set(exceptionIndexes.get(k), k < probeTimes.size() ? probeTimes.get(k) : Long.MAX_VALUE / 2);
    }

    /** The PE state when an armed event would have been generated. */
    record State(boolean oslk, boolean dlk, boolean mde, boolean kde, boolean d, int el) {
        static State of(dev.debuglab.emulator.cpu.Cpu c) {
            return new State((c.sys.oslsrEl1 & 2) != 0, (c.sys.osdlrEl1 & 1) != 0 && (c.sys.dbgprcrEl1 & 1) == 0,
                    MDSCR_EL1.MDE.isSet(c.sys.mdscrEl1), MDSCR_EL1.KDE.isSet(c.sys.mdscrEl1), c.d, c.el);
        }
    }

    /**
     * One moment an armed event was not generated: the PC reached the breakpoint or step address, or a load/store
     * touching the watched bytes began ({@code when}, instructions retired; null: never reached), and no exception of
     * its kind was taken by that instruction; {@code state} is the PE state then.
     */
    record Visit(Guest.Armed armed, Long when, State state) {}

    /** The moments the armed events were not generated, along the path the probe executed (a `bl` reaches a label out of program order). */
    record Moments(List<Visit> visits) {}

    /** True if the armed event's kind is the exception class {@code ec}. */
    private static boolean sameKind(Guest.Armed a, int ec) {
        return switch (a.kind()) {
            case "breakpoint" -> ec == 0x30 || ec == 0x31;
            case "watchpoint" -> ec == 0x34 || ec == 0x35;
            default -> ec == 0x32 || ec == 0x33;
        };
    }

    /** True if a hardware comparator (DBGBCRn/DBGWCRn.E = 1) watches the armed address on the PE now. */
    private static boolean comparatorEnabled(Guest.Armed a, dev.debuglab.emulator.cpu.Cpu c) {
        for (int n = 0; n < 16; n++) {
            if (a.kind().equals("breakpoint") && (c.sys.dbgbcr[n] & 1) != 0 && (c.sys.dbgbvr[n] & ~3L) == a.address()) return true;
            if (a.kind().equals("watchpoint") && (c.sys.dbgwcr[n] & 1) != 0 && (c.sys.dbgwvr[n] & ~7L) <= a.address()
                    && a.address() < (c.sys.dbgwvr[n] & ~7L) + 8) return true;
        }
        return false;
    }

    /**
     * True if the run needs the probe to say which armed events were not generated: one was never seen, or the guest
     * branches (a breakpoint or watchpoint may then be reached more than once, some times under the lock and some not).
     */
    static boolean needsProbe(Guest g, List<RoutingEvent> events, List<GuestLog.Entry> log) {
        boolean branches = false;
        for (Guest.Armed a : g.armed()) {
            if (!seen(a, events, log)) return true;
            if (!a.kind().equals("step") && !branches) branches = branches(g);
            if (branches) return true;
        }
        return false;
    }

    /**
     * True if the guest's own code (not the runtime) can reach an instruction twice: a call or return (BL, BLR, BR,
     * RET) or a backward branch (B, B.cond, CB(N)Z, TB(N)Z with a negative offset; `b .`, the halt loop, excepted).
     */
    private static boolean branches(Guest g) {
        for (Listing.Line l : g.listing().lines()) {
            if (l.word() < 0 || l.address() >= Guest.VECTORS) continue;
            int w = (int) l.word();
            long imm;
            if ((w & 0xFC000000) == 0x94000000 || (w & 0xFF9FFC1F) == 0xD61F0000 || (w & 0xFFFFFC1F) == 0xD65F0000) return true;
            if ((w & 0xFC000000) == 0x14000000) imm = (w << 6) >> 6;
            else if ((w & 0xFF000010) == 0x54000000 || (w & 0x7E000000) == 0x34000000) imm = (w << 8) >> 13;
            else if ((w & 0x7E000000) == 0x36000000) imm = (w << 13) >> 18;
            else continue;
            if (imm < 0) return true;
        }
        return false;
    }

    /**
     * Steps the probe through the run and records each moment an armed event was not generated: for a breakpoint or
     * watchpoint every time its address is reached (by the path actually executed) with its comparator enabled and no
     * exception of its kind taken, or — if it was never generated in the run — the first time; for a step, the first
     * time if the run never generated it. Events never reached get a visit without a time.
     */
    static Moments moments(Guest g, Probe probe, long instructions, List<RoutingEvent> events, List<GuestLog.Entry> log) {
        List<Guest.Armed> all = g.armed();
        java.util.Set<Guest.Armed> unseen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Guest.Armed a : all) if (!seen(a, events, log)) unseen.add(a);
        java.util.Set<Guest.Armed> reached = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Visit> visits = new ArrayList<>();
        for (long n = 0; n <= instructions + 16; n++) {
            dev.debuglab.emulator.cpu.Cpu c = probe.cpu;
            List<Visit> here = new ArrayList<>();
            for (Guest.Armed a : all) {
                boolean every = !a.kind().equals("step");
                if (!every && (!unseen.contains(a) || reached.contains(a))) continue;
                if (!hits(a, c)) continue;
                if (every && !(unseen.contains(a) && !reached.contains(a)) && !comparatorEnabled(a, c)) continue;
                reached.add(a);
                here.add(new Visit(a, c.instructionsRetired, State.of(c)));
            }
            int before = probe.exceptions.size();
            boolean more = probe.step();
            List<Integer> ecs = probe.ecs;
            for (Visit v : here) {
                boolean generated = false;
                for (int k = before; k < ecs.size(); k++) generated |= sameKind(v.armed(), ecs.get(k));
                if (!generated || v.armed().kind().equals("step")) visits.add(v);
            }
            if (!more) break;
        }
        for (Guest.Armed a : all) if (unseen.contains(a) && !reached.contains(a)) visits.add(new Visit(a, null, null));
        return new Moments(visits);
    }

    private static final java.util.regex.Pattern ADDRESSING =
            java.util.regex.Pattern.compile("\\[(x\\d+|sp)(?:, (?:#(-?(?:0x)?[0-9a-f]+)|(x\\d+)(?:, lsl #(\\d+))?))?\\](!?)(?:, #-?(?:0x)?[0-9a-f]+)?");

    /** True if the instruction at the PE's PC is where {@code a} would be generated. */
    static boolean hits(Guest.Armed a, dev.debuglab.emulator.cpu.Cpu c) {
        if (!a.kind().equals("watchpoint")) return c.pc == a.address();
        if (!c.mem.inRam(c.pc, 4)) return false;
        String text = dev.debuglab.emulator.isa.Disassembler.disassemble(c.mem.fetch(c.pc), c.pc).toLowerCase();
        if (!text.matches("(ld|st)[a-z]*\\s.*")) return false;
        java.util.regex.Matcher m = ADDRESSING.matcher(text);
        if (!m.find()) return false;
        long base = m.group(1).equals("sp") ? c.sp[c.spSel == 0 ? 0 : c.el] : c.x[Integer.parseInt(m.group(1).substring(1))];
        long ea = base;
        if (m.group(2) != null) ea += Long.decode(m.group(2));
        else if (m.group(3) != null) ea += c.x[Integer.parseInt(m.group(3).substring(1))] << (m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
        if (text.contains("], #")) ea = base; // post-index: the access uses the base
        int size = text.matches("(ld|st)[a-z]*p\\s.*") ? 16 : text.matches("(ld|st)[a-z]*b\\s.*") ? 1
                : text.matches("(ld|st)[a-z]*h\\s.*") ? 2 : text.matches("(ld|st)[a-z]*\\s+w.*") ? 4 : 8;
        return ea < a.address() + a.length() && a.address() < ea + size;
    }

    /**
     * Puts an event not generated for each visit of {@code at} at its place: before the first event that happened
     * after that moment (or at that moment, other than KVM's guest entry, which comes first) — the reason from
     * {@code why} with KVM's debug setup at that moment (the last guest entry before it). Never-reached ones go last.
     */
    static void place(List<RoutingEvent> events, List<Long> times, Moments at,
                      java.util.function.BiFunction<Visit, RoutingEvent.GuestEntry, String> why) {
        List<Visit> order = new ArrayList<>(at.visits());
        order.sort(java.util.Comparator.comparingLong(v -> v.when() == null ? Long.MAX_VALUE : v.when()));
        for (Visit v : order) {
            Guest.Armed a = v.armed();
            Long t = v.when();
            int i = 0;
            if (t == null) i = events.size();
            else while (i < events.size() && (times.get(i) < t || times.get(i).equals(t) && events.get(i) instanceof RoutingEvent.GuestEntry)) i++;
            RoutingEvent.GuestEntry entry = null;
            for (int k = 0; k < i; k++) if (events.get(k) instanceof RoutingEvent.GuestEntry ge) entry = ge;
            State st = v.state();
            events.add(i, new RoutingEvent.NotGenerated(a.address(), st != null ? st.el() : a.inputs().el(), a.description(), why.apply(v, entry)));
            times.add(i, t == null ? Long.MAX_VALUE : t);
        }
    }

    static List<RoutingEvent> notGenerated(Guest g, List<RoutingEvent> events, List<GuestLog.Entry> log, String outcome,
                                           RoutingEvent.GuestEntry entry, boolean tde, List<String> requests) {
        return notGenerated(g, events, log, outcome, entry, tde, requests, true);
    }

    /** Events not generated, at the end of the run: the armed ones ({@code armed}) and the userspace requests. */
    static List<RoutingEvent> notGenerated(Guest g, List<RoutingEvent> events, List<GuestLog.Entry> log, String outcome,
                                           RoutingEvent.GuestEntry entry, boolean tde, List<String> requests, boolean armed) {
        List<RoutingEvent> out = new ArrayList<>();
        if (!outcome.equals("SYSTEM_OFF")) return out;
        boolean kvm = entry != null;
        for (Guest.Armed a : armed ? g.armed() : List.<Guest.Armed>of()) {
            if (seen(a, events, log)) continue;
            out.add(new RoutingEvent.NotGenerated(a.address(), a.inputs().el(), a.description(), reason(a, entry, tde, kvm, null)));
        }
        for (String r : requests) {
            String[] w = r.split("\\s+");
            String kind = switch (w[0]) {
                case "hbreak", "hb" -> "breakpoint";
                case "watch", "rwatch", "awatch" -> "watchpoint";
                case "stepi", "si" -> "step";
                default -> null;
            };
            if (kind == null || w.length < 2 && !kind.equals("step")) continue;
            long addr = kind.equals("step") ? g.image().entry() : w[1].replace("*", "").matches("0[xX].*") ? Long.decode(w[1].replace("*", "")) : g.label(w[1]);
            int ec = kind.equals("breakpoint") ? 0x30 : kind.equals("watchpoint") ? 0x34 : 0x32;
            boolean stopped = events.stream().anyMatch(e -> e instanceof RoutingEvent.VmmDecision d && (d.ec() & 0x3E) == ec);
            if (stopped) continue;
            String why = entry == null ? "no guest entry was traced"
                    : entry.osLocked() ? "suppressed: OSLK = 1 (the guest's OS Lock; KVM's debug setup " + entry.row() + ")"
                    : !kind.equals("step") && !MDSCR_EL1.MDE.isSet(entry.hwMdscr()) ? "hardware MDSCR_EL1.MDE = 0 in KVM's debug setup " + entry.row()
                    : "not reached, or consumed before the VMM (see the KVM events)";
            out.add(new RoutingEvent.NotGenerated(addr, 1, "userspace " + r, why));
        }
        return out;
    }

    /** Why an armed event was not generated: the enable rule (AArch64.GenerateDebugExceptionsFrom) on the inputs the hardware held. */
    static String reason(Guest.Armed a, RoutingEvent.GuestEntry entry, boolean tde, boolean kvm, State now) {
        Guest.Inputs in = a.inputs();
        if (now != null) {
            // The PE state when the event would have been generated; on bare metal the lock and enables too (an OS Lock
            // never set by the guest stays "cold reset").
            in = kvm ? new Guest.Inputs(in.oslk(), in.dlk(), in.kde(), in.mde(), now.d(), now.el())
                    : new Guest.Inputs(now.oslk() ? (in.oslk() == null ? null : Boolean.TRUE) : Boolean.FALSE, now.dlk(), now.kde(), now.mde(),
                    now.d(), now.el());
        }
        String what = a.kind();
        boolean oslk = kvm ? entry.osLocked() : in.oslk() == null || in.oslk();
        if (oslk) {
            String src = kvm ? "the guest's OSLSR_EL1.OSLK as KVM holds it (debug setup " + entry.row() + ")"
                    : in.oslk() == null ? "cold reset leaves OSLSR_EL1 = 0xA; unlock with osLock(false)" : "set by osLock(true)";
            return what + " suppressed: OSLK = 1 (" + src + ")";
        }
        if (in.dlk()) return what + " suppressed: OS Double Lock (OSDLR_EL1.DLK = 1, DBGPRCR_EL1.CORENPDRQ = 0)";
        long mdscr = kvm ? entry.hwMdscr() : MDSCR_EL1.MDE.of(in.mde() ? 1 : 0) | MDSCR_EL1.KDE.of(in.kde() ? 1 : 0);
        boolean mde = MDSCR_EL1.MDE.isSet(mdscr), kde = MDSCR_EL1.KDE.isSet(mdscr);
        if (!what.equals("step") && !mde)
            return what + " disabled: MDSCR_EL1.MDE = 0" + (kvm && in.mde() ? " in the hardware (KVM's debug setup " + entry.row() + ")" : "");
        int elD = (kvm ? entry.tde() : tde) ? 2 : 1;
        if (in.el() == elD) {
            if (!kde) return what + " not generated at EL" + elD + ": MDSCR_EL1.KDE = 0 (ELd = EL" + elD + ")"
                    + (kvm && in.kde() ? " in the hardware (KVM's debug setup " + entry.row() + ")" : "");
            if (in.d()) return what + " masked at EL" + elD + ": PSTATE.D = 1 (ELd = EL" + elD + "; clear it with clearD())";
        }
        if (in.el() > elD) return what + " not generated: EL" + in.el() + " is above the debug target EL" + elD;
        return "the enable rule allows it; the address was not reached" + (kvm ? " or KVM/the VMM consumed the exception (see the events above)" : "");
    }
}
