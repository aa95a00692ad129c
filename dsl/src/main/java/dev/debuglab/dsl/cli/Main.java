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
 * <p>A script runs at most {@code --timeout SECONDS} (default 120): then it is stopped with one message and status 124.
 * Ctrl-C stops it the same way (status 130).
 *
 * <p>Exit status: 0 when the script ran to its end; 1 when it does not compile or throws (the message names the
 * file, the line and the problem; no JVM stack trace); 2 for a bad command line or an unreadable file; 124 when the
 * timeout stopped it; 130 on Ctrl-C.
 */
public final class Main {
    static final String USAGE = "usage: debuglab run [--json] [--html OUT.html] [--timeout SECONDS] FILE.jsh|FILE.kts";
    /** Seconds a script may run before it is stopped (--timeout). */
    static final double DEFAULT_TIMEOUT = 120;
    /** Exit status of a script stopped by --timeout (as timeout(1)) and by Ctrl-C (128 + SIGINT). */
    static final int TIMED_OUT = 124, INTERRUPTED = 130;

    /** The script running now (at most one per process through {@link #main}), for Ctrl-C. */
    private static volatile Running running;
    /** Set by Ctrl-C. */
    private static volatile boolean interrupted;

    private record Running(ScriptEngine engine, Thread worker, PrintStream err, Path file) {}

    private Main() {
    }

    public static void main(String[] args) {
        try {
            // Ctrl-C: stop the script cleanly (one line, no stack trace) instead of the JVM dying mid-print.
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> interrupt());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGINT on this platform: the JVM's default handling stays
        }
        System.exit(run(args, System.out, System.err));
    }

    /** What Ctrl-C does: stops the running script, says so, and ends the process with status 130. */
    static void interrupt() {
        interrupted = true; // before stopping: the main thread then ends with 130 too, not 0
        Running r = running;
        if (r != null) {
            r.err().println(r.file() + ": interrupted (Ctrl-C); the script was stopped");
            r.err().flush();
            r.engine().stop(r.worker());
        }
        Runtime.getRuntime().halt(INTERRUPTED);
    }

    /** The whole command; returns the exit status (tests call this in process). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        Path html = null;
        Path file = null;
        double timeout = DEFAULT_TIMEOUT;
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
                case "--timeout" -> {
                    if (i + 1 >= list.size()) return usage(err, "--timeout needs a number of seconds, e.g. --timeout 30");
                    String t = list.get(++i);
                    try {
                        timeout = Double.parseDouble(t);
                    } catch (NumberFormatException e) {
                        timeout = -1;
                    }
                    if (!(timeout > 0) || Double.isInfinite(timeout))
                        return usage(err, "--timeout " + t + ": give the seconds a script may run as a positive number, e.g. --timeout 30");
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
            Throwable failed = runWithTimeout(engine, file, source, shown, timeout, err);
            if (interrupted) return INTERRUPTED; // Ctrl-C said so already
            if (failed == TIMEOUT) {
                err.println(file + ": stopped after " + seconds(timeout) + " s (--timeout " + seconds(timeout)
                        + "): the script did not finish — an endless loop? Fix the loop or give more time with --timeout SECONDS");
                return TIMED_OUT;
            }
            if (failed instanceof ScriptFailure f) {
                err.println(f.getMessage());
                return 1;
            }
            if (failed != null) {
                err.println(file + ": " + ScriptFailure.describe(failed.getClass().getName(), failed.getMessage()));
                return 1;
            }
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

    /** Marks a script stopped by the timeout. */
    private static final Throwable TIMEOUT = new Throwable("timeout", null, false, false) {};

    /**
     * Runs the script on a worker thread and waits at most {@code timeout} seconds; returns null when it ended, what
     * it threw, or {@link #TIMEOUT} after stopping it.
     */
    static Throwable runWithTimeout(ScriptEngine engine, Path file, String source, Shown shown, double timeout, PrintStream err) {
        Throwable[] thrown = {null};
        Thread worker = new Thread(() -> {
            try {
                engine.run(file, source, shown::accept);
            } catch (ThreadDeath d) {
                // stopped by the timeout or Ctrl-C
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "debuglab-script");
        worker.setDaemon(true);
        running = new Running(engine, worker, err, file);
        worker.start();
        try {
            worker.join(Math.max(1, (long) (timeout * 1000)));
            if (worker.isAlive()) {
                engine.stop(worker);
                worker.join(5000);
                return TIMEOUT;
            }
        } catch (InterruptedException e) {
            engine.stop(worker);
            Thread.currentThread().interrupt();
            return TIMEOUT;
        } finally {
            running = null;
        }
        return thrown[0];
    }

    private static String seconds(double s) {
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }

    private static int usage(PrintStream err, String problem) {
        err.println("debuglab run: " + problem);
        err.println(USAGE);
        return 2;
    }

    /** The values a script showed, printed as text at once unless the output is JSON. */
    static final class Shown {
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
