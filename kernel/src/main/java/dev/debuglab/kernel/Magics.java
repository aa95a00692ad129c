package dev.debuglab.kernel;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The one catalogue of magics: it drives {@code %help}, the completion of {@code %} names and execution. */
public final class Magics {
    private Magics() {
    }

    /** A magic: {@code %name args} (a line magic) or {@code %%name args} on a cell's first line (a cell magic). */
    public record Magic(String name, boolean cell, String args, String help) {
        /** "%kvm VERSION" / "%%kotlin". */
        public String usage() {
            return (cell ? "%%" : "%") + name + (args.isEmpty() ? "" : " " + args);
        }
    }

    public static final List<Magic> CATALOGUE = List.of(
            new Magic("help", false, "", "Lists these magics (also %lsmagic)."),
            new Magic("lsmagic", false, "", "Same as %help."),
            new Magic("kvm", false, "[VERSION|none]", "The session's default KVM version for guest.run() when a cell does not choose: "
                    + "5.15, v2, 5.18, 6.1, 6.12, 6.14, 7.2; 'none' = bare metal. Without an argument: shows it."),
            new Magic("vmm", false, "[qemu|kvmtool]", "The session's default VMM under KVM (qemu unless chosen). Without an argument: shows it."),
            new Magic("classpath", false, "[JAR|DIR|GLOB...]", "Adds jars or class folders to the Java cells' class path. Without an argument: lists what was added."),
            new Magic("jars", false, "[JAR|GLOB...]", "Same as %classpath (IJava's name)."),
            new Magic("kotlin", true, "", "The rest of the cell is Kotlin (kotlin-scripting-jsr223); DSL values, strings and numbers are shared with Java cells."),
            new Magic("java", true, "", "The rest of the cell is Java (JShell), also in the Kotlin kernel."));

    public static Optional<Magic> find(String name, boolean cell) {
        return CATALOGUE.stream().filter(m -> m.name.equals(name) && m.cell == cell).findFirst();
    }

    /** "%help, %lsmagic, %kvm, ..., %%kotlin, %%java": for the message of an unknown magic. */
    public static String known() {
        return CATALOGUE.stream().map(m -> (m.cell ? "%%" : "%") + m.name).collect(Collectors.joining(", "));
    }

    /** The magics as a Markdown-free text table. */
    static String text() {
        int w = CATALOGUE.stream().mapToInt(m -> m.usage().length()).max().orElse(10);
        StringBuilder b = new StringBuilder("Magics (a line magic is a line of its own; a cell magic is the cell's first line):\n");
        for (Magic m : CATALOGUE) b.append(String.format("  %-" + w + "s  %s%n", m.usage(), m.help));
        return b.toString();
    }

    static String html() {
        StringBuilder b = new StringBuilder("<table class=\"debuglab-magics\"><tr><th>Magic</th><th>What it does</th></tr>\n");
        for (Magic m : CATALOGUE)
            b.append("<tr><td><code>").append(escape(m.usage())).append("</code></td><td>").append(escape(m.help)).append("</td></tr>\n");
        return b.append("</table>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
