package dev.debuglab.dsl.render;

import dev.debuglab.dsl.Comparison;
import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.Lane;
import dev.debuglab.dsl.Listing;
import dev.debuglab.dsl.RoutingEvent;
import dev.debuglab.dsl.RunConfig;
import dev.debuglab.dsl.SweepResult;
import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.verdict.Difference;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The JSON trace of a run (schema: {@code docs/trace-schema.md}), its reader and a structural diff.
 * {@code read(write(run)).equals(run)} holds for every run: the trace keeps every field of the result
 * model. 64-bit values are written as hex strings ("0xF2000042") so no JSON reader rounds them;
 * fields marked "derived" in the schema (lane, EC, decoded ESR, the story line) are for people and
 * tools that diff traces and are not read back.
 */
public final class TraceJson {
    private TraceJson() {}

    /** The schema name of a run's trace. */
    public static final String SCHEMA = "debuglab.trace";
    /** The schema name of a comparison and of a sweep. */
    public static final String COMPARISON_SCHEMA = "debuglab.comparison", SWEEP_SCHEMA = "debuglab.sweep";
    /** The version this writer produces and the newest this reader accepts (see the stability promise in the schema). */
    public static final int SCHEMA_VERSION = 1;

    // ------------------------------------------------------------------------------------------------ write

    public static String write(LabRun run) {
        return Json.write(tree(run));
    }

    public static String write(Comparison c) {
        Map<String, Object> m = header(COMPARISON_SCHEMA);
        List<Object> runs = new ArrayList<>();
        for (LabRun r : c.runs()) runs.add(tree(r));
        m.put("runs", runs);
        return Json.write(m);
    }

    public static String write(SweepResult s) {
        Map<String, Object> m = header(SWEEP_SCHEMA);
        m.put("axes", new ArrayList<Object>(s.axes()));
        m.put("elapsedNanos", s.elapsedNanos());
        List<Object> cells = new ArrayList<>();
        for (SweepResult.Cell c : s.cells()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("point", new LinkedHashMap<String, Object>(c.point()));
            cm.put("architecture", c.architecture());
            cm.put("outcome", c.outcome());
            cm.put("differs", c.differs());
            cells.add(cm);
        }
        m.put("cells", cells);
        return Json.write(m);
    }

