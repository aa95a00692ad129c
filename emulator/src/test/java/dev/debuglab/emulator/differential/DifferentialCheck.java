package dev.debuglab.emulator.differential;

import dev.debuglab.emulator.differential.ArchModel.Model;
import dev.debuglab.emulator.testkit.Emu;
import dev.debuglab.emulator.testkit.Qemu;
import dev.debuglab.emulator.testkit.RunOptions;
import dev.debuglab.emulator.testkit.RunResult;
import dev.debuglab.emulator.testkit.SideBySide;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Runs batches on QEMU and on DebugLab and compares each case three ways:
 * <ol>
 * <li>expected (architecture) versus DebugLab: must be equal, a mismatch fails;</li>
 * <li>expected versus QEMU: equal, or explained by a listed deviation (architecture.md §17) whose
 * model predicts exactly QEMU's output, in which case the case is reported as "known reference
 * deviation Qn"; anything else fails;</li>
 * <li>DebugLab versus QEMU: reported.</li>
 * </ol>
 */
final class DifferentialCheck {
    /** A listed QEMU deviation as a change to the predicted reference. */
    record Deviation(String id, UnaryOperator<Model> apply) {}

    /**
     * The deviations these programs can observe: Q1 (OS Lock tested on OSLSR_EL1 bit 0), Q2 (no
     * DBGPRCR_EL1), Q8 (QEMU's choice of step ISV where the architecture allows either value) and
     * Q12 (a step exception after a stepped instruction that masked debug exceptions with PSTATE.D).
     */
    static final List<Deviation> KNOWN = List.of(new Deviation("Q1", Model::withQ1), new Deviation("Q2", Model::withQ2),
            new Deviation("Q8", Model::withQ8), new Deviation("Q12", Model::withQ12));

    static final RunOptions OPTIONS = RunOptions.DEFAULT.withoutExceptions().withTimeout(Duration.ofSeconds(60))
            .withBudget(2_000_000_000L);

    int cases, oursAgree, qemuAgree, oursQemuAgree;
    final Map<String, Integer> deviationCounts = new TreeMap<>();
    /** Counts per "Qn in batch". */
    final Map<String, Integer> deviationsByBatch = new TreeMap<>();
    private final java.util.Set<String> evidenceKeys = new java.util.HashSet<>();
    /** One example per deviation, batch and starting EL: case, architecture lines, QEMU lines. */
    final Map<String, List<String>> evidence = new LinkedHashMap<>();
    final List<String> failures = new ArrayList<>();
    final List<String> oursQemuDifferences = new ArrayList<>();

    /** What a machine reported about itself in the program's first line. */
    record Identification(long idAa64dfr0, int oslsr, int osdlrAfterWrite1) {
        boolean doubleLockImplemented() {
            return ((idAa64dfr0 >>> 36) & 0xF) == 0;
        }
    }

    /** Runs {@code batch} as assembled by GNU as. */
    void run(Batch batch) {
        run(batch, GnuBytes.assemble(batch.source(), batch.program.base));
    }

    /** Runs {@code batch} from the given image bytes (loaded at the program's base). */
    void run(Batch batch, byte[] bytes) {
        Path elf = GnuBytes.elf(bytes, batch.program.base);
        RunResult qemu = Qemu.run(elf, OPTIONS);
        RunResult ours = Emu.run(elf, OPTIONS);
        compare(batch, qemu, ours);
    }

    void compare(Batch batch, RunResult qemu, RunResult ours) {
        Parsed q = parse(qemu.uart()), o = parse(ours.uart());
        if (q.id == null) {
            failures.add(batch.name + ": QEMU printed no identification line (" + qemu.status() + " " + qemu.detail() + ")\n"
                    + qemu.uart());
            return;
        }
        if (o.id == null) {
            failures.add(batch.name + ": DebugLab printed no identification line (" + ours.status() + " " + ours.detail() + ")\n"
                    + head(ours.uart()));
            return;
        }
        checkIdentification(batch.name, "QEMU", q.id);
        checkIdentification(batch.name, "DebugLab", o.id);
        if (!o.finished)
            failures.add(batch.name + ": DebugLab did not reach the end of the batch (" + ours.status() + ": " + ours.detail() + ")");
        if (!q.finished)
            failures.add(batch.name + ": QEMU did not reach the end of the batch (" + qemu.status() + ": " + qemu.detail() + ")");
        Model archQ = Model.ARCHITECTURE.withDoubleLock(q.id.doubleLockImplemented());
        Model archO = Model.ARCHITECTURE.withDoubleLock(o.id.doubleLockImplemented());
        for (DebugCase c : batch.cases) {
            cases++;
            List<String> qLines = q.blocks.getOrDefault(c.id(), List.of("(case not run)"));
            List<String> oLines = o.blocks.getOrDefault(c.id(), List.of("(case not run)"));
            List<String> expO = c.expected(archO);
            if (oLines.equals(expO)) oursAgree++;
            else failures.add(batch.name + " " + c + ": DebugLab differs from the architecture\n"
                    + SideBySide.render("architecture", expO, "DebugLab", oLines));
            List<String> expQ = c.expected(archQ);
            if (qLines.equals(expQ)) {
                qemuAgree++;
            } else {
                String explained = null;
                for (Deviation d : KNOWN) {
                    if (qLines.equals(c.expected(d.apply().apply(archQ)))) {
                        explained = d.id();
                        break;
                    }
                }
                if (explained == null) {
                    failures.add(batch.name + " " + c + ": QEMU differs from the architecture and no listed deviation explains it\n"
                            + SideBySide.render("architecture", expQ, "QEMU 7.2", qLines));
                } else {
                    deviationCounts.merge(explained, 1, Integer::sum);
                    String key = explained + " in " + batch.name;
                    deviationsByBatch.merge(key, 1, Integer::sum);
                    // one example per deviation, batch and EL the case's body starts at
                    if (evidenceKeys.add(key + " EL" + ((c.row().spsr() >> 2) & 3)))
                        evidence.computeIfAbsent(explained, k -> new ArrayList<>()).add(batch.name + " " + c + "\n"
                                + SideBySide.render("architecture (DebugLab)", expQ, "QEMU 7.2", qLines));
                }
            }
            if (qLines.equals(oLines)) oursQemuAgree++;
            else oursQemuDifferences.add(c.toString());
        }
    }

