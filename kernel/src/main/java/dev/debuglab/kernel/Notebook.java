package dev.debuglab.kernel;

import dev.debuglab.dsl.render.Renderers;

/**
 * What a cell can call to show something besides its result (imported in Java cells): {@code display(run)} shows a
 * value as its MIME bundle now; {@code display(x, "id")} and {@code updateDisplay(y, "id")} show and later replace
 * one output (live progress); {@code html("<b>..</b>")} and {@code markdown("# ..")} show raw content;
 * {@code clearOutput()} clears the cell's output. Outside a
 * cell (no notebook) these print text/plain to standard output.
 */
public final class Notebook {
    private Notebook() {
    }

    /** A value's bundle: the DSL's renderers for DSL results, text/plain for the rest. */
    public static MimeBundle bundle(Object value) {
        if (value instanceof MimeBundle b) return b;
        if (value instanceof String s) return MimeBundle.text(s);
        return MimeBundle.of(Renderers.standard().bundleByType(value));
    }

    public static void display(Object value) {
        emit(new Output.Display(bundle(value), null));
    }

    public static void display(Object value, String displayId) {
        emit(new Output.Display(bundle(value), displayId));
    }

    public static void updateDisplay(Object value, String displayId) {
        emit(new Output.DisplayUpdate(bundle(value), displayId));
    }

    public static void html(String html) {
        emit(new Output.Display(MimeBundle.text("[HTML]").with(MimeBundle.HTML, html), null));
    }

    public static void markdown(String markdown) {
        emit(new Output.Display(MimeBundle.text(markdown).with(MimeBundle.MARKDOWN, markdown), null));
    }

    /** Clears this cell's outputs so far; with {@code wait}, only when the next output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        emit(new Output.ClearOutput(wait));
    }

    public static void clearOutput() {
        clearOutput(false);
    }

    static void emit(Output o) {
        OutputSink sink = CellContext.currentSink();
        if (sink != null) {
            System.out.flush();
            System.err.flush();
            sink.emit(o);
        } else if (o instanceof Output.Display d) {
            System.out.println(d.data().text());
        } else if (o instanceof Output.DisplayUpdate u) {
            System.out.println(u.data().text());
        }
    }
}
