package dev.debuglab.emulator.machine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a bare-metal AArch64 executable: ELF64, little-endian, {@code EM_AARCH64}, type
 * {@code ET_EXEC}; every {@code PT_LOAD} segment is placed at its physical address
 * ({@code p_paddr}, as QEMU's {@code -kernel} loader does for an ELF) and expanded to
 * {@code p_memsz} with zeros. Every malformed input is reported as a {@link MachineException}
 * whose message names the problem and what to do.
 *
 * <p>Layout facts used (System V gABI, "ELF Header" and "Program Header"): the identification
 * bytes {@code EI_CLASS} at 4, {@code EI_DATA} at 5; {@code e_type} at 16, {@code e_machine} at 18,
 * {@code e_entry} at 24, {@code e_phoff} at 32, {@code e_phentsize} at 54, {@code e_phnum} at 56;
 * in a program header {@code p_type} at 0, {@code p_offset} at 8, {@code p_paddr} at 24,
 * {@code p_filesz} at 32, {@code p_memsz} at 40.
 */
public final class ElfLoader {
    private ElfLoader() {}

    static final int EI_CLASS = 4, EI_DATA = 5;
    static final int ELFCLASS64 = 2, ELFDATA2LSB = 1;
    static final int ET_EXEC = 2, ET_DYN = 3;
    static final int EM_AARCH64 = 183;
    static final int PT_LOAD = 1;
    static final int EHDR_SIZE = 64, PHDR_SIZE = 56;

    /** Reads and parses {@code file}. */
    public static ElfImage load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MachineException(file + ": no such file; give the path of an AArch64 ELF executable");
        } catch (IOException e) {
            throw new MachineException(file + ": cannot be read (" + e.getMessage() + "); check the path and its permissions");
        }
        return parse(bytes, file.toString());
    }

    /** Parses an ELF image held in memory; {@code name} is used in error messages. */
    public static ElfImage parse(byte[] bytes, String name) {
        if (bytes.length < 4 || bytes[0] != 0x7F || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F')
            throw new MachineException(name + ": not an ELF file (no \\x7fELF magic); give an AArch64 ELF executable, e.g. linked with aarch64-linux-gnu-ld -Ttext=0x40000000");
        if (bytes.length < EHDR_SIZE)
            throw new MachineException(name + ": truncated ELF file (" + bytes.length + " bytes, shorter than the ELF header); rebuild it");
        if (bytes[EI_CLASS] != ELFCLASS64)
            throw new MachineException(name + ": a 32-bit ELF file; DebugLab runs AArch64 (ELF64) programs only — build with aarch64-linux-gnu-gcc/as");
        if (bytes[EI_DATA] != ELFDATA2LSB)
            throw new MachineException(name + ": a big-endian ELF file; DebugLab runs little-endian AArch64 programs only");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int machine = b.getShort(18) & 0xFFFF;
        if (machine != EM_AARCH64)
            throw new MachineException(name + ": an ELF file for " + machineName(machine) + ", not AArch64; build it with the aarch64-linux-gnu- tools");
        int type = b.getShort(16) & 0xFFFF;
        if (type == ET_DYN)
            throw new MachineException(name + ": a position-independent (ET_DYN) ELF; link a fixed-address executable (e.g. -static -no-pie, -Ttext=0x40000000)");
        if (type != ET_EXEC)
            throw new MachineException(name + ": ELF type " + type + " is not an executable (ET_EXEC); link the object file first");
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xFFFF;
        int phnum = b.getShort(56) & 0xFFFF;
        if (phnum == 0)
            throw new MachineException(name + ": the ELF has no program headers, so nothing to load; link it as an executable");
        if (phentsize < PHDR_SIZE || phoff < 0 || phoff + (long) phnum * phentsize > bytes.length)
            throw new MachineException(name + ": the program header table lies outside the file (truncated or corrupt ELF); rebuild it");
        long headerEnd = phoff + (long) phnum * phentsize;
        List<ElfImage.Segment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (b.getInt(ph) != PT_LOAD) continue;
            long offset = b.getLong(ph + 8);
            long paddr = b.getLong(ph + 24);
            long filesz = b.getLong(ph + 32);
            long memsz = b.getLong(ph + 40);
            if (memsz == 0) continue;
            if (filesz < 0 || memsz < 0 || filesz > memsz)
                throw new MachineException(name + ": PT_LOAD segment " + i + " has file size " + filesz + " larger than its memory size " + memsz + " (corrupt ELF)");
            if (memsz > Integer.MAX_VALUE - 8)
                throw new MachineException(name + ": PT_LOAD segment " + i + " is " + memsz + " bytes, larger than any RAM this machine offers");
            if (offset < 0 || offset + filesz > bytes.length)
                throw new MachineException(name + ": PT_LOAD segment " + i + " extends past the end of the file (truncated ELF); rebuild it");
            byte[] image = new byte[(int) memsz];
            System.arraycopy(bytes, (int) offset, image, 0, (int) filesz);
            int headerBytes = offset == 0 ? (int) Math.min(headerEnd, filesz) : 0;
            segments.add(new ElfImage.Segment(paddr, image, headerBytes));
        }
        if (segments.isEmpty())
            throw new MachineException(name + ": the ELF has no loadable (PT_LOAD) segment; link it as an executable");
        return new ElfImage(entry, segments);
    }

    private static String machineName(int machine) {
        switch (machine) {
            case 3: return "x86 (EM_386)";
            case 40: return "32-bit Arm (EM_ARM)";
            case 62: return "x86-64 (EM_X86_64)";
            case 243: return "RISC-V (EM_RISCV)";
            default: return "machine " + machine;
        }
    }
}
