package dev.debuglab.dsl.render;

import dev.debuglab.dsl.Comparison;
import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.RoutingEvent;
import dev.debuglab.dsl.SweepResult;
import dev.debuglab.dsl.TextTable;
import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.verdict.Difference;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plain text for terminals and {@code toString()}: aligned tables ({@link TextTable}: a header, a rule,
 * columns padded to their widest cell). The one plain-text form of the results: {@link LabRun},
 * {@link Comparison} and {@link SweepResult} return {@link #render} from {@code toString()}. The marks
 * are ASCII: {@code !!} where a step, a verdict row or a sweep cell differs from the architecture,
 * {@code *} on a comparison row that differs between the runs.
 */
public final class TextRenderer {
    private TextRenderer() {}

    /** Any table: a header and rows of cells, aligned. */
    public static String table(List<String> header, List<List<String>> rows) {
        TextTable t = new TextTable(header);
        for (List<String> r : rows) t.row(r);
        return t.toString();
    }

    /** The routing events: #, PC, EL, lane, EC, ESR, what happened; "!!" where the step differs from the architecture. */
    public static String routing(LabRun run) {
        Story story = Story.of(run, true);
        if (story.steps().isEmpty()) return "(no routing events)";
        TextTable t = new TextTable("", "#", "PC", "EL", "lane", "EC", "ESR", "what happened");
        for (Story.Step s : story.steps()) {
            RoutingEvent e = s.event();
            if (e == null) {
                t.row("!!", "-", "", "", s.to().label(run.config().bareMetal()), "", "", s.label() + ", " + s.detail());
                continue;
            }
            t.row(s.differs() ? "!!" : "", s.index() + 1, Markup.pc(e.pc()), e.el() < 0 ? "-" : "EL" + e.el(),
                    e.lane().label(run.config().bareMetal()), e.hasSyndrome() ? Esr.shortName(e.ec()) : "",
                    e.hasSyndrome() ? String.format("0x%08X", e.esr()) : "", e.what());
        }
        return t.toString();
    }

    /** The guest's own log: one row per exception (ESR decoded, ELR, FAR, SPSR) or value. */
    public static String guestLog(List<GuestLog.Entry> log) {
        if (log.isEmpty()) return "(nothing logged)";
        TextTable t = new TextTable("#", "entry", "ESR / value", "EC", "ISS", "ELR", "FAR", "SPSR");
        int k = 1;
        for (GuestLog.Entry e : log) {
            if (e instanceof GuestLog.Exception x) {
                Esr esr = Esr.of(x.esr());
                t.row(k++, String.format("exception +0x%03X", x.vector()), esr.hex(), String.format("0x%02X %s", x.ec(), esr.shortName()),
                        String.join(", ", esr.fields()), String.format("0x%X", x.elr()), String.format("0x%X", x.far()),
                        String.format("0x%X", x.spsr()));
            } else if (e instanceof GuestLog.Value v) {
                t.row(k++, "value #" + v.tag(), String.format("0x%X", v.value()), "", "", "", "", "");
            }
        }
        return t.toString();
    }

    /** The verdict: "architectural" or one row per difference. */
    public static String verdict(Verdict v) {
        if (v == null) return "(no verdict)";
        if (v.architectural()) return "Architectural: the guest observed exactly what bare hardware shows it (" + v.bareMetal().size()
                + (v.bareMetal().size() == 1 ? " entry)" : " entries)");
        TextTable t = new TextTable("", "kind", "field", "bare metal", "here");
        for (Difference d : v.differences())
            t.row("!!", d.kind().name().toLowerCase().replace('_', ' '), d.field() == null ? "" : d.field(), entry(d.expected(), d.field()),
                    entry(d.actual(), d.field()));
        return v.differences().size() + (v.differences().size() == 1 ? " difference" : " differences") + " from the architecture ("
                + v.label() + ")\n" + t;
    }

    static String entry(GuestLog.Entry e, String field) {
        if (e == null) return "-";
        if (e instanceof GuestLog.Value v) return String.format("#%d = 0x%X", v.tag(), v.value());
        GuestLog.Exception x = (GuestLog.Exception) e;
        if (field != null && !field.equals("ESR")) {
            long value = switch (field) {
                case "vector" -> x.vector();
                case "FAR" -> x.far();
                case "SPSR" -> x.spsr();
                default -> x.elr();
            };
            return String.format("%s 0x%X (ELR 0x%X)", field, value, x.elr());
        }
        return String.format("%s ESR 0x%08X at ELR 0x%X", Esr.shortName(x.ec()), x.esr(), x.elr());
    }

    /** The final registers, four to a line, in the order PC, PSTATE, X0..X30, the rest by name. */
    public static String registers(Map<String, Long> regs) {
        List<String> names = new ArrayList<>();
        for (String n : List.of("PC", "PSTATE")) if (regs.containsKey(n)) names.add(n);
        for (int i = 0; i <= 30; i++) if (regs.containsKey("X" + i)) names.add("X" + i);
        new TreeMap<>(regs).keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < names.size(); i += 4) {
            List<String> r = new ArrayList<>();
            for (int j = i; j < Math.min(i + 4, names.size()); j++) {
                r.add(names.get(j));
                r.add(String.format("0x%016X", regs.get(names.get(j))));
            }
            rows.add(r);
        }
        StringBuilder b = new StringBuilder();
        int[] w = new int[8];
        for (List<String> r : rows) for (int i = 0; i < r.size(); i++) w[i] = Math.max(w[i], r.get(i).length());
        for (List<String> r : rows) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String c = r.get(i);
                l.append(c).append(" ".repeat(w[i] - c.length() + (i % 2 == 0 ? 1 : 3)));
            }
            b.append(l.toString().stripTrailing()).append('\n');
        }
        return b.toString().stripTrailing();
    }

    /** The whole run: where, outcome, routing, guest log, console, final registers, verdict. */
    public static String render(LabRun run) {
        StringBuilder b = new StringBuilder();
        b.append("Run on ").append(run.config()).append('\n');
        b.append(run.outcome()).append(" after ").append(run.instructions()).append(" instructions");
        if (run.message() != null && !run.message().isEmpty()) b.append(" — ").append(run.message());
        b.append("\n\nRouting\n").append(routing(run)).append('\n');
        b.append("\nGuest log\n").append(guestLog(run.guestLog())).append('\n');
        if (!run.console().isEmpty()) b.append("\nConsole\n").append(run.console().stripTrailing()).append('\n');
        b.append("\nFinal registers\n").append(registers(run.registers())).append('\n');
        b.append('\n').append(verdict(run.verdict()));
        return b.toString();
    }

    /** The side-by-side table: one column per run, "*" on rows that differ between runs, and a row for the verdict. */
    public static String render(Comparison c) {
        List<String> h = new ArrayList<>();
        h.add("");
        h.add("");
        h.addAll(c.columns());
        TextTable t = new TextTable(h);
        for (Comparison.Row r : c.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(r.differs() ? "*" : "");
            cells.add(r.label());
            cells.addAll(r.cells());
            t.row(cells);
        }
        return "Comparison of " + c.runs().size() + " runs (* = the row differs between runs)\n" + t;
    }

    /** The sweep as a matrix: one row per point of the other axes, one column per value of the column axis; "!!" marks a cell that differs from the architecture. */
    public static String render(SweepResult r) {
        String colAxis = SvgRenderer.columnAxis(r);
        List<String> cols = SvgRenderer.columns(r, colAxis);
        List<String> h = new ArrayList<>(SvgRenderer.rowAxes(r, colAxis));
        String fixed = SvgRenderer.fixedAxes(r, colAxis);
        for (String c : cols) h.add(colAxis == null ? "outcome" : colAxis + " " + c);
        TextTable t = new TextTable(h);
        for (Map.Entry<List<String>, Map<String, SweepResult.Cell>> row : SvgRenderer.heat(r, colAxis).entrySet()) {
            List<String> cells = new ArrayList<>(row.getKey());
            for (String c : cols) {
                SweepResult.Cell cell = row.getValue().get(c);
                cells.add(cell == null ? "" : (cell.differs() ? "!! " : "   ") + cell.outcome()
                        + (cell.differs() ? " (arch: " + cell.architecture() + ")" : ""));
            }
            t.row(cells);
        }
        return String.format("Sweep: %d points, %d differ from the architecture (!!)%s%n", r.size(), r.differences().size(),
                fixed.isEmpty() ? "" : "; every cell: " + fixed) + t;
    }
}
