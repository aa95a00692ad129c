package dev.debuglab.dsl.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.script.ScriptEngineManager;
import javax.script.ScriptException;

/**
 * A {@code .kts} script through kotlin-scripting-jsr223 ({@code KotlinJsr223DefaultScriptEngineFactory}, one fresh
 * engine per script). The default import header ({@link Imports#KOTLIN}) is evaluated first; then each top-level
 * statement ({@link KotlinChunks}) is evaluated in the same REPL engine so that its value can be shown. Compile
 * errors and exceptions are mapped back to the script's own line numbers.
 */
final class KotlinScript implements ScriptEngine {
    /** "(ScriptingHost..._Line_3.kts:2:14)" in the engine's compile messages. */
    private static final Pattern LOCATION = Pattern.compile("\\s*\\([^()]*_Line_\\d+\\.kts:(\\d+):(\\d+)\\)");
    private static final Pattern SCRIPT_FILE = Pattern.compile(".*_Line_\\d+\\.kts");

    @Override
    public void run(Path file, String source, Consumer<Object> shown) {
        javax.script.ScriptEngine engine = new ScriptEngineManager().getEngineByExtension("kts");
        if (engine == null) {
            throw new ScriptFailure(file, 0, "no Kotlin script engine on the class path (kotlin-scripting-jsr223); run through ./debuglab run");
        }
        try {
            engine.eval(String.join("\n", Imports.KOTLIN));
        } catch (ScriptException e) {
            throw new ScriptFailure(file, 0, "the DSL is not on the class path (" + firstLine(e.getMessage()) + "); run through ./debuglab run");
        }
        List<KotlinChunks.Chunk> chunks = KotlinChunks.split(source);
        for (int i = 0; i < chunks.size(); i++) {
            KotlinChunks.Chunk chunk = chunks.get(i);
            String text = chunk.text();
            int first = chunk.firstLine();
            while (true) {
                try {
                    Object value = engine.eval(text);
                    if (value != null && !(value instanceof kotlin.Unit)) shown.accept(value);
                    break;
                } catch (ScriptException e) {
                    String message = e.getMessage() == null ? "" : e.getMessage();
                    if (message.contains("incomplete code") && i + 1 < chunks.size()) {
                        // The split cut a statement in two: join it with the next piece and evaluate again.
                        i++;
                        text = text + chunks.get(i).text();
                        continue;
                    }
                    throw failure(file, first, e);
                }
            }
        }
    }

    private static ScriptFailure failure(Path file, int first, ScriptException e) {
        Throwable cause = e.getCause();
        if (cause != null && cause != e && !(cause instanceof ScriptException)) {
            int line = first;
            for (StackTraceElement frame : cause.getStackTrace()) {
                if (frame.getFileName() != null && SCRIPT_FILE.matcher(frame.getFileName()).matches() && frame.getLineNumber() > 0) {
                    line = first + frame.getLineNumber() - 1;
                    break;
                }
            }
            return new ScriptFailure(file, line, ScriptFailure.describe(cause.getClass().getName(), cause.getMessage()));
        }
        String message = e.getMessage() == null ? "the script does not compile" : e.getMessage();
        if (message.contains("incomplete code")) {
            // The engine points at the end of the input; the statement that is not closed starts here.
            Matcher m = Pattern.compile("ERROR ([^(\\n]+)").matcher(message);
            String detail = m.find() ? " (" + m.group(1).strip() + ")" : "";
            return new ScriptFailure(file, first, "this statement is not finished: a missing ')', '}' or operand" + detail);
        }
        for (String l : message.split("\n")) {
            Matcher m = LOCATION.matcher(l);
            if (m.find()) {
                String problem = l.substring(0, m.start()) + l.substring(m.end());
                problem = problem.replaceFirst("^(Error: )?", "").replaceFirst("^ERROR ", "").strip();
                return new ScriptFailure(file, first + Integer.parseInt(m.group(1)) - 1, problem);
            }
        }
        return new ScriptFailure(file, first, firstLine(message).replaceFirst("^ERROR ", ""));
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
