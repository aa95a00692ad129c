package dev.debuglab.dsl;

import dev.debuglab.emulator.guest.GuestLog;
import java.util.ArrayList;
import java.util.List;

/**
 * The same guest run in several places, side by side: one column per run, one row per guest-log entry
 * position (the exceptions the guest saw and the values it logged), then the outcome and the verdict.
 * A row whose cells differ between runs is marked {@code *}.
 */
public record Comparison(List<LabRun> runs) {
    public Comparison {
        runs = List.copyOf(runs);
    }

    public LabRun run(int i) {
        return runs.get(i);
    }

    /** The column headings: each run's {@link RunConfig#where()}. */
    public List<String> columns() {
        return runs.stream().map(r -> r.config().where()).toList();
    }

    /** One row of the side-by-side table. */
    public record Row(String label, List<String> cells) {
        public Row {
            cells = List.copyOf(cells);
        }

        public boolean differs() {
            return cells.stream().distinct().count() > 1;
        }
    }

    /** The rows: guest-log positions, then "outcome", "architectural". */
    public List<Row> rows() {
        int n = runs.stream().mapToInt(r -> r.guestLog().size()).max().orElse(0);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> cells = new ArrayList<>();
            for (LabRun r : runs) cells.add(i < r.guestLog().size() ? cell(r.guestLog().get(i)) : "-");
            rows.add(new Row("guest log " + (i + 1), cells));
        }
        rows.add(new Row("VMM stops", runs.stream().map(r -> String.valueOf(r.events(RoutingEvent.VmmDecision.class).stream()
                .filter(d -> d.kind() == RoutingEvent.VmmDecisionKind.OWN_STOP).count())).toList()));
        rows.add(new Row("outcome", runs.stream().map(LabRun::outcome).toList()));
        rows.add(new Row("architectural", runs.stream().map(r -> r.architectural() ? "yes" : "NO (" + r.verdict().differences().size() + ")").toList()));
        return rows;
    }

    static String cell(GuestLog.Entry e) {
        if (e instanceof GuestLog.Exception x)
            return String.format("EC 0x%02X ESR 0x%08X ELR 0x%X", x.ec(), x.esr(), x.elr());
        GuestLog.Value v = (GuestLog.Value) e;
        return String.format("#%d = 0x%X", v.tag(), v.value());
    }

    /** True if any row differs between the runs. */
    public boolean differs() {
        return rows().stream().anyMatch(Row::differs);
    }

    /** The text rendering ({@link dev.debuglab.dsl.render.TextRenderer#render(Comparison)}). */
    @Override
    public String toString() {
        return dev.debuglab.dsl.render.TextRenderer.render(this);
    }
}
