package dev.debuglab.notebook;

import dev.debuglab.kernel.CellResult;
import dev.debuglab.kernel.KernelSession;
import dev.debuglab.kernel.MimeBundle;
import dev.debuglab.kernel.Output;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Executes a notebook headlessly, cell by cell, in one in-process {@link KernelSession} (the kernel's own evaluator,
 * no Jupyter, no ZMQ) of the language the notebook's kernelspec names. It stops at the first failing cell, as
 * nbclient does. The {@link Report} holds every cell with its outputs and renders them as text or as one
 * self-contained HTML page.
 */
public final class NotebookRunner {
    private NotebookRunner() {}

    /** A cell and, for a code cell that ran, what it produced. */
    public record Executed(Ipynb.Cell cell, CellResult result) {
        /** The outputs as the page shows them: a display update replaces the display with its id. */
        public List<Output> shown() {
            if (result == null) return List.of();
            List<Output> l = new ArrayList<>();
            for (Output o : result.outputs()) {
                if (o instanceof Output.DisplayUpdate u) {
                    for (int i = 0; i < l.size(); i++)
                        if (l.get(i) instanceof Output.Display d && u.displayId() != null && u.displayId().equals(d.displayId()))
                            l.set(i, new Output.Display(u.data(), d.displayId()));
                } else l.add(o);
            }
            return l;
        }
    }

    /** The first failing cell: its number among all cells (1-based, as Jupyter counts them), and the error. */
    public record Failure(int cellNumber, String ename, String evalue, List<String> traceback) {
        /** One line: "cell 4: AssertionError: expected ...". */
        public String summary() {
            String v = evalue == null || evalue.isBlank() ? "" : ": " + firstLine(Ansi.strip(evalue));
            return "cell " + cellNumber + ": " + ename + v;
        }
    }

    /** The executed notebook. */
    public record Report(String title, Ipynb notebook, List<Executed> cells, Failure failure, long nanos) {
        public Report {
            cells = List.copyOf(cells);
        }

        public boolean ok() {
            return failure == null;
        }

        /** The whole page: markdown rendered, code cells with their outputs (HTML and SVG inline). */
        public String html() {
            return HtmlPage.render(this);
        }
    }

    /**
     * Runs every code cell of {@code nb} in a fresh session; markdown and raw cells are kept for the page. Text
     * outputs go to {@code out} as the cells finish ({@code null}: nowhere).
     */
    public static Report run(String title, Ipynb nb, PrintStream out) {
        return run(title, nb, out, KernelSession::new);
    }

    static Report run(String title, Ipynb nb, PrintStream out, Function<dev.debuglab.kernel.Language, KernelSession> sessions) {
        long t0 = System.nanoTime();
        List<Executed> done = new ArrayList<>();
        Failure failure = null;
        try (KernelSession session = sessions.apply(nb.language())) {
            for (Ipynb.Cell c : nb.cells()) {
                if (failure != null || !c.type().equals("code") || c.source().isBlank()) {
                    done.add(new Executed(c, null));
                    continue;
                }
                CellResult r = session.execute(c.source());
                done.add(new Executed(c, r));
                if (out != null) printText(r, out);
                Optional<Output.Error> e = r.error();
                if (r.status() != CellResult.Status.OK || e.isPresent()) {
                    Output.Error err = e.orElse(new Output.Error("Aborted", "the cell did not run", List.of()));
                    failure = new Failure(c.number(), err.ename(), err.evalue(), err.traceback());
                }
            }
        }
        return new Report(title, nb, done, failure, System.nanoTime() - t0);
    }

    /** The text of a cell's outputs: streams as written, displays and the result as text/plain; not the error. */
    static void printText(CellResult r, PrintStream out) {
        for (Output o : r.outputs()) {
            if (o instanceof Output.Stream s) out.print(s.text());
            else if (o instanceof Output.Display d) out.print(withNewline(d.data().text()));
            else if (o instanceof Output.Result res) out.print(withNewline(res.data().text()));
        }
        out.flush();
    }

    private static String withNewline(String s) {
        return s.isEmpty() || s.endsWith("\n") ? s : s + "\n";
    }

    static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    /** The preferred rendering of a bundle for the page. */
    static String bestHtml(MimeBundle b) {
        if (b.has(MimeBundle.HTML)) return b.get(MimeBundle.HTML).orElseThrow();
        if (b.has(MimeBundle.SVG)) return "<div class=\"svg\">" + b.get(MimeBundle.SVG).orElseThrow() + "</div>";
        if (b.has(MimeBundle.MARKDOWN)) return "<div class=\"md\">" + Markdown.toHtml(b.get(MimeBundle.MARKDOWN).orElseThrow()) + "</div>";
        return "<pre class=\"text\">" + Markdown.escape(Ansi.strip(b.text())) + "</pre>";
    }
}
