package dev.debuglab.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;

/**
 * Kotlin cells through kotlin-scripting-jsr223 (one REPL engine per session: a {@code val} of one cell is visible in
 * the next). Creating the engine and compiling the first snippet takes seconds, so {@link #warmUp()} does both on a
 * background thread when the kernel starts. Each cell is compiled on the one compiler thread and runs on a thread of its own, so that an interrupt can stop a
 * runaway cell (interrupt, wait, then {@code Thread.stop}, which JDK 17 still honours).
 */
final class KotlinEngine {
    /** The default import header: the same as {@code ./debuglab run} .kts scripts (dsl.cli.Imports). */
    static final List<String> IMPORTS = List.of(
            "import dev.debuglab.dsl.*",
            "import dev.debuglab.dsl.kotlin.*",
            "import dev.debuglab.emulator.kvm.KvmVersion",
            "import dev.debuglab.emulator.kvm.Step",
            "import dev.debuglab.emulator.vmm.QemuPolicy",
            "import dev.debuglab.kernel.Notebook");

    /** The notebook helpers of Java cells ({@link Notebook}), as top-level Kotlin functions. */
    static final List<String> HELPERS = List.of(
            "fun display(value: Any?) = dev.debuglab.kernel.Notebook.display(value)",
            "fun display(value: Any?, displayId: String) = dev.debuglab.kernel.Notebook.display(value, displayId)",
            "fun updateDisplay(value: Any?, displayId: String) = dev.debuglab.kernel.Notebook.updateDisplay(value, displayId)",
            "fun html(html: String) = dev.debuglab.kernel.Notebook.html(html)",
            "fun markdown(markdown: String) = dev.debuglab.kernel.Notebook.markdown(markdown)",
            "fun clearOutput(wait: Boolean = false) = dev.debuglab.kernel.Notebook.clearOutput(wait)");

    /** "(ScriptingHost..._Line_3.kts:2:14)" in the engine's compile messages. */
    private static final Pattern LOCATION = Pattern.compile("\\s*\\([^()]*_Line_\\d+\\.kts:(\\d+):(\\d+)\\)");
    private static final Pattern SCRIPT_FILE = Pattern.compile(".*_Line_\\d+\\.kts");
    /** A top-level {@code val name} / {@code var name} at the start of a line. */
    private static final Pattern DECLARATION = Pattern.compile("^(?:val|var)\\s+([A-Za-z_][A-Za-z0-9_]*)\\b", Pattern.MULTILINE);

