package dev.debuglab.emulator.sysreg;

/**
 * A named bit field of a system register, {@code value[lsb + width - 1 : lsb]}. Behaviour code
 * reads registers only through these (e.g. {@code MDSCR_EL1.KDE.isSet(v)}), so every bit number
 * lives in exactly one place: {@link RegisterFields}.
 */
public record Field(String name, int lsb, int width) {
    public Field {
        if (lsb < 0 || width < 1 || lsb + width > 64) throw new IllegalArgumentException(name + ": bad field");
    }

    /** The field's bits in place. */
    public long mask() {
        return width == 64 ? -1L : ((1L << width) - 1) << lsb;
    }

    /** The field's value, shifted down. */
    public long get(long reg) {
        return (reg & mask()) >>> lsb;
    }

    /** The field's value as an int (fields here are at most 32 bits wide). */
    public int getInt(long reg) {
        return (int) get(reg);
    }

    /** For one-bit fields: the bit is 1. For wider fields: any bit is 1. */
    public boolean isSet(long reg) {
        return (reg & mask()) != 0;
    }

    /** {@code reg} with this field replaced by {@code fieldValue}. */
    public long set(long reg, long fieldValue) {
        return (reg & ~mask()) | ((fieldValue << lsb) & mask());
    }

    /** {@code reg} with a one-bit field set or cleared. */
    public long set(long reg, boolean bit) {
        return set(reg, bit ? 1 : 0);
    }

    /** A register value holding only this field, equal to {@code fieldValue}. */
    public long of(long fieldValue) {
        return set(0, fieldValue);
    }
}
