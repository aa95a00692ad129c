package dev.debuglab.dsl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code debuglab run [--json] [--html OUT] FILE.jsh|FILE.kts}: evaluates a Java (JShell) or Kotlin script with the
 * DSL imported and shows every result (run, comparison, sweep, verdict) that a top-level expression evaluates to, as
 * a notebook would: as text by default,
 * {@code --json} prints the JSON trace of each result instead (one indented document after the other, a stream that
 * {@code jq} reads), {@code --html OUT} also writes a
 * page with the HTML and SVG renderings. With {@code --json} the script's own printing goes to stderr so that stdout
 * stays machine-readable.
 *
 * <p>Exit status: 0 when the script ran to its end; 1 when it does not compile or throws (the message names the
 * file, the line and the problem; no JVM stack trace); 2 for a bad command line or an unreadable file.
 */
public final class Main {
    static final String USAGE = "usage: debuglab run [--json] [--html OUT.html] FILE.jsh|FILE.kts";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The whole command; returns the exit status (tests call this in process). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        Path html = null;
        Path file = null;
        List<String> list = new ArrayList<>(List.of(args));
        if (!list.isEmpty() && list.get(0).equals("run")) list.remove(0);
        for (int i = 0; i < list.size(); i++) {
            String a = list.get(i);
            switch (a) {
                case "--json" -> json = true;
                case "--html" -> {
                    if (i + 1 >= list.size()) return usage(err, "--html needs the output file, e.g. --html out.html");
                    html = Path.of(list.get(++i));
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (a.startsWith("-")) return usage(err, "unknown option " + a);
                    if (file != null) return usage(err, "one script at a time (got " + file + " and " + a + ")");
                    file = Path.of(a);
                }
            }
        }
        if (file == null) return usage(err, "which script? give a .jsh or .kts file");
        String name = file.getFileName().toString();
        ScriptEngine engine;
        if (name.endsWith(".jsh") || name.endsWith(".java")) engine = new JShellScript();
        else if (name.endsWith(".kts")) engine = new KotlinScript();
        else return usage(err, file + " is neither a Java script (.jsh) nor a Kotlin script (.kts)");
        String source;
        try {
            source = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("debuglab run: cannot read " + file + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            return 2;
        }

        Shown shown = new Shown(json ? null : out);
        PrintStream stdout = System.out;
        if (json) System.setOut(err); // the script's own printing must not mix with the JSON
        try {
            engine.run(file, source, shown::accept);
        } catch (ScriptFailure f) {
            err.println(f.getMessage());
            return 1;
        } catch (RuntimeException | LinkageError e) {
            err.println(file + ": " + ScriptFailure.describe(e.getClass().getName(), e.getMessage()));
            return 1;
        } finally {
            if (json) System.setOut(stdout);
        }
        if (json) {
            for (Object value : shown.values) {
                String doc = Renderings.json(value);
                if (doc != null) out.print(doc.endsWith("\n") ? doc : doc + "\n");
            }
        }
        if (html != null) {
            try {
                Files.writeString(html, Renderings.page(file.getFileName().toString(), shown.values), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("debuglab run: cannot write " + html + " (" + e.getMessage() + ")");
                return 2;
            }
        }
        return 0;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("debuglab run: " + problem);
        err.println(USAGE);
        return 2;
    }

    /** The values a script showed, printed as text at once unless the output is JSON. */
    private static final class Shown {
        final List<Object> values = new ArrayList<>();
        final PrintStream text;

        Shown(PrintStream text) {
            this.text = text;
        }

        void accept(Object value) {
            if (!Renderings.isResult(value)) return;
            values.add(value);
            if (text != null) {
                text.println(Renderings.text(value));
                text.flush();
            }
        }
    }
}
