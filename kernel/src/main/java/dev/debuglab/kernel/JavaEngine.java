package dev.debuglab.kernel;

import static dev.debuglab.dsl.cli.SourceText.lineAt;
import static dev.debuglab.dsl.cli.SourceText.oneLine;
import static dev.debuglab.dsl.cli.SourceText.startOf;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;

/**
 * Java cells through jdk.jshell with in-process execution ({@link LocalExecutionControl}): snippets run in this JVM,
 * so an expression's value is the real object (rendered through the DSL's renderers), and {@link JShell#stop()}
 * stops a runaway cell (it stops JShell's execution thread group). The DSL is on the class path and imported.
 */
final class JavaEngine implements AutoCloseable {
    /** What every cell sees without an import: the list of {@code ./debuglab run} scripts (dsl.cli.Imports) and the notebook helpers. */
    static final List<String> IMPORTS = List.of(
            "import dev.debuglab.dsl.*;",
            "import static dev.debuglab.dsl.Lab.*;",
            "import static dev.debuglab.dsl.DebugLabAssertions.*;",
            "import dev.debuglab.emulator.kvm.KvmVersion;",
            "import dev.debuglab.emulator.kvm.Step;",
            "import dev.debuglab.emulator.vmm.QemuPolicy;",
            "import static dev.debuglab.kernel.Notebook.*;");

    /** No value: a statement, a declaration or a void call. */
    static final Object NO_VALUE = new Object();

    /**
     * Reads a variable's real object: JShell's {@code varValue} names the snippet's wrapper class and field, and this
     * override keeps the object instead of turning it into text.
     */
    private static final class Control extends LocalExecutionControl {
        private Object read = NO_VALUE;
        /** An interrupt that came while javac compiled: the snippet must not start. */
        volatile boolean stopRequested;

        @Override
        protected String invoke(java.lang.reflect.Method doitMethod) throws Exception {
            if (stopRequested) throw new ExecutionControl.StoppedException();
            return super.invoke(doitMethod);
        }

        @Override
        public String varValue(String className, String varName) {
            try {
                Class<?> c = findClass(className);
                Field f = c.getDeclaredField(varName);
                f.setAccessible(true);
                read = f.get(null);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                read = NO_VALUE;
            }
            return "";
        }
    }

    /** A cell that failed; {@link #error} is what the notebook shows. */
    static final class CellFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Output.Error error;

