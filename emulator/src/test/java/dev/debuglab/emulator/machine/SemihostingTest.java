package dev.debuglab.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The handler on its own (the QEMU comparison is SemihostingQemuTest). */
class SemihostingTest {
    final ByteArrayOutputStream uart = new ByteArrayOutputStream(), console = new ByteArrayOutputStream();
    final VirtMachine m = new VirtMachine(1 << 20, uart, console);
    static final long BLOCK = VirtMachine.RAM_BASE + 0x100, TEXT = VirtMachine.RAM_BASE + 0x200;

    void call(int op, long param) {
        m.cpu.x[0] = op;
        m.cpu.x[1] = param;
        m.semihosting.call(m.cpu);
    }

    @Test
    void writecAndWrite0GoToTheConsoleStream() {
        m.mem.write(TEXT, 1, 'Z');
        call(Semihosting.SYS_WRITEC, TEXT);
        byte[] s = "hello\n\0".getBytes();
        for (int i = 0; i < s.length; i++) m.mem.write(TEXT + 8 + i, 1, s[i]);
        call(Semihosting.SYS_WRITE0, TEXT + 8);
        assertEquals("Zhello\n", console.toString());
        assertEquals("", uart.toString());
        assertFalse(m.cpu.halted);
    }

    @Test
    void applicationExitReturnsTheSubcode() {
        m.mem.write(BLOCK, 8, Semihosting.ADP_Stopped_ApplicationExit);
        m.mem.write(BLOCK + 8, 8, 42);
        call(Semihosting.SYS_EXIT, BLOCK);
        assertTrue(m.cpu.halted);
        assertTrue(m.semihosting.exited);
        assertEquals(42, m.semihosting.exitCode);
    }

    @Test
    void anyOtherReasonExitsWithOne() {
        m.mem.write(BLOCK, 8, 0x20023); // ADP_Stopped_RunTimeErrorUnknown
        m.mem.write(BLOCK + 8, 8, 42);
        call(Semihosting.SYS_EXIT_EXTENDED, BLOCK);
        assertEquals(1, m.semihosting.exitCode);
    }

    @Test
    void unsupportedCallStopsWithItsNumber() {
        call(0x16, BLOCK); // SYS_HEAPINFO
        assertTrue(m.cpu.halted);
        assertFalse(m.semihosting.exited);
        assertTrue(m.cpu.stopReason.contains("0x16"), m.cpu.stopReason);
    }
}
