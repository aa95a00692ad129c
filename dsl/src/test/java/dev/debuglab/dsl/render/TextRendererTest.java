package dev.debuglab.dsl.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain text: the tables align (every column starts at the same offset on every line) and carry the decoded facts. */
class TextRendererTest {

    /** The offsets where the header's columns start ("PC" at 7 ...). */
    static void assertColumnsAlign(String table, List<String> headers) {
        String[] lines = table.split("\n");
        String header = lines[0];
        assertTrue(lines[1].matches("-+"), "a rule under the header: " + lines[1]);
        for (int c = 1; c < headers.size(); c++) {
            int at = header.indexOf(headers.get(c), c == 0 ? 0 : header.indexOf(headers.get(c - 1)) + headers.get(c - 1).length());
            assertTrue(at > 0, headers.get(c) + " in " + header);
            for (int i = 2; i < lines.length; i++) {
                String l = lines[i];
                if (l.length() <= at) continue; // trailing empty cells
                assertEquals(' ', l.charAt(at - 1), "column " + headers.get(c) + " starts at " + at + " on line " + i + ":\n" + table);
                assertTrue(l.charAt(at) != ' ' || l.substring(at).isBlank() || emptyCellAt(l, at),
                        "column " + headers.get(c) + " at " + at + " on line " + i + ":\n" + table);
            }
        }
    }

    static boolean emptyCellAt(String l, int at) {
        return l.charAt(at) == ' ';
    }

    @Test
    void routingTableAligns() {
        String t = TextRenderer.routing(RenderFixtures.watchpointReinjected());
        assertColumnsAlign(t, List.of("#", "PC", "EL", "lane", "EC", "ESR", "what happened"));
        int pc = t.split("\n")[0].indexOf("PC");
        for (String l : t.split("\n")) if (l.contains("0x4000")) assertEquals("0x4000", l.substring(pc, pc + 6), l);
        // The extra exception is marked in the first column.
        assertTrue(t.lines().anyMatch(l -> l.startsWith("!!") && l.contains("exception EL1->EL1")), t);
    }

    @Test
    void guestLogTableDecodesAndAligns() {
        String t = TextRenderer.guestLog(RenderFixtures.watchpointReinjected().guestLog());
        assertColumnsAlign(t, List.of("#", "entry", "ESR / value", "EC", "ISS", "ELR", "FAR", "SPSR"));
        assertTrue(t.contains("0x34 WPT") && t.contains("WnR 1, DFSC 0x22"), t);
    }

    @Test
    void comparisonAndSweepAlign() {
        String c = TextRenderer.render(RenderFixtures.comparison());
        String table = c.substring(c.indexOf('\n') + 1);
        int col = table.split("\n")[0].indexOf("KVM v2 + QEMU");
        for (String l : table.split("\n"))
            if (l.contains("outcome")) assertEquals("SYSTEM_OFF", l.substring(col, col + 10), table);
        String s = TextRenderer.render(RenderFixtures.sweep());
        String st = s.substring(s.indexOf('\n') + 1);
        assertColumnsAlign(st, List.of("event", "OSLK", "KDE", "version 5.15", "version v2", "version 5.18"));
        assertEquals(3, st.lines().filter(l -> l.contains("!! ")).count(), "three rows hold a cell that differs:\n" + s);
        assertTrue(c.lines().anyMatch(l -> l.startsWith("*") && l.contains("architectural")), c);
    }

    @Test
    void verdictText() {
        assertTrue(TextRenderer.verdict(RenderFixtures.brkDelivered61().verdict()).startsWith("Architectural"));
        String v = TextRenderer.verdict(RenderFixtures.brkConsumedV2().verdict());
        assertTrue(v.startsWith("1 difference from the architecture"), v);
        assertTrue(v.contains("missing exception") && v.contains("BRK ESR 0xF2000042 at ELR 0x40000010"), v);
    }

    @Test
    void registersFourToALine() {
        String r = TextRenderer.registers(RenderFixtures.regs(0x4000_0044L));
        String[] lines = r.split("\n");
        assertEquals(2, lines.length, r);
        assertTrue(lines[0].startsWith("PC     0x0000000040000044"), r);
        assertEquals(lines[0].indexOf("0x", 2), lines[1].indexOf("0x"), "values align under each other:\n" + r);
    }
}
