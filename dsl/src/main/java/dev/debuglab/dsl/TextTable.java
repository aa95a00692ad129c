package dev.debuglab.dsl;

import java.util.ArrayList;
import java.util.List;

/** Aligned plain-text tables for {@code toString()}: a header row, a rule, the rows; columns padded to their widest cell. */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... header) {
        this.header = List.of(header);
    }

    public TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    public TextTable row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) r.add(c == null ? "" : c.toString());
        rows.add(r);
        return this;
    }

    public TextTable row(List<String> cells) {
        rows.add(List.copyOf(cells));
        return this;
    }

    @Override
    public String toString() {
        int n = header.size();
        for (List<String> r : rows) n = Math.max(n, r.size());
        int[] w = new int[n];
        for (int i = 0; i < header.size(); i++) w[i] = header.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < r.size(); i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder b = new StringBuilder();
        line(b, header, w);
        int total = 0;
        for (int x : w) total += x + 2;
        b.append("-".repeat(Math.max(0, total - 2))).append('\n');
        for (List<String> r : rows) line(b, r, w);
        return b.toString().stripTrailing();
    }

    private static void line(StringBuilder b, List<String> cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            l.append(cells.get(i));
            if (i < cells.size() - 1) l.append(" ".repeat(w[i] - cells.get(i).length() + 2));
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }
}
