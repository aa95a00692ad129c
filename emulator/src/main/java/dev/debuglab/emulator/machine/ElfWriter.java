package dev.debuglab.emulator.machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the smallest ELF64 executable that {@link ElfLoader} and QEMU's {@code -kernel} accept:
 * an ELF header, one program header ({@code PT_LOAD}, RWX, physical = virtual = {@code base}) and
 * the code bytes. No section headers: a loader needs only the program headers. Used by tests and
 * by the DSL to turn assembled bytes into a runnable program.
 */
public final class ElfWriter {
    private ElfWriter() {}

    /** Segment data starts at this file offset (64-byte aligned after the two headers). */
    static final int DATA_OFFSET = 0x80;

    /** An executable whose single segment holds {@code code} at {@code base}, entered at {@code entry}. */
    public static byte[] write(byte[] code, long base, long entry) {
        return write(code, base, entry, code.length);
    }

    /**
     * As {@link #write(byte[], long, long)}, with the segment's memory size {@code memSize}
     * ({@code >= code.length}); the part past the code is zero-filled by the loader (a BSS).
     */
    public static byte[] write(byte[] code, long base, long entry, long memSize) {
        if (memSize < code.length) throw new IllegalArgumentException("memSize < code length");
        ByteBuffer b = ByteBuffer.allocate(DATA_OFFSET + code.length).order(ByteOrder.LITTLE_ENDIAN);
        // e_ident
        b.put(new byte[] {0x7F, 'E', 'L', 'F', ElfLoader.ELFCLASS64, ElfLoader.ELFDATA2LSB, 1 /* EV_CURRENT */});
        b.position(16);
        b.putShort((short) ElfLoader.ET_EXEC);
        b.putShort((short) ElfLoader.EM_AARCH64);
        b.putInt(1); // e_version
        b.putLong(entry);
        b.putLong(ElfLoader.EHDR_SIZE); // e_phoff
        b.putLong(0); // e_shoff
        b.putInt(0); // e_flags
        b.putShort((short) ElfLoader.EHDR_SIZE); // e_ehsize
        b.putShort((short) ElfLoader.PHDR_SIZE); // e_phentsize
        b.putShort((short) 1); // e_phnum
        b.putShort((short) 64); // e_shentsize
        b.putShort((short) 0); // e_shnum
        b.putShort((short) 0); // e_shstrndx
        // program header
        b.putInt(ElfLoader.PT_LOAD);
        b.putInt(7); // PF_R | PF_W | PF_X
        b.putLong(DATA_OFFSET); // p_offset
        b.putLong(base); // p_vaddr
        b.putLong(base); // p_paddr
        b.putLong(code.length); // p_filesz
        b.putLong(memSize); // p_memsz
        b.putLong(16); // p_align
        b.position(DATA_OFFSET);
        b.put(code);
        return b.array();
    }

    /** Writes the executable to {@code file}. */
    public static void write(Path file, byte[] code, long base, long entry) {
        try {
            Files.write(file, write(code, base, entry));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
