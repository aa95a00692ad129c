package dev.debuglab.dsl.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.Lane;
import dev.debuglab.dsl.RoutingEvent;
import dev.debuglab.dsl.RunConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The swimlane pictures by their structure (parsed as XML, so they are also well-formed): one lane per
 * lane, one arrow per exception, exit, injection and return with its label and colour class, the steps
 * the verdict finds different from the architecture marked, the comparison side by side and the sweep's
 * heat map.
 */
class SvgRendererTest {

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The {@code <g>} elements whose class list holds {@code cls}. */
    static List<Element> groups(Document d, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList l = d.getElementsByTagName("g");
        for (int i = 0; i < l.getLength(); i++) {
            Element e = (Element) l.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) out.add(e);
        }
        return out;
    }

    static List<String> texts(Element g, String cls) {
        List<String> out = new ArrayList<>();
        NodeList l = g.getElementsByTagName("text");
        for (int i = 0; i < l.getLength(); i++) {
            Element t = (Element) l.item(i);
            if (t.getAttribute("class").contains(cls)) out.add(t.getTextContent());
        }
        return out;
    }

    @Test
    void oneLanePerLaneInTheOrderOfTheArchitecture() throws Exception {
        Document d = parse(SvgRenderer.render(RenderFixtures.watchpointReinjected()));
        List<String> lanes = groups(d, "lane").stream().map(e -> e.getAttribute("data-lane")).toList();
        assertEquals(List.of("GUEST_EL0", "GUEST_EL1", "KVM_EL2", "VMM"), lanes);
        assertEquals(List.of("guest EL0", "guest EL1", "KVM/EL2", "VMM"),
                groups(d, "lane-head").stream().map(Element::getTextContent).toList());
    }

    // QEMU re-injecting a watchpoint on 6.1: the watchpoint exits to EL2 (EC 0x34 from the lower EL), KVM hands it to the
    // VMM as KVM_EXIT_DEBUG, QEMU injects it into guest EL1, KVM re-enters the guest, the guest takes it; then HVC (PSCI).
    // The guest-log MMIO round trip is not drawn.
    @Test
    void oneArrowPerExceptionExitInjectionAndReturnWithLabelAndColour() throws Exception {
        Document d = parse(SvgRenderer.render(RenderFixtures.watchpointReinjected()));
        List<Element> arrows = groups(d, "arrow").stream().filter(e -> e.hasAttribute("data-event")).toList();
        assertEquals(List.of("return", "exit", "userspace-exit", "injection", "return", "exception", "exit", "userspace-exit"),
                arrows.stream().map(e -> e.getAttribute("data-kind")).toList());
        for (Element a : arrows) assertTrue(a.getAttribute("class").contains("ev-" + a.getAttribute("data-kind")), a.getAttribute("class"));
        Element exit = arrows.get(1);
        assertEquals("GUEST_EL1", exit.getAttribute("data-from"));
        assertEquals("KVM_EL2", exit.getAttribute("data-to"));
        assertEquals(List.of("WPT ESR 0xD2000062"), texts(exit, "main"));
        assertEquals(List.of("PC 0x40000020 <store>"), texts(exit, "detail"));
        Element toVmm = arrows.get(2);
        assertEquals("VMM", toVmm.getAttribute("data-to"));
        assertEquals(List.of("KVM_EXIT_DEBUG WPT"), texts(toVmm, "main"));
        Element inject = arrows.get(3);
        assertEquals("VMM", inject.getAttribute("data-from"));
        assertEquals("GUEST_EL1", inject.getAttribute("data-to"));
        assertEquals(List.of("inject WPT ESR 0xD2000062"), texts(inject, "main"));
        Element hvc = arrows.get(6);
        assertEquals(List.of("HVC ESR 0x5A000000"), texts(hvc, "main"));
        // Each arrow is drawn: a line (or the loop of an exception taken at the same EL) with an arrowhead.
        for (Element a : arrows)
            assertEquals(1, a.getElementsByTagName("line").getLength() + a.getElementsByTagName("path").getLength());
        // Decisions are notes on their lane, not arrows.
        assertEquals(List.of("KVM_EL2", "KVM_EL2"), groups(d, "note").stream().filter(e -> e.hasAttribute("data-event"))
                .map(e -> e.getAttribute("data-from")).toList());
        assertTrue(d.getDocumentElement().getTextContent().contains("1 MMIO round trips"));
    }

    // The architecture delivers nothing here (bare metal logs only the OSLSR value), so the guest's watchpoint
    // exception is extra: it and the injection that delivers it are marked; nothing else is.
    @Test
    void stepsThatDifferFromTheArchitectureAreMarked() throws Exception {
        Document d = parse(SvgRenderer.render(RenderFixtures.watchpointReinjected()));
        List<Element> differs = groups(d, "differs");
        assertEquals(List.of("injection", "exception"), differs.stream().map(e -> e.getAttribute("data-kind")).toList());
        for (Element e : differs) {
            assertEquals(List.of("≠"), texts(e, "mark"));
            assertTrue(e.getElementsByTagName("title").item(0).getTextContent().contains("extra exception"));
        }
        String svg = SvgRenderer.render(RenderFixtures.watchpointReinjected());
        assertTrue(svg.contains("url(#head-differs)"));
        Element legend = groups(d, "legend").get(0);
        for (Story.Kind k : Story.Kind.values()) assertTrue(legend.getTextContent().contains(k.legend), k.legend);
        assertTrue(legend.getTextContent().contains("differs from the architecture"));
    }

    // v2 consumes the BRK under the OS Lock: the architecture takes it at EL1, so the exit at the BRK and KVM's skip are marked.
    @Test
    void aMissingExceptionMarksWhereItWasSwallowed() throws Exception {
        Document d = parse(SvgRenderer.render(RenderFixtures.brkConsumedV2()));
        List<Element> differs = groups(d, "differs");
        assertEquals(List.of("exit", "decision"), differs.stream().map(e -> e.getAttribute("data-kind")).toList());
        assertEquals(List.of("BRK ESR 0xF2000042"), texts(differs.get(0), "main"));
        assertTrue(differs.get(0).getElementsByTagName("title").item(0).getTextContent().contains("missing exception"));
    }

    // A missing exception with no event to carry it becomes a row of its own, drawn to guest EL1 in red.
    @Test
    void anUnplacedMissingExceptionGetsItsOwnRow() throws Exception {
        LabRun v2 = RenderFixtures.brkConsumedV2();
        LabRun quiet = new LabRun(v2.config(), v2.events().stream().filter(e -> e.pc() != RenderFixtures.BRK_PC).toList(), v2.guestLog(),
                v2.console(), v2.registers(), v2.outcome(), v2.message(), v2.instructions(), v2.verdict(), v2.listing());
        Document d = parse(SvgRenderer.render(quiet));
        List<Element> missing = groups(d, "ev-missing").stream().filter(e -> e.hasAttribute("data-event")).toList();
        assertEquals(1, missing.size());
        assertTrue(missing.get(0).getAttribute("class").contains("differs"));
        assertEquals("GUEST_EL1", missing.get(0).getAttribute("data-to"));
        assertEquals(List.of("BRK ESR 0xF2000042 missing"), texts(missing.get(0), "main"));
    }

    // Bare metal: BRK at EL0 is taken at EL1 (lower-EL vector); there is no KVM: the EL2 lane is the firmware stub
    // (where PSCI SYSTEM_OFF goes) and the VMM lane is drawn absent; the breakpoint under the OS Lock is a "not
    // generated" note on EL1; and the run is architectural.
    @Test
    void bareMetalRun() throws Exception {
        Document d = parse(SvgRenderer.render(RenderFixtures.bareMetal()));
        assertEquals(List.of("VMM"), groups(d, "lane").stream().filter(e -> e.getAttribute("class").contains("absent"))
                .map(e -> e.getAttribute("data-lane")).toList());
        assertEquals(List.of("guest EL0", "guest EL1", "EL2 (firmware)", "VMM (none)"),
                groups(d, "lane-head").stream().map(Element::getTextContent).toList());
        Element ex = groups(d, "ev-exception").stream().filter(e -> e.hasAttribute("data-event")).findFirst().orElseThrow();
        assertEquals("GUEST_EL0", ex.getAttribute("data-from"));
        assertEquals("GUEST_EL1", ex.getAttribute("data-to"));
        Element ng = groups(d, "ev-not-generated").stream().filter(e -> e.hasAttribute("data-event")).findFirst().orElseThrow();
        assertTrue(ng.getTextContent().contains("OSLK = 1"));
        assertTrue(groups(d, "differs").isEmpty());
        assertTrue(d.getDocumentElement().getTextContent().contains("✓ architectural"));
    }

    @Test
    void comparisonIsSideBySide() throws Exception {
        Document d = parse(SvgRenderer.render(RenderFixtures.comparison()));
        List<Element> runs = groups(d, "run");
        assertEquals(3, runs.size());
        List<String> x = runs.stream().map(e -> e.getAttribute("transform")).toList();
        assertEquals(3, x.stream().distinct().count(), "each run has its own column: " + x);
        assertEquals(12, groups(d, "lane").size());
        assertEquals(List.of("KVM 6.1 + QEMU", "KVM v2 + QEMU", "KVM 6.1 + QEMU"),
                runs.stream().map(r -> texts(r, "title").get(0)).toList());
    }

    // The heat map: one cell per point, the cells that differ from the architecture (v2's swallowed BRKs under the lock,
    // 5.15's breakpoint under the lock) red and marked.
    @Test
    void sweepHeatMap() throws Exception {
        Document d = parse(SvgRenderer.render(RenderFixtures.sweep()));
        assertEquals(40, groups(d, "cell").size());
        List<Element> red = groups(d, "cell").stream().filter(e -> e.getAttribute("class").contains("differs")).toList();
        assertEquals(3, red.size());
        assertEquals(List.of("v2", "v2", "5.15"), red.stream().map(e -> e.getAttribute("data-column")).toList());
        assertTrue(red.get(0).getTextContent().contains("≠ none"));
        assertTrue(red.get(0).getTextContent().contains("architecture: EC 0x3C at EL1"));
    }

    // Everything from a result is text: markup in a VMM message or a label cannot reach the picture.
    @Test
    void textIsEscaped() throws Exception {
        RunConfig c = new RunConfig("KVM", "6.1<b>", "Q\"EMU'&", List.of(), "", List.of());
        List<RoutingEvent> ev = List.of(new RoutingEvent.VmmDecision(0x4000_0000L, RoutingEvent.VmmDecisionKind.LOG, "QEMU",
                "<script>alert(1)</script>", RoutingEvent.NO_ESR, 0, RoutingEvent.NO_FAR));
        LabRun r = new LabRun(c, ev, List.of(), "<svg onload=x>", Map.of(), "STOPPED", "<img src=x>", 1, null, null);
        String svg = SvgRenderer.render(r);
        Document d = parse(svg);
        assertEquals(0, d.getElementsByTagName("script").getLength());
        assertTrue(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(d.getDocumentElement().getTextContent().contains("KVM 6.1<b> + Q\"EMU'&"));
    }

    @Test
    void anEmptyRunSaysSo() throws Exception {
        LabRun r = new LabRun(new RunConfig("bare metal", "", "", List.of(), "", List.of()), List.of(), List.of(), "", Map.of(),
                "SYSTEM_OFF", "", 3, null, null);
        Document d = parse(SvgRenderer.render(r));
        assertTrue(d.getDocumentElement().getTextContent().contains("no routing events"));
        assertEquals(4, groups(d, "lane").size());
        assertEquals(Lane.values().length, groups(d, "lane-head").size());
    }
}
