package dev.debuglab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DSL's public names (for completion in Kotlin cells) and its documentation (shift-tab): the DSL's Java sources
 * are packed into the kernel jar under {@code dsl-sources/}, and the javadoc comment before a public method or type
 * is what inspection shows.
 */
final class DslNames {
    private DslNames() {
    }

    /** The DSL types whose methods a notebook calls. */
    static final List<String> TYPES = List.of("Lab", "GuestCode", "El0Code", "Guest", "Stages", "Sweep", "LabRun", "Comparison",
            "SweepResult", "RoutingEvent", "DebugLabAssertions", "RunConfig", "Listing");

    private record Doc(String owner, String signature, String javadoc) {}

    private static volatile Map<String, List<Doc>> docs;

    static List<String> types() {
        return TYPES;
    }

    static List<String> methods() {
        TreeSet<String> out = new TreeSet<>();
        for (String t : TYPES) {
            try {
                Class<?> c = Class.forName("dev.debuglab.dsl." + t);
                for (Method m : c.getMethods()) if (m.getDeclaringClass() != Object.class && Modifier.isPublic(m.getModifiers())) out.add(m.getName());
                for (Class<?> inner : c.getClasses()) for (Method m : inner.getMethods()) if (m.getDeclaringClass() != Object.class) out.add(m.getName());
            } catch (ClassNotFoundException e) {
                // not in this DSL version
            }
        }
        return new ArrayList<>(out);
    }

    /** The documentation of the DSL method or type named at {@code cursor}, if it is one. */
    static Inspection inspect(String code, int cursor) {
        int s = cursor, e = cursor;
        while (s > 0 && Character.isJavaIdentifierPart(code.charAt(s - 1))) s--;
        while (e < code.length() && Character.isJavaIdentifierPart(code.charAt(e))) e++;
        if (s == e && s > 0 && code.charAt(s - 1) == '(') { // just after "name(": the call being written
            int p = s - 1;
            e = p;
            s = p;
            while (s > 0 && Character.isJavaIdentifierPart(code.charAt(s - 1))) s--;
        }
        if (s >= e) return Inspection.NOT_FOUND;
        String name = code.substring(s, e);
        List<Doc> found = docs().get(name);
        if (found == null || found.isEmpty()) return Inspection.NOT_FOUND;
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder("<div class=\"debuglab-doc\">");
        for (Doc d : found) {
            text.append(d.owner).append(": ").append(d.signature).append('\n');
            if (!d.javadoc.isEmpty()) text.append("    ").append(d.javadoc.replace("\n", "\n    ")).append('\n');
            text.append('\n');
            html.append("<p><code>").append(Magics.escape(d.owner + ": " + d.signature)).append("</code></p>");
            if (!d.javadoc.isEmpty()) html.append("<p>").append(Magics.escape(d.javadoc)).append("</p>");
        }
        html.append("</div>");
        return new Inspection(true, MimeBundle.text(text.toString().strip()).with(MimeBundle.HTML, html.toString()));
    }

    private static final Pattern MEMBER = Pattern.compile(
            "/\\*\\*((?:[^*]|\\*(?!/))*)\\*/\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*public\\s+(?:static\\s+|final\\s+|abstract\\s+|sealed\\s+|default\\s+)*"
                    + "(?:<[^>]*>\\s*)?([\\w.<>\\[\\], ?]+?)\\s+(\\w+)\\s*(\\([^)]*\\))?");

    private static Map<String, List<Doc>> docs() {
        Map<String, List<Doc>> d = docs;
        if (d != null) return d;
        d = new LinkedHashMap<>();
        for (String t : TYPES) {
            String source = read("dsl-sources/dev/debuglab/dsl/" + t + ".java");
            if (source == null) continue;
            Matcher m = MEMBER.matcher(source);
            while (m.find()) {
                String javadoc = clean(m.group(1));
                String kind = m.group(2).strip();
                String name = m.group(3);
                String params = m.group(4);
                String signature = params == null ? kind + " " + name : kind + " " + name + params.replaceAll("\\s+", " ");
                d.computeIfAbsent(name, k -> new ArrayList<>()).add(new Doc(t, signature, javadoc));
            }
        }
        docs = d;
        return d;
    }

    private static String read(String resource) {
        try (InputStream in = DslNames.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** The comment's text: leading stars gone, tags and HTML made plain, {@code {@code x}} shown as x. */
    private static String clean(String comment) {
        StringBuilder b = new StringBuilder();
        for (String line : comment.split("\n")) {
            String l = line.strip();
            if (l.startsWith("*")) l = l.substring(1).strip();
            b.append(l).append('\n');
        }
        return b.toString().replaceAll("\\{@(?:code|link|linkplain|literal)\\s+([^}]*)}", "$1").replaceAll("</?(p|pre|b|i|em|ul|li)>", "")
                .replaceAll("\n{3,}", "\n\n").strip();
    }
}
