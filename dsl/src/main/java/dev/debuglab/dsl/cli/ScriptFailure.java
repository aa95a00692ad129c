package dev.debuglab.dsl.cli;

import java.nio.file.Path;

/**
 * A script that could not be compiled or that failed while running: the file, the 1-based line in that file
 * (0 when unknown) and the problem in one sentence. {@link #getMessage()} reads like a compiler's
 * {@code FILE:LINE: problem}; the CLI prints exactly that, never a JVM stack trace.
 */
public final class ScriptFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String problem;

    public ScriptFailure(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem, null, false, false);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line in the script file, 0 when the engine did not say. */
    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }

    /**
     * The problem behind an exception the script's code threw: the DSL's own messages already name the problem
     * and the fix, so they are used as they are; anything else is prefixed with its class name.
     */
    static String describe(String className, String message) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        simple = simple.substring(simple.lastIndexOf('$') + 1);
        if (message == null || message.isBlank()) return simple;
        boolean plain = simple.equals("IllegalArgumentException") || simple.equals("IllegalStateException")
                || simple.equals("DslException") || simple.equals("AssertionError") || simple.endsWith("AssertionError")
                || simple.equals("AsmException");
        return plain ? message : simple + ": " + message;
    }
}
