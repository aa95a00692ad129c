package dev.debuglab.dsl;

import dev.debuglab.emulator.kvm.KvmVersion;

import dev.debuglab.emulator.guest.GuestLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sweep of the debug configuration space: OSLK × DLK × KDE × MDE × PSTATE.D × TDE × guest_debug ×
 * event kind × version. Each point builds the same small guest (set the inputs, arm the event, reach
 * `target`) and runs it where the version axis says ("bare" = bare metal, else under that KVM version
 * with QEMU). The architecture column is the same guest on bare metal. Runs in parallel on all cores
 * by default; {@link #onProgress} is told (from the worker threads) after each cell. Immutable.
 *
 * <p>TDE is firmware's choice on bare metal (MDCR_EL2.TDE), so it varies only the "bare" cells (where TDE = 1 also
 * makes TDA/TDOSA behave as 1, so the guest's first OSLAR_EL1 write traps to EL2: "0x18@EL2"); under KVM
 * the version's debug setup decides it. guest_debug (the VMM's requests: none, stepi, hbreak, break) varies
 * only the KVM cells.
 */
public final class Sweep {
    /** The debug event each cell's guest arms and reaches at `target`. */
    public enum Event {
        /** BRK #0x42 at target (EC 0x3C: never masked). */
        BRK,
        /** Hardware breakpoint 0 at target (EC 0x30/0x31). */
        HW_BREAKPOINT,
        /** Watchpoint 0 on `data`, loaded at target (EC 0x34/0x35). */
        WATCHPOINT,
        /** Software step armed before target (EC 0x32/0x33). */
        SINGLE_STEP
    }

    /** Progress: cells done so far of the total. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);
    }

    public static final List<String> AXES = List.of("OSLK", "DLK", "KDE", "MDE", "PSTATE.D", "TDE", "guest_debug", "event", "version");
    private static final List<String> REQUESTS = List.of("none", "stepi", "hbreak", "break");

    private final boolean[] oslk, dlk, kde, mde, d, tde;
    private final List<String> guestDebug;
    private final List<Event> events;
    private final List<Where> versions;

    /** A column of the version axis: its label and the KVM version (null: bare metal). */
    private record Where(String label, KvmVersion version) {
        boolean bare() {
            return version == null;
        }
    }
    private final int parallelism;
    private final Progress progress;

    private Sweep(boolean[] oslk, boolean[] dlk, boolean[] kde, boolean[] mde, boolean[] d, boolean[] tde, List<String> guestDebug,
                  List<Event> events, List<Where> versions, int parallelism, Progress progress) {
        this.oslk = oslk;
        this.dlk = dlk;
        this.kde = kde;
        this.mde = mde;
        this.d = d;
        this.tde = tde;
        this.guestDebug = List.copyOf(guestDebug);
        this.events = List.copyOf(events);
        this.versions = List.copyOf(versions);
        this.parallelism = parallelism;
        this.progress = progress;
    }

    /** One point everywhere: OS Lock unlocked, no Double Lock, KDE = MDE = 1, PSTATE.D = 0, TDE = 0, no VMM requests, BRK, bare metal. */
    static Sweep defaults() {
        return new Sweep(new boolean[] {false}, new boolean[] {false}, new boolean[] {true}, new boolean[] {true}, new boolean[] {false},
                new boolean[] {false}, List.of("none"), List.of(Event.BRK), List.of(new Where("bare", null)), Runtime.getRuntime().availableProcessors(), null);
    }

    private static boolean[] values(String axis, boolean... v) {
        if (v == null || v.length == 0 || v.length > 2 || v.length == 2 && v[0] == v[1])
            throw new DslException(axis + "(...): give one value or both, e.g. " + axis.toLowerCase() + "(false, true)");
        return v.clone();
    }

    public Sweep oslk(boolean... v) {
        return new Sweep(values("oslk", v), dlk, kde, mde, d, tde, guestDebug, events, versions, parallelism, progress);
    }

    public Sweep dlk(boolean... v) {
        return new Sweep(oslk, values("dlk", v), kde, mde, d, tde, guestDebug, events, versions, parallelism, progress);
    }

    public Sweep kde(boolean... v) {
        return new Sweep(oslk, dlk, values("kde", v), mde, d, tde, guestDebug, events, versions, parallelism, progress);
    }

    public Sweep mde(boolean... v) {
        return new Sweep(oslk, dlk, kde, values("mde", v), d, tde, guestDebug, events, versions, parallelism, progress);
    }

    public Sweep pstateD(boolean... v) {
        return new Sweep(oslk, dlk, kde, mde, values("pstateD", v), tde, guestDebug, events, versions, parallelism, progress);
    }

    /** MDCR_EL2.TDE on bare metal (firmware); KVM cells ignore it (the version decides). */
    public Sweep tde(boolean... v) {
        return new Sweep(oslk, dlk, kde, mde, d, values("tde", v), guestDebug, events, versions, parallelism, progress);
    }