    private void checkIdentification(String batch, String engine, Identification id) {
        // §11: OSLSR_EL1 reads 0xA after a Cold reset (OSLM = 0b10, OSLK = 1).
        if (id.oslsr != 0xA)
            failures.add(batch + ": " + engine + " OSLSR_EL1 at reset = 0x" + Integer.toHexString(id.oslsr) + ", architecture 0xA");
        // §11: OSDLR_EL1.DLK is stored with FEAT_DoubleLock, RAZ/WI without it.
        int want = id.doubleLockImplemented() ? 1 : 0;
        if (id.osdlrAfterWrite1 != want)
            failures.add(batch + ": " + engine + " OSDLR_EL1 reads " + id.osdlrAfterWrite1 + " after writing 1 with DoubleLock field "
                    + ((id.idAa64dfr0 >>> 36) & 0xF) + "; architecture " + want);
    }

    private static String head(String s) {
        return s.length() > 4000 ? s.substring(0, 4000) + "\n..." : s;
    }

    /** The program's output split into cases. */
    static final class Parsed {
        Identification id;
        final Map<Integer, List<String>> blocks = new LinkedHashMap<>();
        boolean finished;
    }

    static Parsed parse(String uart) {
        Parsed p = new Parsed();
        List<String> current = null;
        for (String line : uart.split("\r?\n")) {
            if (line.startsWith("I") && p.id == null) {
                String[] f = line.substring(1).trim().split(" ");
                if (f.length == 3)
                    p.id = new Identification(Long.parseUnsignedLong(f[0], 16), Integer.parseInt(f[1], 16),
                            Integer.parseInt(f[2], 16));
            } else if (line.startsWith("C") && line.length() == 5) {
                current = new ArrayList<>();
                current.add(line);
                p.blocks.put(Integer.parseInt(line.substring(1), 16), current);
            } else if (line.equals("Z")) {
                p.finished = true;
                current = null;
            } else if (current != null && !line.isEmpty()) {
                current.add(line);
            }
        }
        return p;
    }

    String summary(String title) {
        StringBuilder b = new StringBuilder();
        b.append(title).append(": ").append(cases).append(" cases; DebugLab = architecture: ").append(oursAgree)
                .append("; QEMU = architecture: ").append(qemuAgree).append("; DebugLab = QEMU: ").append(oursQemuAgree);
        b.append("; known reference deviations:");
        if (deviationCounts.isEmpty()) b.append(" none");
        deviationCounts.forEach((k, v) -> b.append(' ').append(k).append(" x").append(v));
        b.append("; failures: ").append(failures.size()).append('\n');
        deviationsByBatch.forEach((k, v) -> b.append("  known reference deviation ").append(k).append(": ").append(v)
                .append(" cases\n"));
        return b.toString();
    }

    String evidenceReport() {
        StringBuilder b = new StringBuilder();
        evidence.forEach((id, list) -> {
            b.append("known reference deviation ").append(id).append(" (").append(deviationCounts.get(id))
                    .append(" cases), examples:\n");
            list.forEach(e -> b.append(e).append('\n'));
        });
        return b.toString();
    }

    /** Fails with every mismatch (capped) unless all cases passed. */
    void assertPassed(String title) {
        if (failures.isEmpty()) return;
        StringBuilder b = new StringBuilder(summary(title));
        int shown = 0;
        for (String f : failures) {
            if (shown++ == 25) {
                b.append("... and ").append(failures.size() - 25).append(" more\n");
                break;
            }
            b.append(f).append('\n');
        }
        throw new AssertionError(b.toString());
    }
}
