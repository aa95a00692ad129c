package dev.debuglab.kernel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.sysreg.SysRegTable;

/**
 * One notebook's state, in process (no ZMQ): the JShell session with the DSL imported, a Kotlin engine created on
 * first use (or warmed at kernel start), the session defaults set by magics ({@code %kvm}, {@code %vmm}), the
 * execution counter and the history. The wire kernel drives one of these; so can anything that runs cells headless:
 *
 * <pre>{@code
 * try (KernelSession s = new KernelSession(Language.JAVA)) {
 *     CellResult r = s.execute("Lab.guest().osLock(true).brk(0x42).build().bareMetal().run()");
 *     r.result().get().get("text/html");          // the run's HTML table; also text/plain, image/svg+xml, application/json
 *     r.error();                                   // empty unless the cell failed (ename, evalue, traceback)
 * }
 * }</pre>
 *
 * A cell's outputs ({@link Output}: streams, displays, display updates, the result, an error) come back in order in
 * the {@link CellResult}; {@link #execute(String, boolean, OutputSink)} also hands each one to a sink as soon as the
 * cell produces it. One cell runs at a time (calls are serialized); {@link #interrupt()} may be called from any
 * thread and stops a runaway cell (Java loop, endless guest, Kotlin loop). For {@link Language#KOTLIN} every cell is
 * Kotlin; for {@link Language#JAVA} a cell starting with {@code %%kotlin} is. Sharing between the two: before a
 * Kotlin cell, the Java variables holding DSL/emulator objects, strings or boxed primitives are bound in Kotlin under
 * the same name; after it, the Kotlin cell's top-level {@code val}/{@code var} of those kinds become Java variables.
 */
public final class KernelSession implements AutoCloseable {
    /** An implementation name and version, for kernel_info and the banner. */
    public static final String IMPLEMENTATION = "debuglab";
    public static final String VERSION = "0.1.0";