    /** The VMM's userspace requests: "none", "stepi", "hbreak", "break" (at target). */
    public Sweep guestDebug(String... requests) {
        if (requests == null || requests.length == 0) throw new DslException("guestDebug(): give some of " + REQUESTS);
        for (String r : requests)
            if (!REQUESTS.contains(r)) throw new DslException("guestDebug(\"" + r + "\"): unknown request; use " + REQUESTS);
        return new Sweep(oslk, dlk, kde, mde, d, tde, List.of(requests), events, versions, parallelism, progress);
    }

    public Sweep events(Event... kinds) {
        if (kinds == null || kinds.length == 0) throw new DslException("events(): give at least one of " + List.of(Event.values()));
        return new Sweep(oslk, dlk, kde, mde, d, tde, guestDebug, List.of(kinds), versions, parallelism, progress);
    }

    /** "bare" (bare metal) and/or KVM versions ("5.15", "v2", "6.1", "6.14", ...). */
    public Sweep versions(String... vs) {
        if (vs == null || vs.length == 0) throw new DslException("versions(): give \"bare\" and/or KVM versions, e.g. versions(\"bare\", \"6.1\")");
        List<Where> ws = new ArrayList<>();
        for (String v : vs) {
            if (v == null) throw new DslException("versions(..., null, ...): name \"bare\" or a KVM version, e.g. versions(\"bare\", \"6.1\")");
            ws.add(new Where(v, v.equals("bare") ? null : Stages.version(v)));
        }
        return withVersions(ws);
    }

    /**
     * KVM versions as objects: plain ones ({@code KvmVersion.of("6.1")}) or what-if variants
     * ({@code KvmVersion.of("6.1").variant("my-fix").override(...)}), each a column labelled with its name
     * ("v6.1", "my-fix"). Combine with bare metal by {@link #versions(String...)} or {@link #withBareMetal()}.
     */
    public Sweep versions(KvmVersion... vs) {
        if (vs == null || vs.length == 0)
            throw new DslException("versions(): give KVM versions, e.g. versions(KvmVersion.of(\"6.1\"), KvmVersion.of(\"6.1\").variant(\"fix\"))");
        List<Where> ws = new ArrayList<>();
        for (KvmVersion v : vs) {
            if (v == null) throw new DslException("versions(..., null, ...): give a KvmVersion, e.g. KvmVersion.of(\"6.1\")");
            ws.add(new Where(v.name(), v));
        }
        return withVersions(ws);
    }

    /** The same sweep with bare metal added as the first column of the version axis (if it is not there yet). */
    public Sweep withBareMetal() {
        if (versions.stream().anyMatch(Where::bare)) return this;
        List<Where> ws = new ArrayList<>();
        ws.add(new Where("bare", null));
        ws.addAll(versions);
        return withVersions(ws);
    }

    private Sweep withVersions(List<Where> ws) {
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (Where w : ws)
            if (!labels.add(w.label()))
                throw new DslException("versions(...): \"" + w.label() + "\" is given twice; give each version once (name each variant differently)");
        return new Sweep(oslk, dlk, kde, mde, d, tde, guestDebug, events, ws, parallelism, progress);
    }

    /** Worker threads (default: all cores). */
    public Sweep parallelism(int threads) {
        if (threads < 1) throw new DslException("parallelism(" + threads + "): give at least 1 thread");
        return new Sweep(oslk, dlk, kde, mde, d, tde, guestDebug, events, versions, threads, progress);
    }

    public Sweep onProgress(Progress p) {
        return new Sweep(oslk, dlk, kde, mde, d, tde, guestDebug, events, versions, parallelism, p);
    }

    /** The number of cells {@link #run()} will produce. */
    public int size() {
        return points().size();
    }

    private record Point(boolean oslk, boolean dlk, boolean kde, boolean mde, boolean d, boolean tde, String request, Event event,
                         String version, KvmVersion kvm) {
        Map<String, String> map() {
            Map<String, String> m = new LinkedHashMap<>();
            boolean bare = kvm == null;
            m.put("OSLK", b(oslk));
            m.put("DLK", b(dlk));
            m.put("KDE", b(kde));
            m.put("MDE", b(mde));
            m.put("PSTATE.D", b(d));
            m.put("TDE", bare ? b(tde) : "KVM");
            m.put("guest_debug", bare ? "-" : request);
            m.put("event", event.name());
            m.put("version", version);
            return m;
        }

        static String b(boolean v) {
            return v ? "1" : "0";
        }
    }

    private List<Point> points() {
        List<Point> out = new ArrayList<>();
        for (Where v : versions)
            for (Event e : events)
                for (String r : v.bare() ? List.of("none") : guestDebug)
                    for (boolean t : v.bare() ? tde : new boolean[] {false})
                        for (boolean a : oslk) for (boolean b : dlk) for (boolean c : kde) for (boolean m : mde) for (boolean x : d)
                            out.add(new Point(a, b, c, m, x, t, r, e, v.label(), v.version()));
        return out;
    }

