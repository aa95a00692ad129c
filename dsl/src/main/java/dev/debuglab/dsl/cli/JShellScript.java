package dev.debuglab.dsl.cli;

import static dev.debuglab.dsl.cli.SourceText.lineAt;
import static dev.debuglab.dsl.cli.SourceText.oneLine;
import static dev.debuglab.dsl.cli.SourceText.startOf;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;

/**
 * A {@code .jsh} script through jdk.jshell with in-process ({@link LocalExecutionControl}) execution, so that the
 * values of expressions are the real objects (a run renders itself as text, JSON, HTML). The DSL is on the class
 * path and imported ({@link Imports#JAVA}) before the first line, so the first line may already be a guest.
 */
final class JShellScript implements ScriptEngine {

    /**
     * LocalExecutionControl that remembers the wrapper class of the last snippet it ran: a variable snippet (also the
     * {@code $1} of a bare expression) keeps its value in a public static field of that class, so the real object can
     * be read after JShell has turned it into text.
     */
    private static final class Capturing extends LocalExecutionControl {
        Class<?> lastClass;

        @Override
        protected String invoke(java.lang.reflect.Method doitMethod) throws Exception {
            lastClass = doitMethod.getDeclaringClass();
            return super.invoke(doitMethod);
        }

        Object value(String field) {
            try {
                if (lastClass == null) return null;
                java.lang.reflect.Field f = lastClass.getDeclaredField(field);
                f.setAccessible(true);
                return f.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }

    /** The shell evaluating the script, for {@link #stop}. */
    private volatile JShell current;

    @Override
    @SuppressWarnings("removal")
    public void stop(Thread worker) {
        JShell shell = current;
        if (shell != null) {
            try {
                shell.stop(); // LocalExecutionControl stops the thread running the snippet
            } catch (RuntimeException e) {
                // closed meanwhile: the script ended
            }
        }
        try {
            worker.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) worker.stop(); // stuck outside a snippet (e.g. in the compiler)
    }

    @Override
    public void run(Path file, String source, Consumer<Object> shown) {
        Capturing control = new Capturing();
        try (JShell shell = InProcessShell.builder(control).out(System.out).err(System.err).build()) {
            current = shell;
            for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                if (!entry.isBlank()) shell.addToClasspath(entry);
            }
            for (String imp : Imports.JAVA) {
                List<SnippetEvent> events = shell.eval(imp);
                for (SnippetEvent e : events) {
                    if (e.status() == Snippet.Status.REJECTED) {
                        throw new ScriptFailure(file, 0, "the DSL is not on the class path (" + imp.strip() + " failed); run through ./debuglab run");
                    }
                }
            }
            Map<String, Integer> snippetLines = new HashMap<>();
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            // Fed line by line, as the jshell tool reads a file: an expression without ';' ends at its line unless
            // the next line continues it with '.' (a fluent chain written one step per line).
            String[] lines = source.split("\n", -1);
            int[] lineStart = new int[lines.length + 1];
            for (int i = 0; i < lines.length; i++) lineStart[i + 1] = lineStart[i] + lines[i].length() + 1;
            StringBuilder buffer = new StringBuilder();
            int bufferStart = 0; // offset in source of buffer's first character
            for (int i = 0; i < lines.length; i++) {
                if (buffer.length() == 0) bufferStart = lineStart[i];
                buffer.append(lines[i]).append('\n');
                while (true) {
                    String text = buffer.toString();
                    if (text.isBlank()) {
                        buffer.setLength(0);
                        break;
                    }
                    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(text);
                    SourceCodeAnalysis.Completeness c = info.completeness();
                    if (c == SourceCodeAnalysis.Completeness.EMPTY) {
                        if (info.remaining().isBlank()) buffer.setLength(0);
                        break;
                    }
                    if (!c.isComplete()) break;
                    if (info.remaining().isBlank() && nextLineContinues(lines, i + 1)) break;
                    int consumed = text.length() - info.remaining().length();
                    int start = bufferStart + startOf(text, info.source());
                    evaluate(shell, control, file, source, start, lineAt(source, start), info.source(), snippetLines, shown);
                    bufferStart += consumed;
                    buffer.delete(0, consumed);
                    if (consumed <= 0) {
                        buffer.setLength(0);
                        break;
                    }
                }
            }
            if (!buffer.toString().isBlank()) {
                int start = bufferStart + startOf(buffer.toString(), null);
                throw new ScriptFailure(file, lineAt(source, start), "the statement starting here is not finished (a missing ';', ')' or '}')");
            }
        }
    }

    private static void evaluate(JShell shell, Capturing control, Path file, String source, int start, int line,
                                 String text, Map<String, Integer> snippetLines, Consumer<Object> shown) {
        control.lastClass = null;
        List<SnippetEvent> events = shell.eval(text);
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) continue; // an update of an earlier snippet, not this one
            Snippet snippet = event.snippet();
            snippetLines.put(snippet.id(), line);
            if (event.status() == Snippet.Status.REJECTED) {
                List<Diag> errors = shell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList());
                if (errors.isEmpty()) throw new ScriptFailure(file, line, "this statement was rejected by the Java compiler");
                Diag d = errors.get(0);
                int at = d.getStartPosition() >= 0 ? (int) d.getStartPosition() : 0;
                int errLine = lineAt(source, start + Math.min(at, Math.max(0, source.length() - start)));
                throw new ScriptFailure(file, errLine, oneLine(d.getMessage(Locale.ROOT)));
            }
            if (event.status() == Snippet.Status.RECOVERABLE_DEFINED || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                List<String> missing = new ArrayList<>();
                if (snippet instanceof jdk.jshell.DeclarationSnippet ds) {
                    shell.unresolvedDependencies(ds).forEach(missing::add);
                }
                throw new ScriptFailure(file, line, "cannot find symbol" + (missing.isEmpty() ? "" : " " + String.join(", ", missing)));
            }
            if (event.exception() != null) {
                throw failure(file, event.exception(), snippetLines, line);
            }
            if (snippet instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                Object value = control.value(v.name());
                if (value != null) shown.accept(value);
            }
        }
    }

    private static ScriptFailure failure(Path file, Exception e, Map<String, Integer> snippetLines, int fallback) {
        int line = fallback;
        for (StackTraceElement frame : e.getStackTrace()) {
            String f = frame.getFileName();
            if (f != null && f.startsWith("#") && frame.getLineNumber() > 0) {
                Integer base = snippetLines.get(f.substring(1));
                if (base != null) {
                    line = base + frame.getLineNumber() - 1;
                    break;
                }
            }
        }
        if (e instanceof EvalException ee) {
            return new ScriptFailure(file, line, ScriptFailure.describe(ee.getExceptionClassName(), ee.getMessage()));
        }
        if (e instanceof UnresolvedReferenceException ure) {
            return new ScriptFailure(file, line, "uses " + ure.getSnippet().source().strip() + ", which does not compile");
        }
        return new ScriptFailure(file, line, ScriptFailure.describe(e.getClass().getName(), e.getMessage()));
    }

    private static boolean nextLineContinues(String[] lines, int from) {
        for (int i = from; i < lines.length; i++) {
            String t = lines[i].strip();
            if (t.isEmpty() || t.startsWith("//")) continue;
            return t.startsWith(".") && !t.startsWith("...");
        }
        return false;
    }
}
