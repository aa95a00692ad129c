package dev.debuglab.dsl.render;

/** Escaping for HTML and SVG text and attributes: everything a result carries is text, never markup. */
public final class Markup {
    private Markup() {}

    /** Escapes {@code & < > " '} (valid in element text and in quoted attributes of HTML and XML). */
    public static String escape(Object o) {
        String s = o == null ? "" : o.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // XML 1.0 forbids most C0 controls even as references; show them as U+FFFD.
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') b.append('\uFFFD');
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    /** A PC for a table cell: "0x40000010", or "-" for an event without one (the VMM's own log lines carry PC -1). */
    public static String pc(long pc) {
        return pc == -1 ? "-" : String.format("0x%08X", pc);
    }

    /** "0x40000010". */
    public static String hex(long v) {
        return String.format("0x%X", v);
    }
}
