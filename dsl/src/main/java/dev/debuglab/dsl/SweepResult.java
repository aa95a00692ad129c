package dev.debuglab.dsl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome matrix of a {@code Sweep}: one cell per point of the configuration space, each with the
 * outcome on bare metal (the architecture) and where it ran, and whether they differ. {@code toString()}
 * is a table with one row per point, the cells that differ from the architecture marked {@code !!}.
 *
 * @param axes  the axis names in order ("OSLK", "DLK", "KDE", "MDE", "PSTATE.D", "TDE", "guest_debug", "event", "version")
 * @param cells the points, in axis order
 */
public record SweepResult(List<String> axes, List<Cell> cells, long elapsedNanos) {
    /**
     * One point.
     *
     * @param point        axis name → value ("1", "0", "BRK", "6.1", ...)
     * @param architecture what bare hardware does (from the architecture's rules, e.g. "EC 0x3C at EL1" or "none")
     * @param outcome      what the guest observed where it ran (compared with the architecture)
     * @param vmm          the VMM's own debug stops ("" when none, or on bare metal)
     */
    public record Cell(Map<String, String> point, String architecture, String outcome, String vmm) {
        public Cell {
            point = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(point));
        }

        public Cell(Map<String, String> point, String architecture, String outcome) {
            this(point, architecture, outcome, "");
        }

        public boolean differs() {
            return !architecture.equals(outcome);
        }

        public String get(String axis) {
            return point.get(axis);
        }
    }

    public SweepResult {
        axes = List.copyOf(axes);
        cells = List.copyOf(cells);
    }

    public int size() {
        return cells.size();
    }

    /** The cells where the run differs from the architecture. */
    public List<Cell> differences() {
        return cells.stream().filter(Cell::differs).toList();
    }

    /** The cells at which {@code axis} has {@code value}. */
    public List<Cell> where(String axis, String value) {
        return cells.stream().filter(c -> value.equals(c.get(axis))).toList();
    }

    /** The text rendering ({@link dev.debuglab.dsl.render.TextRenderer#render(SweepResult)}): the heat-map matrix. */
    @Override
    public String toString() {
        return dev.debuglab.dsl.render.TextRenderer.render(this);
    }
}
