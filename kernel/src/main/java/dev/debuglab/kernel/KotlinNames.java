package dev.debuglab.kernel;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Kotlin cells get without a Kotlin analyser in the kernel: the names of the standard library's top-level
 * functions (read by reflection from their facade classes) for completion and shift-tab, and a lexical validity
 * check for is_complete.
 */
final class KotlinNames {
    private KotlinNames() {
    }

    static final List<String> KEYWORDS = List.of("as", "break", "class", "continue", "do", "else", "false", "for", "fun", "if", "in",
            "interface", "is", "null", "object", "package", "return", "super", "this", "throw", "true", "try", "typealias", "val",
            "var", "when", "while");

    /** The facades of kotlin-stdlib's top-level functions a notebook uses most. */
    private static final List<String> FACADES = List.of("kotlin.collections.CollectionsKt", "kotlin.collections.MapsKt",
            "kotlin.collections.SetsKt", "kotlin.text.StringsKt", "kotlin.io.ConsoleKt", "kotlin.StandardKt", "kotlin.sequences.SequencesKt",
            "kotlin.ranges.RangesKt", "kotlin.comparisons.ComparisonsKt", "kotlin.collections.ArraysKt", "kotlin.TuplesKt",
            "kotlin.PreconditionsKt");

    private static volatile List<Method> methods;

    private static List<Method> methods() {
        List<Method> m = methods;
        if (m != null) return m;
        m = new ArrayList<>();
        for (String f : FACADES) {
            try {
                for (Method x : Class.forName(f).getMethods())
                    if (Modifier.isStatic(x.getModifiers()) && !x.getName().contains("$") && !x.isSynthetic()) m.add(x);
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this Kotlin version
            }
        }
        methods = m;
        return m;
    }

    static List<String> stdlib() {
        TreeSet<String> out = new TreeSet<>();
        for (Method m : methods()) out.add(m.getName());
        return new ArrayList<>(out);
    }

    /** The DSL's documentation, else the standard library function's signatures, for the name at the cursor. */
    static Inspection inspect(String code, int cursor) {
        Inspection dsl = DslNames.inspect(code, cursor);
        if (dsl.found()) return dsl;
        int s = cursor, e = cursor;
        while (s > 0 && Character.isJavaIdentifierPart(code.charAt(s - 1))) s--;
        while (e < code.length() && Character.isJavaIdentifierPart(code.charAt(e))) e++;
        if (s >= e) return Inspection.NOT_FOUND;
        String name = code.substring(s, e);
        TreeSet<String> sigs = new TreeSet<>();
        for (Method m : methods()) {
            if (!m.getName().equals(name)) continue;
            String params = java.util.Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "));
            String owner = m.getDeclaringClass().getPackageName();
            sigs.add(owner + "." + name + "(" + params + "): " + m.getReturnType().getSimpleName());
        }
        if (sigs.isEmpty()) return Inspection.NOT_FOUND;
        String text = name + " — Kotlin standard library (JVM signatures):\n  " + String.join("\n  ", sigs);
        return new Inspection(true, MimeBundle.text(text));
    }

    private static final Pattern KEYWORD_AS_NAME = Pattern.compile(
            "\\b(val|var|fun)\\s+(val|var|fun|class|if|else|when|while|for|do|return|true|false|null|this|object|interface|try|throw|in|is|as"
                    + "|break|continue|package|typealias|super)\\b");
    private static final Pattern OPERATOR_PAIR = Pattern.compile("[+\\-*/%=!&|^]\\s*[*/%]");

    /** True when the code cannot be Kotlin whatever follows (see KernelSession's is_complete for Kotlin). */
    static boolean lexicallyInvalid(String code) {
        StringBuilder bare = new StringBuilder(); // the code without strings, characters and comments
        int depth = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '"' || c == '\'') {
                char q = c;
                i++;
                while (i < code.length() && code.charAt(i) != q) {
                    if (code.charAt(i) == '\\') i++;
                    i++;
                }
                bare.append(' ');
                continue;
            }
            if (code.startsWith("//", i)) {
                while (i < code.length() && code.charAt(i) != '\n') i++;
                bare.append('\n');
                continue;
            }
            if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? code.length() : end + 1;
                bare.append(' ');
                continue;
            }
            if (c == '{' || c == '(' || c == '[') depth++;
            if (c == '}' || c == ')' || c == ']') {
                if (--depth < 0) return true;
            }
            bare.append(c);
        }
        String b = bare.toString();
        return KEYWORD_AS_NAME.matcher(b).find() || OPERATOR_PAIR.matcher(b).find();
    }
}
