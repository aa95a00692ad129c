package dev.debuglab.realkvm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the driver printed: the console of a real boot (QEMU's serial output, with the
 * kernel's own messages around it) or the lines of {@link ModelDriver}. Driver lines start with
 * {@code "DLKVM "}; anything before that marker on a line (a kernel message that got there first)
 * is dropped.
 */
public final class ConsoleParser {
    private ConsoleParser() {}

    /**
     * What one boot (or one model run) printed.
     *
     * @param release   the kernel release the driver ran on ({@code uname -r}; "model-6.1" for the model), or null
     * @param noKvm     the driver could not open /dev/kvm: the errno, else 0
     * @param fatal     a driver failure ("KVM_CREATE_VM 22"), or null
     * @param scenarios per scenario id, its lines (without the prefix), in order
     * @param done      the driver reached the end of the script
     * @param panic     the kernel's "Kernel panic" line and what followed it, or null
     */
    public record Parsed(String release, int noKvm, String fatal, Map<String, List<String>> scenarios, boolean done, String panic) {}

    public static Parsed parse(List<String> console) {
        String release = null, fatal = null, panic = null;
        int noKvm = 0;
        boolean done = false;
        Map<String, List<String>> scenarios = new LinkedHashMap<>();
        List<String> current = null;
        for (int i = 0; i < console.size(); i++) {
            String raw = console.get(i);
            if (panic == null && raw.contains("Kernel panic")) {
                StringBuilder p = new StringBuilder(raw.strip());
                for (int k = i + 1; k < Math.min(console.size(), i + 3); k++) p.append('\n').append(console.get(k).strip());
                panic = p.toString();
            }
            int at = raw.indexOf("DLKVM ");
            if (at < 0) continue;
            String line = raw.substring(at + 6).strip();
            String[] t = line.split(" ", 2);
            switch (t[0]) {
                case "H" -> release = t.length > 1 ? t[1] : "";
                case "NOKVM" -> noKvm = t.length > 1 ? Integer.parseInt(t[1].trim()) : -1;
                case "FATAL" -> fatal = t.length > 1 ? t[1] : "?";
                case "DONE" -> done = true;
                case "S" -> {
                    current = new ArrayList<>();
                    scenarios.put(t[1], current);
                }
                case "Z" -> current = null;
                default -> {
                    if (current != null) current.add(line);
                }
            }
        }
        return new Parsed(release, noKvm, fatal, scenarios, done, panic);
    }
}
