package dev.debuglab.emulator.testkit;

import java.util.List;

/** Renders two line lists next to each other, marking the lines that differ. */
public final class SideBySide {
    private SideBySide() {}

    public static String render(String leftTitle, List<String> left, String rightTitle, List<String> right) {
        int width = Math.max(leftTitle.length(), 20);
        for (String s : left) width = Math.max(width, Math.min(s.length(), 90));
        StringBuilder b = new StringBuilder();
        b.append(String.format("   %-" + width + "s | %s%n", leftTitle, rightTitle));
        b.append("-".repeat(width + 6)).append('\n');
        int n = Math.max(left.size(), right.size());
        for (int i = 0; i < n; i++) {
            String l = i < left.size() ? left.get(i) : "";
            String r = i < right.size() ? right.get(i) : "";
            boolean same = i < left.size() && i < right.size() && l.equals(r);
            if (l.length() > width) l = l.substring(0, width - 1) + "~";
            b.append(same ? "   " : "!! ").append(String.format("%-" + width + "s", l)).append(" | ").append(r).append('\n');
        }
        return b.toString();
    }
}
