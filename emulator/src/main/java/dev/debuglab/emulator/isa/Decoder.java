package dev.debuglab.emulator.isa;

import java.util.ArrayList;
import java.util.List;

/**
 * Decode: the encoding table compiled to (mask, value) tests, indexed by the top 11 bits of the
 * word so that a decode scans only the rows that can match. When several rows match, the one
 * with the most fixed bits wins (e.g. {@code NOP} over the generic {@code HINT #imm}).
 */
public final class Decoder {
    private Decoder() {}

    private static final Encoding[][] BY_TOP = new Encoding[1 << 11][];

    static {
        for (int top = 0; top < BY_TOP.length; top++) {
            int wordTop = top << 21, topMask = 0xFFE00000;
            List<Encoding> candidates = new ArrayList<>();
            for (Encoding e : Encodings.all()) {
                int m = e.mask() & topMask;
                if ((wordTop & m) == (e.value() & m)) candidates.add(e);
            }
            // most specific first, so the first match is the answer
            candidates.sort((a, b) -> Integer.compare(b.specificity(), a.specificity()));
            BY_TOP[top] = candidates.toArray(new Encoding[0]);
        }
    }

    /** The row that encodes {@code word}, or {@code null} if the word is unallocated (UNDEFINED). */
    public static Encoding decode(int word) {
        for (Encoding e : BY_TOP[word >>> 21]) if (e.matches(word)) return e;
        return null;
    }
}
