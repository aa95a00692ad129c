package dev.debuglab.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.mem.PhysicalMemory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A released memory's instruction cache serves the next memory over the same pooled RAM array
 * ({@link InstructionCache#reattach}, {@link InstructionCache#verify}): a program run on reused memory must give
 * exactly what it gives on new memory — the same program (blocks kept), another one at the same addresses, a variant
 * differing in a few words, a program that rewrote its own code last time — while the blocks of unchanged code are
 * the very objects built before.
 */
class InstructionCacheReuseTest {
    /** A RAM size of these tests' own, so that their pool holds only their arrays. */
    static final int SIZE = (1 << 19) + (1 << 12);

    static BasicBlock blockAt(PhysicalMemory mem, long pc) {
        InstructionCache c = InstructionCache.of(mem);
        long off = pc - BasicBlockTest.RAM;
        BasicBlock[] page = c.blocks[(int) (off >>> InstructionCache.PAGE_SHIFT)];
        return page == null ? null : page[(int) (off >>> 2) & (InstructionCache.PAGE_WORDS - 1)];
    }

    /** Runs {@code src} at CODE for up to 200 boundaries; the PE's state afterwards. */
    static String run(PhysicalMemory mem, String src) {
        BasicBlockTest.Pe pe = new BasicBlockTest.Pe(mem).code(BasicBlockTest.CODE, src);
        long n = Interpreter.run(pe.cpu, 200);
        return n + "\n" + BasicBlockTest.state(pe.cpu) + pe.exceptions;
    }

    static String program(int adds, int extra) {
        StringBuilder s = new StringBuilder("mov x0, #0\n");
        for (int i = 0; i < adds; i++) s.append(i == 80 ? "add x0, x0, #" + extra + "\n" : "add x0, x0, #1\n");
        return s.append("brk #1\n").toString();
    }

    @Test
    void theSameProgramKeepsItsBlocksAndAChangedWordIsDecodedAgain() {
        String p = program(100, 1), variant = program(100, 7);
        PhysicalMemory a = PhysicalMemory.pooled(BasicBlockTest.RAM, SIZE);
        String first = run(a, p);
        BasicBlock entry = blockAt(a, BasicBlockTest.CODE), second = blockAt(a, BasicBlockTest.CODE + 4 * 64);
        a.release();

        PhysicalMemory b = PhysicalMemory.pooled(BasicBlockTest.RAM, SIZE);
        assertSame(a.ram, b.ram, "the pooled array");
        assertEquals(first, run(b, p));
        assertEquals(run(new PhysicalMemory(BasicBlockTest.RAM, SIZE), p), first, "the same as on new memory");
        assertSame(entry, blockAt(b, BasicBlockTest.CODE), "the block of unchanged code is kept");
        b.release();

        PhysicalMemory c = PhysicalMemory.pooled(BasicBlockTest.RAM, SIZE);
        String changed = run(c, variant);
        assertEquals(run(new PhysicalMemory(BasicBlockTest.RAM, SIZE), variant), changed, "the variant, as on new memory");
        assertTrue(changed.contains("x=[106,"), changed);
        assertSame(entry, blockAt(c, BasicBlockTest.CODE), "the first block (words 0..63) did not change");
        assertNotSame(second, blockAt(c, BasicBlockTest.CODE + 4 * 64), "the block holding the changed word was rebuilt");
        c.release();

        PhysicalMemory d = PhysicalMemory.pooled(BasicBlockTest.RAM, SIZE);
        String empty = run(d, "");
        assertEquals(run(new PhysicalMemory(BasicBlockTest.RAM, SIZE), ""), empty, "zeroed RAM: UNDEFINED, not the old code");
        d.release();
    }

    /** A VM that loads other code and is released without running must not make the cache take that code for its own. */
    @Test
    void aMemoryReleasedWithoutRunningLeavesTheCacheUnverified() {
        String p = program(100, 1), other = program(100, 9);
        PhysicalMemory a = PhysicalMemory.pooled(BasicBlockTest.RAM, SIZE);
        run(a, p);
        a.release();
        PhysicalMemory b = PhysicalMemory.pooled(BasicBlockTest.RAM, SIZE);
        b.load(BasicBlockTest.CODE, Assembler.assemble(BasicBlockTest.CODE, other).bytes()); // loaded, never run
        b.release();
        PhysicalMemory c = PhysicalMemory.pooled(BasicBlockTest.RAM, SIZE);
        String r = run(c, other);
        assertEquals(run(new PhysicalMemory(BasicBlockTest.RAM, SIZE), other), r, "the other program, not p's decoded words");
        assertTrue(r.contains("x=[108,"), r);
        c.release();
    }

    /**
     * Random programs (some sharing most words, some rewriting their own code, stores into code included) run back to
     * back on pooled memory, each compared with the same program on new memory: counts, exceptions, PE and RAM.
     */
    @Test
    void randomProgramsOnReusedMemoryEqualNewMemory() {
        SplittableRandom rnd = new SplittableRandom(0xCAC4EL);
        String[] forms = {"add x%d, x%d, #%d", "eor x%d, x%d, x%d", "subs x%d, x%d, #%d", "orr x%d, x%d, x%d", "ldr x%d, [x%d]",
            "str x%d, [x%d]", "str w9, [x8]", "adr x8, 8", "b.ne 0x%3$x", "cbz x%2$d, 0x%3$x", "bl 0x%3$x", "ret x%2$d", "brk #3",
            "eret", "msr mdscr_el1, x7", "msr daifclr, #8"};
        int[][] bases = new int[3][];
        for (int b = 0; b < bases.length; b++) {
            bases[b] = new int[3 * 1024];
            for (int i = 0; i < bases[b].length; i++) {
                String f = forms[rnd.nextInt(100) < 60 ? rnd.nextInt(4) : rnd.nextInt(forms.length)];
                int third = f.contains("0x") ? 0x1000 + 4 * (rnd.nextInt(128) - 64) : f.contains("#") ? rnd.nextInt(4096) : rnd.nextInt(31);
                bases[b][i] = Assembler.assembleOne(0x1000, String.format(f, rnd.nextInt(31), rnd.nextInt(31), third));
            }
        }
        for (int run = 0; run < 60; run++) {
            int[] words = bases[rnd.nextInt(bases.length)].clone();
            if (rnd.nextBoolean()) for (int k = rnd.nextInt(1, 6); k > 0; k--) words[rnd.nextInt(words.length)] = bases[0][rnd.nextInt(words.length)];
            long[] budgets = new long[20];
            for (int i = 0; i < budgets.length; i++) budgets[i] = 1 + rnd.nextInt(300);
            long xSeed = rnd.nextLong();
            boolean breakpoints = rnd.nextBoolean();
            PhysicalMemory pooled = PhysicalMemory.pooled(BasicBlockTest.RAM, SIZE);
            String reused = BasicBlockTest.runProgram(words, budgets, xSeed, true, breakpoints, new BasicBlockTest.Pe[1], 0, pooled);
            pooled.release();
            String fresh = BasicBlockTest.runProgram(words, budgets, xSeed, true, breakpoints, new BasicBlockTest.Pe[1], 0,
                    new PhysicalMemory(BasicBlockTest.RAM, SIZE));
            assertEquals(fresh, reused, "run " + run);
        }
    }
}
