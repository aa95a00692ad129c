package dev.debuglab.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.mem.PhysicalMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * A PE with 1 MiB of RAM at 0x4000_0000 for per-instruction tests: instruction words are written
 * at {@link #CODE} and executed through the {@link Interpreter}; exceptions are recorded.
 * Starts at EL1h (SP_EL1) with VBAR_EL1/VBAR_EL2 pointing into RAM.
 */
final class Harness {
    static final long RAM = 0x4000_0000L, CODE = RAM + 0x1000, DATA = RAM + 0x8_0000, VBAR = RAM + 0x2_0000;

    record Taken(int ec, int iss, int fromEl, int toEl, long elr, Long far, long vector) {}

    final PhysicalMemory mem = new PhysicalMemory(RAM, 1 << 20);
    final Cpu cpu = new Cpu(mem);
    final List<Taken> exceptions = new ArrayList<>();

    Harness() {
        cpu.el = 1;
        cpu.spSel = 1;
        cpu.pc = CODE;
        cpu.sys.vbar[1] = VBAR;
        cpu.sys.vbar[2] = VBAR + 0x1_0000;
        cpu.sp[1] = DATA + 0x1000;
        cpu.exceptionListener = (r, from, to, esr, elr, vector) -> exceptions.add(new Taken((int) (esr >>> 26) & 0x3F,
                (int) esr & 0x1FFFFFF, from, to, elr, r.hasFar() ? r.far() : null, vector));
    }

    /** Writes {@code words} at {@link #CODE} onwards and resets PC there. */
    Harness code(int... words) {
        for (int i = 0; i < words.length; i++) mem.write(CODE + 4L * i, 4, words[i]);
        cpu.pc = CODE;
        return this;
    }

    /** Executes one instruction word at PC (one instruction boundary of the interpreter). */
    Harness exec(int word) {
        mem.write(cpu.pc, 4, word);
        Interpreter.step(cpu);
        return this;
    }

    Harness x(int n, long v) {
        cpu.x[n] = v;
        return this;
    }

    long x(int n) {
        return cpu.x[n];
    }

    Harness nzcv(int flags) {
        cpu.nzcv = flags;
        return this;
    }

    /** Asserts the instruction completed: no exception, PC advanced by 4 from {@code from}. */
    void assertCompleted(long from) {
        assertTrue(exceptions.isEmpty(), () -> "unexpected exception " + exceptions);
        assertEquals(from + 4, cpu.pc, "PC after a non-branch instruction");
    }

    /** Asserts exactly one exception with class {@code ec} taken with ELR {@code elr}. */
    Taken assertException(int ec, long elr) {
        assertEquals(1, exceptions.size(), () -> "exceptions: " + exceptions);
        Taken t = exceptions.get(0);
        assertEquals(ec, t.ec, () -> String.format("EC 0x%02X expected, got %s", ec, t));
        assertEquals(elr, t.elr, "ELR");
        return t;
    }

    /** The instruction at {@code pc} was UNDEFINED (EC 0x00, ELR = that instruction). */
    void assertUndefined(long pc) {
        assertException(0x00, pc);
    }

    static String flags(int nzcv) {
        return "" + ((nzcv & 8) != 0 ? 'N' : 'n') + ((nzcv & 4) != 0 ? 'Z' : 'z') + ((nzcv & 2) != 0 ? 'C' : 'c')
                + ((nzcv & 1) != 0 ? 'V' : 'v');
    }

    void assertFlags(String expected) {
        assertEquals(expected, flags(cpu.nzcv), "NZCV");
    }
}
