package dev.debuglab.dsl.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.dsl.LabRun;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The registry the kernel and the CLI display results with. */
class RenderersTest {

    @Test
    void everyResultHasTheFourMimeTypes() {
        Renderers r = Renderers.standard();
        for (Object o : List.of(RenderFixtures.watchpointReinjected(), RenderFixtures.comparison(), RenderFixtures.sweep())) {
            Map<Mime, String> b = r.bundle(o);
            assertEquals(List.of(Mime.TEXT, Mime.HTML, Mime.SVG, Mime.JSON), List.copyOf(b.keySet()), o.getClass().getSimpleName());
            assertTrue(b.get(Mime.HTML).startsWith("<div class=\"debuglab\">"));
            assertTrue(b.get(Mime.SVG).startsWith("<svg xmlns='http://www.w3.org/2000/svg'"));
            assertTrue(b.get(Mime.JSON).contains("\"schemaVersion\": 1"));
        }
        LabRun run = RenderFixtures.brkConsumedV2();
        assertEquals(TextRenderer.render(run), r.render(run, "text/plain").orElseThrow());
        assertEquals(List.of("text/plain", "text/html", "image/svg+xml", "application/json"), List.copyOf(r.bundleByType(run).keySet()));
    }

    @Test
    void otherValuesAreTextThroughToString() {
        Renderers r = Renderers.standard();
        assertEquals(Map.of(Mime.TEXT, "42"), r.bundle(42));
        assertEquals(Optional.empty(), r.render("x", Mime.SVG));
        assertEquals(Optional.of("null"), r.render(null, Mime.TEXT));
        assertTrue(r.render(RenderFixtures.brkConsumedV2().verdict(), Mime.HTML).orElseThrow().contains("missing exception"));
    }

    interface Shape {
        String name();
    }

    record Square(String name) implements Shape {}

    @Test
    void registrationsAreImmutableAndFoundThroughSupertypes() {
        Renderers base = Renderers.standard();
        Renderers more = base.with(Shape.class, Mime.HTML, s -> "<b>" + Markup.escape(s.name()) + "</b>");
        assertEquals(Optional.of("<b>&lt;sq&gt;</b>"), more.render(new Square("<sq>"), Mime.HTML));
        assertEquals(Optional.empty(), base.render(new Square("x"), Mime.HTML), "the standard registry is unchanged");
        assertTrue(more.supports(Square.class));
        Renderers replaced = more.with(Shape.class, Mime.HTML, s -> "again");
        assertEquals(Optional.of("again"), replaced.render(new Square("x"), Mime.HTML));
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mime.of("image/png"));
        assertEquals("no renderer produces \"image/png\"; use one of text/plain, text/html, image/svg+xml, application/json", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Renderers.standard().with(String.class, Mime.HTML, null));
        assertTrue(e.getMessage().contains("no renderer"), e.getMessage());
    }
}
