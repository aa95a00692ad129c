package dev.debuglab.dsl.cli;

import java.util.ArrayList;
import java.util.List;

import dev.debuglab.dsl.render.HtmlRenderer;
import dev.debuglab.dsl.render.Markup;
import dev.debuglab.dsl.render.Mime;
import dev.debuglab.dsl.render.Renderers;

/** The renderings the CLI writes, all from the renderers' registry ({@link Renderers#standard()}), as the kernel shows them. */
final class Renderings {
    private static final Renderers RENDERERS = Renderers.standard();

    private Renderings() {
    }

    /**
     * True for the values a script shows: the DSL's results (runs, comparisons, sweeps, verdicts, listings). Other
     * expression values (builders, assertion objects, numbers) are not printed; a script prints them itself.
     */
    static boolean isResult(Object value) {
        return value instanceof dev.debuglab.dsl.LabRun || value instanceof dev.debuglab.dsl.Comparison
                || value instanceof dev.debuglab.dsl.SweepResult || value instanceof dev.debuglab.emulator.verdict.Verdict
                || value instanceof dev.debuglab.dsl.Listing;
    }

    /** The aligned text tables of a result. */
    static String text(Object value) {
        return RENDERERS.render(value, Mime.TEXT).orElse(String.valueOf(value));
    }

    /** The JSON trace of a result (docs/trace-schema.md), or null for a value that has none (it is skipped). */
    static String json(Object value) {
        return RENDERERS.render(value, Mime.JSON).orElse(null);
    }

    /** A standalone HTML page with the HTML tables and the SVG picture of every shown value, in order. */
    static String page(String title, List<Object> values) {
        List<String> fragments = new ArrayList<>();
        for (Object v : values) {
            StringBuilder f = new StringBuilder();
            f.append(RENDERERS.render(v, Mime.HTML).orElseGet(() -> "<pre>" + Markup.escape(text(v)) + "</pre>\n"));
            RENDERERS.render(v, Mime.SVG).ifPresent(svg -> f.append("<div>").append(svg).append("</div>\n"));
            fragments.add(f.toString());
        }
        return HtmlRenderer.page(title, fragments);
    }
}
