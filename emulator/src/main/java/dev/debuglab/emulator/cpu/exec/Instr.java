package dev.debuglab.emulator.cpu.exec;

import dev.debuglab.emulator.isa.Encoding;

/**
 * Field extraction for the decode half of the execute routines, in the Arm ARM's notation:
 * {@code instr<hi:lo>} for the opcode bits a row fixes (size, opc, op, S ...), and the row's
 * named fields (Rd, Rn, imm12 ...) by their Arm names. Used only at predecode time.
 */
final class Instr {
    private Instr() {}

    /** {@code instr<hi:lo>}, zero-extended. */
    static int bits(int word, int hi, int lo) {
        return (word >>> lo) & ((1 << (hi - lo + 1)) - 1);
    }

    /** {@code instr<bit>}. */
    static boolean bit(int word, int bit) {
        return ((word >>> bit) & 1) != 0;
    }

    /** The named field {@code name} of row {@code e}; the row must have it. */
    static int field(Encoding e, int word, String name) {
        Encoding.Field f = e.field(name);
        if (f == null) throw new IllegalStateException(e.id() + " has no field " + name);
        return f.get(word);
    }
}
