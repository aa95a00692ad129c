package dev.debuglab.dsl.render;

import static dev.debuglab.dsl.render.Markup.escape;

import dev.debuglab.dsl.Comparison;
import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.RoutingEvent;
import dev.debuglab.dsl.SweepResult;
import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.verdict.Difference;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTML fragments for notebooks and the CLI's {@code --html} page: tables with every syndrome decoded
 * (ESR → EC name and ISS fields, ELR, FAR), the lane of each event, the steps and cells that differ
 * from the architecture highlighted (red band, "≠"), and the SVG picture inline. Self-contained: one
 * {@code <style>} scoped to {@code .debuglab}, no scripts, no external resources. Every string from
 * a result is escaped.
 */
public final class HtmlRenderer {
    private HtmlRenderer() {}

    static final String STYLE = """
            <style>
            .debuglab{font-family:-apple-system,'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:13px;color:#1f2328;max-width:100%;overflow-x:auto}
            .debuglab h3{font-size:15px;margin:10px 0 4px}
            .debuglab h4{font-size:13px;margin:12px 0 4px;color:#57606a}
            .debuglab table{border-collapse:collapse;margin:4px 0 8px}
            .debuglab th{background:#f6f8fa;text-align:left;font-weight:600;border-bottom:2px solid #d0d7de}
            .debuglab td,.debuglab th{padding:3px 8px;text-align:left;border-bottom:1px solid #eaeef2;vertical-align:top}
            .debuglab td.hex,.debuglab td.mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;white-space:nowrap}
            .debuglab .iss{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px;color:#57606a}
            .debuglab td.iss{white-space:nowrap}
            .debuglab .ec{font-weight:600}
            .debuglab tr.differs td{background:#ffebe9}
            .debuglab td.mark{color:#cf222e;font-weight:bold;text-align:center}
            .debuglab .lane{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;white-space:nowrap}
            .debuglab .lane-GUEST_EL0{background:#ddf4ff}.debuglab .lane-GUEST_EL1{background:#dbeafe}
            .debuglab .lane-KVM_EL2{background:#fff1e5}.debuglab .lane-VMM{background:#fbefff}
            .debuglab .ok{color:#1a7f37;font-weight:bold}.debuglab .bad{color:#cf222e;font-weight:bold}
            .debuglab .why{color:#a40e26;font-size:12px}
            .debuglab pre{background:#f6f8fa;padding:6px 8px;margin:4px 0}
            .debuglab td.same{background:#dafbe1}
            .debuglab td.cell-differs{background:#cf222e;color:#fff;font-weight:bold}
            .debuglab td.empty{background:#f6f8fa}
            .debuglab table.heat td{text-align:center}
            </style>
            """;

    /** A run: header with the verdict, the swimlanes, the routing table, the guest log, the verdict's differences, registers. */
    public static String render(LabRun run) {
        return "<div class=\"debuglab\">\n" + STYLE + runBody(run, true) + "</div>\n";
    }

    private static String runBody(LabRun run, boolean picture) {
        StringBuilder b = new StringBuilder();
        b.append("<h3>").append(escape(run.config().where())).append("</h3>\n<p>").append(escape(run.config().toString())).append("<br>")
                .append(escape(run.outcome())).append(" after ").append(run.instructions()).append(" instructions");
        if (run.message() != null && !run.message().isEmpty()) b.append(" — ").append(escape(run.message()));
        b.append("<br>").append(verdictBadge(run.verdict())).append("</p>\n");
        if (picture) b.append(SvgRenderer.render(run));
        b.append(routing(run));
        b.append("<h4>Guest log</h4>\n").append(guestLog(run.guestLog()));
        b.append(verdict(run.verdict()));
        if (!run.console().isEmpty()) b.append("<h4>Console</h4>\n<pre>").append(escape(run.console())).append("</pre>\n");
        b.append("<h4>Final registers</h4>\n").append(registers(run.registers()));
        return b.toString();
    }

    static String verdictBadge(Verdict v) {
        if (v == null) return "";
        if (v.architectural()) return "<span class=\"ok\">✓ architectural</span>: the guest cannot tell this from bare hardware";
        int n = v.differences().size();
        return "<span class=\"bad\">≠ " + n + (n == 1 ? " difference" : " differences") + "</span> from the architecture ("
                + escape(v.label()) + ")";
    }

