package dev.debuglab.emulator.isa;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The output of {@link Assembler#assemble}: bytes placed at {@link #base()}, the symbol table and
 * which source line produced each instruction or datum. Immutable.
 */
public final class Program {

    /** One statement that emitted bytes: an instruction ({@code instruction = true}) or data. */
    public record Line(long address, int size, int lineNumber, String source, boolean instruction) {
        @Override
        public String toString() {
            return String.format("%#x (line %d): %s", address, lineNumber, source);
        }
    }

    private final long base;
    private final byte[] bytes;
    private final Map<String, Long> symbols;
    private final List<Line> lines;

    Program(long base, byte[] bytes, Map<String, Long> symbols, List<Line> lines) {
        this.base = base;
        this.bytes = bytes;
        this.symbols = Collections.unmodifiableMap(symbols);
        this.lines = Collections.unmodifiableList(lines);
    }

    public long base() {
        return base;
    }

    /** A copy of the assembled bytes (little-endian). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    /** First address after the program. */
    public long end() {
        return base + bytes.length;
    }

    /** Address of a label or value of an {@code .equ}; throws if undefined. */
    public long symbol(String name) {
        Long v = symbols.get(name);
        if (v == null) throw new NoSuchElementException("no symbol `" + name + "` in program; defined: " + symbols.keySet());
        return v;
    }

    public Map<String, Long> symbols() {
        return symbols;
    }

    /** Every statement that emitted bytes, in address order. */
    public List<Line> lines() {
        return lines;
    }

    /** The statement whose bytes cover {@code address}, or null. */
    public Line lineAt(long address) {
        for (Line l : lines) if (address >= l.address() && address < l.address() + l.size()) return l;
        return null;
    }

    /** The 32-bit little-endian word at {@code address}. */
    public int wordAt(long address) {
        int off = (int) (address - base);
        if (off < 0 || off + 4 > bytes.length) throw new IndexOutOfBoundsException(String.format("%#x is outside the program", address));
        return (bytes[off] & 0xFF) | (bytes[off + 1] & 0xFF) << 8 | (bytes[off + 2] & 0xFF) << 16 | (bytes[off + 3] & 0xFF) << 24;
    }

    /** All instruction words in order (data statements skipped). */
    public int[] words() {
        return lines.stream().filter(Line::instruction).mapToInt(l -> wordAt(l.address())).toArray();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) {
            sb.append(String.format("%8x:\t", l.address()));
            if (l.instruction()) sb.append(String.format("%08x\t%s", wordAt(l.address()), Disassembler.disassemble(wordAt(l.address()), l.address())));
            else sb.append(l.source());
            sb.append('\n');
        }
        return sb.toString();
    }
}
