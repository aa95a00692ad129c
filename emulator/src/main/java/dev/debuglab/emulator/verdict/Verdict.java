package dev.debuglab.emulator.verdict;

import dev.debuglab.emulator.guest.GuestLog;
import java.util.ArrayList;
import java.util.List;

/**
 * The architectural verdict of a run: what the guest observed under KVM and a VMM (exceptions at its
 * vectors with ESR/ELR/FAR/SPSR, values it read and logged) compared with what the same guest observes
 * on bare hardware without a hypervisor ({@link BareMetal}). Every difference is data
 * ({@link Difference}); an empty list means the hypervisor stack was architecturally invisible to
 * this guest.
 *
 * <p>Alignment: the two logs are aligned by a longest common subsequence in which an exception
 * matches an exception with the same ELR (the same instruction took it) and a value matches a
 * value with the same tag. Matched pairs are compared field by field (vector, ESR, ELR, FAR, SPSR;
 * value); entries left over on the bare-metal side are missing under KVM, those on the KVM side
 * are extra.
 *
 * @param differences  every difference, in log order
 * @param underKvm     what the guest observed under KVM
 * @param bareMetal    what the guest observes on bare metal
 * @param label        what was compared (for {@link #toString()})
 */
public record Verdict(List<Difference> differences, List<GuestLog.Entry> underKvm, List<GuestLog.Entry> bareMetal,
                      String label) {

    public Verdict {
        differences = List.copyOf(differences);
        underKvm = List.copyOf(underKvm);
        bareMetal = List.copyOf(bareMetal);
    }

    /** True when the guest cannot tell the hypervisor stack from bare hardware. */
    public boolean architectural() {
        return differences.isEmpty();
    }

    /** The differences of one kind. */
    public List<Difference> of(Difference.Kind kind) {
        return differences.stream().filter(d -> d.kind() == kind).toList();
    }

    /**
     * The verdict of a VMM run: the same guest image on bare metal ({@link BareMetal#run}) against what
     * the guest observed under KVM and the VMM.
     */
    public static Verdict of(dev.debuglab.emulator.vmm.VmmRun run) {
        if (run.guest() == null) throw new IllegalArgumentException("the run has no guest image; load the guest with a GuestImage or Program");
        BareMetal.Result b = BareMetal.run(run.guest());
        return compare(run.observations(), b.observations(), run.vmm() + " on KVM " + run.version() + " vs bare metal");
    }

    public static Verdict compare(List<GuestLog.Entry> underKvm, List<GuestLog.Entry> bareMetal) {
        return compare(underKvm, bareMetal, "under KVM vs bare metal");
    }

    /** Compares the two observations (see the class comment for the alignment). */
    public static Verdict compare(List<GuestLog.Entry> underKvm, List<GuestLog.Entry> bareMetal, String label) {
        if (underKvm == null || bareMetal == null)
            throw new IllegalArgumentException("a verdict needs both observations (the guest log under KVM and on bare metal); got null");
        int n = bareMetal.size(), m = underKvm.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--)
            for (int j = m - 1; j >= 0; j--)
                lcs[i][j] = sameEvent(bareMetal.get(i), underKvm.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        List<Difference> out = new ArrayList<>();
        int i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && sameEvent(bareMetal.get(i), underKvm.get(j)) && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
                compareFields(i, bareMetal.get(i), underKvm.get(j), out);
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                GuestLog.Entry a = underKvm.get(j);
                out.add(new Difference(a instanceof GuestLog.Exception ? Difference.Kind.EXTRA_EXCEPTION : Difference.Kind.EXTRA_VALUE,
                        j, null, null, a));
                j++;
            } else {
                GuestLog.Entry e = bareMetal.get(i);
                out.add(new Difference(e instanceof GuestLog.Exception ? Difference.Kind.MISSING_EXCEPTION : Difference.Kind.MISSING_VALUE,
                        i, null, e, null));
                i++;
            }
        }
        return new Verdict(out, underKvm, bareMetal, label);
    }

    private static boolean sameEvent(GuestLog.Entry a, GuestLog.Entry b) {
        if (a instanceof GuestLog.Exception x && b instanceof GuestLog.Exception y) return x.elr() == y.elr();
        if (a instanceof GuestLog.Value x && b instanceof GuestLog.Value y) return x.tag() == y.tag();
        return false;
    }

    private static void compareFields(int index, GuestLog.Entry e, GuestLog.Entry a, List<Difference> out) {
        if (e instanceof GuestLog.Exception x && a instanceof GuestLog.Exception y) {
            if (x.vector() != y.vector()) out.add(new Difference(Difference.Kind.DIFFERENT_FIELD, index, "vector", e, a));
            if (x.esr() != y.esr()) out.add(new Difference(Difference.Kind.DIFFERENT_FIELD, index, "ESR", e, a));
            if (x.far() != y.far()) out.add(new Difference(Difference.Kind.DIFFERENT_FIELD, index, "FAR", e, a));
            if (x.spsr() != y.spsr()) out.add(new Difference(Difference.Kind.DIFFERENT_FIELD, index, "SPSR", e, a));
        } else if (((GuestLog.Value) e).value() != ((GuestLog.Value) a).value()) {
            out.add(new Difference(Difference.Kind.DIFFERENT_VALUE, index, "value", e, a));
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Architectural verdict (").append(label).append("): ");
        if (differences.isEmpty()) {
            b.append("no difference — the guest observed exactly what bare hardware shows it (")
                    .append(bareMetal.size()).append(bareMetal.size() == 1 ? " entry)" : " entries)");
            return b.toString();
        }
        b.append(differences.size()).append(differences.size() == 1 ? " difference" : " differences");
        for (Difference d : differences) b.append("\n  - ").append(d);
        b.append("\n  bare metal:");
        if (bareMetal.isEmpty()) b.append(" (nothing)");
        for (GuestLog.Entry e : bareMetal) b.append("\n    ").append(e);
        b.append("\n  under KVM:");
        if (underKvm.isEmpty()) b.append(" (nothing)");
        for (GuestLog.Entry e : underKvm) b.append("\n    ").append(e);
        return b.toString();
    }
}
