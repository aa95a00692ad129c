package dev.debuglab.dsl;

import java.util.List;

/**
 * The guest program as assembled: one line per source line with its address and encoding (empty for
 * labels and directives), and the labels. An ELF guest has its words disassembled instead.
 */
public record Listing(List<Line> lines, java.util.Map<String, Long> labels) {
    /** One line: address, the instruction word (or -1), the source text. */
    public record Line(long address, long word, String source) {
        @Override
        public String toString() {
            return word < 0 ? String.format("%08X            %s", address, source)
                    : String.format("%08X  %08X  %s", address, word, source);
        }
    }

    public Listing {
        lines = List.copyOf(lines);
        labels = java.util.Map.copyOf(labels);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) b.append(l).append('\n');
        return b.toString().stripTrailing();
    }
}
