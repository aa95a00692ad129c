package dev.debuglab.emulator.machine;

import java.util.List;

/**
 * A loadable bare-metal program: its entry point and the bytes to place at physical addresses.
 * This is what {@link ElfLoader} extracts from an ELF file and what {@link VirtMachine#load}
 * copies into RAM (MMU off, so the ELF's physical address is where the bytes go).
 *
 * @param entry    the ELF entry point ({@code e_entry}); the PE starts here
 * @param segments the PT_LOAD segments, already expanded to their memory size (BSS zero-filled)
 */
public record ElfImage(long entry, List<Segment> segments) {

    /**
     * One PT_LOAD segment as it lies in memory.
     *
     * @param address     physical address of the first byte ({@code p_paddr})
     * @param bytes       {@code p_memsz} bytes: the file image followed by zeros
     * @param headerBytes how many leading bytes are the ELF header and program header table
     *                    (non-zero only for a segment that maps the start of the file, as
     *                    {@code ld -Ttext=ADDR} produces); they are not part of the program
     */
    public record Segment(long address, byte[] bytes, int headerBytes) {
        public Segment(long address, byte[] bytes) {
            this(address, bytes, 0);
        }

        public long end() {
            return address + bytes.length;
        }
    }

    public ElfImage {
        segments = List.copyOf(segments);
    }
}
