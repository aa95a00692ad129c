package dev.debuglab.emulator.isa;

/**
 * Bad assembler input. The message names the source line, quotes the offending text, says what
 * is wrong and, where there is one, how to fix it, e.g.
 * {@code line 7: `add x0, x1, #5000`: immediate 5000 does not fit in 12 bits (optionally shifted by 12); use mov + add (register)}.
 */
public class AsmException extends IllegalArgumentException {
    private final int line;
    private final String text;
    private final String problem;

    public AsmException(int line, String text, String problem) {
        super("line " + line + ": `" + text + "`: " + problem);
        this.line = line;
        this.text = text;
        this.problem = problem;
    }

    /** 1-based source line number. */
    public int line() {
        return line;
    }

    /** The offending statement as written. */
    public String text() {
        return text;
    }

    /** What is wrong (and how to fix it), without the line prefix. */
    public String problem() {
        return problem;
    }
}