        CellFailure(Output.Error error) {
            super(error.evalue(), null, false, false);
            this.error = error;
        }
    }

    private final Control control = new Control();
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    /** Snippet id → the cell line its source starts on and the cell's text (for error lines). */
    private final Map<String, int[]> snippetLines = new ConcurrentHashMap<>();
    private final List<String> classpath = new ArrayList<>();
    private volatile boolean stopped;

    JavaEngine() {
        shell = dev.debuglab.dsl.cli.InProcessShell.builder(control)
                .in(InputStream.nullInputStream()).out(new PrintStream(StdRouter.log())).err(new PrintStream(StdRouter.log()))
                .compilerOptions("-Xlint:none", "-proc:none")
                // null = JShell's own $1, $2, ...; only the warm-up's expressions get a name of their own (see warm())
                .tempVariableNameGenerator(() -> warmUpName)
                .build();
        for (String entry : defaultClasspath()) {
            shell.addToClasspath(entry);
            classpath.add(entry);
        }
        analysis = shell.sourceCodeAnalysis();
        for (String imp : IMPORTS) {
            for (SnippetEvent e : shell.eval(imp)) {
                if (e.status() == Snippet.Status.REJECTED) {
                    throw new IllegalStateException("the DSL is not on the kernel's class path (" + imp.strip()
                            + " failed); start the kernel from its jar (./debuglab install)");
                }
            }
        }
    }

    /**
     * Compiles and runs a first statement (javac's first compile is the slow one), defining nothing; then starts
     * {@link #warmUpInBackground()}, which takes the other paths a notebook's first cells take while no cell runs.
     */
    JavaEngine warm() {
        synchronized (this) {
            shell.eval("{ dev.debuglab.dsl.Lab.guest(); }");
        }
        warmUpInBackground();
        return this;
    }

    // ---- background warm-up ----

    /** The name JShell gives the next expression's value: null (JShell's own $N) except during a warm-up step. */
    private volatile String warmUpName;
    private int warmUpNames;
    /** A request (cell, completion, inspection) asked for the engine: the warm-up gives way to it, for good. */
    private volatile boolean requested;
    private final java.util.concurrent.CountDownLatch warmedUp = new java.util.concurrent.CountDownLatch(1);
    private volatile int warmUpSteps;
    private volatile boolean closed;

    /**
     * The first time each kind of cell runs, javac, JShell and the DSL load and initialize their classes for it (on a
     * 2-core machine: a first expression cell about 0.3-1.3 s, a first guest run with its rendering 0.5-2 s, against
     * tens of milliseconds later). A daemon thread takes those paths now, one step at a time and each under the
     * engine's lock: an expression and its display, a declaration, a method and a call, a compile error, a guest run
     * rendered to every MIME type. A step's snippets are dropped again and its expressions are named
     * {@code $debuglabWarmUpN}, so the user's first expression is still {@code $1} and nothing of the warm-up is
     * visible. The warm-up stops for good as soon as a cell (or completion, inspection) asks for the engine: that
     * request waits for at most the step in progress.
     */
    private void warmUpInBackground() {
        Thread t = new Thread(() -> {
            CellContext.CURRENT.set(null); // not inherited from a cell: nothing of the warm-up reaches a notebook
            try {
                for (String step : WARM_UP) {
                    if (requested || closed) break;
                    synchronized (this) {
                        if (requested || closed) break;
                        warmUpStep(step);
                        warmUpSteps++;
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // a kernel shut down while a step ran closes JShell under it: nothing to report then
                if (!closed) StdRouter.log().println("debuglab-kernel: the Java warm-up stopped: " + e);
            } finally {
                warmedUp.countDown();
            }
        }, "debuglab-java-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** One snippet each: what first cells do (see {@link #warmUpInBackground()}). */
    static final List<String> WARM_UP = List.of(
            "1 + 1",
            "int $debuglabWarmUpInt = 6 * 7;",
            "String $debuglabWarmUp() { return \"OSLAR_EL1\".toLowerCase(); }",
            "{ $debuglabWarmUp(); }",
            "$debuglabWarmUpUndefined + 1",
            "Lab.guest().osLock(true).label(\"b\").brk(0x42).build().bareMetal().run()");

    private void warmUpStep(String source) {
        warmUpName = "$debuglabWarmUp" + (++warmUpNames); // a name never used before: JShell falls back to $N on a clash
        List<Snippet> made = new ArrayList<>();
        try {
            for (SnippetEvent e : shell.eval(source)) {
                Snippet s = e.snippet();
                made.add(s);
                if (e.causeSnippet() == null && e.exception() == null && s instanceof VarSnippet v && e.status().isActive()) {
                    Object value = valueOf(v);
                    if (value != NO_VALUE && value != null) Notebook.bundle(value);
                }
                if (e.status() == Snippet.Status.REJECTED) shell.diagnostics(s).forEach(d -> d.getMessage(Locale.ROOT));
            }
        } finally {
            warmUpName = null;
            for (Snippet s : made) if (shell.status(s).isActive()) shell.drop(s);
        }
    }

    /** Waits until the background warm-up has ended (finished, or given way to a cell); false on timeout. */
    boolean awaitWarmUp(long millis) throws InterruptedException {
        return warmedUp.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** How many warm-up steps ran (all of {@link #WARM_UP} unless a request came first). */
    int warmUpSteps() {
        return warmUpSteps;
    }

    /** The launcher's class path plus the jars (or folders) of the DSL, the emulator and this kernel. */
    private static List<String> defaultClasspath() {
        Set<String> out = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) if (!e.isBlank()) out.add(e);
        for (Class<?> c : List.of(dev.debuglab.dsl.Lab.class, dev.debuglab.emulator.kvm.KvmVersion.class, JavaEngine.class)) {
            try {
                var src = c.getProtectionDomain().getCodeSource();
                if (src != null) out.add(Path.of(src.getLocation().toURI()).toString());
            } catch (URISyntaxException | RuntimeException e) {
                // not a file location: the class path entries above have to do
            }
        }
        return new ArrayList<>(out);
    }

    void addToClasspath(String path) {
        requested = true;
        synchronized (this) {
            shell.addToClasspath(path);
            classpath.add(path);
        }
    }

    List<String> classpath() {
        return List.copyOf(classpath);
    }

    /** Stops the running snippet (a runaway loop or guest); the cell then fails with "Interrupted". */
    void stop() {
        stopped = true;
        control.stopRequested = true;
        shell.stop();
    }

    /**
     * Evaluates a whole cell, snippet by snippet (JShell takes one at a time). Returns the value of the last
     * snippet when it is an expression, else {@link #NO_VALUE}.
     */
    Object eval(String cell) throws CellFailure {
        requested = true;
        synchronized (this) {
            return evalCell(cell);
        }
    }

    /** One snippet straight through {@code JShell.eval}, nothing of the kernel's cell path (for {@link JShellFloor}). */
    List<SnippetEvent> evalSource(String snippet) {
        requested = true;
        synchronized (this) {
            return shell.eval(snippet);
        }
    }

    private Object evalCell(String cell) throws CellFailure {
        stopped = false;
        control.stopRequested = false;
        Object fast = fastPath(cell);
        if (fast != NOT_HANDLED) return fast;
        Object value = NO_VALUE;
        String rest = cell;
        int offset = 0; // of rest in cell
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            SourceCodeAnalysis.Completeness c = info.completeness();
            if (c == SourceCodeAnalysis.Completeness.EMPTY) {
                if (info.remaining().length() >= rest.length()) break;
                offset += rest.length() - info.remaining().length();
                rest = info.remaining();
                continue;
            }
            int consumed = rest.length() - info.remaining().length();
            if (!c.isComplete()) {
                if (c == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
                    int line = lineAt(cell, offset + startOf(rest, null));
                    throw new CellFailure(compileError(cell, line, "the statement starting here is not finished (a missing ';', ')' or '}')"));
                }
                // UNKNOWN: let the compiler say what is wrong with it
                consumed = rest.length();
            }
            String source = (c.isComplete() ? info.source() : rest).stripLeading();
            int start = offset + startOf(rest, source);
            value = evalSnippet(cell, lineAt(cell, start), source);
            if (consumed <= 0) break;
            offset += consumed;
            rest = rest.substring(consumed);
        }
        return value;
    }

    private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*;?\\s*");

    /** What {@link #fastPath} returns for a cell JShell has to evaluate. */
    private static final Object NOT_HANDLED = new Object();

    /**
     * A cell that is only the name of a variable needs no compiling: its value is read here. (JShell itself
     * creates no {@code $N} variable for a bare variable reference, so nothing differs but the time.)
     */
    private Object fastPath(String cell) {
        java.util.regex.Matcher m = IDENTIFIER.matcher(cell);
        if (!m.matches()) return NOT_HANDLED;
        String name = m.group(1);
        if (name.equals("true") || name.equals("false") || name.equals("null")) return NOT_HANDLED;
        VarSnippet v = variable(name);
        if (v == null) return NOT_HANDLED;
        Object o = valueOf(v);
        return o == NO_VALUE ? NOT_HANDLED : o;
    }

    private Object evalSnippet(String cell, int line, String source) throws CellFailure {
        List<SnippetEvent> events = shell.eval(source);
        Object value = NO_VALUE;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) continue; // an update of an earlier snippet, not this one
            Snippet snippet = event.snippet();
            snippetLines.put(snippet.id(), new int[] {line});
            if (stopped) throw new CellFailure(interrupted(line));
            if (event.status() == Snippet.Status.REJECTED) {
                List<Diag> errors = shell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList());
                if (errors.isEmpty()) throw new CellFailure(compileError(cell, line, "this statement was rejected by the Java compiler"));
                Diag d = errors.get(0);
                int errLine = line + lineAt(source, (int) Math.max(0, Math.min(d.getStartPosition(), source.length()))) - 1;
                throw new CellFailure(compileError(cell, errLine, oneLine(d.getMessage(Locale.ROOT))));
            }
            if (event.exception() != null) throw new CellFailure(runtimeError(cell, event.exception(), line));
            if (event.status() == Snippet.Status.RECOVERABLE_DEFINED || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                if (snippet instanceof jdk.jshell.DeclarationSnippet ds) {
                    String missing = shell.unresolvedDependencies(ds).collect(Collectors.joining(", "));
                    System.err.println("note: " + ds.name() + " is defined but cannot be used until " + missing + " is declared");
                }
                continue;
            }
            if (snippet instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                value = valueOf(v);
            } else if (snippet instanceof ExpressionSnippet e && e.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND) {
                VarSnippet v = variable(e.name());
                value = v == null ? NO_VALUE : valueOf(v);
            } else {
                value = NO_VALUE;
            }
        }
        return value;
    }

    private Object valueOf(VarSnippet v) {
        synchronized (control) {
            control.read = NO_VALUE;
            try {
                shell.varValue(v);
            } catch (RuntimeException e) {
                return NO_VALUE;
            }
            Object o = control.read;
            control.read = NO_VALUE;
            return o;
        }
    }

    private VarSnippet variable(String name) {
        return shell.variables().filter(v -> v.name().equals(name) && shell.status(v).isActive()).reduce((a, b) -> b).orElse(null);
    }

    /** The session's variables with their real objects (for sharing with Kotlin). */
    Map<String, Object> variables() {
        requested = true;
        synchronized (this) {
            return variablesLocked();
        }
    }

    private Map<String, Object> variablesLocked() {
        Map<String, Object> out = new LinkedHashMap<>();
        shell.variables().filter(v -> shell.status(v).isActive() && v.subKind() != Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND)
                .forEach(v -> {
                    Object o = valueOf(v);
                    if (o != NO_VALUE) out.put(v.name(), o);
                });
        return out;
    }

    /**
     * Defines (or redefines) Java variables holding these values (from a Kotlin cell): DSL/emulator objects with their
     * public class, strings, and boxed primitives as primitives.
     */
    void define(Map<String, Object> values) {
        requested = true;
        synchronized (this) {
            defineLocked(values);
        }
    }

    private void defineLocked(Map<String, Object> values) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            String type = javaType(v);
            if (type == null || !e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) continue;
            String key = Shared.park(v);
            String cast = switch (type) {
                case "int" -> "(Integer)";
                case "long" -> "(Long)";
                case "double" -> "(Double)";
                case "float" -> "(Float)";
                case "boolean" -> "(Boolean)";
                case "short" -> "(Short)";
                case "byte" -> "(Byte)";
                case "char" -> "(Character)";
                default -> "(" + type + ")";
            };
            shell.eval(type + " " + e.getKey() + " = " + cast + " dev.debuglab.kernel.Shared.take(\"" + key + "\");");
        }
    }

    private static String javaType(Object v) {
        if (v == null) return null;
        if (v instanceof Integer) return "int";
        if (v instanceof Long) return "long";
        if (v instanceof Double) return "double";
        if (v instanceof Float) return "float";
        if (v instanceof Boolean) return "boolean";
        if (v instanceof Short) return "short";
        if (v instanceof Byte) return "byte";
        if (v instanceof Character) return "char";
        if (v instanceof String) return "String";
        Class<?> c = v.getClass();
        while (c != null && !(java.lang.reflect.Modifier.isPublic(c.getModifiers()) && c.getCanonicalName() != null)) c = c.getSuperclass();
        return c == null || c == Object.class ? null : c.getCanonicalName();
    }

    /** The declared type of the active variable {@code name}, or null. */
    String typeName(String name) {
        requested = true;
        synchronized (this) {
            VarSnippet v = variable(name);
            return v == null ? null : v.typeName();
        }
    }

    // ---- errors ----

    private Output.Error interrupted(int line) {
        return new Output.Error("Interrupted", "the cell was stopped at your request (interrupt)",
                List.of(red("Interrupted") + ": the cell was stopped at your request (interrupt)"));
    }

    Output.Error compileError(String cell, int line, String message) {
        List<String> tb = new ArrayList<>();
        tb.add(red("CompileError") + ": " + message);
        tb.add("    at cell line " + line + ": " + lineText(cell, line).strip());
        return new Output.Error("CompileError", "line " + line + ": " + message, tb);
    }

    private Output.Error runtimeError(String cell, Exception e, int fallbackLine) {
        if (e instanceof UnresolvedReferenceException ure) {
            String msg = "uses " + ure.getSnippet().source().strip() + ", which does not compile yet";
            return new Output.Error("UnresolvedReference", msg, List.of(red("UnresolvedReference") + ": " + msg,
                    "    at cell line " + fallbackLine + ": " + lineText(cell, fallbackLine).strip()));
        }
        String className = e instanceof EvalException ee ? ee.getExceptionClassName() : e.getClass().getName();
        String simple = className.substring(className.lastIndexOf('.') + 1);
        String message = e.getMessage() == null ? "" : e.getMessage();
        List<String> tb = new ArrayList<>();
        tb.add(red(simple) + (message.isEmpty() ? "" : ": " + message));
        // A DslException names the problem and the fix at the call that caused it: the cell's line is all it needs.
        frames(cell, e, tb, !className.equals("dev.debuglab.dsl.DslException"));
        Throwable cause = e.getCause();
        int depth = 0;
        while (cause != null && depth++ < 5) {
            String cn = cause instanceof EvalException ce ? ce.getExceptionClassName() : cause.getClass().getName();
            tb.add("Caused by: " + cn + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            frames(cell, cause, tb, true);
            cause = cause.getCause();
        }
        return new Output.Error(simple, message, tb);
    }

    /** The frames of {@code t} a reader needs: the cell's lines and the library frames above them, no kernel frames. */
    private void frames(String cell, Throwable t, List<String> tb, boolean libraryFrames) {
        int library = 0;
        for (StackTraceElement f : t.getStackTrace()) {
            String file = f.getFileName();
            if (file != null && file.startsWith("#")) {
                int[] base = snippetLines.get(file.substring(1));
                if (base != null && f.getLineNumber() > 0) {
                    int line = base[0] + f.getLineNumber() - 1;
                    String m = f.getMethodName();
                    String in = m == null || m.isEmpty() || m.equals("do_it$") ? "" : " (in " + m + ")";
                    tb.add("    at cell line " + line + in + ": " + lineText(cell, line).strip());
                } else {
                    tb.add("    at an earlier cell's " + f.getMethodName() + " (snippet " + file + ", line " + f.getLineNumber() + ")");
                }
                continue;
            }
            String c = f.getClassName();
            if (c.startsWith("REPL.") || c.startsWith("jdk.internal.") || c.startsWith("java.lang.reflect.") || c.startsWith("jdk.jshell.")
                    || c.startsWith("dev.debuglab.kernel.") || c.startsWith("java.lang.Thread")) continue;
            if (libraryFrames && library++ < 8) tb.add("    at " + f);
        }
    }

    private static String red(String s) {
        return "\u001b[0;31m" + s + "\u001b[0m";
    }

    static String lineText(String text, int line) {
        String[] lines = text.split("\n", -1);
        return line >= 1 && line <= lines.length ? lines[line - 1] : "";
    }

    // ---- tooling ----

    Completeness isComplete(String code) {
        requested = true;
        synchronized (this) {
            return isCompleteLocked(code);
        }
    }

    private Completeness isCompleteLocked(String code) {
        if (code.isBlank()) return Completeness.COMPLETE;
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> {
                    if (info.remaining().length() >= rest.length()) return Completeness.COMPLETE;
                    rest = info.remaining();
                }
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return Completeness.incomplete(indentFor(code));
                }
                case UNKNOWN -> {
                    return Completeness.INVALID;
                }
            }
        }
        return Completeness.COMPLETE;
    }

    private static String indentFor(String code) {
        int depth = 0;
        for (char ch : code.toCharArray()) {
            if (ch == '{' || ch == '(') depth++;
            else if ((ch == '}' || ch == ')') && depth > 0) depth--;
        }
        return "    ".repeat(Math.max(0, Math.min(depth, 8)));
    }

    /** JShell's suggestions, those matching the expected type first, then alphabetical, without duplicates. */
    Completion complete(String code, int cursor) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> s;
        requested = true;
        synchronized (this) {
            s = analysis.completionSuggestions(code, cursor, anchor);
        }
        List<SourceCodeAnalysis.Suggestion> sorted = new ArrayList<>(s);
        sorted.sort(Comparator.comparing((SourceCodeAnalysis.Suggestion x) -> !x.matchesType())
                .thenComparing(SourceCodeAnalysis.Suggestion::continuation));
        Set<String> seen = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion x : sorted) {
            String cont = x.continuation();
            if (cont.startsWith("$JShell$") || cont.startsWith("REPL")) continue;
            seen.add(cont);
        }
        return new Completion(new ArrayList<>(seen), anchor[0], cursor);
    }

    /** JShell's documentation of the call or name at the cursor (javadoc of the DSL when its sources are at hand). */
    List<SourceCodeAnalysis.Documentation> documentation(String code, int cursor) {
        requested = true;
        try {
            synchronized (this) {
                return analysis.documentation(code, cursor, true);
            }
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        closed = true; // the warm-up stops before its next step
        shell.close();
    }
}
