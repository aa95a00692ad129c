package dev.debuglab.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Encoding;
import dev.debuglab.emulator.isa.Encodings;
import dev.debuglab.emulator.isa.Kind;
import dev.debuglab.emulator.isa.Program;
import dev.debuglab.emulator.mem.MmioDevice;
import dev.debuglab.emulator.mem.PhysicalMemory;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLSR_EL1;
import dev.debuglab.emulator.sysreg.SystemRegisters;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The interpreter's basic blocks (the fast path while no debug check is armed) against the
 * one-instruction-at-a-time loop: the same boundaries, counts and architectural results,
 * including a load that faults mid-block, a store into the block being executed, a budget that
 * ends inside a block, and a debug-state change that must be honoured at the very next boundary.
 */
class BasicBlockTest {
    static final long RAM = 0x4000_0000L, CODE = RAM + 0x8000, DATA = RAM + 0x4_0000;
    static final long VBAR1 = RAM + 0x1000, VBAR2 = RAM + 0x2000;

    /** A PE with 512 KiB of RAM at EL1, vectors in RAM, and a log of every exception it takes. */
    static final class Pe {
        final PhysicalMemory mem;
        final Cpu cpu;
        final List<String> exceptions = new ArrayList<>();
        /** Every exception taken, folded (random programs take many). */
        long exceptionHash;
        int exceptionCount, breakpoints;
        boolean log = true;

        Pe() {
            this(new PhysicalMemory(RAM, 1 << 19));
        }

        Pe(PhysicalMemory mem) {
            this.mem = mem;
            this.cpu = new Cpu(mem);
            cpu.el = 1;
            cpu.spSel = 1;
            cpu.pc = CODE;
            cpu.sys.vbar[1] = VBAR1;
            cpu.sys.vbar[2] = VBAR2;
            cpu.sys.hcrEl2 = 1L << 31; // RW: EL1 is AArch64
            cpu.sp[1] = DATA + 0x1000;
            cpu.exceptionListener = (r, from, to, esr, elr, vector) -> {
                exceptionCount++;
                if (esr >>> 26 == 0x30 || esr >>> 26 == 0x31) breakpoints++;
                exceptionHash = ((exceptionHash * 31 + esr) * 31 + from * 4 + to) * 31 + elr * 7 + vector;
                if (log) exceptions.add(String.format("ESR 0x%08X EL%d->EL%d ELR 0x%X vector 0x%X", esr, from, to, elr, vector));
            };
        }

        Pe code(long at, String source) {
            Program p = Assembler.assemble(at, source);
            mem.load(at, p.bytes());
            return this;
        }
    }

    // --- directed cases ------------------------------------------------------------------------------

    /** A budget that ends inside a block stops exactly there; the rest of the block runs next time. */
    @Test
    void budgetEndingInsideABlockStopsAtThatBoundary() {
        Pe pe = new Pe().code(CODE, "mov x0, #1\n add x0, x0, #1\n add x0, x0, #1\n add x0, x0, #1\n b .\n");
        assertEquals(3, Interpreter.run(pe.cpu, 3));
        assertEquals(CODE + 12, pe.cpu.pc);
        assertEquals(3, pe.cpu.x[0]);
        assertEquals(3, pe.cpu.instructionsRetired);
        assertEquals(2, Interpreter.run(pe.cpu, 2));
        assertEquals(4, pe.cpu.x[0]);
        assertEquals(CODE + 16, pe.cpu.pc);
    }

    /** A load that takes a Data Abort mid-block ends the block: the following instructions do not run. */
    @Test
    void dataAbortMidBlockStopsTheBlockAtOnce() {
        Pe pe = new Pe().code(CODE, "mov x1, #5\n ldr x2, [x3]\n mov x1, #6\n mov x4, #7\n b .\n")
                .code(VBAR1 + 0x200, "b .\n");
        pe.cpu.x[3] = 0x1000; // outside RAM: synchronous External abort
        assertEquals(5, Interpreter.run(pe.cpu, 5)); // the budget holds the whole block
        assertEquals(List.of(String.format("ESR 0x96000010 EL1->EL1 ELR 0x%X vector 0x%X", CODE + 4, VBAR1 + 0x200)),
                pe.exceptions);
        assertEquals(5, pe.cpu.x[1], "MOV after the faulting LDR must not run");
        assertEquals(0, pe.cpu.x[4]);
        assertEquals(VBAR1 + 0x200, pe.cpu.pc, "boundaries 3 to 5 are the handler's B .");
    }