    /** The routing table: one row per event, ESR decoded. */
    public static String routing(LabRun run) {
        Story story = Story.of(run, true);
        StringBuilder b = new StringBuilder("<h4>Routing</h4>\n");
        if (story.steps().isEmpty()) return b.append("<p>No routing events: nothing was taken, trapped or exited.</p>\n").toString();
        b.append("<table class=\"routing\"><thead><tr><th></th><th>#</th><th>PC</th><th>EL</th><th>lane</th><th>event</th>"
                + "<th>ESR</th><th>EC</th><th>ISS</th><th>ELR</th><th>FAR</th><th>what happened</th></tr></thead><tbody>\n");
        for (Story.Step s : story.steps()) {
            RoutingEvent e = s.event();
            b.append(s.differs() ? "<tr class=\"differs\">" : "<tr>");
            b.append("<td class=\"mark\">").append(s.differs() ? "≠" : "").append("</td>");
            if (e == null) {
                b.append("<td>-</td><td></td><td></td><td>").append(lane(s.to(), run.config().bareMetal())).append("</td><td>").append(s.kind().cssClass)
                        .append("</td><td colspan=\"5\"></td><td>").append(escape(s.label() + ", " + s.detail()));
            } else {
                b.append("<td>").append(s.index() + 1).append("</td><td class=\"hex\">").append(Markup.pc(e.pc()))
                        .append("</td><td>").append(e.el() < 0 ? "-" : "EL" + e.el()).append("</td><td>").append(lane(e.lane(), run.config().bareMetal()))
                        .append("</td><td>").append(s.kind().cssClass).append("</td>");
                esrCells(b, e.hasSyndrome() ? e.esr() : null);
                b.append("<td class=\"hex\">").append(e.hasSyndrome() ? String.format("0x%X", e.elr()) : "").append("</td>");
                b.append("<td class=\"hex\">").append(e.far() == RoutingEvent.NO_FAR ? "" : String.format("0x%X", e.far())).append("</td>");
                b.append("<td>").append(escape(e.what()));
            }
            for (String d : s.differences()) b.append("<div class=\"why\">≠ ").append(escape(d)).append("</div>");
            b.append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
        if (story.hiddenMmio() > 0) b.append("<p class=\"iss\">(the picture leaves out ").append(story.hiddenMmio())
                .append(" MMIO round trips of the guest log and console; the table shows them)</p>\n");
        return b.toString();
    }

    private static void esrCells(StringBuilder b, Long esr) {
        if (esr == null) {
            b.append("<td></td><td></td><td></td>");
            return;
        }
        Esr d = Esr.of(esr);
        b.append("<td class=\"hex\">").append(d.hex()).append("</td><td><span class=\"ec\">")
                .append(escape(String.format("0x%02X %s", d.ec(), d.shortName()))).append("</span><br><span class=\"iss\">")
                .append(escape(d.name())).append("</span></td><td class=\"iss\">").append(escape(String.join(", ", d.fields()))).append("</td>");
    }

    private static String lane(dev.debuglab.dsl.Lane l, boolean bareMetal) {
        return "<span class=\"lane lane-" + l.name() + "\">" + escape(l.label(bareMetal)) + "</span>";
    }

    /** The guest's log with every ESR decoded. */
    public static String guestLog(List<GuestLog.Entry> log) {
        if (log.isEmpty()) return "<p>Nothing logged.</p>\n";
        StringBuilder b = new StringBuilder("<table class=\"guest-log\"><thead><tr><th>#</th><th>entry</th><th>ESR / value</th><th>EC</th>"
                + "<th>ISS</th><th>ELR</th><th>FAR</th><th>SPSR</th></tr></thead><tbody>\n");
        int k = 1;
        for (GuestLog.Entry e : log) {
            b.append("<tr><td>").append(k++).append("</td>");
            if (e instanceof GuestLog.Exception x) {
                Esr d = Esr.of(x.esr());
                b.append("<td>exception at +").append(String.format("0x%03X", x.vector())).append("</td><td class=\"hex\">").append(d.hex())
                        .append("</td><td><span class=\"ec\">").append(escape(String.format("0x%02X %s", d.ec(), d.shortName())))
                        .append("</span><br><span class=\"iss\">").append(escape(d.name())).append("</span></td><td class=\"iss\">")
                        .append(escape(String.join(", ", d.fields()))).append("</td><td class=\"hex\">").append(String.format("0x%X", x.elr()))
                        .append("</td><td class=\"hex\">").append(String.format("0x%X", x.far())).append("</td><td class=\"hex\">")
                        .append(String.format("0x%X", x.spsr())).append("</td>");
            } else if (e instanceof GuestLog.Value v) {
                b.append("<td>value #").append(v.tag()).append("</td><td class=\"hex\">").append(String.format("0x%X", v.value()))
                        .append("</td><td colspan=\"5\"></td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody></table>\n").toString();
    }

    /** The verdict's differences, bare metal against this run. */
    public static String verdict(Verdict v) {
        if (v == null || v.architectural()) return "";
        StringBuilder b = new StringBuilder("<h4>Differences from the architecture</h4>\n<table class=\"verdict\"><thead><tr><th></th>"
                + "<th>kind</th><th>field</th><th>bare metal</th><th>this run</th><th>what it means</th></tr></thead><tbody>\n");
        for (Difference d : v.differences())
            b.append("<tr class=\"differs\"><td class=\"mark\">≠</td><td>").append(escape(d.kind().name().toLowerCase().replace('_', ' ')))
                    .append("</td><td>").append(escape(d.field() == null ? "" : d.field())).append("</td><td class=\"mono\">")
                    .append(escape(TextRenderer.entry(d.expected(), d.field()))).append("</td><td class=\"mono\">")
                    .append(escape(TextRenderer.entry(d.actual(), d.field()))).append("</td><td>").append(escape(d.toString()))
                    .append("</td></tr>\n");
        return b.append("</tbody></table>\n").toString();
    }

    static String registers(Map<String, Long> regs) {
        if (regs.isEmpty()) return "<p>No registers.</p>\n";
        List<String> names = new ArrayList<>();
        for (String n : List.of("PC", "PSTATE")) if (regs.containsKey(n)) names.add(n);
        for (int i = 0; i <= 30; i++) if (regs.containsKey("X" + i)) names.add("X" + i);
        new TreeMap<>(regs).keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        StringBuilder b = new StringBuilder("<table class=\"registers\"><tbody>\n");
        for (int i = 0; i < names.size(); i += 4) {
            b.append("<tr>");
            for (int j = i; j < Math.min(i + 4, names.size()); j++)
                b.append("<th>").append(escape(names.get(j))).append("</th><td class=\"hex\">")
                        .append(String.format("0x%016X", regs.get(names.get(j)))).append("</td>");
            b.append("</tr>\n");
        }
        return b.append("</tbody></table>\n").toString();
    }

    /** A comparison: the side-by-side table (rows that differ highlighted), then the runs' swimlanes side by side. */
    public static String render(Comparison c) {
        StringBuilder b = new StringBuilder("<div class=\"debuglab\">\n").append(STYLE);
        b.append("<h3>Comparison of ").append(c.runs().size()).append(" runs</h3>\n");
        b.append("<table class=\"comparison\"><thead><tr><th></th><th></th>");
        for (String col : c.columns()) b.append("<th>").append(escape(col)).append("</th>");
        b.append("</tr></thead><tbody>\n");
        for (Comparison.Row r : c.rows()) {
            b.append(r.differs() ? "<tr class=\"differs\"><td class=\"mark\">≠</td>" : "<tr><td class=\"mark\"></td>");
            b.append("<th>").append(escape(r.label())).append("</th>");
            for (String cell : r.cells()) b.append("<td class=\"mono\">").append(escape(cell)).append("</td>");
            b.append("</tr>\n");
        }
        b.append("</tbody></table>\n<p>≠ marks a row that differs between the runs.</p>\n");
        b.append(SvgRenderer.render(c));
        return b.append("</div>\n").toString();
    }

    /** A sweep: the heat-map table, cells that differ from the architecture in red. */
    public static String render(SweepResult r) {
        String colAxis = SvgRenderer.columnAxis(r);
        List<String> cols = SvgRenderer.columns(r, colAxis);
        List<String> others = SvgRenderer.rowAxes(r, colAxis);
        String fixed = SvgRenderer.fixedAxes(r, colAxis);
        StringBuilder b = new StringBuilder("<div class=\"debuglab\">\n").append(STYLE);
        b.append("<h3>Sweep: ").append(r.size()).append(" points, <span class=\"").append(r.differences().isEmpty() ? "ok" : "bad").append("\">")
                .append(r.differences().size()).append(" differ from the architecture</span></h3>\n");
        if (!fixed.isEmpty()) b.append("<p>Every cell: ").append(escape(fixed)).append(".</p>\n");
        b.append("<table class=\"heat\"><thead><tr>");
        for (String a : others) b.append("<th>").append(escape(a)).append("</th>");
        for (String c : cols) b.append("<th>").append(escape(colAxis == null ? "outcome" : colAxis + " " + c)).append("</th>");
        b.append("</tr></thead><tbody>\n");
        int k = 0;
        Map<List<String>, Map<String, SweepResult.Cell>> rows = SvgRenderer.heat(r, colAxis);
        for (Map.Entry<List<String>, Map<String, SweepResult.Cell>> row : rows.entrySet()) {
            if (k++ == SvgRenderer.MAX_HEAT_ROWS) break;
            b.append("<tr>");
            for (String v : row.getKey()) b.append("<td>").append(escape(v)).append("</td>");
            for (String c : cols) {
                SweepResult.Cell cell = row.getValue().get(c);
                if (cell == null) b.append("<td class=\"empty\"></td>");
                else if (cell.differs())
                    b.append("<td class=\"cell-differs\" title=\"architecture: ").append(escape(cell.architecture())).append("\">≠ ")
                            .append(escape(cell.outcome())).append("<br><span style=\"font-weight:normal;font-size:11px\">arch: ")
                            .append(escape(cell.architecture())).append("</span></td>");
                else b.append("<td class=\"same\">").append(escape(cell.outcome())).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody></table>\n");
        if (rows.size() > SvgRenderer.MAX_HEAT_ROWS)
            b.append("<p>… ").append(rows.size() - SvgRenderer.MAX_HEAT_ROWS).append(" more rows not shown.</p>\n");
        return b.append("</div>\n").toString();
    }

    /** A standalone page holding fragments (the CLI's {@code --html OUT}). */
    public static String page(String title, List<String> fragments) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title></head>\n<body style=\"margin:16px\">\n");
        for (String f : fragments) b.append(f).append("<hr>\n");
        return b.append("</body></html>\n").toString();
    }
}
