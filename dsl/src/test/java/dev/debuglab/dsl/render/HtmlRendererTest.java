package dev.debuglab.dsl.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.RoutingEvent;
import dev.debuglab.dsl.RunConfig;
import dev.debuglab.emulator.guest.GuestLog;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** HTML: decoded syndromes, the differing rows highlighted, self-contained and escaped. */
class HtmlRendererTest {

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }

    // ESR 0xD2000062 is EC 0x34 (Watchpoint from a lower EL), IL 1, ISS WnR (bit 6) = 1, DFSC 0x22 (debug):
    // the table shows each field by name, with ELR and FAR.
    @Test
    void syndromesAreDecodedIntoFields() {
        String h = HtmlRenderer.render(RenderFixtures.watchpointReinjected());
        assertTrue(h.contains("0x34 WPT"), h);
        assertTrue(h.contains("Watchpoint from a lower EL"));
        assertTrue(h.contains("IL 1, CM 0, WnR 1, DFSC 0x22"));
        assertTrue(h.contains("<td class=\"hex\">0x40100004</td>"), "FAR_EL2 of the watchpoint exit");
        // BRK #0x42: EC 0x3C, comment 0x42 (the guest log of the 6.1 run).
        String b = HtmlRenderer.render(RenderFixtures.brkDelivered61());
        assertTrue(b.contains("0x3C BRK") && b.contains("BRK instruction (AArch64)") && b.contains("comment #0x42"), b);
    }

    @Test
    void differencesFromTheArchitectureAreHighlighted() {
        String h = HtmlRenderer.render(RenderFixtures.watchpointReinjected());
        // The routing table: the injection and the extra exception; the verdict table: the one difference.
        Matcher routing = Pattern.compile("<table class=\"routing\">(.*?)</table>", Pattern.DOTALL).matcher(h);
        assertTrue(routing.find());
        assertEquals(2, count(routing.group(1), "<tr class=\"differs\">"));
        Matcher verdict = Pattern.compile("<table class=\"verdict\">(.*?)</table>", Pattern.DOTALL).matcher(h);
        assertTrue(verdict.find());
        assertEquals(1, count(verdict.group(1), "<tr class=\"differs\">"));
        assertTrue(verdict.group(1).contains("extra exception"));
        assertTrue(h.contains("≠ 1 difference"));
        assertTrue(HtmlRenderer.render(RenderFixtures.brkDelivered61()).contains("✓ architectural"));
    }

    @Test
    void selfContained() {
        for (String h : List.of(HtmlRenderer.render(RenderFixtures.watchpointReinjected()), HtmlRenderer.render(RenderFixtures.comparison()),
                HtmlRenderer.render(RenderFixtures.sweep()))) {
            assertTrue(h.startsWith("<div class=\"debuglab\">\n<style>"));
            assertFalse(h.contains("<script"), "no scripts");
            assertFalse(h.contains("<link"), "no external stylesheets");
            assertFalse(h.contains("src="), "no external resources");
            assertFalse(h.contains("http://") && !h.contains("http://www.w3.org/2000/svg"), "no links out");
        }
    }

    // Every string a result carries is escaped: VMM text, the console, version names, guest-log-derived text.
    @Test
    void everythingIsEscaped() {
        RunConfig c = new RunConfig("KVM", "6.1<i>", "QEMU\"><script>x()</script>", List.of("break <b>"), "", List.of("'&'"));
        List<RoutingEvent> ev = List.of(new RoutingEvent.VmmDecision(0x4000_0000L, RoutingEvent.VmmDecisionKind.LOG, "QEMU",
                "<img src=x onerror=alert(1)>", RoutingEvent.NO_ESR, 0, RoutingEvent.NO_FAR));
        LabRun r = new LabRun(c, ev, List.of(new GuestLog.Value(1, 2)), "</pre><script>y()</script>", Map.of("PC", 0L), "STOPPED",
                "<b>why</b>", 1, null, null);
        String h = HtmlRenderer.render(r);
        assertFalse(h.contains("<script"), h);
        assertFalse(h.contains("<img"), h);
        assertFalse(h.contains("<b>"), h);
        assertFalse(h.contains("<i>"), h);
        assertTrue(h.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertTrue(h.contains("&lt;/pre&gt;&lt;script&gt;y()&lt;/script&gt;"));
        assertTrue(h.contains("QEMU&quot;&gt;&lt;script&gt;"));
        assertTrue(h.contains("&#39;&amp;&#39;"));
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Markup.escape("<a href=\"x\">&'"));
    }

    @Test
    void comparisonMarksTheRowsThatDiffer() {
        String h = HtmlRenderer.render(RenderFixtures.comparison());
        Matcher t = Pattern.compile("<table class=\"comparison\">(.*?)</table>", Pattern.DOTALL).matcher(h);
        assertTrue(t.find());
        long differing = RenderFixtures.comparison().rows().stream().filter(dev.debuglab.dsl.Comparison.Row::differs).count();
        assertEquals(differing, count(t.group(1), "<tr class=\"differs\">"));
        assertTrue(h.contains("<svg"), "the swimlanes side by side");
    }

    @Test
    void sweepHeatMapTable() {
        String h = HtmlRenderer.render(RenderFixtures.sweep());
        assertEquals(3, count(h, "class=\"cell-differs\""));
        assertEquals(37, count(h, "class=\"same\""));
        assertTrue(h.contains("<th>version v2</th>"));
    }
}
