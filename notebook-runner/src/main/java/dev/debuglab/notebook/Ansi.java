package dev.debuglab.notebook;

/** Removes ANSI escape sequences (the colours of a Jupyter traceback) from text. */
final class Ansi {
    private Ansi() {}

    static String strip(String s) {
        return s == null ? "" : s.replaceAll("\u001B\\[[0-9;?]*[ -/]*[@-~]", "");
    }
}
