package dev.debuglab.dsl.cli;

/** Positions in a script or notebook cell, shared by `./debuglab run` and the Jupyter kernel's Java cells. */
public final class SourceText {
    private SourceText() {}

    /** Where {@code snippet} begins inside {@code text} (JShell may drop comments or add a ';'); else the first non-blank. */
    public static int startOf(String text, String snippet) {
        if (snippet != null) {
            String probe = snippet.strip();
            probe = probe.substring(0, Math.min(probe.length(), 24));
            int i = probe.isEmpty() ? -1 : text.indexOf(probe);
            if (i >= 0) return i;
        }
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
        return i;
    }

    /** The 1-based line of {@code offset} in {@code text}. */
    public static int lineAt(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** The first line of a compiler message. */
    public static String oneLine(String message) {
        String first = message.strip();
        int nl = first.indexOf('\n');
        return nl < 0 ? first : first.substring(0, nl);
    }
}
