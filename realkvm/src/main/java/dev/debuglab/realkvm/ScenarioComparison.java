package dev.debuglab.realkvm;

import dev.debuglab.emulator.arch.Syndrome;
import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.verdict.Difference;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One scenario on the model and on real KVM, observation by observation. The alignment and the
 * differences are the architectural verdict's ({@link Verdict#compare}: exceptions matched by ELR,
 * values by tag, then field by field), with the model in the verdict's "expected" place and real
 * KVM in its "observed" place.
 *
 * @param scenario the scenario
 * @param model    the model version's name ("6.1")
 * @param kernel   the real kernel's release ("6.1.0-56-arm64")
 * @param onModel  what the model observed
 * @param onReal   what real KVM observed
 * @param verdict  the differences (real KVM against the model)
 * @param names    the names of the VMM-side fields
 */
public record ScenarioComparison(Scenario scenario, String model, String kernel, List<Observation> onModel, List<Observation> onReal,
                                 Verdict verdict, Observation.Names names) {

    static ScenarioComparison of(Scenario s, String model, String kernel, List<String> modelLines, List<String> realLines) {
        Observation.Names names = new Observation.Names();
        List<Observation> m = Observation.of(modelLines, names), r = Observation.of(realLines, names);
        Verdict v = Verdict.compare(entries(r), entries(m), "real KVM " + kernel + " vs model " + model);
        return new ScenarioComparison(s, model, kernel, m, r, v, names);
    }

    private static List<GuestLog.Entry> entries(List<Observation> obs) {
        List<GuestLog.Entry> e = new ArrayList<>();
        for (Observation o : obs) e.addAll(o.entries());
        return e;
    }

    /** True when real KVM observed exactly what the model predicts. */
    public boolean agrees() {
        return verdict.differences().isEmpty();
    }

    /** Differs, and the scenario records why (Scenario#known). */
    public boolean knownDifference() {
        return !agrees() && scenario.known() != null;
    }

    public List<Difference> differences() {
        return verdict.differences();
    }

    /** A difference in the verdict's words, with "model" and "real KVM" for its two sides and VMM fields by name. */
    public String describe(Difference d) {
        return switch (d.kind()) {
            case MISSING_EXCEPTION -> "missing on real KVM (model #" + d.index() + "): guest " + d.expected();
            case EXTRA_EXCEPTION -> "extra on real KVM (#" + d.index() + "): guest " + d.actual() + " — the model predicts none";
            case DIFFERENT_FIELD -> {
                String what = d.field().equals("ESR")
                        ? String.format("model 0x%08X (%s), real KVM 0x%08X (%s)", d.expectedValue(), Syndrome.describe(d.expectedValue()),
                        d.actualValue(), Syndrome.describe(d.actualValue()))
                        : String.format("model 0x%X, real KVM 0x%X", d.expectedValue(), d.actualValue());
                yield String.format("%s differs for the guest exception at ELR 0x%X: %s", d.field(),
                        ((GuestLog.Exception) d.expected()).elr(), what);
            }
            case MISSING_VALUE -> "missing on real KVM (model #" + d.index() + "): " + valueText((GuestLog.Value) d.expected());
            case EXTRA_VALUE -> "extra on real KVM (#" + d.index() + "): " + valueText((GuestLog.Value) d.actual());
            case DIFFERENT_VALUE -> String.format("%s: model 0x%X, real KVM 0x%X", names.name(((GuestLog.Value) d.expected()).tag()),
                    d.expectedValue(), d.actualValue());
        };
    }

    private String valueText(GuestLog.Value v) {
        return names.name(v.tag()) + " = 0x" + Long.toHexString(v.value()).toUpperCase();
    }

    /** Side by side: the model's observations and real KVM's, row by row; ≠ marks rows a difference touches. */
    public String sideBySide() {
        Set<Integer> modelRows = new HashSet<>(), realRows = new HashSet<>();
        for (Difference d : differences()) {
            if (d.kind() == Difference.Kind.EXTRA_EXCEPTION || d.kind() == Difference.Kind.EXTRA_VALUE) realRows.add(rowOf(onReal, d.index()));
            else modelRows.add(rowOf(onModel, d.index()));
        }
        int w = Math.max(24, onModel.stream().mapToInt(o -> o.text().length()).max().orElse(0));
        w = Math.min(w, 100);
        StringBuilder b = new StringBuilder();
        b.append(String.format("  %-" + w + "s | %s%n", "model " + model, "real KVM " + kernel));
        b.append("  ").append("-".repeat(w)).append("-+-").append("-".repeat(Math.min(w, 60))).append('\n');
        int n = Math.max(onModel.size(), onReal.size());
        for (int i = 0; i < n; i++) {
            String m = i < onModel.size() ? onModel.get(i).text() : "", r = i < onReal.size() ? onReal.get(i).text() : "";
            boolean same = m.equals(r);
            boolean marked = modelRows.contains(i) || realRows.contains(i);
            b.append(marked ? "≠ " : "  ").append(String.format("%-" + w + "s | %s%n", clip(m, w), same ? "(same)" : r));
        }
        return b.toString();
    }

    private static String clip(String s, int w) {
        return s.length() <= w ? s : s.substring(0, w - 1) + "…";
    }

    /** The observation row holding entry {@code entryIndex} of the flattened list. */
    private static int rowOf(List<Observation> obs, int entryIndex) {
        int k = 0;
        for (int i = 0; i < obs.size(); i++) {
            k += obs.get(i).entries().size();
            if (entryIndex < k) return i;
        }
        return obs.size() - 1;
    }

    /** One line: the scenario, the outcome. */
    public String summary() {
        String outcome = agrees() ? "agree" : knownDifference() ? "differ (known)" : "DIFFER (" + differences().size() + ")";
        return String.format("%-27s %3d observations  %s", scenario.id(), onReal.size(), outcome);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("== ").append(scenario.id()).append(" — ").append(scenario.description()).append('\n');
        b.append("   rows: ").append(String.join(", ", scenario.rows())).append('\n');
        b.append(sideBySide());
        if (agrees()) b.append("  verdict: real KVM observed exactly what the model predicts (").append(onReal.size()).append(" observations)\n");
        else {
            b.append("  verdict: ").append(differences().size()).append(differences().size() == 1 ? " difference" : " differences").append('\n');
            for (Difference d : differences()) b.append("    - ").append(describe(d)).append('\n');
            if (scenario.known() != null) b.append("    known: ").append(scenario.known()).append('\n');
        }
        return b.toString();
    }
}
