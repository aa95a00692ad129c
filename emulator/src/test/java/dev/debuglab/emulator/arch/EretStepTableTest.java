package dev.debuglab.emulator.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import org.junit.jupiter.api.Test;

/** architecture.md §10.4: PSTATE.SS after ERET (DebugExceptionReturnSS), every row. */
class EretStepTableTest {
    static final int ERET = 0xD69F03E0;
    static final long SPSR_SS = 1L << 21, SPSR_D = 1L << 9;

    /** ERET from {@code el} with PSTATE.D = {@code d}; returns the new PSTATE.SS. */
    static boolean ss(boolean mdscrSs, int el, boolean d, long spsr) {
        Cpu cpu = ArchTables.cpuAt(el);
        cpu.sys.oslsrEl1 = 0x8;   // OS lock clear
        cpu.sys.mdscrEl1 = MDSCR_EL1.KDE.of(1) | MDSCR_EL1.SS.of(mdscrSs ? 1 : 0);
        cpu.d = d;
        cpu.sys.spsr[el] = spsr;
        cpu.sys.elr[el] = ArchTables.CODE + 0x40;
        ArchTables.exec(cpu, ERET);
        return cpu.ss;
    }

    @Test
    void ss1_sourceDisabled_destEnabled_takesSpsrSs() {
        assertEquals(true, ss(true, 1, true, 0x0 | SPSR_SS));          // EL1 (D=1) -> EL0
        assertEquals(false, ss(true, 1, true, 0x0));                   // ... with SPSR.SS = 0
        assertEquals(true, ss(true, 1, true, 0x5 | SPSR_SS));          // EL1 (D=1) -> EL1, SPSR.D = 0
        assertEquals(true, ss(true, 2, false, 0x5 | SPSR_SS));         // EL2 (never enabled, row 7) -> EL1 D=0
    }

    @Test
    void ss1_sourceEnabled_givesZero() {
        assertEquals(false, ss(true, 1, false, 0x0 | SPSR_SS));        // EL1 with KDE, D=0 -> EL0
        assertEquals(false, ss(true, 1, false, 0x5 | SPSR_SS));
    }

    @Test
    void ss1_destDisabled_givesZero() {
        assertEquals(false, ss(true, 1, true, 0x5 | SPSR_D | SPSR_SS)); // EL1 -> EL1 with SPSR.D = 1
        assertEquals(false, ss(true, 2, true, 0x5 | SPSR_D | SPSR_SS)); // EL2 -> EL1 with SPSR.D = 1
        assertEquals(false, ss(true, 2, true, 0x9 | SPSR_SS));          // EL2 -> EL2 (ELd = EL1 < EL2)
    }

    @Test
    void mdscrSs0_alwaysZero() {
        for (long spsr : new long[] {0x0 | SPSR_SS, 0x5 | SPSR_SS})
            for (boolean d : new boolean[] {false, true})
                assertEquals(false, ss(false, 1, d, spsr));
    }

    @Test
    void illegalReturn_usesCurrentElWithSpsrD() {
        // SPSR = EL2h from EL1 is illegal: the destination is EL1 with D = SPSR.D = 0 (enabled).
        assertEquals(true, ss(true, 1, true, 0x9 | SPSR_SS));
        assertEquals(false, ss(true, 1, true, 0x9 | SPSR_D | SPSR_SS));
    }
}
