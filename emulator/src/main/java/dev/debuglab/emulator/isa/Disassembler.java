package dev.debuglab.emulator.isa;

/**
 * A64 disassembly in GNU objdump's syntax (binutils 2.40, {@code objdump -D -b binary -m aarch64}):
 * the same preferred aliases ({@code mov}, {@code cmp}, {@code lsl}, {@code ubfx}, {@code cset} ...),
 * operand spelling, branch targets as absolute hex addresses and {@code //} comments. A word no
 * row decodes, or one with a reserved field value, prints as {@code .inst 0x........ ; undefined}.
 *
 * <p>Driven by the rows of {@link Encodings} and their forms in {@link Syntax}.
 *
 * <pre>{@code
 * Disassembler.disassemble(0xD4200840, 0)  // "brk\t#0x42"
 * Disassembler.disassemble(0x14000001, 0x1a0) // "b\t0x1a4"
 * }</pre>
 */
public final class Disassembler {
    private Disassembler() {}

    /** The text of {@code word} located at {@code address}: mnemonic, a tab, operands, optional comment. */
    public static String disassemble(int word, long address) {
        return Syntax.disassemble(word, address);
    }

    /** Disassembly with whitespace collapsed to single spaces (for comparisons and display). */
    public static String normalized(int word, long address) {
        return normalize(disassemble(word, address));
    }

    /** Collapses tabs and runs of spaces to one space, as the differential tests compare text. */
    public static String normalize(String s) {
        return s.trim().replaceAll("\\s+", " ");
    }

    /** A listing of little-endian code at {@code base}: {@code address: word  text} per line. */
    public static String listing(byte[] code, long base) {
        StringBuilder sb = new StringBuilder();
        for (int off = 0; off + 4 <= code.length; off += 4) {
            int w = (code[off] & 0xFF) | (code[off + 1] & 0xFF) << 8 | (code[off + 2] & 0xFF) << 16 | (code[off + 3] & 0xFF) << 24;
            sb.append(String.format("%8x:\t%08x\t%s%n", base + off, w, disassemble(w, base + off)));
        }
        return sb.toString();
    }
}
