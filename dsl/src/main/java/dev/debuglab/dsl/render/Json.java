package dev.debuglab.dsl.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer and reader (RFC 8259) for the trace format, so the DSL needs no JSON library.
 * Values are {@code Map<String, Object>} (insertion-ordered), {@code List<Object>}, {@code String},
 * {@code Long} (integers), {@code Double} (other numbers), {@code Boolean} and {@code null}.
 */
public final class Json {
    private Json() {}

    /** Writes {@code value} with two-space indentation, keys in map order. */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, b, 0);
        return b.append('\n').toString();
    }

    private static void write(Object v, StringBuilder b, int indent) {
        if (v == null) b.append("null");
        else if (v instanceof String s) quote(s, b);
        else if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)
            b.append(v);
        else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("JSON has no " + d);
            b.append(d);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append("  ".repeat(indent + 1));
                quote(String.valueOf(e.getKey()), b);
                b.append(": ");
                write(e.getValue(), b, indent + 1);
                b.append(++i < m.size() ? ",\n" : "\n");
            }
            b.append("  ".repeat(indent)).append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                b.append("  ".repeat(indent + 1));
                write(l.get(i), b, indent + 1);
                b.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            b.append("  ".repeat(indent)).append(']');
        } else throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
    }

    static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    // '<' escaped too, so a trace embedded in an HTML <script> block cannot close it.
                    if (c < 0x20 || c == '<' || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }

    /** Parses one JSON text; a syntax error names the line and column. */
    public static Object read(String text) {
        if (text == null) throw new IllegalArgumentException("no JSON text (null); pass the contents of a trace file");
        Parser p = new Parser(text);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.i < text.length()) throw p.error("unexpected text after the JSON value");
        return v;
    }

    private static final class Parser {
        final String s;
        int i;

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            int line = 1, col = 1;
            for (int k = 0; k < Math.min(i, s.length()); k++) {
                if (s.charAt(k) == '\n') {
                    line++;
                    col = 1;
                } else col++;
            }
            return new IllegalArgumentException("JSON line " + line + ", column " + col + ": " + what);
        }

        void ws() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == '\t')) i++;
        }

        char peek() {
            if (i >= s.length()) throw error("unexpected end of the text");
            return s.charAt(i);
        }

        void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "' but found '" + peek() + "'");
            i++;
        }

        Object value() {
            char c = peek();
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (peek() == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        if (peek() != '"') throw error("expected a quoted key");
                        String k = string();
                        ws();
                        expect(':');
                        ws();
                        if (m.containsKey(k)) throw error("duplicate key \"" + k + "\"");
                        m.put(k, value());
                        ws();
                        if (peek() == ',') {
                            i++;
                            continue;
                        }
                        expect('}');
                        return m;
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (peek() == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        ws();
                        l.add(value());
                        ws();
                        if (peek() == ',') {
                            i++;
                            continue;
                        }
                        expect(']');
                        return l;
                    }
                }
                case '"':
                    return string();
                case 't':
                    word("true");
                    return Boolean.TRUE;
                case 'f':
                    word("false");
                    return Boolean.FALSE;
                case 'n':
                    word("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    throw error("unexpected character '" + c + "'");
            }
        }

        void word(String w) {
            if (!s.startsWith(w, i)) throw error("expected " + w);
            i += w.length();
        }

        Object number() {
            int start = i;
            if (peek() == '-') i++;
            boolean integer = true;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c >= '0' && c <= '9') i++;
                else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    integer = false;
                    i++;
                } else break;
            }
            String t = s.substring(start, i);
            try {
                return integer ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
            } catch (NumberFormatException e) {
                i = start;
                throw error("bad number " + t);
            }
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = peek();
                i++;
                if (c == '"') return b.toString();
                if (c < 0x20) throw error("control character in a string");
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = peek();
                i++;
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) throw error("short \\u escape");
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }
    }
}
