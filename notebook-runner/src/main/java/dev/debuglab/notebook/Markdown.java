package dev.debuglab.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown a notebook's prose uses, to HTML: ATX headings, paragraphs, bullet and numbered lists (one level),
 * fenced code blocks, pipe tables, block quotes, horizontal rules, and inline code, bold, italics and links. Every
 * piece of text is HTML-escaped; raw HTML in the Markdown is shown as text, not interpreted.
 */
public final class Markdown {
    private Markdown() {}

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern BULLET = Pattern.compile("^\\s*[*+-]\\s+(.*)$");
    private static final Pattern NUMBERED = Pattern.compile("^\\s*\\d+[.)]\\s+(.*)$");
    private static final Pattern TABLE_RULE = Pattern.compile("^\\s*\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?\\s*$");
    private static final Pattern INLINE = Pattern.compile(
            "`([^`]+)`|\\*\\*(.+?)\\*\\*|__(.+?)__|\\[([^\\]]+)]\\(([^)\\s]+)\\)|(?<![\\w*])\\*(?!\\s)(.+?)(?<!\\s)\\*(?![\\w*])|(?<!\\w)_(?!\\s)(.+?)(?<!\\s)_(?!\\w)");

    /** The HTML of a Markdown text. */
    public static String toHtml(String markdown) {
        List<String> lines = List.of(markdown.replace("\r\n", "\n").split("\n", -1));
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank()) {
                i++;
                continue;
            }
            if (line.strip().startsWith("```")) {
                String lang = line.strip().substring(3).strip();
                StringBuilder code = new StringBuilder();
                i++;
                while (i < lines.size() && !lines.get(i).strip().startsWith("```")) code.append(lines.get(i++)).append('\n');
                i++;
                out.append("<pre><code").append(lang.isEmpty() ? "" : " class=\"language-" + escape(lang) + "\"").append('>')
                        .append(escape(code.toString())).append("</code></pre>\n");
                continue;
            }
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                int level = h.group(1).length();
                out.append("<h").append(level).append('>').append(inline(h.group(2))).append("</h").append(level).append(">\n");
                i++;
                continue;
            }
            if (line.strip().matches("(\\*\\s*){3,}|(-\\s*){3,}|(_\\s*){3,}")) {
                out.append("<hr>\n");
                i++;
                continue;
            }
            if (line.contains("|") && i + 1 < lines.size() && TABLE_RULE.matcher(lines.get(i + 1)).matches()) {
                List<String> header = cells(line);
                out.append("<table>\n<thead><tr>");
                for (String c : header) out.append("<th>").append(inline(c)).append("</th>");
                out.append("</tr></thead>\n<tbody>\n");
                i += 2;
                while (i < lines.size() && lines.get(i).contains("|") && !lines.get(i).isBlank()) {
                    out.append("<tr>");
                    for (String c : cells(lines.get(i))) out.append("<td>").append(inline(c)).append("</td>");
                    out.append("</tr>\n");
                    i++;
                }
                out.append("</tbody>\n</table>\n");
                continue;
            }
            if (line.startsWith(">")) {
                StringBuilder quote = new StringBuilder();
                while (i < lines.size() && lines.get(i).startsWith(">")) quote.append(lines.get(i++).replaceFirst("^>\\s?", "")).append('\n');
                out.append("<blockquote>\n").append(toHtml(quote.toString())).append("</blockquote>\n");
                continue;
            }
            if (BULLET.matcher(line).matches() || NUMBERED.matcher(line).matches()) {
                boolean ordered = !BULLET.matcher(line).matches();
                Pattern item = ordered ? NUMBERED : BULLET;
                out.append(ordered ? "<ol>\n" : "<ul>\n");
                while (i < lines.size()) {
                    Matcher m = item.matcher(lines.get(i));
                    if (!m.matches()) break;
                    StringBuilder text = new StringBuilder(m.group(1));
                    i++;
                    // continuation lines: indented, not a new item
                    while (i < lines.size() && !lines.get(i).isBlank() && lines.get(i).startsWith(" ")
                            && !BULLET.matcher(lines.get(i)).matches() && !NUMBERED.matcher(lines.get(i)).matches())
                        text.append(' ').append(lines.get(i++).strip());
                    out.append("<li>").append(inline(text.toString())).append("</li>\n");
                }
                out.append(ordered ? "</ol>\n" : "</ul>\n");
                continue;
            }
            StringBuilder para = new StringBuilder(line.strip());
            i++;
            while (i < lines.size() && !lines.get(i).isBlank() && !startsBlock(lines, i)) para.append(' ').append(lines.get(i++).strip());
            out.append("<p>").append(inline(para.toString())).append("</p>\n");
        }
        return out.toString();
    }

    private static boolean startsBlock(List<String> lines, int i) {
        String l = lines.get(i);
        return HEADING.matcher(l).matches() || l.strip().startsWith("```") || BULLET.matcher(l).matches() || NUMBERED.matcher(l).matches()
                || l.startsWith(">") || l.contains("|") && i + 1 < lines.size() && TABLE_RULE.matcher(lines.get(i + 1)).matches();
    }

    private static List<String> cells(String row) {
        String r = row.strip();
        if (r.startsWith("|")) r = r.substring(1);
        if (r.endsWith("|") && !r.endsWith("\\|")) r = r.substring(0, r.length() - 1);
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean code = false;
        for (int k = 0; k < r.length(); k++) {
            char c = r.charAt(k);
            if (c == '`') code = !code;
            if (c == '\\' && k + 1 < r.length() && r.charAt(k + 1) == '|') {
                cur.append('|');
                k++;
            } else if (c == '|' && !code) {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else cur.append(c);
        }
        out.add(cur.toString().strip());
        return out;
    }

    /** Inline markup of one line of text (escaped). */
    static String inline(String text) {
        StringBuilder b = new StringBuilder();
        Matcher m = INLINE.matcher(text);
        int last = 0;
        while (m.find()) {
            b.append(escape(text.substring(last, m.start())));
            if (m.group(1) != null) b.append("<code>").append(escape(m.group(1))).append("</code>");
            else if (m.group(2) != null) b.append("<strong>").append(inline(m.group(2))).append("</strong>");
            else if (m.group(3) != null) b.append("<strong>").append(inline(m.group(3))).append("</strong>");
            else if (m.group(4) != null) {
                String href = m.group(5);
                boolean safe = href.matches("(?i)(https?:|mailto:|#|\\.{0,2}/|[\\w.-]+(/|$|\\.)).*") && !href.toLowerCase().startsWith("javascript:");
                b.append("<a href=\"").append(escape(safe ? href : "#")).append("\">").append(inline(m.group(4))).append("</a>");
            } else if (m.group(6) != null) b.append("<em>").append(inline(m.group(6))).append("</em>");
            else b.append("<em>").append(inline(m.group(7))).append("</em>");
            last = m.end();
        }
        b.append(escape(text.substring(last)));
        return b.toString();
    }

    /** HTML-escapes text (also quotes, for attributes): the renderers' one escaping rule. */
    public static String escape(String s) {
        return dev.debuglab.dsl.render.Markup.escape(s);
    }
}