    private static Map<String, Object> header(String schema) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", schema);
        m.put("schemaVersion", (long) SCHEMA_VERSION);
        return m;
    }

    static Map<String, Object> tree(LabRun run) {
        Map<String, Object> m = header(SCHEMA);
        RunConfig c = run.config();
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("target", c.target());
        cm.put("version", c.version());
        cm.put("vmm", c.vmm());
        cm.put("debugRequests", new ArrayList<Object>(c.debugRequests()));
        cm.put("migration", c.migration());
        cm.put("guestSetup", new ArrayList<Object>(c.guestSetup()));
        m.put("config", cm);
        m.put("outcome", run.outcome());
        m.put("message", run.message());
        m.put("instructions", run.instructions());
        List<Object> events = new ArrayList<>();
        int seq = 0;
        for (RoutingEvent e : run.events()) events.add(event(seq++, e));
        m.put("events", events);
        m.put("guestLog", entries(run.guestLog()));
        m.put("console", run.console());
        Map<String, Object> regs = new LinkedHashMap<>();
        new TreeMap<>(run.registers()).forEach((k, v) -> regs.put(k, hex(v)));
        m.put("registers", regs);
        m.put("verdict", verdict(run.verdict()));
        m.put("listing", listing(run.listing()));
        return m;
    }

    static String hex(long v) {
        return String.format("0x%X", v);
    }

    private static Object hexOrNull(long v, long none) {
        return v == none ? null : hex(v);
    }

    private static Map<String, Object> event(int seq, RoutingEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", (long) seq);
        m.put("type", type(e));
        m.put("lane", e.lane().name());
        m.put("pc", hex(e.pc()));
        if (e instanceof RoutingEvent.ExceptionTaken x) {
            m.put("fromEl", (long) x.fromEl());
            m.put("toEl", (long) x.toEl());
            m.put("esr", hex(x.esr()));
            m.put("elr", hex(x.elr()));
            m.put("far", hexOrNull(x.far(), RoutingEvent.NO_FAR));
            m.put("vector", hex(x.vector()));
        } else if (e instanceof RoutingEvent.GuestEntry g) {
            m.put("row", g.row());
            m.put("tde", g.tde());
            m.put("tda", g.tda());
            m.put("tdosa", g.tdosa());
            m.put("hwMdscr", hex(g.hwMdscr()));
            m.put("osLocked", g.osLocked());
            m.put("guestDebug", g.guestDebug());
            m.put("comparators", g.comparators());
        } else if (e instanceof RoutingEvent.ExitToEl2 x) {
            m.put("fromEl", (long) x.fromEl());
            m.put("esr", hex(x.esr()));
            m.put("elr", hex(x.elr()));
            m.put("far", hex(x.far()));
        } else if (e instanceof RoutingEvent.KvmDecision d) {
            m.put("kind", d.kind().name());
            m.put("handler", d.handler());
            m.put("text", d.text());
            m.put("esr", hexOrNull(d.esr(), RoutingEvent.NO_ESR));
        } else if (e instanceof RoutingEvent.ExitToVmm x) {
            m.put("exitName", x.exitName());
            m.put("description", x.description());
            m.put("esr", hexOrNull(x.esr(), RoutingEvent.NO_ESR));
            m.put("far", hexOrNull(x.far(), RoutingEvent.NO_FAR));
        } else if (e instanceof RoutingEvent.VmmDecision d) {
            m.put("kind", d.kind().name());
            m.put("vmm", d.vmm());
            m.put("text", d.text());
            m.put("esr", hexOrNull(d.esr(), RoutingEvent.NO_ESR));
            m.put("elr", hex(d.elr()));
            m.put("far", hexOrNull(d.far(), RoutingEvent.NO_FAR));
        } else if (e instanceof RoutingEvent.NotGenerated n) {
            m.put("el", (long) n.el());
            m.put("event", n.event());
            m.put("reason", n.reason());
        }
        // Derived, for people and diffs; not read back.
        if (e.hasSyndrome()) {
            m.put("ec", String.format("0x%02X", e.ec()));
            m.put("ecName", Esr.shortName(e.ec()));
            m.put("esrDecoded", e.esrDecoded());
        }
        m.put("what", e.what());
        return m;
    }

    static String type(RoutingEvent e) {
        if (e instanceof RoutingEvent.ExceptionTaken) return "exception-taken";
        if (e instanceof RoutingEvent.GuestEntry) return "guest-entry";
        if (e instanceof RoutingEvent.ExitToEl2) return "exit-to-el2";
        if (e instanceof RoutingEvent.KvmDecision) return "kvm-decision";
        if (e instanceof RoutingEvent.ExitToVmm) return "exit-to-vmm";
        if (e instanceof RoutingEvent.VmmDecision) return "vmm-decision";
        if (e instanceof RoutingEvent.NotGenerated) return "not-generated";
        throw new IllegalStateException("no trace type for " + e.getClass().getName() + "; add it to docs/trace-schema.md and TraceJson");
    }

    private static List<Object> entries(List<GuestLog.Entry> log) {
        List<Object> l = new ArrayList<>();
        for (GuestLog.Entry e : log) l.add(entry(e));
        return l;
    }

    private static Object entry(GuestLog.Entry e) {
        if (e == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        if (e instanceof GuestLog.Exception x) {
            m.put("type", "exception");
            m.put("vector", hex(x.vector()));
            m.put("esr", hex(x.esr()));
            m.put("elr", hex(x.elr()));
            m.put("far", hex(x.far()));
            m.put("spsr", hex(x.spsr()));
            m.put("ecName", Esr.shortName(x.ec()));
        } else {
            GuestLog.Value v = (GuestLog.Value) e;
            m.put("type", "value");
            m.put("tag", (long) v.tag());
            m.put("value", hex(v.value()));
        }
        return m;
    }

    private static Object verdict(Verdict v) {
        if (v == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", v.label());
        m.put("architectural", v.architectural());
        List<Object> ds = new ArrayList<>();
        for (Difference d : v.differences()) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("kind", d.kind().name());
            dm.put("index", (long) d.index());
            dm.put("field", d.field());
            dm.put("expected", entry(d.expected()));
            dm.put("actual", entry(d.actual()));
            dm.put("text", d.toString());
            ds.add(dm);
        }
        m.put("differences", ds);
        m.put("underKvm", entries(v.underKvm()));
        m.put("bareMetal", entries(v.bareMetal()));
        return m;
    }

    private static Object listing(Listing l) {
        if (l == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> lines = new ArrayList<>();
        for (Listing.Line line : l.lines()) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("address", hex(line.address()));
            lm.put("word", line.word() < 0 ? null : String.format("0x%08X", line.word()));
            lm.put("source", line.source());
            lines.add(lm);
        }
        m.put("lines", lines);
        Map<String, Object> labels = new LinkedHashMap<>();
        new TreeMap<>(l.labels()).forEach((k, v) -> labels.put(k, hex(v)));
        m.put("labels", labels);
        return m;
    }

    // ------------------------------------------------------------------------------------------------- read

    /** Reads a run's trace back; a trace of a newer schema version, or a missing or mistyped field, is refused with its path. */
    public static LabRun read(String json) {
        return run(checkHeader(Json.read(json), SCHEMA), "$");
    }

    /** Reads a comparison's trace back. */
    public static Comparison readComparison(String json) {
        Map<String, Object> m = checkHeader(Json.read(json), COMPARISON_SCHEMA);
        List<LabRun> runs = new ArrayList<>();
        List<Object> l = list(m, "runs", "$");
        for (int i = 0; i < l.size(); i++) runs.add(run(map(l.get(i), "$.runs[" + i + "]"), "$.runs[" + i + "]"));
        return new Comparison(runs);
    }

    /** Reads a sweep back. */
    public static SweepResult readSweep(String json) {
        Map<String, Object> m = checkHeader(Json.read(json), SWEEP_SCHEMA);
        List<String> axes = strings(m, "axes", "$");
        List<SweepResult.Cell> cells = new ArrayList<>();
        List<Object> l = list(m, "cells", "$");
        for (int i = 0; i < l.size(); i++) {
            String p = "$.cells[" + i + "]";
            Map<String, Object> c = map(l.get(i), p);
            Map<String, String> point = new LinkedHashMap<>();
            map(get(c, "point", p), p + ".point").forEach((k, v) -> point.put(k, String.valueOf(v)));
            cells.add(new SweepResult.Cell(point, str(c, "architecture", p), str(c, "outcome", p)));
        }
        return new SweepResult(axes, cells, num(m, "elapsedNanos", "$"));
    }

    private static Map<String, Object> checkHeader(Object root, String schema) {
        Map<String, Object> m = map(root, "$");
        String s = str(m, "schema", "$");
        if (!s.equals(schema)) throw new IllegalArgumentException("$.schema is \"" + s + "\", not \"" + schema + "\": this is not a "
                + schema.substring(schema.indexOf('.') + 1) + " trace; read it with the matching TraceJson.read method");
        long v = num(m, "schemaVersion", "$");
        if (v > SCHEMA_VERSION || v < 1)
            throw new IllegalArgumentException("trace schema version " + v + " is not readable by this DebugLab (it reads versions 1.." + SCHEMA_VERSION
                    + "); use the DebugLab release that wrote it, or a newer one");
        return m;
    }

    private static LabRun run(Map<String, Object> m, String p) {
        Map<String, Object> c = map(get(m, "config", p), p + ".config");
        RunConfig config = new RunConfig(str(c, "target", p + ".config"), str(c, "version", p + ".config"), str(c, "vmm", p + ".config"),
                strings(c, "debugRequests", p + ".config"), str(c, "migration", p + ".config"), strings(c, "guestSetup", p + ".config"));
        List<RoutingEvent> events = new ArrayList<>();
        List<Object> el = list(m, "events", p);
        for (int i = 0; i < el.size(); i++) events.add(event(map(el.get(i), p + ".events[" + i + "]"), p + ".events[" + i + "]"));
        Map<String, Long> regs = new LinkedHashMap<>();
        Map<String, Object> rm = map(get(m, "registers", p), p + ".registers");
        for (String k : rm.keySet()) regs.put(k, hexNum(rm, k, p + ".registers"));
        Object vo = get(m, "verdict", p);
        Object lo = get(m, "listing", p);
        return new LabRun(config, events, readEntries(list(m, "guestLog", p), p + ".guestLog"), str(m, "console", p), regs,
                str(m, "outcome", p), optStr(m, "message", p), num(m, "instructions", p),
                vo == null ? null : readVerdict(map(vo, p + ".verdict"), p + ".verdict"),
                lo == null ? null : readListing(map(lo, p + ".listing"), p + ".listing"));
    }

    private static RoutingEvent event(Map<String, Object> m, String p) {
        String type = str(m, "type", p);
        long pc = hexNum(m, "pc", p);
        return switch (type) {
            case "exception-taken" -> new RoutingEvent.ExceptionTaken(pc, (int) num(m, "fromEl", p), (int) num(m, "toEl", p),
                    hexNum(m, "esr", p), hexNum(m, "elr", p), hexOr(m, "far", p, RoutingEvent.NO_FAR), hexNum(m, "vector", p));
            case "guest-entry" -> new RoutingEvent.GuestEntry(pc, str(m, "row", p), bool(m, "tde", p), bool(m, "tda", p), bool(m, "tdosa", p),
                    hexNum(m, "hwMdscr", p), bool(m, "osLocked", p), str(m, "guestDebug", p), str(m, "comparators", p));
            case "exit-to-el2" -> new RoutingEvent.ExitToEl2(pc, (int) num(m, "fromEl", p), hexNum(m, "esr", p), hexNum(m, "elr", p),
                    hexNum(m, "far", p));
            case "kvm-decision" -> new RoutingEvent.KvmDecision(pc, enumOf(RoutingEvent.KvmDecisionKind.class, str(m, "kind", p), p + ".kind"),
                    str(m, "handler", p), str(m, "text", p), hexOr(m, "esr", p, RoutingEvent.NO_ESR));
            case "exit-to-vmm" -> new RoutingEvent.ExitToVmm(pc, str(m, "exitName", p), str(m, "description", p),
                    hexOr(m, "esr", p, RoutingEvent.NO_ESR), hexOr(m, "far", p, RoutingEvent.NO_FAR));
            case "vmm-decision" -> new RoutingEvent.VmmDecision(pc, enumOf(RoutingEvent.VmmDecisionKind.class, str(m, "kind", p), p + ".kind"),
                    str(m, "vmm", p), str(m, "text", p), hexOr(m, "esr", p, RoutingEvent.NO_ESR), hexNum(m, "elr", p),
                    hexOr(m, "far", p, RoutingEvent.NO_FAR));
            case "not-generated" -> new RoutingEvent.NotGenerated(pc, (int) num(m, "el", p), str(m, "event", p), str(m, "reason", p));
            default -> throw new IllegalArgumentException(p + ".type \"" + type + "\" is not an event type of schema version "
                    + SCHEMA_VERSION + " (docs/trace-schema.md lists them)");
        };
    }

    private static List<GuestLog.Entry> readEntries(List<Object> l, String p) {
        List<GuestLog.Entry> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) out.add(readEntry(l.get(i), p + "[" + i + "]"));
        return out;
    }

    private static GuestLog.Entry readEntry(Object o, String p) {
        if (o == null) return null;
        Map<String, Object> m = map(o, p);
        String type = str(m, "type", p);
        return switch (type) {
            case "exception" -> new GuestLog.Exception((int) hexNum(m, "vector", p), hexNum(m, "esr", p), hexNum(m, "elr", p),
                    hexNum(m, "far", p), hexNum(m, "spsr", p));
            case "value" -> new GuestLog.Value((int) num(m, "tag", p), hexNum(m, "value", p));
            default -> throw new IllegalArgumentException(p + ".type \"" + type + "\" is not a guest-log entry type (exception, value)");
        };
    }

    private static Verdict readVerdict(Map<String, Object> m, String p) {
        List<Difference> ds = new ArrayList<>();
        List<Object> l = list(m, "differences", p);
        for (int i = 0; i < l.size(); i++) {
            String q = p + ".differences[" + i + "]";
            Map<String, Object> d = map(l.get(i), q);
            ds.add(new Difference(enumOf(Difference.Kind.class, str(d, "kind", q), q + ".kind"), (int) num(d, "index", q), optStr(d, "field", q),
                    readEntry(get(d, "expected", q), q + ".expected"), readEntry(get(d, "actual", q), q + ".actual")));
        }
        return new Verdict(ds, readEntries(list(m, "underKvm", p), p + ".underKvm"), readEntries(list(m, "bareMetal", p), p + ".bareMetal"),
                str(m, "label", p));
    }

    private static Listing readListing(Map<String, Object> m, String p) {
        List<Listing.Line> lines = new ArrayList<>();
        List<Object> l = list(m, "lines", p);
        for (int i = 0; i < l.size(); i++) {
            String q = p + ".lines[" + i + "]";
            Map<String, Object> lm = map(l.get(i), q);
            lines.add(new Listing.Line(hexNum(lm, "address", q), hexOr(lm, "word", q, -1), str(lm, "source", q)));
        }
        Map<String, Long> labels = new LinkedHashMap<>();
        Map<String, Object> lab = map(get(m, "labels", p), p + ".labels");
        for (String k : lab.keySet()) labels.put(k, hexNum(lab, k, p + ".labels"));
        return new Listing(lines, labels);
    }

    // --- typed access with the path in every message

    private static Object get(Map<String, Object> m, String k, String p) {
        if (!m.containsKey(k)) throw new IllegalArgumentException(p + "." + k + " is missing (docs/trace-schema.md: every field is required; null where allowed)");
        return m.get(k);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String p) {
        if (o instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException(p + " must be an object, found " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String k, String p) {
        Object o = get(m, k, p);
        if (o instanceof List<?> l) return (List<Object>) l;
        throw new IllegalArgumentException(p + "." + k + " must be an array, found " + describe(o));
    }

    private static List<String> strings(Map<String, Object> m, String k, String p) {
        List<String> out = new ArrayList<>();
        List<Object> l = list(m, k, p);
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) throw new IllegalArgumentException(p + "." + k + "[" + i + "] must be a string, found " + describe(l.get(i)));
            out.add(s);
        }
        return out;
    }

    private static String str(Map<String, Object> m, String k, String p) {
        Object o = get(m, k, p);
        if (o instanceof String s) return s;
        throw new IllegalArgumentException(p + "." + k + " must be a string, found " + describe(o));
    }

    private static String optStr(Map<String, Object> m, String k, String p) {
        return get(m, k, p) == null ? null : str(m, k, p);
    }

    private static long num(Map<String, Object> m, String k, String p) {
        Object o = get(m, k, p);
        if (o instanceof Long l) return l;
        throw new IllegalArgumentException(p + "." + k + " must be an integer, found " + describe(o));
    }

    private static boolean bool(Map<String, Object> m, String k, String p) {
        Object o = get(m, k, p);
        if (o instanceof Boolean b) return b;
        throw new IllegalArgumentException(p + "." + k + " must be true or false, found " + describe(o));
    }

    private static long hexNum(Map<String, Object> m, String k, String p) {
        Object o = get(m, k, p);
        if (o instanceof String s && s.matches("0x[0-9A-Fa-f]{1,16}")) return Long.parseUnsignedLong(s.substring(2), 16);
        throw new IllegalArgumentException(p + "." + k + " must be a hex string like \"0x40000000\", found " + describe(o));
    }

    private static long hexOr(Map<String, Object> m, String k, String p, long none) {
        return get(m, k, p) == null ? none : hexNum(m, k, p);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name, String p) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(p + " \"" + name + "\" is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static String describe(Object o) {
        if (o == null) return "null";
        if (o instanceof String s) return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        if (o instanceof Map) return "an object";
        if (o instanceof List) return "an array";
        return o.toString();
    }

    // ------------------------------------------------------------------------------------------------- diff

    /**
     * The differences between two traces of any schema version this reader accepts, as lines
     * "path: left → right" ("$.events[3].esr: "0xF2000042" → (absent)"), arrays compared position by
     * position, objects key by key. Empty when the traces are equal.
     */
    public static List<String> diff(String left, String right) {
        List<String> out = new ArrayList<>();
        diff("$", Json.read(left), Json.read(right), out);
        return out;
    }

    private static void diff(String p, Object a, Object b, List<String> out) {
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            for (Object k : x.keySet()) diff(p + "." + k, x.get(k), y.containsKey(k) ? y.get(k) : Absent.ABSENT, out);
            for (Object k : y.keySet()) if (!x.containsKey(k)) diff(p + "." + k, Absent.ABSENT, y.get(k), out);
        } else if (a instanceof List<?> x && b instanceof List<?> y) {
            for (int i = 0; i < Math.max(x.size(), y.size()); i++)
                diff(p + "[" + i + "]", i < x.size() ? x.get(i) : Absent.ABSENT, i < y.size() ? y.get(i) : Absent.ABSENT, out);
        } else if (!Objects.equals(a, b)) {
            out.add(p + ": " + show(a) + " → " + show(b));
        }
    }

    private enum Absent { ABSENT }

    private static String show(Object o) {
        if (o == Absent.ABSENT) return "(absent)";
        if (o instanceof Map<?, ?> || o instanceof List<?>) {
            String s = Json.write(o).replaceAll("\\s*\n\\s*", " ").strip();
            return s.length() > 120 ? s.substring(0, 119) + "…" : s;
        }
        if (o instanceof String s) {
            StringBuilder b = new StringBuilder();
            Json.quote(s, b);
            return b.toString();
        }
        return String.valueOf(o);
    }

    /** The lane names of schema version 1, in the order the pictures draw them. */
    public static List<String> lanes() {
        return java.util.Arrays.stream(Lane.values()).map(Enum::name).toList();
    }
}
