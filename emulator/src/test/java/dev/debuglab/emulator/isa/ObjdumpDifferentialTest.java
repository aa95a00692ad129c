package dev.debuglab.emulator.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Differential test against GNU binutils 2.40: for every supported row, {@value #PER_ROW} random
 * valid instances (fixed seed, printed) are disassembled by us and by
 * {@code aarch64-linux-gnu-objdump} in one batch, and must read the same (whitespace normalised);
 * our assembler must give each word back from our text, and GNU as must accept our text and give
 * the same word.
 */
class ObjdumpDifferentialTest {
    static final long SEED = Long.getLong("debuglab.isa.seed", 0x5EED_A64L);
    static final int PER_ROW = Integer.getInteger("debuglab.isa.perRow", 100);
    /** Instances are placed here so that PC-relative targets stay positive (ADRP reaches +-4 GiB). */
    static final long VMA = 0x10_0000_0000L;

    record Sample(Encoding row, int word, long pc) {}

    static List<Sample> samples() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<Sample> out = new ArrayList<>();
        long pc = VMA;
        for (Encoding row : Samples.supported())
            for (int i = 0; i < PER_ROW; i++) {
                out.add(new Sample(row, Samples.random(row, rnd), pc));
                pc += 4;
            }
        return out;
    }

    @Test
    void disassemblyMatchesObjdump() throws Exception {
        List<Sample> samples = samples();
        System.out.printf("objdump differential: seed %#x, %d rows x %d = %d instances%n", SEED, Samples.supported().size(), PER_ROW, samples.size());
        int[] words = samples.stream().mapToInt(Sample::word).toArray();
        List<String> theirs = Binutils.objdump(words, VMA);
        List<String> diffs = new ArrayList<>();
        Map<String, Integer> perRow = new LinkedHashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            String ours = Disassembler.normalized(s.word, s.pc);
            if (!ours.equals(theirs.get(i))) {
                perRow.merge(s.row.id(), 1, Integer::sum);
                if (perRow.get(s.row.id()) <= 3)
                    diffs.add(String.format("%-14s %08x | %-45s | %s", s.row.id(), s.word, ours, theirs.get(i)));
            }
        }
        if (!diffs.isEmpty())
            fail(perRow.values().stream().mapToInt(Integer::intValue).sum() + " mismatches in " + perRow.size() + " rows " + perRow
                    + "\nrow            word     | ours                                          | objdump\n" + String.join("\n", diffs));
    }

    @Test
    void ourAssemblerReadsOurDisassemblyBack() {
        List<String> diffs = new ArrayList<>();
        int n = 0, skipped = 0;
        for (Sample s : samples()) {
            if (!Samples.canonical(s.row, s.word)) {
                skipped++;
                continue;
            }
            String text = Disassembler.disassemble(s.word, s.pc);
            n++;
            try {
                int back = Assembler.assembleOne(s.pc, text);
                if (back != s.word) diffs.add(String.format("%-14s %08x | %-40s | %08x", s.row.id(), s.word, text, back));
            } catch (RuntimeException e) {
                diffs.add(String.format("%-14s %08x | %-40s | %s", s.row.id(), s.word, text, e.getMessage()));
            }
        }
        System.out.println("round trip through our assembler: " + n + " instances (" + skipped + " non-canonical logical immediates skipped)");
        if (!diffs.isEmpty()) fail(diffs.size() + " words do not round-trip\nrow            word     | text | assembled\n"
                + String.join("\n", diffs.subList(0, Math.min(60, diffs.size()))));
    }

    /**
     * Our text, with a PC-relative target written relative to a label at {@link #VMA}: GNU as
     * resolves a bare constant target against its own section offset, the linker resolves a
     * label-relative one at the link address.
     */
    static String forGas(Sample s) {
        String text = Disassembler.disassemble(s.word, s.pc);
        switch (s.row.kind()) {
            case B_IMM, B_COND, CB, TB, ADR, ADRP, LD_LITERAL -> {
                int comment = text.indexOf("//");
                String code = comment < 0 ? text : text.substring(0, comment);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("0x[0-9a-f]+\\s*$").matcher(code);
                if (!m.find()) throw new AssertionError("no target in " + text);
                long target = Long.parseUnsignedLong(m.group().trim().substring(2), 16);
                long rel = target - VMA;
                return code.substring(0, m.start()) + "start " + (rel < 0 ? "- " + Long.toHexString(-rel) : "+ " + Long.toHexString(rel)).replaceFirst("(\\s)([0-9a-f]+)$", "$10x$2");
            }
            default -> { return text; }
        }
    }

    @Test
    void gnuAsAcceptsOurTextAndGivesTheSameWord() throws Exception {
        List<Sample> samples = samples();
        StringBuilder src = new StringBuilder();
        src.append("start:\n");
        // Non-canonical words have no assembler text; they keep their place as raw words.
        for (Sample s : samples)
            src.append('\t').append(Samples.canonical(s.row, s.word) ? forGas(s) : String.format(".inst 0x%08x", s.word)).append('\n');
        byte[] bin = Binutils.gas(src.toString(), VMA);
        assertEquals(samples.size() * 4, bin.length, "GNU as produced a different number of bytes");
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            int w = (bin[4 * i] & 0xFF) | (bin[4 * i + 1] & 0xFF) << 8 | (bin[4 * i + 2] & 0xFF) << 16 | (bin[4 * i + 3] & 0xFF) << 24;
            Sample s = samples.get(i);
            if (w != s.word) diffs.add(String.format("%-14s %08x | %-40s | %08x", s.row.id(), s.word, Disassembler.disassemble(s.word, s.pc), w));
        }
        System.out.println("GNU as round trip: " + samples.size() + " instances");
        if (!diffs.isEmpty()) fail(diffs.size() + " words differ\nrow            word     | our text | GNU as\n"
                + String.join("\n", diffs.subList(0, Math.min(60, diffs.size()))));
    }
}
