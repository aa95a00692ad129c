package dev.debuglab.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debuglab.emulator.arch.ExceptionClass;
import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.Interpreter;
import dev.debuglab.emulator.isa.Encoding;
import dev.debuglab.emulator.isa.Encodings;
import java.io.OutputStream;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random instruction words, each executed once at EL0, EL1 or EL2 from a safe state (registers
 * pointing into RAM, vectors in RAM): every word must either complete or take an architectural
 * exception — a known EC, to an EL no lower than the one it came from (and never EL0), entering
 * at VBAR_ELt plus the right vector group — and no Java exception may escape the interpreter.
 * Half the words are uniformly random (mostly unallocated or out-of-scope encodings, which must
 * be UNDEFINED), half are drawn from the encoding table with random fields, so every execute
 * routine is reached. The count is {@code -Ddebuglab.fuzz.words} (CI: 10^6; bench/run.sh runs longer).
 */
class RandomWordFuzzTest {
    static final long CODE = VirtMachine.RAM_BASE + 0x8000;
    static final long VBAR1 = VirtMachine.RAM_BASE + 0x1000, VBAR2 = VirtMachine.RAM_BASE + 0x2000;
    static final int RAM = 1 << 20;

    @Test
    void randomWordsCompleteOrTakeAnArchitecturalException() {
        long words = Long.getLong("debuglab.fuzz.words", 1_000_000L);
        long seed = Long.getLong("debuglab.fuzz.seed", 0x5EED_DEB6L);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Encoding> table = Encodings.all();
        VirtMachine m = new VirtMachine(RAM, OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        Cpu cpu = m.cpu;
        cpu.semihosting = null; // HLT #0xF000 is UNDEFINED here, as on a bare PE
        int[] taken = new int[1];
        int[] lastTo = new int[1];
        long[] lastVector = new long[1];
        int[] lastEsr = new int[1];
        m.addExceptionListener((r, from, to, esr, elr, vector) -> {
            taken[0]++;
            lastTo[0] = to;
            lastVector[0] = vector;
            lastEsr[0] = (int) esr;
        });
        long exceptions = 0;
        for (long n = 0; n < words; n++) {
            int word;
            if (rnd.nextBoolean()) {
                word = rnd.nextInt();
            } else {
                Encoding e = table.get(rnd.nextInt(table.size()));
                word = (rnd.nextInt() & ~e.mask()) | e.value();
            }
            int el = rnd.nextInt(3);
            safeState(cpu, rnd, el);
            m.mem.write(CODE, 4, word);
            taken[0] = 0;
            try {
                Interpreter.step(cpu);
            } catch (Throwable t) {
                fail(String.format("word 0x%08X at EL%d (seed 0x%X, #%d): %s escaped the interpreter", word, el, seed, n, t), t);
            }
            if (taken[0] > 0) {
                exceptions++;
                int ec = lastEsr[0] >>> 26;
                int to = lastTo[0];
                if (ExceptionClass.of(ec) == null || to < Math.max(el, 1) || to > 2)
                    fail(String.format("word 0x%08X at EL%d: ESR 0x%08X to EL%d is not an exception this PE can take", word, el, lastEsr[0], to));
                long base = to == 1 ? VBAR1 : VBAR2;
                long expectedVector = base + (to == el ? 0x200 : 0x400);
                if (lastVector[0] != expectedVector)
                    fail(String.format("word 0x%08X at EL%d: entered 0x%X, expected the synchronous vector 0x%X", word, el, lastVector[0], expectedVector));
                assertEquals(to, cpu.el, "PSTATE.EL after the exception");
            }
        }
        assertTrue(exceptions > words / 10 && exceptions < words, "a plausible mix of completions and exceptions: " + exceptions + " of " + words);
    }

    /** Registers point into RAM (loads and stores mostly succeed), SP 16-byte aligned, debug off. */
    static void safeState(Cpu cpu, SplittableRandom rnd, int el) {
        for (int i = 0; i < 31; i++) cpu.x[i] = VirtMachine.RAM_BASE + 0x10000 + (rnd.nextInt(RAM - 0x20000) & ~7);
        if (rnd.nextInt(8) == 0) cpu.x[rnd.nextInt(31)] = rnd.nextLong(); // sometimes a wild address
        for (int i = 0; i < 3; i++) cpu.sp[i] = VirtMachine.RAM_BASE + 0x80000 + 0x1000L * i;
        cpu.el = el;
        cpu.spSel = 1;
        cpu.nzcv = rnd.nextInt(16);
        cpu.d = cpu.a = cpu.i = cpu.f = true;
        cpu.ss = cpu.il = false;
        cpu.halted = false;
        cpu.pc = CODE;
        cpu.sys.vbar[1] = VBAR1;
        cpu.sys.vbar[2] = VBAR2;
        cpu.sys.hcrEl2 = 1L << 31; // RW: EL1 is AArch64; no traps, no TGE
        cpu.sys.mdcrEl2 = 0;
        cpu.sys.mdscrEl1 = 0;
        cpu.sys.spsr[1] = 0x3C5;
        cpu.sys.spsr[2] = 0x3C9;
        cpu.sys.elr[1] = CODE + 4;
        cpu.sys.elr[2] = CODE + 4;
    }
}
