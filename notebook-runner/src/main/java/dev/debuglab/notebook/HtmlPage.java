package dev.debuglab.notebook;

import dev.debuglab.kernel.Output;

/** One self-contained HTML page of an executed notebook: no scripts, nothing loaded from elsewhere. */
final class HtmlPage {
    private HtmlPage() {}

    private static final String STYLE = """
            body { margin: 0; background: #f6f7f9; color: #1d2430; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
            main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; background: #fff; min-height: 100vh; box-shadow: 0 0 0 1px #e3e6eb; }
            header.nb { border-bottom: 1px solid #e3e6eb; margin-bottom: 18px; padding-bottom: 8px; color: #5b6472; font-size: 13px; }
            header.nb.failed { color: #a01818; }
            .md h1 { font-size: 28px; margin: 18px 0 8px; } .md h2 { font-size: 21px; margin: 26px 0 6px; border-bottom: 1px solid #eef0f3; }
            .md h3 { font-size: 17px; } .md p, .md li { max-width: 78ch; }
            .md code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
            .md code { background: #f1f3f6; padding: 1px 4px; border-radius: 3px; }
            .md table { border-collapse: collapse; margin: 8px 0; } .md th, .md td { border: 1px solid #dde1e6; padding: 3px 9px; text-align: left; }
            .md th { background: #f4f6f8; } .md blockquote { border-left: 3px solid #c9d1db; margin: 8px 0; padding: 0 12px; color: #4a5361; }
            .cell { display: grid; grid-template-columns: 74px 1fr; margin: 10px 0 16px; }
            .prompt { color: #4363a8; font: 12px ui-monospace, monospace; padding-top: 8px; text-align: right; padding-right: 10px; }
            .prompt.out { color: #a8433f; }
            pre.source { margin: 0; background: #f7f8fa; border: 1px solid #e1e4e9; border-radius: 4px; padding: 8px 10px; overflow-x: auto; }
            .outputs { grid-column: 2; margin-top: 6px; overflow-x: auto; }
            .outputs svg { max-width: 100%; height: auto; }
            pre.stream, pre.text { margin: 4px 0; white-space: pre-wrap; }
            pre.stderr { background: #fff4f4; } pre.error { background: #fde8e8; color: #7a1010; border: 1px solid #f1b7b7; padding: 8px; white-space: pre-wrap; }
            """;

    static String render(NotebookRunner.Report r) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(Markdown.escape(r.title())).append("</title>\n<style>\n").append(STYLE).append("</style></head>\n<body><main>\n");
        b.append("<header class=\"nb").append(r.ok() ? "" : " failed").append("\">").append(Markdown.escape(r.title())).append(" · ")
                .append(r.notebook().language().displayName).append(" · executed headlessly by <code>./debuglab run</code> in ")
                .append(String.format("%.1f s", r.nanos() / 1e9));
        if (!r.ok()) b.append(" · <strong>failed at ").append(Markdown.escape(r.failure().summary())).append("</strong>");
        b.append("</header>\n");
        for (NotebookRunner.Executed e : r.cells()) {
            switch (e.cell().type()) {
                case "markdown" -> b.append("<section class=\"md\">\n").append(Markdown.toHtml(e.cell().source())).append("</section>\n");
                case "code" -> code(b, e);
                default -> b.append("<pre class=\"text\">").append(Markdown.escape(e.cell().source())).append("</pre>\n");
            }
        }
        return b.append("</main></body></html>\n").toString();
    }

    private static void code(StringBuilder b, NotebookRunner.Executed e) {
        String count = e.result() == null || e.result().executionCount() == 0 ? " " : String.valueOf(e.result().executionCount());
        b.append("<div class=\"cell\"><div class=\"prompt\">In [").append(count).append("]:</div><pre class=\"source\">")
                .append(Markdown.escape(e.cell().source())).append("</pre>\n");
        if (e.result() != null && !e.shown().isEmpty()) {
            b.append("<div class=\"outputs\">\n");
            for (Output o : e.shown()) {
                if (o instanceof Output.Stream s)
                    b.append("<pre class=\"stream ").append(s.name().equals("stderr") ? "stderr" : "stdout").append("\">")
                            .append(Markdown.escape(Ansi.strip(s.text()))).append("</pre>\n");
                else if (o instanceof Output.Display d) b.append(NotebookRunner.bestHtml(d.data())).append('\n');
                else if (o instanceof Output.Result res) b.append(NotebookRunner.bestHtml(res.data())).append('\n');
                else if (o instanceof Output.Error err) {
                    StringBuilder t = new StringBuilder(err.ename()).append(": ").append(err.evalue() == null ? "" : err.evalue());
                    for (String line : err.traceback()) t.append('\n').append(line);
                    b.append("<pre class=\"error\">").append(Markdown.escape(Ansi.strip(t.toString()))).append("</pre>\n");
                }
            }
            b.append("</div>\n");
        }
        b.append("</div>\n");
    }
}