    /** The guest of one point: the inputs set in order, the event armed, `target` reached. */
    static Guest guest(boolean oslk, boolean dlk, boolean kde, boolean mde, boolean d, Event e) {
        GuestCode g = Lab.guest().osLock(oslk);
        if (dlk) g = g.doubleLock(true);
        g = g.kde(kde).mde(mde);
        g = d ? g.setD() : g.clearD();
        g = switch (e) {
            case BRK -> g.label("target").brk(0x42);
            case HW_BREAKPOINT -> g.hwBreakpoint(0).at("target").label("target").nop();
            case WATCHPOINT -> g.watchpoint(0).on("data").label("target").load("x0", "data").data("data", 0x1234);
            case SINGLE_STEP -> g.singleStep().label("target").nop().asm("msr mdscr_el1, xzr").nop();
        };
        return g.setD().osLock(false).doubleLock(false).build();
    }

    /** The short outcome of a run for a cell: distinct "EC@where" of what the guest saw (and EL2 on bare metal with TDE). */
    static String guestOutcome(LabRun r) {
        TreeSet<String> s = new TreeSet<>();
        for (GuestLog.Exception x : r.guestExceptions()) s.add(String.format("0x%02X@EL1", x.ec()));
        for (RoutingEvent e : r.events())
            if (r.config().bareMetal() && e instanceof RoutingEvent.ExceptionTaken t && t.toEl() == 2 && t.ec() != 0x16)
                s.add(String.format("0x%02X@EL2", t.ec()));
        String out = s.isEmpty() ? "none" : String.join(" ", s);
        return r.outcome().equals("SYSTEM_OFF") || r.outcome().equals("TAKEN_TO_EL2") ? out : out + " [" + r.outcome() + "]";
    }

    static String vmmOutcome(LabRun r) {
        TreeSet<String> s = new TreeSet<>();
        for (RoutingEvent.VmmDecision v : r.events(RoutingEvent.VmmDecision.class))
            if (v.kind() == RoutingEvent.VmmDecisionKind.OWN_STOP) s.add(String.format("0x%02X", v.ec()));
        return String.join(" ", s);
    }

    /** Runs every cell (in parallel) and returns the matrix. */
    public SweepResult run() {
        if (versions.stream().allMatch(Where::bare) && guestDebug.stream().anyMatch(r -> !r.equals("none")))
            throw new DslException("guestDebug" + guestDebug + " with versions(\"bare\") only: userspace debug requests need a VMM and bare metal has no VMM; "
                    + "add a KVM version, e.g. versions(\"bare\", \"6.1\"), or drop guestDebug");
        List<Point> pts = points();
        Progress progress = this.progress != null ? this.progress : NotebookHooks.progress("sweep of " + pts.size() + " cells");
        long t0 = System.nanoTime();
        Map<String, Guest> guests = new ConcurrentHashMap<>();
        Map<String, String> architecture = new ConcurrentHashMap<>();
        SweepResult.Cell[] cells = new SweepResult.Cell[pts.size()];
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "debuglab-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            int chunk = Math.max(1, pts.size() / (parallelism * 8));
            for (int start = 0; start < pts.size(); start += chunk) {
                int from = start, to = Math.min(pts.size(), start + chunk);
                fs.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        Point p = pts.get(i);
                        String gk = p.oslk + "," + p.dlk + "," + p.kde + "," + p.mde + "," + p.d + "," + p.event;
                        Guest g = guests.computeIfAbsent(gk, k -> guest(p.oslk, p.dlk, p.kde, p.mde, p.d, p.event));
                        String arch = architecture.computeIfAbsent(gk + "," + p.tde, k -> {
                            Stages.BareMetalStage s = g.bareMetal().tde(p.tde);
                            return guestOutcome(s.run());
                        });
                        SweepResult.Cell c;
                        if (p.kvm == null) c = new SweepResult.Cell(p.map(), arch, arch, "");
                        else {
                            Stages.QemuStage q = g.kvm(p.kvm).qemu();
                            q = switch (p.request) {
                                case "stepi" -> q.singleStep();
                                case "hbreak" -> q.hwBreakpoint("target");
                                case "break" -> q.swBreakpoint("target");
                                default -> q;
                            };
                            LabRun r = q.budget(20_000).runQuiet();
                            c = new SweepResult.Cell(p.map(), arch, guestOutcome(r), vmmOutcome(r));
                        }
                        cells[i] = c;
                        int n = done.incrementAndGet();
                        if (progress != null) progress.update(n, pts.size());
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DslException("the sweep was interrupted");
        } finally {
            pool.shutdownNow();
        }
        return new SweepResult(AXES, List.of(cells), System.nanoTime() - t0);
    }

    @Override
    public String toString() {
        return "Sweep of " + size() + " cells";
    }
}
