package dev.debuglab.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.testkit.Toolchain;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ElfLoaderTest {
    static final byte[] CODE = {0x1F, 0x20, 0x03, (byte) 0xD5, 0x00, 0x00, 0x20, (byte) 0xD4}; // NOP; BRK #0

    @Test
    void writerOutputLoadsBack() {
        ElfImage img = ElfLoader.parse(ElfWriter.write(CODE, 0x4000_1000L, 0x4000_1004L, 64), "w.elf");
        assertEquals(0x4000_1004L, img.entry());
        assertEquals(1, img.segments().size());
        ElfImage.Segment s = img.segments().get(0);
        assertEquals(0x4000_1000L, s.address());
        assertEquals(64, s.bytes().length, "memory size, BSS zero-filled");
        assertArrayEquals(CODE, java.util.Arrays.copyOf(s.bytes(), CODE.length));
        assertEquals(0, s.bytes()[63]);
    }

    @Test
    void gnuLinkedProgramLoadsIntoRamDespiteItsHeaderSegmentBelowRam() throws Exception {
        // ld -Ttext=0x40000000 maps the ELF header into the first PT_LOAD, 64 KiB below RAM.
        Path elf = Toolchain.asmBare("""
                        .text
                        .global _start
                _start: mov x0, #1
                        .data
                value:  .quad 0x1122334455667788
                """);
        ElfImage img = ElfLoader.load(elf);
        assertTrue(img.segments().get(0).address() < VirtMachine.RAM_BASE, "header segment starts below RAM");
        VirtMachine m = new VirtMachine(new ByteArrayOutputStream(), new ByteArrayOutputStream());
        m.load(img);
        m.reset(VirtMachine.Start.EL2);
        assertEquals(VirtMachine.RAM_BASE, m.cpu.pc);
        assertEquals(0xD2800020L, m.mem.read(VirtMachine.RAM_BASE, 4), "MOV X0, #1 at the entry");
        byte[] bytes = Files.readAllBytes(elf);
        assertEquals(0x7F, bytes[0]);
    }

    @Test
    void segmentOutsideRamIsRejectedWithTheFix() {
        ElfImage img = ElfLoader.parse(ElfWriter.write(CODE, 0x1000, 0x1000), "low.elf");
        VirtMachine m = new VirtMachine(new ByteArrayOutputStream(), new ByteArrayOutputStream());
        MachineException e = assertThrows(MachineException.class, () -> m.load(img));
        assertTrue(e.getMessage().contains("outside RAM") && e.getMessage().contains("-Ttext=0x40000000"), e.getMessage());
    }

    @Test
    void segmentPastTheEndOfRamIsRejected() {
        ElfImage img = ElfLoader.parse(ElfWriter.write(CODE, 0x4000_0000L + (128 << 20) - 4, 0x4000_0000L), "high.elf");
        VirtMachine m = new VirtMachine(new ByteArrayOutputStream(), new ByteArrayOutputStream());
        MachineException e = assertThrows(MachineException.class, () -> m.load(img));
        assertTrue(e.getMessage().contains("outside RAM"), e.getMessage());
    }

    @Test
    void entryOutsideRamIsRejected() {
        ElfImage img = ElfLoader.parse(ElfWriter.write(CODE, 0x4000_0000L, 0x10), "entry.elf");
        VirtMachine m = new VirtMachine(new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertTrue(assertThrows(MachineException.class, () -> m.load(img)).getMessage().contains("entry point 0x10"));
    }

    private static String error(byte[] bytes) {
        MachineException e = assertThrows(MachineException.class, () -> ElfLoader.parse(bytes, "bad.elf"));
        assertTrue(e.getMessage().startsWith("bad.elf: "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static byte[] patched(int offset, int value, int size) {
        byte[] b = ElfWriter.write(CODE, 0x4000_0000L, 0x4000_0000L);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (size == 1) bb.put(offset, (byte) value);
        else if (size == 2) bb.putShort(offset, (short) value);
        else bb.putInt(offset, value);
        return b;
    }

    @Test
    void badFilesGiveOneClearLine() {
        assertTrue(error("#!/bin/sh\necho hi\n".getBytes()).contains("not an ELF file"));
        assertTrue(error(new byte[0]).contains("not an ELF file"));
        assertTrue(error(java.util.Arrays.copyOf(ElfWriter.write(CODE, 0x4000_0000L, 0x4000_0000L), 40)).contains("truncated"));
        assertTrue(error(patched(4, 1, 1)).contains("32-bit"));
        assertTrue(error(patched(5, 2, 1)).contains("big-endian"));
        assertTrue(error(patched(18, 62, 2)).contains("x86-64"));
        assertTrue(error(patched(16, 3, 2)).contains("position-independent"));
        assertTrue(error(patched(16, 1, 2)).contains("not an executable"));
        assertTrue(error(patched(56, 0, 2)).contains("no program headers"));
        assertTrue(error(patched(64, 4, 4)).contains("no loadable"), "PT_NOTE instead of PT_LOAD");
        assertTrue(error(java.util.Arrays.copyOf(ElfWriter.write(CODE, 0x4000_0000L, 0x4000_0000L), 0x82)).contains("past the end"));
    }

    @Test
    void missingFileIsNamed() {
        MachineException e = assertThrows(MachineException.class, () -> ElfLoader.load(Path.of("/nonexistent/x.elf")));
        assertEquals("/nonexistent/x.elf: no such file; give the path of an AArch64 ELF executable", e.getMessage());
    }
}
