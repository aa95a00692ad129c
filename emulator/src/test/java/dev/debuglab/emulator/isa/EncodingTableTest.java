package dev.debuglab.emulator.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The encoding table checks itself: unique ids, 32-bit patterns, no ambiguous decode, a syntax for every row. */
class EncodingTableTest {

    @Test
    void idsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (Encoding e : Encodings.all()) assertTrue(ids.add(e.id()), "duplicate id " + e.id());
    }

    @Test
    void everyPatternIs32BitsAndFieldsTileTheFreeBits() {
        for (Encoding e : Encodings.all()) {
            int covered = e.mask();
            for (Encoding.Field f : e.fields()) {
                int m = (int) (((1L << f.width()) - 1) << f.lo());
                assertEquals(0, covered & m, e.id() + ": field " + f.name() + " overlaps fixed bits or another field");
                covered |= m;
            }
            assertEquals(-1, covered, e.id() + ": pattern does not cover all 32 bits: " + e.pattern());
            assertEquals(e.value() & ~e.mask(), 0, e.id() + ": value has bits outside the mask");
        }
    }

    /** When several rows match a word, exactly one must be the most specific (the Decoder's rule). */
    @Test
    void noRandomWordIsAmbiguous() {
        long seed = 0xA1B2C3L;
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Encoding> rows = Encodings.all();
        TreeMap<String, Integer> ambiguous = new TreeMap<>();
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            // Half the words are drawn inside a row's pattern so that every region is exercised.
            int w = rnd.nextInt();
            if ((i & 1) == 0) {
                Encoding r = rows.get(rnd.nextInt(rows.size()));
                w = r.value() | (w & ~r.mask());
            }
            int best = -1, count = 0;
            Encoding first = null, second = null;
            for (Encoding e : rows) {
                if (!e.matches(w)) continue;
                int s = e.specificity();
                if (s > best) {
                    best = s;
                    count = 1;
                    first = e;
                } else if (s == best) {
                    count++;
                    second = e;
                }
            }
            if (count > 1) ambiguous.merge(first.id() + " / " + second.id(), 1, Integer::sum);
            assertSame(first, Decoder.decode(w), String.format("Decoder disagrees on %08x", w));
        }
        System.out.printf("ambiguity check: seed %#x, %d words%n", seed, n);
        if (!ambiguous.isEmpty()) fail("ambiguous rows (same top specificity): " + ambiguous);
    }

    @Test
    void everySupportedRowHasAFormThatDisassembles() {
        List<String> missing = new ArrayList<>();
        for (Encoding e : Samples.supported()) if (Syntax.forms(e).isEmpty()) missing.add(e.id());
        assertTrue(missing.isEmpty(), "rows without syntax: " + missing);
    }

    @Test
    void notImplementedRowsSayWhy() {
        for (Encoding e : Encodings.all())
            if (e.kind() == Kind.NOT_IMPLEMENTED) assertFalse(e.reason().isBlank(), e.id() + " has no reason");
    }

    @Test
    void samplesDecodeToTheirRowAndAreNotReserved() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (Encoding e : Samples.supported())
            for (int i = 0; i < 50; i++) {
                int w = Samples.random(e, rnd);
                assertSame(e, Decoder.decode(w), String.format("%s sample %08x", e.id(), w));
                assertEquals(null, Syntax.reserved(e, w), String.format("%s sample %08x", e.id(), w));
                assertEquals(null, Samples.unpredictable(e, w), String.format("%s sample %08x", e.id(), w));
                assertFalse(Disassembler.disassemble(w, 0).startsWith(".inst"), String.format("%s sample %08x has no text", e.id(), w));
            }
    }

    @Test
    void disassemblerNeverThrows() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            int w = rnd.nextInt();
            String s = Disassembler.disassemble(w, rnd.nextLong());
            assertFalse(s.isBlank());
        }
    }
}
