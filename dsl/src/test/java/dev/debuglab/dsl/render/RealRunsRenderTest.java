package dev.debuglab.dsl.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.dsl.Comparison;
import dev.debuglab.dsl.Guest;
import dev.debuglab.dsl.Lab;
import dev.debuglab.dsl.LabRun;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The renderers on runs the DSL really made: the seed's BRK under the OS Lock (scenarios.md; kvm.md): the
 * architecture takes BRK #0x42 at EL1 with ESR 0xF2000042 whatever the lock says; 6.1 lets the guest take it
 * at its own vector, the v2 patch consumes it at EL2.
 */
class RealRunsRenderTest {

    static Guest brkUnderTheLock() {
        return Lab.guest().osLock(true).label("hit").brk(0x42).build();
    }

    @Test
    void v61DeliversTheBrkAtGuestEl1() throws Exception {
        LabRun run = brkUnderTheLock().kvm("6.1").qemu().run();
        Document d = SvgRendererTest.parse(SvgRenderer.render(run));
        List<Element> exceptions = SvgRendererTest.groups(d, "ev-exception").stream().filter(e -> e.hasAttribute("data-event")).toList();
        assertEquals(1, exceptions.size(), run.toString());
        assertEquals("GUEST_EL1", exceptions.get(0).getAttribute("data-to"));
        assertEquals(List.of("BRK ESR 0xF2000042"), SvgRendererTest.texts(exceptions.get(0), "main"));
        assertTrue(SvgRendererTest.groups(d, "differs").isEmpty(), run.toString());
        assertEquals(run, TraceJson.read(TraceJson.write(run)));
    }

    @Test
    void v2ConsumesItAndThePictureMarksWhere() throws Exception {
        LabRun run = brkUnderTheLock().kvm("v2").qemu().run();
        assertFalse(run.architectural(), run.toString());
        Document d = SvgRendererTest.parse(SvgRenderer.render(run));
        List<Element> differs = SvgRendererTest.groups(d, "differs");
        assertFalse(differs.isEmpty(), SvgRenderer.render(run));
        assertTrue(differs.stream().anyMatch(e -> e.getAttribute("data-kind").equals("exit")
                && SvgRendererTest.texts(e, "main").equals(List.of("BRK ESR 0xF2000042"))), run.toString());
        assertTrue(HtmlRenderer.render(run).contains("missing exception"));
        assertEquals(run, TraceJson.read(TraceJson.write(run)));
    }

    // Two stored traces of the same guest, 6.1 and v2: the diff names the version and the verdict that changed.
    @Test
    void tracesOfTwoVersionsDiff() {
        Guest g = brkUnderTheLock();
        List<String> d = TraceJson.diff(TraceJson.write(g.kvm("6.1").qemu().run()), TraceJson.write(g.kvm("v2").qemu().run()));
        assertTrue(d.stream().anyMatch(l -> l.startsWith("$.config.version: ") && l.contains("6.1") && l.contains("v2")), String.join("\n", d));
        assertTrue(d.contains("$.verdict.architectural: true → false"), String.join("\n", d));
        assertTrue(d.stream().anyMatch(l -> l.startsWith("$.verdict.underKvm[0]: {") && l.contains("\"esr\": \"0xF2000042\"") && l.endsWith("→ (absent)")),
                "the BRK the guest saw on 6.1 and not on v2:\n" + String.join("\n", d));
        assertTrue(d.stream().noneMatch(l -> l.startsWith("$.listing")), String.join("\n", d));
    }

    @Test
    void aRealComparisonRendersInEveryType() throws Exception {
        Guest g = brkUnderTheLock();
        Comparison c = Lab.compare(g.bareMetal(), g.kvm("6.1").qemu(), g.kvm("v2").qemu());
        Document d = SvgRendererTest.parse(SvgRenderer.render(c));
        assertEquals(3, SvgRendererTest.groups(d, "run").size());
        assertEquals(4, Renderers.standard().bundle(c).size());
        assertEquals(c, TraceJson.readComparison(TraceJson.write(c)));
    }
}
