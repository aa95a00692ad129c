package dev.debuglab.emulator.isa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the A64 encoding table: a mnemonic, its bit pattern and its execution class.
 *
 * <p>The pattern is written most-significant bit first as space-separated tokens: a run of
 * {@code 0}/{@code 1} is fixed, {@code name:width} is a named field (Arm's field names:
 * {@code sf}, {@code Rd}, {@code imm12} ...). The fixed bits compile to (mask, value); the named
 * fields serve the assembler and the disassembler. Exactly 32 bits, checked at load.
 *
 * @param id        unique, stable row name, e.g. {@code LDRSH_X_POST}
 * @param mnemonic  lower-case Arm mnemonic as GNU objdump prints it (before alias selection)
 * @param kind      execution class
 * @param pattern   the bit pattern text
 * @param mask      fixed-bit mask
 * @param value     fixed-bit values
 * @param fields    named fields, most significant first
 * @param reason    for {@link Kind#NOT_IMPLEMENTED} rows: why the encoding is left out; else empty
 */
public record Encoding(String id, String mnemonic, Kind kind, String pattern, int mask, int value,
                       List<Field> fields, String reason) {

    /** A named field of an encoding: bits {@code [lo + width - 1 : lo]} of the word. */
    public record Field(String name, int lo, int width) {
        public int get(int word) {
            return (int) ((word >>> lo) & ((1L << width) - 1));
        }

        public int put(int word, int v) {
            int m = (int) (((1L << width) - 1) << lo);
            return (word & ~m) | ((v << lo) & m);
        }
    }

    public static Encoding of(String id, String mnemonic, Kind kind, String pattern) {
        return of(id, mnemonic, kind, pattern, "");
    }

    public static Encoding of(String id, String mnemonic, Kind kind, String pattern, String reason) {
        int bit = 32, mask = 0, value = 0;
        List<Field> fields = new ArrayList<>();
        for (String tok : pattern.trim().split("\\s+")) {
            int colon = tok.indexOf(':');
            if (colon < 0) {
                for (char ch : tok.toCharArray()) {
                    bit--;
                    if (ch != '0' && ch != '1') throw new IllegalArgumentException(id + ": bad pattern token " + tok);
                    mask |= 1 << bit;
                    if (ch == '1') value |= 1 << bit;
                }
            } else {
                int w = Integer.parseInt(tok.substring(colon + 1));
                bit -= w;
                fields.add(new Field(tok.substring(0, colon), bit, w));
            }
        }
        if (bit != 0) throw new IllegalArgumentException(id + ": pattern has " + (32 - bit) + " bits, not 32: " + pattern);
        return new Encoding(id, mnemonic, kind, pattern, mask, value, Collections.unmodifiableList(fields), reason);
    }

    public boolean matches(int word) {
        return (word & mask) == value;
    }

    /** The field called {@code name}, or null. */
    public Field field(String name) {
        for (Field f : fields) if (f.name.equals(name)) return f;
        return null;
    }

    /** All field values of {@code word}, in pattern order (for disassembly and tests). */
    public Map<String, Integer> fieldValues(int word) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Field f : fields) m.put(f.name, f.get(word));
        return m;
    }

    /** Number of fixed bits: more fixed bits = more specific row (decode prefers it). */
    public int specificity() {
        return Integer.bitCount(mask);
    }
}
