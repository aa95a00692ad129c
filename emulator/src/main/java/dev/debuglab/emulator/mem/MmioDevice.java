package dev.debuglab.emulator.mem;

/** A memory-mapped device: accesses arrive with the offset from the device's base. */
public interface MmioDevice {
    long read(long offset, int size);

    void write(long offset, int size, long value);
}
