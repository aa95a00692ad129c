package dev.debuglab.emulator.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The direct logical-immediate encoder against the definition: every valid (N, immr, imms) decodes to a value, and
 * encoding that value must give the first encoding of it in the search order (N, immr, imms ascending) — the one
 * {@link BitMasks#encodeLogicalImmediateBySearch} returns; values no encoding decodes to give -1.
 */
class BitMasksTest {
    /** Every encodable value of {@code datasize} → its canonical encoding (the first one met in the search order). */
    static Map<Long, Integer> canonical(int datasize) {
        Map<Long, Integer> m = new LinkedHashMap<>();
        for (int n = 0; n <= (datasize == 64 ? 1 : 0); n++)
            for (int immr = 0; immr < 64; immr++)
                for (int imms = 0; imms < 64; imms++) {
                    if (datasize == 32 && immr >= 32) continue;
                    Long v = BitMasks.logicalImmediate(n, imms, immr, datasize);
                    if (v != null) m.putIfAbsent(v, n << 12 | immr << 6 | imms);
                }
        return m;
    }

    @Test
    void everyEncodableValueGetsTheCanonicalEncoding() {
        for (int datasize : new int[] {32, 64}) {
            Map<Long, Integer> all = canonical(datasize);
            assertEquals(datasize == 64 ? 5334 : 1302, all.size(), "encodable values of " + datasize + " bits");
            all.forEach((v, enc) -> {
                assertEquals(enc, BitMasks.encodeLogicalImmediate(v, datasize), String.format("0x%X (%d bits)", v, datasize));
                if (datasize == 32) // the upper half of the argument is ignored for W
                    assertEquals(enc, BitMasks.encodeLogicalImmediate(v | 0xABCD_0000_0000_0000L, datasize), String.format("0x%X with upper bits", v));
            });
        }
        // the search itself agrees on a sample (it tries 8,192 encodings per value)
        int k = 0;
        for (Map.Entry<Long, Integer> e : canonical(64).entrySet())
            if (k++ % 97 == 0) assertEquals(e.getValue(), BitMasks.encodeLogicalImmediateBySearch(e.getKey(), 64));
    }

    @Test
    void otherValuesAreNotEncodable() {
        Map<Long, Integer> e64 = canonical(64), e32 = canonical(32);
        SplittableRandom r = new SplittableRandom(0x10C1CL);
        int checked = 0;
        for (int i = 0; i < 200_000; i++) {
            long v = switch (i % 4) {
                case 0 -> r.nextLong();
                case 1 -> r.nextLong() & r.nextLong() & r.nextLong();            // sparse
                case 2 -> Long.rotateRight((1L << r.nextInt(1, 64)) - 1, r.nextInt(64)) ^ (1L << r.nextInt(64)); // a run, one bit flipped
                default -> { long x = r.nextLong() & 0xFFFF; yield x | x << 16 | x << 32 | x << 48; } // periodic
            };
            assertEquals(e64.getOrDefault(v, -1), BitMasks.encodeLogicalImmediate(v, 64), String.format("0x%X", v));
            assertEquals(e32.getOrDefault(v & 0xFFFF_FFFFL, -1), BitMasks.encodeLogicalImmediate(v, 32), String.format("0x%X (W)", v));
            if (!e64.containsKey(v)) checked++;
        }
        assertTrue(checked > 100_000, checked + " non-encodable values checked");
        for (long v : new long[] {0, -1, 0xFFFF_FFFFL}) assertEquals(-1, BitMasks.encodeLogicalImmediate(v, 32), "0x" + Long.toHexString(v));
        assertEquals(-1, BitMasks.encodeLogicalImmediate(0, 64));
        assertEquals(-1, BitMasks.encodeLogicalImmediate(-1, 64));
    }
}
