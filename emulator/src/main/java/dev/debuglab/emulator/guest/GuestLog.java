package dev.debuglab.emulator.guest;

import dev.debuglab.emulator.mem.MmioDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's own record of what it observed, written by its code to a log port: a 4 KiB MMIO
 * window at {@link #BASE}. The {@link StandardVectors} handlers log every exception that reaches
 * the guest's vectors (vector offset, ESR, ELR, FAR, SPSR as the handler read them), and guest code
 * logs values it read (a tag, then the value). Because the guest writes the log itself, it is the
 * same evidence on bare metal (the port is a device in memory), under KVM (each store is an MMIO
 * exit the VMM completes) and after a VMM injected an exception behind KVM's back.
 *
 * <p>Port layout (8-byte stores): +0x00 vector offset (starts an exception record), +0x08 ESR,
 * +0x10 ELR, +0x18 FAR, +0x20 SPSR (completes it); +0x38 tag, +0x40 value (completes a value
 * record). Reads return 0.
 */
public final class GuestLog implements MmioDevice {
    /** Guest-physical base of the log port (next to the PL011 at 0x0900_0000). */
    public static final long BASE = 0x0901_0000L, SIZE = 0x1000;
    public static final int VECTOR = 0x00, ESR = 0x08, ELR = 0x10, FAR = 0x18, SPSR = 0x20, TAG = 0x38, VALUE = 0x40;

    /** One thing the guest observed. */
    public sealed interface Entry permits Exception, Value {}

    /**
     * An exception that reached the guest's vector table.
     *
     * @param vector the vector offset (0x000 / 0x200 / 0x400 for synchronous current-SP0 / current-SPx / lower EL)
     */
    public record Exception(int vector, long esr, long elr, long far, long spsr) implements Entry {
        public int ec() {
            return (int) (esr >>> 26) & 0x3F;
        }

        @Override
        public String toString() {
            return String.format("exception at +0x%03X: ESR 0x%08X (EC 0x%02X) ELR 0x%X FAR 0x%X SPSR 0x%X",
                    vector, esr, ec(), elr, far, spsr);
        }
    }

    /** A value the guest read and logged under {@code tag}. */
    public record Value(int tag, long value) implements Entry {
        @Override
        public String toString() {
            return String.format("value #%d = 0x%X", tag, value);
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final long[] pending = new long[5];
    private long tag;

    @Override
    public long read(long offset, int size) {
        return 0;
    }

    @Override
    public void write(long offset, int size, long value) {
        switch ((int) offset) {
            case VECTOR, ESR, ELR, FAR -> pending[(int) offset / 8] = value;
            case SPSR -> entries.add(new Exception((int) pending[0], pending[1], pending[2], pending[3], value));
            case TAG -> tag = value;
            case VALUE -> entries.add(new Value((int) tag, value));
            default -> { } // other offsets are ignored, as a device ignores reserved registers
        }
    }

    /** Everything logged so far, in order. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The exceptions logged so far. */
    public List<Exception> exceptions() {
        return entries.stream().filter(e -> e instanceof Exception).map(e -> (Exception) e).toList();
    }

    /** The values logged under {@code tag}, in order. */
    public List<Long> values(int tag) {
        return entries.stream().filter(e -> e instanceof Value v && v.tag() == tag).map(e -> ((Value) e).value()).toList();
    }

    public void clear() {
        entries.clear();
    }
}
