package dev.debuglab.dsl.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Kotlin script into its top-level statements, so that each statement's value can be shown (the JSR-223
 * engine returns only the value of the last line it evaluates). A statement ends at the end of a line where every
 * bracket is closed, the line does not end in an operator and the next line does not continue it ({@code .run()},
 * {@code ?.}, {@code ?:}, {@code else}, ...). Strings, characters and comments are skipped when counting brackets.
 * A cut that still turns out to be incomplete is extended by the caller.
 */
final class KotlinChunks {
    private KotlinChunks() {
    }

    /** One statement: its text and the 1-based line of the file it starts on. */
    record Chunk(String text, int firstLine, int lastLine) {
    }

    static List<Chunk> split(String source) {
        String[] lines = source.split("\n", -1);
        List<Chunk> chunks = new ArrayList<>();
        Scanner scanner = new Scanner();
        StringBuilder current = new StringBuilder();
        int first = -1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            scanner.feed(line);
            if (first < 0) {
                if (line.isBlank() && scanner.depth == 0 && !scanner.inBlockComment && !scanner.inRawString) continue;
                first = i;
            }
            current.append(line).append('\n');
            if (scanner.depth <= 0 && !scanner.inBlockComment && !scanner.inRawString
                    && !endsWithContinuation(scanner.lastCode) && !nextContinues(lines, i + 1)) {
                if (!current.toString().isBlank()) chunks.add(new Chunk(current.toString(), first + 1, i + 1));
                current.setLength(0);
                first = -1;
                scanner.depth = 0;
            }
        }
        if (first >= 0 && !current.toString().isBlank()) chunks.add(new Chunk(current.toString(), first + 1, lines.length));
        return chunks;
    }

    private static boolean endsWithContinuation(String code) {
        String t = code.strip();
        if (t.isEmpty()) return false;
        for (String op : new String[] {"=", "(", "[", "{", ",", ".", "?.", "->", "+", "-", "*", "/", "%", "&&", "||", "?:", ":", "!", "<", ">", "&", "|"}) {
            if (t.endsWith(op) && !t.endsWith("++") && !t.endsWith("--")) return true;
        }
        return false;
    }

    private static boolean nextContinues(String[] lines, int from) {
        for (int i = from; i < lines.length; i++) {
            String t = lines[i].strip();
            if (t.isEmpty() || t.startsWith("//")) continue;
            return t.startsWith(".") || t.startsWith("?.") || t.startsWith("?:") || t.startsWith("&&") || t.startsWith("||")
                    || t.startsWith("else") || t.startsWith("catch") || t.startsWith("finally") || t.startsWith(")")
                    || t.startsWith("]") || t.startsWith("}") || t.startsWith("->") || t.startsWith("as ") || t.startsWith("+")
                    || t.startsWith("*") || t.startsWith("/") && !t.startsWith("//") && !t.startsWith("/*");
        }
        return false;
    }

    /** Bracket depth across lines, skipping strings, characters and comments. */
    private static final class Scanner {
        int depth;
        boolean inBlockComment;
        boolean inRawString;
        String lastCode = "";

        void feed(String line) {
            StringBuilder code = new StringBuilder();
            int i = 0;
            int n = line.length();
            while (i < n) {
                char c = line.charAt(i);
                if (inBlockComment) {
                    if (line.startsWith("*/", i)) {
                        inBlockComment = false;
                        i += 2;
                    } else i++;
                    continue;
                }
                if (inRawString) {
                    if (line.startsWith("\"\"\"", i)) {
                        inRawString = false;
                        code.append("\"\"");
                        i += 3;
                    } else i++;
                    continue;
                }
                if (line.startsWith("//", i)) break;
                if (line.startsWith("/*", i)) {
                    inBlockComment = true;
                    i += 2;
                    continue;
                }
                if (line.startsWith("\"\"\"", i)) {
                    inRawString = true;
                    i += 3;
                    continue;
                }
                if (c == '"' || c == '\'') {
                    int j = i + 1;
                    while (j < n && line.charAt(j) != c) j += line.charAt(j) == '\\' ? 2 : 1;
                    code.append(c).append(c);
                    i = j + 1;
                    continue;
                }
                if (c == '(' || c == '[' || c == '{') depth++;
                if (c == ')' || c == ']' || c == '}') depth--;
                code.append(c);
                i++;
            }
            if (!code.toString().isBlank() || !inBlockComment) lastCode = code.toString();
        }
    }
}
