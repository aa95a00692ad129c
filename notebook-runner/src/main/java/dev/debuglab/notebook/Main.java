package dev.debuglab.notebook;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./debuglab run [--html OUT.html] NOTEBOOK.ipynb}: executes the notebook headlessly (no Jupyter needed),
 * prints the text of its outputs, optionally writes the page, and exits 0 when every cell ran, 1 naming the cell
 * that failed, 2 for a bad command line or a file that is not a DebugLab notebook.
 */
public final class Main {
    private Main() {}

    static final String USAGE = "usage: ./debuglab run [--html OUT.html] NOTEBOOK.ipynb";

    public static void main(String[] args) {
        PrintStream out = System.out, err = System.err;
        int status = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** The command, with its streams; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> a = new ArrayList<>(List.of(args));
        if (!a.isEmpty() && a.get(0).equals("run")) a.remove(0);
        Path html = null, file = null;
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            if (s.equals("--html")) {
                if (i + 1 >= a.size()) return usage(err, "--html needs the output file, e.g. --html out.html");
                html = Path.of(a.get(++i));
            } else if (s.equals("-h") || s.equals("--help")) {
                out.println(USAGE);
                return 0;
            } else if (s.startsWith("-")) {
                return usage(err, "unknown option " + s);
            } else if (file != null) {
                return usage(err, "one notebook at a time (got " + file + " and " + s + ")");
            } else file = Path.of(s);
        }
        if (file == null) return usage(err, "give the notebook to run");
        if (!file.toString().endsWith(".ipynb")) return usage(err, file + " is not an .ipynb notebook");
        Ipynb nb;
        try {
            nb = Ipynb.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            err.println("debuglab run: " + file + ": no such file");
            return 2;
        } catch (IOException e) {
            err.println("debuglab run: cannot read " + file + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return 2;
        } catch (Ipynb.BadNotebook e) {
            err.println("debuglab run: " + file + ": " + e.getMessage());
            return 2;
        }
        String title = file.getFileName().toString();
        NotebookRunner.Report report = NotebookRunner.run(title, nb, out);
        if (html != null) {
            try {
                Path parent = html.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                Files.writeString(html, report.html(), StandardCharsets.UTF_8);
                err.println("debuglab run: wrote " + html);
            } catch (IOException e) {
                err.println("debuglab run: cannot write " + html + " (" + e.getMessage() + "); check the folder exists and is writable");
                return 2;
            }
        }
        if (!report.ok()) {
            NotebookRunner.Failure f = report.failure();
            err.println(file + ": " + f.summary());
            for (String line : f.traceback()) {
                String l = Ansi.strip(line).stripTrailing();
                if (!l.isEmpty() && !l.equals(f.ename() + ": " + f.evalue())) err.println("    " + l);
            }
            return 1;
        }
        err.printf("debuglab run: %s: %d cells ran in %.1f s%n", file,
                report.cells().stream().filter(c -> c.result() != null).count(), report.nanos() / 1e9);
        return 0;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("debuglab run: " + problem);
        err.println(USAGE);
        return 2;
    }
}