    /**
     * The one thread that creates the engine and compiles every cell: the Kotlin compiler keeps per-thread state, and
     * a cell compiled on another thread fails with "Exception during psi2ir". Only the evaluation of the compiled cell
     * runs on a thread of its own (the one an interrupt may stop).
     */
    private final ExecutorService compiler = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kotlin-compiler");
        t.setDaemon(true);
        return t;
    });
    private volatile Future<ScriptEngine> creation;
    private volatile Thread running;
    private volatile boolean stopped;
    /** What was last bound into the engine under each name (so an unchanged value is not bound again). */
    private final Map<String, Object> bound = new LinkedHashMap<>();

    /** Creates the engine and compiles a first snippet on the compiler thread, and waits for it (idempotent). */
    void warmUp() {
        try {
            start().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // reported by the first Kotlin cell
        }
    }

    /** Starts creating the engine on the compiler thread and returns at once (idempotent). */
    void begin() {
        start();
    }

    private synchronized Future<ScriptEngine> start() {
        if (creation == null) creation = compiler.submit(KotlinEngine::create);
        return creation;
    }

    /** Engines created in this JVM (each a multi-second cold start when it is the first). */
    private static final java.util.concurrent.atomic.AtomicInteger CREATED = new java.util.concurrent.atomic.AtomicInteger();

    static int enginesCreated() {
        return CREATED.get();
    }

    private static ScriptEngine create() throws ScriptException {
        CREATED.incrementAndGet();
        ScriptEngine engine = new ScriptEngineManager(KotlinEngine.class.getClassLoader()).getEngineByExtension("kts");
        if (engine == null) throw new IllegalStateException("no Kotlin script engine on the class path (kotlin-scripting-jsr223)");
        // one snippet (each compile costs): the imports, the helpers, and a call into the DSL so the first user cell is warm
        engine.eval(String.join("\n", IMPORTS) + "\n" + String.join("\n", HELPERS) + "\nLab.guest().nop().build()");
        return engine;
    }

    private ScriptEngine engine() throws JavaEngine.CellFailure {
        try {
            return start().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JavaEngine.CellFailure(new Output.Error("Interrupted", "interrupted while the Kotlin engine started", List.of("Interrupted")));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            String msg = "the Kotlin engine did not start: " + c;
            throw new JavaEngine.CellFailure(new Output.Error("KotlinUnavailable", msg, List.of("KotlinUnavailable: " + msg)));
        }
    }

    /** Runs {@code task} on the compiler thread and waits for it. */
    private <T> T onCompiler(Callable<T> task) throws Throwable {
        try {
            return compiler.submit(task).get();
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    /** True once the engine's creation was asked for (by a warm-up or a cell). */
    boolean requested() {
        return creation != null;
    }

    boolean started() {
        Future<ScriptEngine> c = creation;
        return c != null && c.isDone();
    }

    /** Binds the Java session's variables that Kotlin can use: DSL and emulator values, boxed primitives, strings. */
    void bind(Map<String, Object> javaVariables) throws JavaEngine.CellFailure {
        ScriptEngine engine = engine();
        Map<String, Object> changed = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : javaVariables.entrySet()) {
            Object v = e.getValue();
            if (!shareable(v)) continue;
            if (bound.containsKey(e.getKey()) && bound.get(e.getKey()) == v) continue;
            changed.put(e.getKey(), v);
        }
        if (changed.isEmpty()) return;
        try {
            onCompiler(() -> {
                changed.forEach(engine::put);
                return null;
            });
            bound.putAll(changed);
        } catch (Throwable t) {
            throw new JavaEngine.CellFailure(error("", t));
        }
    }

    /** The values the DSL's sharing covers: DSL/emulator objects, strings and boxed primitives. */
    static boolean shareable(Object v) {
        if (v == null) return false;
        Class<?> c = v.getClass();
        if (v instanceof String || v instanceof Number && c.getName().startsWith("java.lang.") || v instanceof Boolean || v instanceof Character) return true;
        return c.getName().startsWith("dev.debuglab.") && java.lang.reflect.Modifier.isPublic(c.getModifiers()) && !c.isAnonymousClass();
    }

    /** Evaluates a Kotlin cell; returns its last expression's value or {@link JavaEngine#NO_VALUE}. */
    Object eval(String cell) throws JavaEngine.CellFailure {
        ScriptEngine engine = engine();
        stopped = false;
        CompiledScript compiled;
        try {
            compiled = onCompiler(() -> ((Compilable) engine).compile(cell));
        } catch (Throwable t) {
            throw new JavaEngine.CellFailure(error(cell, t));
        }
        if (stopped) {
            reset();
            throw interrupted();
        }
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                result[0] = compiled.eval();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "kotlin-cell");
        t.setDaemon(true);
        running = t;
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
        } finally {
            running = null;
        }
        if (stopped) {
            reset();
            throw interrupted();
        }
        if (failure[0] != null) throw new JavaEngine.CellFailure(error(cell, failure[0]));
        Object v = result[0];
        return v == null || v instanceof kotlin.Unit ? JavaEngine.NO_VALUE : v;
    }

    /**
     * A stopped cell leaves the REPL's history one line short of what it compiled (the next cell fails with an
     * ArrayIndexOutOfBoundsException inside the engine), so the engine is replaced: Kotlin's own declarations are
     * gone after an interrupt; the Java session's values are bound again before the next Kotlin cell.
     */
    private synchronized void reset() {
        creation = null;
        bound.clear();
        start(); // the new engine compiles its first snippet now, in the background
    }

    private static JavaEngine.CellFailure interrupted() {
        return new JavaEngine.CellFailure(new Output.Error("Interrupted", "the cell was stopped at your request (interrupt)",
                List.of("\u001b[0;31mInterrupted\u001b[0m: the cell was stopped at your request (interrupt)")));
    }

    /** Values of the cell's top-level {@code val}/{@code var} declarations that Java cells can share. */
    Map<String, Object> declaredValues(String cell) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        Matcher m = DECLARATION.matcher(cell);
        while (m.find()) if (!names.contains(m.group(1))) names.add(m.group(1));
        if (names.isEmpty() || !started()) return out;
        try {
            ScriptEngine engine = creation.get();
            CompiledScript cs = onCompiler(() -> ((Compilable) engine).compile("listOf<Any?>(" + String.join(", ", names) + ")"));
            Object list = cs.eval();
            if (list instanceof List<?> values) {
                for (int i = 0; i < names.size() && i < values.size(); i++) {
                    Object v = values.get(i);
                    if (shareable(v)) {
                        out.put(names.get(i), v);
                        bound.put(names.get(i), v); // Kotlin has it already under this name
                    }
                }
            }
        } catch (Throwable e) {
            // a declaration inside a block or a private one: nothing to share
        }
        return out;
    }

    /** Stops the running cell: interrupt, wait 100 ms, then Thread.stop (JDK 17; kotlin-jupyter does the same). */
    @SuppressWarnings({"deprecation", "removal"})
    void stop() {
        stopped = true; // also when the cell is still compiling: it will not start
        Thread t = running;
        if (t == null) return;
        t.interrupt();
        try {
            t.join(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) t.stop();
    }

    private static Output.Error error(String cell, Throwable e) {
        Throwable cause = e.getCause();
        if (e instanceof ScriptException && cause != null && cause != e && !(cause instanceof ScriptException)) {
            String cn = cause.getClass().getName();
            String simple = cn.substring(cn.lastIndexOf('.') + 1);
            String msg = cause.getMessage() == null ? "" : cause.getMessage();
            List<String> tb = new ArrayList<>();
            tb.add("\u001b[0;31m" + simple + "\u001b[0m" + (msg.isEmpty() ? "" : ": " + msg));
            int library = 0;
            for (StackTraceElement f : cause.getStackTrace()) {
                if (f.getFileName() != null && SCRIPT_FILE.matcher(f.getFileName()).matches() && f.getLineNumber() > 0) {
                    tb.add("    at cell line " + f.getLineNumber() + ": " + JavaEngine.lineText(cell, f.getLineNumber()).strip());
                    break;
                }
                String c = f.getClassName();
                if (c.startsWith("jdk.internal.") || c.startsWith("java.lang.reflect.") || c.startsWith("kotlin.script.")) continue;
                if (library++ < 8) tb.add("    at " + f);
            }
            return new Output.Error(simple, msg, tb);
        }
        if (!(e instanceof ScriptException)) {
            String simple = e.getClass().getSimpleName();
            return new Output.Error(simple, String.valueOf(e.getMessage()), List.of(simple + ": " + e.getMessage()));
        }
        String message = e.getMessage() == null ? "the cell does not compile" : e.getMessage();
        List<String> problems = new ArrayList<>();
        int firstLine = 0;
        for (String l : message.split("\n")) {
            Matcher m = LOCATION.matcher(l);
            if (m.find()) {
                String problem = (l.substring(0, m.start()) + l.substring(m.end())).replaceFirst("^(Error: )?", "").replaceFirst("^ERROR ", "").strip();
                int line = Integer.parseInt(m.group(1));
                if (firstLine == 0) firstLine = line;
                problems.add("line " + line + ": " + problem);
            }
        }
        if (problems.isEmpty()) problems.add(message.strip().replaceFirst("^ERROR ", "").split("\n")[0]);
        List<String> tb = new ArrayList<>();
        tb.add("\u001b[0;31mCompileError\u001b[0m: " + problems.get(0));
        if (firstLine > 0) tb.add("    at cell line " + firstLine + ": " + JavaEngine.lineText(cell, firstLine).strip());
        for (int i = 1; i < problems.size(); i++) tb.add("    " + problems.get(i));
        return new Output.Error("CompileError", problems.get(0), tb);
    }

    /** Names the Kotlin cells declared (for completion in the Kotlin kernelspec). */
    static List<String> declaredNames(String code) {
        List<String> names = new ArrayList<>();
        Matcher m = DECLARATION.matcher(code);
        while (m.find()) names.add(m.group(1));
        return names;
    }

}