    private static final Pattern LINE_MAGIC = Pattern.compile("^\\s*%([A-Za-z][\\w-]*)(.*)$");
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z][\\w-]*)(.*)$");

    private final Language language;
    private final CellContext context = new CellContext();
    private final FutureTask<JavaEngine> jshell = new FutureTask<>(() -> new JavaEngine().warm());
    private final KotlinEngine kotlin = new KotlinEngine();
    private final List<String[]> history = Collections.synchronizedList(new ArrayList<>()); // {count, code}
    private int executionCount;
    private volatile String defaultKvm; // null = bare metal
    private volatile String defaultVmm = "qemu";
    private volatile boolean running;
    private volatile boolean interrupted;
    private volatile long cellSerial;
    /** The value came from Kotlin: strings show as they are (Kotlin's REPL), not as Java literals (JShell). */
    private volatile boolean lastWasKotlin;
    private volatile Engine current = Engine.NONE;

    private enum Engine { NONE, JAVA, KOTLIN }

    /** A session whose cells are {@code language}. Nothing starts until the first cell (or {@link #warmUp()}). */
    public KernelSession(Language language) {
        this.language = language == null ? Language.JAVA : language;
        StdRouter.install();
        ExitGuard.install();
    }

    public Language language() {
        return language;
    }

    /**
     * Starts this session's own engine on a background thread: JShell for {@link Language#JAVA}, the Kotlin engine for
     * {@link Language#KOTLIN} (the wire kernel calls this at start, so the first cell finds it warm or nearly so). The
     * Java kernelspec does not start Kotlin here: {@link #notice(String)} starts it when a {@code %%kotlin} cell
     * arrives, so a Java-only notebook never holds the Kotlin compiler (about 60 MB of heap and 1.5 s of CPU).
     * Once the engine is up, one full GC (when no cell runs) lets the heap shrink back after the compiler's start-up
     * garbage. Idempotent.
     */
    public KernelSession warmUp() {
        // not synchronized on the session: the wire loop calls this after every request, also while a cell holds the
        // session's lock (it would wait for the cell to end, sending nothing meanwhile: no output, no interrupt_reply)
        if (!warming.compareAndSet(false, true)) return this;
        if (language == Language.KOTLIN) kotlin.begin(); // on the compiler thread from now on
        background("debuglab-warmup", () -> {
            if (language == Language.JAVA) jshell.run();
            else kotlin.warmUp();
        });
        return this;
    }

    /**
     * Starts the Kotlin engine on a background thread (no-op once started). A Kotlin cell that arrives before the
     * warm-up ends waits for it: there is only ever one engine being created.
     */
    public void warmKotlin() {
        if (!kotlinWarming.compareAndSet(false, true)) return;
        kotlin.begin();
        background("debuglab-kotlin-warmup", kotlin::warmUp);
    }

    /**
     * A request's code as soon as it arrives, before it runs (an execute request waiting behind other cells, a
     * completion or inspection while the user types): in the Java kernelspec a {@code %%kotlin} cell starts the
     * Kotlin engine now, so with Run All the engine warms up while the Java cells before it run.
     */
    public void notice(String code) {
        if (language == Language.JAVA && !kotlinWarming.get() && kotlinCell(code)) warmKotlin();
    }

    private static boolean kotlinCell(String code) {
        if (code == null) return false;
        int i = 0;
        while (i < code.length() && Character.isWhitespace(code.charAt(i))) i++;
        return code.startsWith("%%kotlin", i);
    }

    private void background(String name, Runnable warm) {
        Thread t = new Thread(() -> {
            warm.run();
            trim();
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * After a warm-up: one full collection once the session is idle (no cell for {@value #TRIM_IDLE_MS} ms), so that
     * the serial collector gives back the heap the compiler's start-up garbage made it grow to (kernel.json's
     * -XX:MaxHeapFreeRatio lets it shrink). Not while cells come one after the other: the collection stops the JVM
     * for 0.1-0.3 s, which a cell (or a reply's idle status) must not wait for.
     */
    private void trim() {
        long deadline = System.nanoTime() + 600_000_000_000L;
        try {
            while (System.nanoTime() < deadline && (running || System.nanoTime() - lastCellEnd < TRIM_IDLE_MS * 1_000_000L))
                Thread.sleep(200);
        } catch (InterruptedException e) {
            return;
        }
        if (!running) System.gc();
    }

    private static final long TRIM_IDLE_MS = 2000;
    /** System.nanoTime() when the last cell ended (the session's creation before any). */
    private volatile long lastCellEnd = System.nanoTime();

    private final java.util.concurrent.atomic.AtomicBoolean warming = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean kotlinWarming = new java.util.concurrent.atomic.AtomicBoolean();

    /** True once the engine this session's cells use first is up (Kotlin's for the Kotlin kernelspec). */
    public boolean warm() {
        return language == Language.KOTLIN ? kotlin.started() : jshell.isDone();
    }

    /** Waits until {@link #warm()} (starting the warm-up if nothing did). */
    public void awaitWarm() {
        warmUp();
        if (language == Language.KOTLIN) kotlin.warmUp();
        else {
            try {
                javaEngine();
            } catch (JavaEngine.CellFailure e) {
                // reported by the first Java cell
            }
        }
    }

    /** True once this session's Kotlin engine was asked for (warm-up or a Kotlin cell). */
    boolean kotlinRequested() {
        return kotlin.requested();
    }

    /** True once this session's Kotlin engine is up. */
    boolean kotlinStarted() {
        return kotlin.started();
    }

    /** Starts the Kotlin engine if needed and waits until it is up (for the Java kernelspec's {@code %%kotlin} cells). */
    public void awaitKotlin() {
        kotlin.warmUp();
    }

    /** Runs a cell, storing it in the history. */
    public CellResult execute(String code) {
        return execute(code, true, OutputSink.NONE);
    }

    /**
     * Runs a cell. {@code storeHistory} false = a silent/internal execution: no new execution count, no history
     * entry. Each output is handed to {@code sink} as the cell produces it and is also in the returned result.
     */
    public synchronized CellResult execute(String code, boolean storeHistory, OutputSink sink) {
        int count = executionCount;
        if (storeHistory) {
            count = ++executionCount;
            history.add(new String[] {String.valueOf(count), code});
        }
        List<Output> outputs = Collections.synchronizedList(new ArrayList<>());
        OutputSink both = o -> {
            outputs.add(o);
            sink.emit(o);
        };
        CellContext previous = CellContext.CURRENT.get();
        dev.debuglab.dsl.NotebookHooks.Session previousHooks = dev.debuglab.dsl.NotebookHooks.current();
        CellContext.CURRENT.set(context);
        dev.debuglab.dsl.NotebookHooks.attach(context);
        context.sink = both;
        interrupted = false;
        cellSerial++;
        running = true;
        try {
            Object value = run(code == null ? "" : code);
            System.out.flush();
            System.err.flush();
            if (value != JavaEngine.NO_VALUE && value != null) both.emit(new Output.Result(Notebook.bundle(lastWasKotlin ? value : display(value))));
            return new CellResult(merge(outputs), CellResult.Status.OK, count);
        } catch (JavaEngine.CellFailure f) {
            System.out.flush();
            System.err.flush();
            both.emit(f.error);
            return new CellResult(merge(outputs), CellResult.Status.ERROR, count);
        } catch (RuntimeException | LinkageError e) {
            // the kernel's own failure, shown as the cell's error rather than ending the session
            Output.Error err = new Output.Error(e.getClass().getSimpleName(), String.valueOf(e.getMessage()),
                    List.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
            both.emit(err);
            return new CellResult(merge(outputs), CellResult.Status.ERROR, count);
        } finally {
            running = false;
            lastCellEnd = System.nanoTime();
            context.sink = null;
            CellContext.CURRENT.set(previous);
            dev.debuglab.dsl.NotebookHooks.attach(previousHooks);
        }
    }

    /** Strings show as Java literals (like JShell); everything else through the renderers. */
    private static Object display(Object value) {
        if (value instanceof String s) return MimeBundle.text("\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"");
        if (value instanceof Character c) return MimeBundle.text("'" + c + "'");
        return value;
    }

    /** Consecutive pieces of the same stream become one output (what a notebook shows anyway). */
    private static List<Output> merge(List<Output> outputs) {
        List<Output> out = new ArrayList<>();
        synchronized (outputs) {
            for (Output o : outputs) {
                if (o instanceof Output.Stream s && !out.isEmpty() && out.get(out.size() - 1) instanceof Output.Stream p && p.name().equals(s.name())) {
                    out.set(out.size() - 1, new Output.Stream(s.name(), p.text() + s.text()));
                } else out.add(o);
            }
        }
        return out;
    }

    private Object run(String code) throws JavaEngine.CellFailure {
        String[] lines = code.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) first++;
        if (first < lines.length) {
            Matcher cm = CELL_MAGIC.matcher(lines[first]);
            if (cm.matches()) {
                String name = cm.group(1);
                StringBuilder body = new StringBuilder();
                for (int i = 0; i <= first; i++) body.append('\n'); // keep the cell's line numbers
                for (int i = first + 1; i < lines.length; i++) body.append(lines[i]).append(i + 1 < lines.length ? "\n" : "");
                String src = body.toString(); // the magic's line and those above it stay as empty lines
                switch (name) {
                    case "kotlin" -> {
                        return runKotlin(src);
                    }
                    case "java" -> {
                        return runJava(src);
                    }
                    default -> throw magicError("unknown cell magic %%" + name + "; the magics are " + Magics.known() + " (%help explains them)");
                }
            }
        }
        // Line magics run where they stand; the code between them runs with its own line numbers.
        Object value = JavaEngine.NO_VALUE;
        StringBuilder segment = new StringBuilder();
        boolean hasCode = false;
        for (int i = 0; i < lines.length; i++) {
            Matcher lm = LINE_MAGIC.matcher(lines[i]);
            if (lm.matches() && !lines[i].strip().startsWith("%%")) {
                if (hasCode) value = runCode(segment.toString());
                segment.setLength(0);
                hasCode = false;
                for (int k = 0; k <= i; k++) segment.append('\n');
                value = lineMagic(lm.group(1), lm.group(2).strip());
                continue;
            }
            if (!lines[i].isBlank()) hasCode = true;
            segment.append(lines[i]).append('\n');
        }
        if (hasCode) value = runCode(segment.toString());
        return value;
    }

    private Object runCode(String code) throws JavaEngine.CellFailure {
        return language == Language.KOTLIN ? runKotlin(code) : runJava(code);
    }

    private Object runJava(String code) throws JavaEngine.CellFailure {
        JavaEngine engine = javaEngine();
        if (interrupted) throw new JavaEngine.CellFailure(new Output.Error("Interrupted", "the cell was stopped at your request (interrupt)",
                List.of("\u001b[0;31mInterrupted\u001b[0m: the cell was stopped at your request (interrupt)")));
        current = Engine.JAVA;
        lastWasKotlin = false;
        try {
            return engine.eval(code);
        } finally {
            current = Engine.NONE;
        }
    }

    private Object runKotlin(String code) throws JavaEngine.CellFailure {
        boolean shareWithJava = language == Language.JAVA;
        if (shareWithJava) kotlin.bind(javaEngine().variables());
        current = Engine.KOTLIN;
        Object value;
        try {
            if (interrupted) throw new JavaEngine.CellFailure(new Output.Error("Interrupted", "the cell was stopped at your request (interrupt)", List.of("Interrupted")));
            value = kotlin.eval(code);
            lastWasKotlin = true;
        } finally {
            current = Engine.NONE;
        }
        if (shareWithJava) {
            Map<String, Object> declared = kotlin.declaredValues(code);
            if (!declared.isEmpty()) javaEngine().define(declared);
        }
        return value;
    }

    private JavaEngine javaEngine() throws JavaEngine.CellFailure {
        jshell.run(); // no-op if the warm-up thread ran it
        try {
            return jshell.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw magicError("interrupted while JShell started");
        } catch (ExecutionException e) {
            throw new JavaEngine.CellFailure(new Output.Error("JShellUnavailable", String.valueOf(e.getCause().getMessage()),
                    List.of("JShellUnavailable: " + e.getCause().getMessage())));
        }
    }

    // ---- magics ----

    private static JavaEngine.CellFailure magicError(String message) {
        return new JavaEngine.CellFailure(new Output.Error("MagicError", message, List.of("\u001b[0;31mMagicError\u001b[0m: " + message)));
    }

    private Object lineMagic(String name, String args) throws JavaEngine.CellFailure {
        if (Magics.find(name, false).isEmpty()) {
            if (Magics.find(name, true).isPresent())
                throw magicError("%%" + name + " is a cell magic: put it alone on the cell's first line");
            throw magicError("unknown magic %" + name + "; the magics are " + Magics.known() + " (%help explains them)");
        }
        switch (name) {
            case "help", "lsmagic" -> Notebook.emit(new Output.Page(MimeBundle.text(Magics.text()).with(MimeBundle.HTML, Magics.html())));
            case "kvm" -> {
                if (!args.isEmpty()) {
                    if (args.equals("none") || args.equals("bare") || args.equals("bare-metal")) defaultKvm = null;
                    else {
                        try {
                            KvmVersion.of(args);
                        } catch (RuntimeException e) {
                            throw magicError("%kvm " + args + ": " + e.getMessage());
                        }
                        defaultKvm = args;
                    }
                    applyDefaults();
                }
                System.out.println("default KVM version: " + (defaultKvm == null ? "none (bare metal)" : defaultKvm) + ", VMM: " + defaultVmm);
            }
            case "vmm" -> {
                if (!args.isEmpty()) {
                    if (!args.equals("qemu") && !args.equals("kvmtool")) throw magicError("%vmm " + args + ": unknown VMM; use %vmm qemu or %vmm kvmtool");
                    defaultVmm = args;
                    applyDefaults();
                }
                System.out.println("default VMM: " + defaultVmm + (defaultKvm == null ? " (used once %kvm chooses a version)" : ""));
            }
            case "classpath", "jars" -> {
                JavaEngine engine = javaEngine();
                if (args.isEmpty()) {
                    List<String> added = engine.classpath();
                    System.out.println(added.isEmpty() ? "nothing added" : String.join("\n", added));
                } else {
                    for (String p : splitArgs(args)) for (Path f : expand(p)) {
                        engine.addToClasspath(f.toAbsolutePath().toString());
                        System.out.println("added " + f.toAbsolutePath());
                    }
                }
            }
            default -> throw magicError("%" + name + " is in the catalogue but has no implementation");
        }
        return JavaEngine.NO_VALUE;
    }

    /** Hands the session defaults to the DSL (for runs that do not choose where they run). */
    private void applyDefaults() {
        SessionDefaults.apply(context, defaultKvm, defaultVmm);
    }

    public String defaultKvm() {
        return defaultKvm;
    }

    public String defaultVmm() {
        return defaultVmm;
    }

    private static List<String> splitArgs(String args) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(args);
        while (m.find()) out.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        return out;
    }

    private static List<Path> expand(String pattern) throws JavaEngine.CellFailure {
        String p = pattern.startsWith("~/") ? System.getProperty("user.home") + pattern.substring(1) : pattern;
        if (!p.contains("*") && !p.contains("?")) {
            Path f = Path.of(p);
            if (!Files.exists(f)) throw magicError("%classpath " + pattern + ": no such file or folder");
            return List.of(f);
        }
        Path dir = Path.of(p).getParent() == null ? Path.of(".") : Path.of(p).getParent();
        String glob = Path.of(p).getFileName().toString();
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path f : ds) out.add(f);
        } catch (IOException e) {
            throw magicError("%classpath " + pattern + ": " + e.getMessage());
        }
        if (out.isEmpty()) throw magicError("%classpath " + pattern + ": nothing matches");
        Collections.sort(out);
        return out;
    }

    // ---- interrupt ----

    /**
     * Stops the running cell (from any thread): it ends with an "Interrupted" error. No-op when idle. Returns at
     * once; a stopper thread repeats the stop every 50 ms until the cell has ended (an interrupt that arrives while
     * javac or the Kotlin compiler is still working takes effect when the code starts).
     */
    public void interrupt() {
        if (!running) return;
        interrupted = true;
        long cell = cellSerial;
        Thread stopper = new Thread(() -> {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (running && cellSerial == cell && System.nanoTime() < deadline) {
                stopCurrent();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "debuglab-interrupt");
        stopper.setDaemon(true);
        stopper.start();
    }

    private void stopCurrent() {
        Engine e = current;
        if (e == Engine.KOTLIN) kotlin.stop();
        else if (e == Engine.JAVA && jshell.isDone()) {
            try {
                jshell.get().stop();
            } catch (InterruptedException | ExecutionException ex) {
                // nothing runs
            }
        }
    }

    public boolean isRunning() {
        return running;
    }

    // ---- tooling: completion, inspection, is_complete, history ----

    public synchronized Completeness isComplete(String code) {
        String c = code == null ? "" : code;
        String[] lines = c.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) first++;
        if (first < lines.length && CELL_MAGIC.matcher(lines[first]).matches()) {
            if (first == lines.length - 1) return Completeness.incomplete("");
            boolean k = lines[first].strip().startsWith("%%kotlin");
            String body = String.join("\n", java.util.Arrays.copyOfRange(lines, first + 1, lines.length));
            return k ? kotlinComplete(body) : isCompleteJava(body);
        }
        StringBuilder code2 = new StringBuilder();
        for (String l : lines) if (!LINE_MAGIC.matcher(l).matches()) code2.append(l).append('\n');
        return language == Language.KOTLIN ? kotlinComplete(code2.toString()) : isCompleteJava(code2.toString());
    }

    private Completeness isCompleteJava(String code) {
        try {
            return javaEngine().isComplete(code);
        } catch (JavaEngine.CellFailure e) {
            return Completeness.UNKNOWN;
        }
    }

    /**
     * Kotlin has no analyser here: a lexical check decides. Invalid: a closing bracket without its opening one, a
     * keyword where a declaration's name belongs ({@code val val}), two binary operators in a row ({@code 1 +* 2}).
     * Incomplete: an open bracket or string, or a last token that needs an operand.
     */
    private static Completeness kotlinComplete(String code) {
        if (KotlinNames.lexicallyInvalid(code)) return Completeness.INVALID;
        String trimmed = code.strip();
        if (!trimmed.isEmpty() && "+-*/%=,.(&|".indexOf(trimmed.charAt(trimmed.length() - 1)) >= 0 && !trimmed.endsWith("++") && !trimmed.endsWith("--"))
            return Completeness.incomplete("    ");
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (inString) {
                if (ch == '\\') i++;
                else if (ch == '"') inString = false;
                continue;
            }
            if (ch == '"') inString = true;
            else if (ch == '{' || ch == '(' || ch == '[') depth++;
            else if (ch == '}' || ch == ')' || ch == ']') depth--;
        }
        if (depth < 0) return Completeness.INVALID;
        if (depth > 0 || inString) return Completeness.incomplete("    ".repeat(Math.min(depth, 8)));
        return Completeness.COMPLETE;
    }

    /**
     * Completion at {@code cursor}: magic names after {@code %}, KVM versions and VMMs after {@code %kvm}/{@code %vmm},
     * Arm system register names and KVM versions inside a string literal, JShell's suggestions elsewhere (Java), the
     * DSL's method names and the session's names (Kotlin).
     */
    public synchronized Completion complete(String code, int cursor) {
        String c = code == null ? "" : code;
        int cur = Math.max(0, Math.min(cursor, c.length()));
        int lineStart = c.lastIndexOf('\n', cur - 1) + 1;
        String line = c.substring(lineStart, cur);
        Matcher magic = Pattern.compile("^\\s*(%%?)([\\w-]*)$").matcher(line);
        if (magic.matches()) {
            boolean cell = magic.group(1).length() == 2;
            String prefix = magic.group(2);
            List<String> names = new ArrayList<>();
            for (Magics.Magic m : Magics.CATALOGUE)
                if (m.cell() == cell && m.name().startsWith(prefix)) names.add((cell ? "%%" : "%") + m.name());
            return new Completion(names, lineStart + magic.start(1), cur);
        }
        Matcher arg = Pattern.compile("^\\s*%(kvm|vmm)\\s+(\\S*)$").matcher(line);
        if (arg.matches()) {
            List<String> options = arg.group(1).equals("kvm") ? kvmVersions() : List.of("qemu", "kvmtool");
            return new Completion(options.stream().filter(o -> o.startsWith(arg.group(2))).toList(), cur - arg.group(2).length(), cur);
        }
        int quotes = 0;
        for (int i = 0; i < line.length(); i++) if (line.charAt(i) == '"' && (i == 0 || line.charAt(i - 1) != '\\')) quotes++;
        if (quotes % 2 == 1) {
            int start = cur;
            while (start > lineStart && (Character.isLetterOrDigit(c.charAt(start - 1)) || c.charAt(start - 1) == '_' || c.charAt(start - 1) == '.')) start--;
            String prefix = c.substring(start, cur).toUpperCase(Locale.ROOT);
            TreeSet<String> names = new TreeSet<>();
            for (String n : registerNames()) if (n.startsWith(prefix)) names.add(n);
            for (String v : kvmVersions()) if (v.toUpperCase(Locale.ROOT).startsWith(prefix)) names.add(v);
            return new Completion(new ArrayList<>(names), start, cur);
        }
        boolean kotlinCell = language == Language.KOTLIN || c.stripLeading().startsWith("%%kotlin");
        if (kotlinCell) return kotlinCompletion(c, cur);
        try {
            String body = c;
            int offset = 0;
            if (c.stripLeading().startsWith("%%java")) {
                int nl = c.indexOf('\n');
                offset = nl + 1;
                body = c.substring(offset);
            }
            Completion j = javaEngine().complete(body, Math.max(0, cur - offset));
            return new Completion(j.matches(), j.cursorStart() + offset, j.cursorEnd() + offset);
        } catch (JavaEngine.CellFailure | RuntimeException e) {
            return new Completion(List.of(), cur, cur);
        }
    }

    private Completion kotlinCompletion(String code, int cur) {
        int start = cur;
        while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) start--;
        String prefix = code.substring(start, cur);
        TreeSet<String> names = new TreeSet<>(DslNames.methods());
        names.addAll(DslNames.types());
        names.addAll(KotlinNames.stdlib());
        names.addAll(KotlinNames.KEYWORDS);
        for (String[] h : history) names.addAll(KotlinEngine.declaredNames(h[1]));
        List<String> out = names.stream().filter(n -> n.startsWith(prefix) && !n.equals(prefix)).toList();
        return new Completion(out, start, cur);
    }

    static List<String> registerNames() {
        TreeSet<String> names = new TreeSet<>();
        SysRegTable.all().forEach(r -> names.add(r.name));
        return new ArrayList<>(names);
    }

    static List<String> kvmVersions() {
        List<String> out = new ArrayList<>();
        for (KvmVersion v : KvmVersion.all()) out.add(v.release());
        return out;
    }

    /** Shift-tab: the documentation of the DSL (or JDK) method or type at the cursor. */
    public synchronized Inspection inspect(String code, int cursor) {
        String c = code == null ? "" : code;
        int cur = Math.max(0, Math.min(cursor, c.length()));
        Inspection dsl = DslNames.inspect(c, cur);
        if (dsl.found()) return dsl;
        if (language == Language.KOTLIN || c.stripLeading().startsWith("%%kotlin")) return KotlinNames.inspect(c, cur);
        if (c.stripLeading().startsWith("%%")) return Inspection.NOT_FOUND;
        try {
            var docs = javaEngine().documentation(c, cur);
            if (docs.isEmpty()) return Inspection.NOT_FOUND;
            StringBuilder text = new StringBuilder();
            for (var d : docs) {
                text.append(d.signature()).append('\n');
                if (d.javadoc() != null && !d.javadoc().isBlank()) text.append(d.javadoc().strip()).append('\n');
                text.append('\n');
            }
            return new Inspection(true, MimeBundle.text(text.toString().strip()));
        } catch (JavaEngine.CellFailure | RuntimeException e) {
            return Inspection.NOT_FOUND;
        }
    }

    /** The stored cells, oldest first: {execution count, code}. */
    public List<Map.Entry<Integer, String>> history() {
        List<Map.Entry<Integer, String>> out = new ArrayList<>();
        synchronized (history) {
            for (String[] h : history) out.add(Map.entry(Integer.parseInt(h[0]), h[1]));
        }
        return out;
    }

    public int executionCount() {
        return executionCount;
    }

    @Override
    public void close() {
        interrupt();
        if (jshell.isDone()) {
            try {
                jshell.get().close();
            } catch (InterruptedException | ExecutionException | RuntimeException e) {
                // already gone
            }
        }
    }
}
