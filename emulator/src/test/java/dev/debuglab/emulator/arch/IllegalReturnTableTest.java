package dev.debuglab.emulator.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.Interpreter;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import org.junit.jupiter.api.Test;

/** architecture.md §4: ERET legality, row by row, and what an illegal return does. */
class IllegalReturnTableTest {
    static final int ERET = 0xD69F03E0, NOP = 0xD503201F;
    static final long TARGET = ArchTables.CODE + 0x100;

    /** ERET at {@code el} with SPSR = {@code spsr}; returns the CPU after it. */
    static Cpu eret(int el, long spsr, boolean tge) {
        Cpu cpu = ArchTables.cpuAt(el);
        if (tge) cpu.sys.hcrEl2 |= HCR_EL2.TGE.of(1);
        cpu.sys.spsr[el] = spsr;
        cpu.sys.elr[el] = TARGET;
        ArchTables.exec(cpu, ERET);
        return cpu;
    }

    static void assertIllegal(int el, long spsr, boolean tge) {
        Cpu cpu = eret(el, spsr | 0xF0000000L /* NZCV */ | 0x3C0 /* DAIF */, tge);
        assertEquals(true, cpu.il, "PSTATE.IL");
        assertEquals(el, cpu.el, "EL unchanged");
        assertEquals(1, cpu.spSel, "SP unchanged");
        assertEquals(TARGET, cpu.pc, "PC = ELR even when illegal");
        assertEquals(0xF, cpu.nzcv, "NZCV still restored");
        assertEquals(true, cpu.d && cpu.a && cpu.i && cpu.f, "DAIF still restored");
    }

    static void assertLegal(int el, long spsr, int expectedEl, int expectedSp, boolean tge) {
        Cpu cpu = eret(el, spsr, tge);
        assertEquals(false, cpu.il);
        assertEquals(expectedEl, cpu.el);
        assertEquals(expectedSp, cpu.spSel);
        assertEquals(TARGET, cpu.pc);
        assertEquals(true, cpu.eretExecuted);
    }

    @Test void row1_aarch32IsIllegal() { assertIllegal(2, 0x15, false); }
    @Test void row2_el3IsIllegal() { assertIllegal(2, 0xD, false); }
    @Test void row3_higherElIsIllegal() { assertIllegal(1, 0x9, false); }
    @Test void row4_m1IsIllegal() { assertIllegal(1, 0x6, false); assertIllegal(2, 0xA, false); }
    @Test void row5_el0WithSpxIsIllegal() { assertIllegal(1, 0x1, false); }
    @Test void row6_el1WhileTgeIsIllegal() { assertIllegal(2, 0x5, true); }

    @Test
    void legalReturns() {
        assertLegal(2, 0x5, 1, 1, false);
        assertLegal(2, 0x4, 1, 0, false);
        assertLegal(2, 0x0, 0, 0, false);
        assertLegal(2, 0x0, 0, 0, true);   // EL0 with TGE is fine
        assertLegal(2, 0x9, 2, 1, false);
        assertLegal(1, 0x0, 0, 0, false);
        assertLegal(1, 0x5, 1, 1, false);
    }

    @Test
    void eretAtEl0IsUndefined() {
        Cpu cpu = eret(0, 0, false);
        assertEquals(1, cpu.el);
        assertEquals(0x02000000L, cpu.sys.esr[1]);
        assertEquals(ArchTables.CODE, cpu.sys.elr[1]);
    }

    @Test
    void eretClearsTheExclusiveMonitor_andSetsTheEventRegister() {
        Cpu cpu = ArchTables.cpuAt(1);
        cpu.exclusiveAddress = 0x4000_0100L;
        cpu.sys.spsr[1] = 0x5;
        cpu.sys.elr[1] = TARGET;
        ArchTables.exec(cpu, ERET);
        assertEquals(-1, cpu.exclusiveAddress);
        assertEquals(true, cpu.eventRegister);
    }

    @Test
    void instructionAfterIllegalReturnTakesIllegalExecutionState() {
        Cpu cpu = eret(1, 0x3C9, false);  // ARCH-ERET-ILLEGAL: SPSR_EL1 = EL2h
        cpu.mem.write(TARGET, 4, NOP);
        Interpreter.run(cpu, 1);
        assertEquals(1, cpu.el);
        assertEquals(0x3A000000L, cpu.sys.esr[1]);
        assertEquals(TARGET, cpu.sys.elr[1]);
        assertEquals(1, (cpu.sys.spsr[1] >>> 20) & 1, "SPSR.IL = 1");
        assertEquals(false, cpu.il, "entry clears PSTATE.IL");
    }
}
