package dev.debuglab.dsl.render;

import static dev.debuglab.dsl.render.Markup.escape;

import dev.debuglab.dsl.Comparison;
import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.Lane;
import dev.debuglab.dsl.SweepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SVG pictures of results.
 *
 * <ul>
 * <li>A run is a swimlane picture: one vertical lane each for guest EL0, guest EL1, KVM/EL2 and the
 * VMM, time flowing down, one row per routing event: an arrow for each exception, exit, injection and
 * return into the guest (labelled with the EC's short name, the ESR and the PC), a note on its lane
 * for each decision and each debug event not generated. A step that differs from the architecture
 * (bare metal) is drawn red on a red band with a "≠" mark in the margin; a legend explains the
 * colours.</li>
 * <li>A comparison puts the runs' swimlanes side by side, each titled with where it ran.</li>
 * <li>A sweep is a heat-map table: one row per point of the other axes, one column per value of the
 * column axis ("version" when swept), cells green where the outcome is the architecture's and red
 * where it differs.</li>
 * </ul>
 *
 * Every group carries a class ({@code lane}, {@code arrow ev-exception}, {@code note ev-decision},
 * {@code differs}, ...) and {@code data-} attributes so tests and notebooks can find them. The pictures
 * are self-contained (inline style, no scripts, no external references).
 */
public final class SvgRenderer {
    private SvgRenderer() {}

    /** Layout of one swimlane panel. */
    record Layout(int margin, int laneWidth, int rowHeight, int header, boolean compact) {
        static final Layout FULL = new Layout(150, 250, 46, 96, false);
        static final Layout COMPACT = new Layout(56, 160, 44, 96, true);

        int laneX(Lane l) {
            return margin + l.ordinal() * laneWidth + laneWidth / 2;
        }

        int width() {
            return margin + Lane.values().length * laneWidth + 10;
        }
    }

    static final String STYLE = """
            text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:11px;fill:#1f2328}
            .title{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:15px;font-weight:bold}
            .subtitle{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:12px;fill:#57606a}
            .lane-head rect{fill:#f6f8fa;stroke:#8c959f}
            .lane-head text{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:13px;font-weight:bold;text-anchor:middle}
            .lane-head.absent rect{fill:#fafafa;stroke:#d0d7de;stroke-dasharray:4 3}
            .lane-head.absent text{fill:#8c959f}
            .lifeline{stroke:#afb8c1;stroke-width:1.2;stroke-dasharray:5 4}
            .lane.absent .lifeline{stroke:#e1e4e8}
            .arrow line,.arrow path{fill:none;stroke-width:2}
            .label{paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}
            .label.main{font-weight:bold}
            .label.detail{fill:#57606a}
            .ev-exception line,.ev-exception path{stroke:#1f6feb}.ev-exception .main{fill:#0b4fbf}
            .ev-exit line,.ev-exit path{stroke:#c2410c}.ev-exit .main{fill:#9a3412}
            .ev-userspace-exit line{stroke:#8250df}.ev-userspace-exit .main{fill:#6639ba}
            .ev-injection line{stroke:#bf3989;stroke-width:2.5}.ev-injection .main{fill:#99286e}
            .ev-return line{stroke:#6e7781;stroke-dasharray:6 4;stroke-width:1.5}.ev-return .main{fill:#57606a;font-weight:normal}
            .ev-missing line,.ev-missing path{stroke:#cf222e;stroke-dasharray:3 3}
            .note .marker{fill:#fff;stroke:#57606a;stroke-width:1.5}
            .ev-not-generated .marker{fill:#fff;stroke:#8c959f;stroke-dasharray:2 2}
            .ev-not-generated .main{fill:#6e7781}
            .band{fill:transparent}
            .differs .band{fill:#ffebe9}
            .differs line,.differs path{stroke:#cf222e !important;stroke-width:3}
            .differs .marker{stroke:#cf222e !important;stroke-width:2.5}
            .differs .main{fill:#a40e26 !important}
            .mark{font-size:15px;font-weight:bold;fill:#cf222e}
            .seq{fill:#8c959f}
            .legend text{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:11.5px}
            .legend rect.box{fill:#fff;stroke:#d0d7de}
            .verdict-ok{fill:#1a7f37;font-weight:bold}
            .verdict-bad{fill:#cf222e;font-weight:bold}
            .heat text{text-anchor:middle}
            .heat .axis{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-weight:bold;fill:#1f2328}
            .cell rect{stroke:#fff;stroke-width:2}
            .cell.same rect{fill:#dafbe1}
            .cell.differs rect{fill:#cf222e}
            .cell.differs text{fill:#fff;font-weight:bold}
            .cell.empty rect{fill:#f6f8fa}
            """;

    // ----------------------------------------------------------------------------------------------- runs

    /** The swimlane picture of a run. */
    public static String render(LabRun run) {
        Story story = Story.of(run);
        int height = panelHeight(story, Layout.FULL) + legendHeight();
        int width = Layout.FULL.width();
        StringBuilder b = open(width, height, "Routing of the run on " + run.config().where());
        panel(b, run, story, Layout.FULL, 0, 0);
        legend(b, 12, panelHeight(story, Layout.FULL) + 4, width - 24);
        return b.append("</svg>\n").toString();
    }

    /** The swimlanes of a comparison's runs, side by side. */
    public static String render(Comparison c) {
        List<Story> stories = c.runs().stream().map(Story::of).toList();
        int h = stories.stream().mapToInt(s -> panelHeight(s, Layout.COMPACT)).max().orElse(100);
        int w = Math.max(600, Layout.COMPACT.width() * Math.max(1, stories.size()));
        StringBuilder b = open(w, h + legendHeight(), "Comparison of " + c.runs().size() + " runs");
        for (int i = 0; i < stories.size(); i++) {
            int x = i * Layout.COMPACT.width();
            panel(b, c.run(i), stories.get(i), Layout.COMPACT, x, 0);
            if (i > 0) b.append(String.format("<line x1='%d' y1='0' x2='%d' y2='%d' stroke='#d0d7de' stroke-width='2'/>%n", x, x, h));
        }
        legend(b, 12, h + 4, Math.min(w, 1100) - 24);
        return b.append("</svg>\n").toString();
    }

    private static StringBuilder open(int w, int h, String title) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("<svg xmlns='http://www.w3.org/2000/svg' class='debuglab' width='%d' height='%d' viewBox='0 0 %d %d' role='img'>%n",
                w, h, w, h));
        b.append("<title>").append(escape(title)).append("</title>\n");
        b.append("<style>").append(STYLE).append("</style>\n");
        b.append(String.format("<rect width='%d' height='%d' fill='#ffffff'/>%n", w, h));
        b.append("<defs>");
        for (String[] m : new String[][] {{"exception", "#1f6feb"}, {"exit", "#c2410c"}, {"userspace-exit", "#8250df"},
                {"injection", "#bf3989"}, {"return", "#6e7781"}, {"missing", "#cf222e"}, {"differs", "#cf222e"}})
            b.append(String.format("<marker id='head-%s' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='10' markerHeight='10' "
                    + "markerUnits='userSpaceOnUse' orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='%s'/></marker>", m[0], m[1]));
        return b.append("</defs>\n");
    }

    static int panelHeight(Story s, Layout l) {
        return l.header() + Math.max(1, s.steps().size()) * l.rowHeight() + 46;
    }

    private static void panel(StringBuilder b, LabRun run, Story story, Layout l, int x0, int y0) {
        b.append(String.format("<g class='run' transform='translate(%d,%d)'>%n", x0, y0));
        boolean bare = run.config().bareMetal();
        b.append("<text class='title' x='12' y='22'>").append(escape(run.config().where())).append("</text>\n");
        String verdict = run.verdict() == null ? "" : run.architectural() ? "✓ architectural"
                : "≠ " + run.verdict().differences().size() + (run.verdict().differences().size() == 1 ? " difference" : " differences")
                + " from the architecture";
        b.append(String.format("<text class='subtitle' x='12' y='40'>%s after %d instructions%s<tspan class='%s'>%s</tspan></text>%n",
                escape(run.outcome()), run.instructions(), verdict.isEmpty() ? "" : " · ",
                run.verdict() == null || run.architectural() ? "verdict-ok" : "verdict-bad", escape(verdict)));
        int bottom = panelHeight(story, l) - 30;
        for (Lane lane : Lane.values()) {
            boolean absent = bare && lane == Lane.VMM;
            int cx = l.laneX(lane);
            b.append(String.format("<g class='lane%s' data-lane='%s'>", absent ? " absent" : "", lane.name()));
            b.append(String.format("<g class='lane-head%s'><rect x='%d' y='54' width='%d' height='26' rx='5'/>"
                            + "<text x='%d' y='72'>%s</text></g>", absent ? " absent" : "", cx - l.laneWidth() / 2 + 8,
                    l.laneWidth() - 16, cx, escape(lane.label(bare) + (absent ? " (none)" : ""))));
            b.append(String.format("<line class='lifeline' x1='%d' y1='80' x2='%d' y2='%d'/></g>%n", cx, cx, bottom));
        }
        int y = l.header();
        if (story.steps().isEmpty())
            b.append(String.format("<text class='subtitle' x='%d' y='%d'>no routing events: nothing was taken, trapped or exited</text>%n",
                    l.margin(), y + 24));
        int n = 1;
        for (Story.Step s : story.steps()) {
            step(b, s, l, y, n++);
            y += l.rowHeight();
        }
        java.util.List<String> notDrawn = new java.util.ArrayList<>();
        if (story.hiddenMmio() > 0) notDrawn.add(story.hiddenMmio() + " MMIO round trips (guest log, console)");
        if (story.hiddenSteps() > 0) notDrawn.add(story.hiddenSteps() + " one-instruction runs of the VMM to its stop point");
        if (!notDrawn.isEmpty())
            b.append(String.format("<text class='subtitle' x='12' y='%d'>%s not drawn</text>%n", bottom + 20, String.join(" and ", notDrawn)));
        b.append("</g>\n");
    }

    private static void step(StringBuilder b, Story.Step s, Layout l, int top, int n) {
        int y = top + l.rowHeight() / 2 + 6;
        String cls = (s.kind().arrow() ? "arrow" : "note") + " ev-" + s.kind().cssClass + (s.differs() ? " differs" : "");
        b.append(String.format("<g class='%s' data-kind='%s' data-event='%d' data-from='%s' data-to='%s'>", cls, s.kind().cssClass,
                s.index(), s.from().name(), s.to().name()));
        b.append("<title>").append(escape(title(s))).append("</title>");
        b.append(String.format("<rect class='band' x='0' y='%d' width='%d' height='%d'/>", top + 1, l.width() - 10, l.rowHeight() - 2));
        b.append(String.format("<text class='seq' x='8' y='%d'>%d</text>", y + 4, n));
        if (s.event() != null && !l.compact())
            b.append(String.format("<text class='seq' x='32' y='%d'>%s</text>", y + 4, escape(Markup.pc(s.event().pc()))));
        if (s.differs()) b.append(String.format("<text class='mark' x='%d' y='%d'>≠</text>", l.margin() - 22, y + 5));
        int x1 = l.laneX(s.from()), x2 = l.laneX(s.to());
        String head = "url(#head-" + (s.differs() ? "differs" : s.kind().cssClass) + ")";
        int max = l.compact() ? 28 : 40;
        if (!s.kind().arrow()) {
            boolean left = s.from() == Lane.VMM;
            b.append(String.format("<rect class='marker' x='%d' y='%d' width='12' height='12' rx='%d' transform='rotate(45 %d %d)'/>",
                    x1 - 6, y - 6, s.kind() == Story.Kind.NOT_GENERATED ? 6 : 1, x1, y));
            int tx = left ? x1 - 14 : x1 + 14;
            String anchor = left ? " text-anchor='end'" : "";
            int room = left ? (l.compact() ? 30 : 50) : (l.compact() ? 30 : 56);
            b.append(String.format("<text class='label main' x='%d' y='%d'%s>%s</text>", tx, y - 4, anchor, escape(clip(s.label(), room))));
            b.append(String.format("<text class='label detail' x='%d' y='%d'%s>%s</text>", tx, y + 11, anchor, escape(clip(s.detail(), room))));
        } else if (x1 == x2) {
            // An exception taken at the same lane (EL1 -> EL1): a loop on the lane.
            b.append(String.format("<path d='M%d,%d C%d,%d %d,%d %d,%d' marker-end='%s'/>", x1 + 2, y - 10, x1 + 44, y - 18, x1 + 44, y + 16,
                    x1 + 6, y + 9, head));
            b.append(String.format("<text class='label main' x='%d' y='%d'>%s</text>", x1 + 52, y - 3, escape(clip(s.label(), max))));
            b.append(String.format("<text class='label detail' x='%d' y='%d'>%s</text>", x1 + 52, y + 12, escape(clip(s.detail(), max))));
        } else {
            int dir = Integer.signum(x2 - x1);
            b.append(String.format("<line x1='%d' y1='%d' x2='%d' y2='%d' marker-end='%s'/>", x1 + dir * 4, y, x2 - dir * 6, y, head));
            int mid = (x1 + x2) / 2;
            int span = Math.abs(x2 - x1) / 7;
            b.append(String.format("<text class='label main' x='%d' y='%d' text-anchor='middle'>%s</text>", mid, y - 6,
                    escape(clip(s.label(), Math.max(max, span)))));
            b.append(String.format("<text class='label detail' x='%d' y='%d' text-anchor='middle'>%s</text>", mid, y + 14,
                    escape(clip(s.detail(), Math.max(max, span)))));
        }
        b.append("</g>\n");
    }

    private static String title(Story.Step s) {
        StringBuilder t = new StringBuilder();
        if (s.event() != null) t.append(s.event().story());
        else t.append(s.label()).append(", ").append(s.detail());
        for (String d : s.differences()) t.append("\n≠ ").append(d);
        return t.toString();
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static int legendHeight() {
        return 78;
    }

    private static void legend(StringBuilder b, int x, int y, int w) {
        b.append(String.format("<g class='legend' transform='translate(%d,%d)'><rect class='box' width='%d' height='%d' rx='6'/>", x, y, w,
                legendHeight() - 12));
        Story.Kind[] kinds = Story.Kind.values();
        int col = 0, row = 0, cw = Math.max(180, (w - 20) / 4);
        for (Story.Kind k : kinds) {
            int lx = 12 + col * cw, ly = 18 + row * 18;
            b.append(String.format("<g class='ev-%s %s'>", k.cssClass, k.arrow() ? "arrow" : "note"));
            if (k.arrow())
                b.append(String.format("<line x1='%d' y1='%d' x2='%d' y2='%d' marker-end='url(#head-%s)'/>", lx, ly - 4, lx + 30, ly - 4, k.cssClass));
            else
                b.append(String.format("<rect class='marker' x='%d' y='%d' width='9' height='9' rx='%d' transform='rotate(45 %d %d)'/>", lx + 11,
                        ly - 9, k == Story.Kind.NOT_GENERATED ? 5 : 1, lx + 15, ly - 4));
            b.append(String.format("<text x='%d' y='%d'>%s</text></g>", lx + 38, ly, escape(k.legend)));
            if (++col == 4) {
                col = 0;
                row++;
            }
        }
        int ly = 18 + (row + (col == 0 ? 0 : 1)) * 18;
        b.append(String.format("<rect x='12' y='%d' width='30' height='14' fill='#ffebe9' stroke='#cf222e'/>"
                + "<text class='mark' x='20' y='%d'>≠</text><text x='50' y='%d'>differs from the architecture (the same guest on bare metal): "
                + "red arrow, red band, ≠ in the margin; hover a row for the details</text>", ly - 11, ly + 1, ly));
        b.append("</g>\n");
    }

    // ---------------------------------------------------------------------------------------------- sweeps

    /** The axis a sweep's heat map spreads over its columns: "version" when swept, else the last axis. */
    static String columnAxis(SweepResult r) {
        if (r.axes().contains("version")) return "version";
        return r.axes().isEmpty() ? null : r.axes().get(r.axes().size() - 1);
    }

    /**
     * The row headings of the heat map: the axes other than the column axis that take more than one value
     * within one column (an axis that only follows the column, like TDE = "KVM" in every KVM version's
     * column, would split the rows without saying anything).
     */
    static List<String> rowAxes(SweepResult r, String colAxis) {
        return r.axes().stream().filter(a -> !a.equals(colAxis)).filter(a -> {
            Map<String, Set<String>> perColumn = new LinkedHashMap<>();
            for (SweepResult.Cell c : r.cells())
                perColumn.computeIfAbsent(colAxis == null ? "" : c.get(colAxis), k -> new LinkedHashSet<>()).add(String.valueOf(c.get(a)));
            return perColumn.values().stream().anyMatch(s -> s.size() > 1);
        }).toList();
    }

    /** The axes with one value in every cell ("DLK 0, MDE 1"), said once above the heat map instead of in every row. */
    static String fixedAxes(SweepResult r, String colAxis) {
        List<String> rows = rowAxes(r, colAxis);
        List<String> out = new ArrayList<>();
        for (String a : r.axes())
            if (!a.equals(colAxis) && !rows.contains(a) && !r.cells().isEmpty()
                    && r.cells().stream().map(c -> String.valueOf(c.get(a))).distinct().count() == 1)
                out.add(a + " " + r.cells().get(0).get(a));
        return String.join(", ", out);
    }

    /** The heat-map rows: the varying axes' values → column value → cell. */
    static Map<List<String>, Map<String, SweepResult.Cell>> heat(SweepResult r, String colAxis) {
        List<String> rowAxes = rowAxes(r, colAxis);
        Map<List<String>, Map<String, SweepResult.Cell>> rows = new LinkedHashMap<>();
        for (SweepResult.Cell c : r.cells()) {
            List<String> key = new ArrayList<>();
            for (String a : rowAxes) key.add(c.get(a));
            rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(colAxis == null ? "" : c.get(colAxis), c);
        }
        return rows;
    }

    static List<String> columns(SweepResult r, String colAxis) {
        Set<String> cols = new LinkedHashSet<>();
        for (SweepResult.Cell c : r.cells()) cols.add(colAxis == null ? "" : c.get(colAxis));
        return new ArrayList<>(cols);
    }

    /** Rows of a heat map drawn at most; the rest is counted under the table. */
    public static final int MAX_HEAT_ROWS = 400;

    /** The heat map of a sweep. */
    public static String render(SweepResult r) {
        String colAxis = columnAxis(r);
        List<String> others = rowAxes(r, colAxis);
        Map<List<String>, Map<String, SweepResult.Cell>> rows = heat(r, colAxis);
        String fixed = fixedAxes(r, colAxis);
        List<String> cols = columns(r, colAxis);
        int longest = r.cells().stream().flatMap(c -> others.stream().map(a -> String.valueOf(c.get(a)).length())).max(Integer::compare).orElse(4);
        int axisW = Math.max(64, Math.min(longest, 24) * 7 + 18), cellW = 124, rowH = 24, top = 92;
        int shown = Math.min(rows.size(), MAX_HEAT_ROWS);
        int w = Math.max(700, 20 + others.size() * axisW + cols.size() * cellW + 20);
        int h = top + shown * rowH + 70;
        StringBuilder b = open(w, h, "Sweep of " + r.size() + " points");
        b.append("<g class='heat'>\n");
        b.append(String.format("<text class='title' x='12' y='22' style='text-anchor:start'>Sweep: %d points, %d differ from the architecture</text>%n",
                r.size(), r.differences().size()));
        b.append("<text class='subtitle' x='12' y='40' style='text-anchor:start'>green: as on bare metal · red ≠: differs (the outcome is written in the cell; "
                + "hover for the architecture's)").append(fixed.isEmpty() ? "" : " · every cell: " + escape(fixed)).append("</text>\n");
        int x = 20;
        for (String a : others) {
            b.append(String.format("<text class='axis' x='%d' y='%d'>%s</text>", x + axisW / 2, top - 10, escape(a)));
            x += axisW;
        }
        if (colAxis != null)
            b.append(String.format("<text class='axis' x='%d' y='%d'>%s</text>", x + cols.size() * cellW / 2, top - 30, escape(colAxis)));
        for (int c = 0; c < cols.size(); c++)
            b.append(String.format("<text class='axis' x='%d' y='%d'>%s</text>", x + c * cellW + cellW / 2, top - 10, escape(cols.get(c))));
        b.append('\n');
        int y = top, k = 0;
        for (Map.Entry<List<String>, Map<String, SweepResult.Cell>> row : rows.entrySet()) {
            if (k++ == shown) break;
            int cx = 20;
            if (k % 2 == 0) b.append(String.format("<rect x='14' y='%d' width='%d' height='%d' fill='#f6f8fa'/>", y, others.size() * axisW + 6, rowH));
            for (String v : row.getKey()) {
                b.append(String.format("<text x='%d' y='%d'>%s</text>", cx + axisW / 2, y + 16, escape(v)));
                cx += axisW;
            }
            for (String col : cols) {
                SweepResult.Cell cell = row.getValue().get(col);
                String cls = cell == null ? "empty" : cell.differs() ? "differs" : "same";
                b.append(String.format("<g class='cell %s' data-column='%s'>", cls, escape(col)));
                if (cell != null)
                    b.append("<title>").append(escape("architecture: " + cell.architecture() + "\noutcome: " + cell.outcome())).append("</title>");
                b.append(String.format("<rect x='%d' y='%d' width='%d' height='%d' rx='3'/>", cx, y, cellW, rowH));
                if (cell != null)
                    b.append(String.format("<text x='%d' y='%d'>%s%s</text>", cx + cellW / 2, y + 16, cell.differs() ? "≠ " : "",
                            escape(clip(cell.outcome(), 20))));
                b.append("</g>");
                cx += cellW;
            }
            b.append('\n');
            y += rowH;
        }
        if (rows.size() > shown)
            b.append(String.format("<text class='subtitle' x='20' y='%d' style='text-anchor:start'>… %d more rows not drawn (%d shown)</text>%n",
                    y + 20, rows.size() - shown, shown));
        b.append("</g>\n</svg>\n");
        return b.toString();
    }
}