    /** A store to a device that halts the PE ends the block: nothing after it runs. */
    @Test
    void deviceHaltingThePeStopsTheBlock() {
        Pe pe = new Pe().code(CODE, "str x1, [x2]\n add x3, x3, #1\n add x3, x3, #1\n b .\n");
        pe.mem.map(0x0900_0000L, 0x1000, new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                pe.cpu.halted = true; // e.g. a power-off register
            }
        });
        pe.cpu.x[2] = 0x0900_0000L;
        assertEquals(1, Interpreter.run(pe.cpu, 4));
        assertEquals(0, pe.cpu.x[3]);
        assertEquals(CODE + 4, pe.cpu.pc);
    }

    /** A store into a later word of the block being executed takes effect on that word's fetch. */
    @Test
    void storeIntoTheRunningBlockTakesEffectAtTheNextFetch() {
        int movz42 = Assembler.assembleOne(0, "movz x3, #42");
        Pe pe = new Pe().code(CODE, "str w1, [x2]\n movz x3, #7\n add x3, x3, #1\n b .\n");
        pe.cpu.x[1] = movz42 & 0xFFFFFFFFL;
        pe.cpu.x[2] = CODE + 4;
        assertEquals(4, Interpreter.run(pe.cpu, 4)); // the budget holds the whole block
        assertEquals(43, pe.cpu.x[3]);
        assertEquals(CODE + 12, pe.cpu.pc);
    }

    /** A store that rewrites an already cached block is seen the next time the block runs. */
    @Test
    void rewrittenBlockIsRebuilt() {
        Pe pe = new Pe().code(CODE, "add x0, x0, #1\n add x0, x0, #1\n ret\n");
        pe.cpu.x[30] = CODE;
        assertEquals(6, Interpreter.run(pe.cpu, 6));
        assertEquals(4, pe.cpu.x[0]);
        pe.mem.write(CODE + 4, 4, Assembler.assembleOne(0, "add x0, x0, #100"));
        assertEquals(3, Interpreter.run(pe.cpu, 3));
        assertEquals(105, pe.cpu.x[0]);
    }

    /** MSR MDSCR_EL1 enabling Software Step ends the block: the step exception is the next boundary. */
    @Test
    void enablingSoftwareStepIsHonouredAtTheNextBoundary() {
        Pe pe = new Pe().code(CODE, "msr mdscr_el1, x0\n add x1, x1, #1\n add x1, x1, #1\n b .\n")
                .code(VBAR1 + 0x200, "b .\n");
        pe.cpu.sys.oslsrEl1 = OSLSR_EL1.OSLM_IMPLEMENTED; // OS Lock unlocked
        pe.cpu.d = false;
        pe.cpu.x[0] = (1 << 13) | 1; // KDE, SS
        assertEquals(2, Interpreter.run(pe.cpu, 2));
        assertEquals(0, pe.cpu.x[1], "the ADD after the MSR is not executed: the step exception comes first");
        assertEquals(1, pe.exceptions.size());
        assertTrue(pe.exceptions.get(0).startsWith("ESR 0xCE"), pe.exceptions.toString()); // EC 0x33, same EL
    }

    /** Blocks leave exceptionTaken/eretExecuted describing the last boundary, as the one-at-a-time loop does. */
    @Test
    void lastBoundaryFlagsAreThoseOfTheLastInstruction() {
        Pe pe = new Pe().code(CODE, "add x1, x1, #1\n brk #0\n").code(VBAR1 + 0x200, "add x5, x5, #1\n eret\n");
        pe.cpu.sys.spsr[1] = 0x3C5;
        assertEquals(2, Interpreter.run(pe.cpu, 2)); // one block: ADD, then BRK takes its exception
        assertTrue(pe.cpu.exceptionTaken);
        assertFalse(pe.cpu.eretExecuted);
        assertEquals(2, Interpreter.run(pe.cpu, 2)); // the handler's block: ADD, ERET
        assertFalse(pe.cpu.exceptionTaken);
        assertTrue(pe.cpu.eretExecuted);
        assertEquals(CODE + 4, pe.cpu.pc);
    }

    // --- random programs ------------------------------------------------------------------------------

    /**
     * Random code (table-drawn words, biased towards the forms blocks hold, plus stores into the
     * code, faulting loads, MSR to the debug registers, BRK and ERET) run in random budgets with
     * and without blocks: every budget must process the same number of boundaries, and the
     * PE, the RAM and the exceptions taken must end up the same.
     */
    @Test
    void randomProgramsBehaveAsTheOneInstructionLoop() {
        SplittableRandom rnd = new SplittableRandom(0xB10C5L);
        List<Encoding> blockKinds = new ArrayList<>(), others = new ArrayList<>();
        for (Encoding e : Encodings.all()) {
            boolean inBlock = switch (e.kind()) {
                case ADD_SUB_IMM, LOGICAL_IMM, MOVE_WIDE, BITFIELD, LOGICAL_SHIFTED, ADD_SUB_SHIFTED, ADD_SUB_EXT,
                        ADC_SBC, COND_SELECT, COND_COMPARE, LDST_IMM9, LDST_UIMM, LDST_PAIR, LDST_REG -> true;
                default -> false;
            };
            (inBlock ? blockKinds : others).add(e);
        }
        int[] special = {
            Assembler.assembleOne(0, "msr mdscr_el1, x7"),
            Assembler.assembleOne(0, "msr daifclr, #8"),
            Assembler.assembleOne(0, "msr oslar_el1, xzr"),
            Assembler.assembleOne(0, "brk #1"),
            Assembler.assembleOne(0, "eret"),
            Assembler.assembleOne(0, "str w9, [x8]"),
            Assembler.assembleOne(0, "ldr x10, [x11]"),
            Assembler.assembleOne(0x1000, "b.ne 0xff0"),
            Assembler.assembleOne(0x1000, "cbnz x12, 0xfe0"),
            Assembler.assembleOne(0, "subs x13, x13, #1"),
        };
        // The HotOp forms (blocks run them through a switch, the one-instruction loop through
        // their own execute), with random registers; few random table words land on them.
        String[] templates = {"add x%d, x%d, #%d", "sub x%d, x%d, #%d", "adds x%d, x%d, #%d", "subs x%d, x%d, #%d",
            "cmp x%2$d, #%3$d", "cmn x%2$d, #%3$d", "add x%d, x%d, x%d", "sub x%d, x%d, x%d", "adds x%d, x%d, x%d",
            "subs x%d, x%d, x%d", "cmp x%2$d, x%3$d", "and x%d, x%d, x%d", "orr x%d, x%d, x%d", "eor x%d, x%d, x%d",
            "mov x%d, x%d", "movz x%d, #%3$d", "movn w%d, #%3$d", "b.ne 0x%3$x", "b.lt 0x%3$x", "cbz x%2$d, 0x%3$x",
            "cbnz w%2$d, 0x%3$x", "b 0x%3$x", "bl 0x%3$x", "ret x%2$d", "br x%2$d"};
        int[] hotForms = new int[400];
        for (int i = 0; i < hotForms.length; i++) {
            String t = templates[i % templates.length];
            int third = t.contains("0x") ? 0x1000 + 4 * (rnd.nextInt(64) - 32) : t.contains("#") ? rnd.nextInt(4096) : rnd.nextInt(31);
            hotForms[i] = Assembler.assembleOne(0x1000, String.format(t, rnd.nextInt(31), rnd.nextInt(31), third));
        }
        int[] selfModify = {Assembler.assembleOne(0, "adr x8, 8"), Assembler.assembleOne(0, "str w9, [x8]")};
        for (int program = 0; program < 150; program++) {
            long seed = rnd.nextLong();
            int[] words = new int[3 * 1024];
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < words.length; i++) {
                int p = r.nextInt(100);
                if (p < 3 && i + 2 < words.length) {
                    // rewrite the instruction after next, inside the block being executed
                    words[i++] = selfModify[0];
                    words[i] = selfModify[1];
                } else if (p < 30) {
                    words[i] = hotForms[r.nextInt(hotForms.length)];
                } else if (p < 70) {
                    Encoding e = blockKinds.get(r.nextInt(blockKinds.size()));
                    words[i] = (r.nextInt() & ~e.mask()) | e.value();
                } else if (p < 82) {
                    words[i] = special[r.nextInt(special.length)];
                } else if (p < 97) {
                    Encoding e = others.get(r.nextInt(others.size()));
                    if (e.kind() == Kind.MSR_REG && r.nextInt(4) != 0) e = blockKinds.get(0); // fewer random sysreg writes
                    words[i] = (r.nextInt() & ~e.mask()) | e.value();
                } else {
                    words[i] = r.nextInt();
                }
            }
            long[] budgets = new long[40];
            for (int i = 0; i < budgets.length; i++) budgets[i] = 1 + r.nextInt(r.nextBoolean() ? 8 : 200);
            long xSeed = r.nextLong();
            String withBlocks = runProgram(words, budgets, xSeed, true);
            String reference = runProgram(words, budgets, xSeed, false);
            assertEquals(reference, withBlocks, "program seed 0x" + Long.toHexString(seed));
        }
    }

    /**
     * The same random programs with only address breakpoints armed from the start (MDE, KDE on, D clear, no step bit in
     * x7): blocks now run between the breakpoints (Debug.blockMayRun), and must still give the one-instruction loop's
     * boundaries, breakpoints and state — breakpoints of every type, linked and context ones included, on random code
     * words and in the blocks' midst.
     */
    @Test
    void randomProgramsWithAddressBreakpointsBehaveAsTheOneInstructionLoop() {
        SplittableRandom rnd = new SplittableRandom(0xB9EA4L);
        String[] forms = {"add x%d, x%d, #%d", "eor x%d, x%d, x%d", "subs x%d, x%d, #%d", "orr x%d, x%d, x%d", "ldr x%d, [x%d]",
            "str x%d, [x%d]", "b.ne 0x%3$x", "cbz x%2$d, 0x%3$x", "bl 0x%3$x", "ret x%2$d", "msr mdscr_el1, x7", "msr daifset, #8",
            "msr daifclr, #8", "msr dbgbcr2_el1, x%2$d", "msr dbgbvr2_el1, x%2$d", "brk #3", "eret", "nop", "adr x8, 8"};
        int breakpointsTaken = 0;
        for (int program = 0; program < 120; program++) {
            long seed = rnd.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            int[] words = new int[3 * 1024];
            for (int i = 0; i < words.length; i++) {
                String f = forms[r.nextInt(100) < 70 ? r.nextInt(4) : r.nextInt(forms.length)];
                int third = f.contains("0x") ? 0x1000 + 4 * (r.nextInt(128) - 64) : f.contains("#") ? r.nextInt(4096) : r.nextInt(31);
                words[i] = Assembler.assembleOne(0x1000, String.format(f, r.nextInt(31), r.nextInt(31), third));
            }
            long[] budgets = new long[40];
            for (int i = 0; i < budgets.length; i++) budgets[i] = 1 + r.nextInt(r.nextBoolean() ? 8 : 300);
            long xSeed = r.nextLong();
            Pe[] pes = new Pe[2];
            String withBlocks = runProgram(words, budgets, xSeed, true, true, pes, 0);
            String reference = runProgram(words, budgets, xSeed, false, true, pes, 1);
            assertEquals(reference, withBlocks, "program seed 0x" + Long.toHexString(seed));
            breakpointsTaken += pes[1].breakpoints;
        }
        assertTrue(breakpointsTaken > 100, "the programs took " + breakpointsTaken + " breakpoints");
    }

    /** Blocks run while a breakpoint is armed further on, and the breakpoint still fires at its instruction, not executed. */
    @Test
    void blocksRunUpToAnArmedBreakpoint() {
        StringBuilder src = new StringBuilder();
        for (int i = 0; i < 150; i++) src.append("add x0, x0, #1\n");
        src.append("b .\n");
        Pe pe = new Pe().code(CODE, src.toString());
        pe.cpu.sys.oslsrEl1 = OSLSR_EL1.OSLM_IMPLEMENTED;
        pe.cpu.sys.mdscrEl1 = (1 << 15) | (1 << 13); // MDE, KDE
        pe.cpu.d = false;
        pe.cpu.sys.dbgbcr[3] = 0b111;                // E, PMC = EL1|EL0, address match
        pe.cpu.sys.dbgbvr[3] = CODE + 4 * 120;
        dev.debuglab.emulator.arch.Debug.refresh(pe.cpu);
        assertTrue(pe.cpu.debugChecks && pe.cpu.addressBreakpointsOnly);
        assertEquals(121, Interpreter.run(pe.cpu, 121), "120 instructions and the boundary that takes the breakpoint");
        assertEquals(120, pe.cpu.x[0], "the instructions before the breakpoint ran, the one at it did not");
        assertEquals(1, pe.exceptions.size());
        String e = pe.exceptions.get(0);
        assertTrue(e.startsWith("ESR 0xC6") && e.contains(" EL1->EL1 ELR 0x" + Long.toHexString(CODE + 480).toUpperCase() + " "),
                "a Breakpoint exception (EC 0x31) at the armed instruction: " + e);
        InstructionCache cache = InstructionCache.of(pe.mem);
        long off = CODE - RAM;
        assertTrue(cache.blocks[(int) (off >>> InstructionCache.PAGE_SHIFT)][(int) (off >>> 2) & (InstructionCache.PAGE_WORDS - 1)] != null,
                "the first 64 instructions ran as a block with the breakpoint armed");
    }

    /** Runs the words (vectors at VBAR_EL1/VBAR_EL2, code at CODE) in the given budgets; the trace of counts and the final state. */
    private static String runProgram(int[] words, long[] budgets, long xSeed, boolean blocks) {
        return runProgram(words, budgets, xSeed, blocks, false, new Pe[1], 0);
    }

    /**
     * {@link #runProgram(int[], long[], long, boolean)}; with {@code breakpoints}, MDE and KDE on, D clear, x7 without the
     * step bit and four breakpoints of random types at random code words armed from the start. The PE goes to {@code pes[i]}.
     */
    private static String runProgram(int[] words, long[] budgets, long xSeed, boolean blocks, boolean breakpoints, Pe[] pes, int i0) {
        return runProgram(words, budgets, xSeed, blocks, breakpoints, pes, i0, new PhysicalMemory(RAM, 1 << 19));
    }

    /** {@link #runProgram(int[], long[], long, boolean, boolean, Pe[], int)} on the given (all-zero) memory. */
    static String runProgram(int[] words, long[] budgets, long xSeed, boolean blocks, boolean breakpoints, Pe[] pes, int i0,
                             PhysicalMemory mem) {
        Pe pe = new Pe(mem);
        pe.log = false;
        for (int i = 0; i < 1024; i++) {
            pe.mem.write(VBAR1 + 4L * i, 4, words[i]);
            pe.mem.write(CODE + 4L * i, 4, words[1024 + i]);
            pe.mem.write(CODE + 0x1000 + 4L * i, 4, words[2048 + i]);
        }
        SplittableRandom r = new SplittableRandom(xSeed);
        for (int i = 0; i < 31; i++) {
            int kind = r.nextInt(10);
            pe.cpu.x[i] = kind < 6 ? DATA + (r.nextInt(0x10000) & ~7)  // data
                    : kind < 8 ? CODE + 4L * r.nextInt(2048)              // code: stores modify it
                    : kind < 9 ? r.nextLong() : r.nextInt(4);
        }
        pe.cpu.x[7] = (1 << 15) | (1 << 13) | 1;  // MDE, KDE, SS for "msr mdscr_el1, x7"
        pe.cpu.nzcv = r.nextInt(16);
        pe.cpu.sys.oslsrEl1 = OSLSR_EL1.OSLM_IMPLEMENTED;
        pe.cpu.sys.spsr[1] = 0x3C5 | (1 << 21);
        pe.cpu.sys.elr[1] = CODE + 4L * r.nextInt(2048);
        pe.cpu.sys.dbgbcr[1] = r.nextBoolean() ? 0b111 | (0b11L << 1) : 0;    // E, PMC = EL1|EL0
        pe.cpu.sys.dbgbvr[1] = CODE + 4L * r.nextInt(2048);
        pes[i0] = pe;
        if (breakpoints) {
            pe.cpu.x[7] = (1 << 15) | (1 << 13);  // MDE, KDE: no step
            pe.cpu.sys.mdscrEl1 = pe.cpu.x[7];
            pe.cpu.d = false;
            // BT: address, linked address, linked context (never alone), CONTEXTIDR (any address: one at a time again)
            int[] types = {0b0000, 0b0000, 0b0000, 0b0001, 0b0011, 0b0010};
            for (int n = 0; n < 4; n++) {
                int bt = types[r.nextInt(n == 3 && r.nextInt(4) != 0 ? 4 : types.length)];
                pe.cpu.sys.dbgbcr[n] = 1 | 0b11 << 1 | (long) bt << 20 | (long) r.nextInt(2) << 13 | (bt == 0b0001 ? 5L << 16 : 0);
                // mostly on the first straight-line stretch (execution starts at CODE), in the midst of a block
                pe.cpu.sys.dbgbvr[n] = r.nextInt(4) == 0 ? VBAR1 + 4L * r.nextInt(1024) : CODE + 4L * r.nextInt(r.nextBoolean() ? 100 : 2048);
            }
            pe.cpu.x[9] = pe.cpu.sys.dbgbvr[0] + 8; // "msr dbgbvr2_el1, x9" and friends move a breakpoint
            dev.debuglab.emulator.arch.Debug.refresh(pe.cpu);
        }
        StringBuilder trace = new StringBuilder();
        for (long budget : budgets) {
            if (pe.cpu.halted) break;
            trace.append(Interpreter.run(pe.cpu, budget, blocks)).append(pe.cpu.exceptionTaken ? "e" : "")
                    .append(pe.cpu.eretExecuted ? "r" : "").append(String.format("@%X ", pe.cpu.pc));
        }
        trace.append('\n').append(state(pe.cpu)).append(pe.exceptionCount).append(" exceptions, hash ")
                .append(pe.exceptionHash).append("\nRAM hash ").append(Arrays.hashCode(pe.mem.ram));
        return trace.toString();
    }

    /** Every public primitive and array field of the PE and its system registers. */
    static String state(Cpu cpu) {
        return fields(cpu) + fields(cpu.sys);
    }

    private static String fields(Object o) {
        StringBuilder s = new StringBuilder();
        for (Field f : o.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            Class<?> t = f.getType();
            try {
                Object v = f.get(o);
                if (t.isPrimitive()) s.append(f.getName()).append('=').append(v).append('\n');
                else if (t == long[].class) s.append(f.getName()).append('=').append(Arrays.toString((long[]) v)).append('\n');
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return s.toString();
    }

    @Test
    void stateSnapshotCoversTheRegisterFile() {
        String s = state(new Pe().cpu);
        assertTrue(s.contains("x=[") && s.contains("pc=") && s.contains("nzcv=") && s.contains("mdscrEl1="), s);
        assertTrue(SystemRegisters.class.getFields().length > 5);
    }
}
