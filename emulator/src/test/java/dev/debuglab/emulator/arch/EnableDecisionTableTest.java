package dev.debuglab.emulator.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.sysreg.RegisterFields.DBGPRCR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSDLR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLSR_EL1;
import org.junit.jupiter.api.Test;

/**
 * architecture.md §5.3: every row of the "debug exceptions enabled" table, exhaustively over the
 * inputs the row says are irrelevant (KDE, D, and TDE versus TGE as the way to select ELd = EL2).
 */
class EnableDecisionTableTest {

    private static Cpu cpu(boolean oslk, boolean dlk, boolean corenpdrq, int elD, boolean viaTge, boolean kde) {
        Cpu cpu = ArchTables.cpuAt(1);
        cpu.sys.oslsrEl1 = OSLSR_EL1.OSLK.set(cpu.sys.oslsrEl1, oslk);
        cpu.sys.osdlrEl1 = OSDLR_EL1.DLK.of(dlk ? 1 : 0);
        cpu.sys.dbgprcrEl1 = DBGPRCR_EL1.CORENPDRQ.of(corenpdrq ? 1 : 0);
        if (elD == 2) {
            if (viaTge) cpu.sys.hcrEl2 = HCR_EL2.TGE.set(cpu.sys.hcrEl2, true);
            else cpu.sys.mdcrEl2 = MDCR_EL2.TDE.of(1);
        }
        cpu.sys.mdscrEl1 = MDSCR_EL1.KDE.of(kde ? 1 : 0);
        return cpu;
    }

    private static boolean enabled(Cpu cpu, int el, boolean d) {
        return Debug.generateDebugExceptionsFrom(cpu.sys, el, d);
    }

    @Test
    void row1_osLockDisablesEverything() {
        for (int el = 0; el <= 2; el++)
            for (int elD = 1; elD <= 2; elD++)
                for (boolean kde : new boolean[] {false, true})
                    for (boolean d : new boolean[] {false, true})
                        assertEquals(false, enabled(cpu(true, false, false, elD, false, kde), el, d), "EL" + el + " ELd " + elD);
    }

    @Test
    void row2_doubleLockDisablesEverything_whenEffective() {
        for (int el = 0; el <= 2; el++)
            for (int elD = 1; elD <= 2; elD++) {
                assertEquals(false, enabled(cpu(false, true, false, elD, false, true), el, false), "DLK, CORENPDRQ 0");
                // DLKeff needs CORENPDRQ = 0 (§5.2): with CORENPDRQ = 1 the double lock has no effect.
                boolean expected = el < elD || el == elD;
                assertEquals(expected, enabled(cpu(false, true, true, elD, false, true), el, false), "DLK, CORENPDRQ 1");
            }
    }

    @Test
    void row2_doubleLockIgnoredWithoutFeatDoubleLock() {
        Cpu cpu = cpu(false, false, false, 1, false, true);
        cpu.sys.configureDebug(6, 4, 2, false);
        cpu.sys.osdlrEl1 = OSDLR_EL1.DLK.of(1); // raw state, as if left over; the feature is absent
        assertEquals(true, enabled(cpu, 0, true));
    }

    @Test
    void row3_el0AlwaysEnabled() {
        for (int elD = 1; elD <= 2; elD++)
            for (boolean viaTge : new boolean[] {false, true})
                for (boolean kde : new boolean[] {false, true})
                    for (boolean d : new boolean[] {false, true})
                        assertEquals(true, enabled(cpu(false, false, false, elD, viaTge, kde), 0, d));
    }

    @Test
    void row4_el1ToEl1NeedsKdeAndDClear() {
        for (boolean kde : new boolean[] {false, true})
            for (boolean d : new boolean[] {false, true})
                assertEquals(kde && !d, enabled(cpu(false, false, false, 1, false, kde), 1, d), "KDE " + kde + " D " + d);
    }

    @Test
    void row5_el1ToEl2IgnoresKdeAndD() {
        for (boolean viaTge : new boolean[] {false, true})
            for (boolean kde : new boolean[] {false, true})
                for (boolean d : new boolean[] {false, true})
                    assertEquals(true, enabled(cpu(false, false, false, 2, viaTge, kde), 1, d));
    }

    @Test
    void row6_el2ToEl2NeedsKdeAndDClear() {
        for (boolean viaTge : new boolean[] {false, true})
            for (boolean kde : new boolean[] {false, true})
                for (boolean d : new boolean[] {false, true})
                    assertEquals(kde && !d, enabled(cpu(false, false, false, 2, viaTge, kde), 2, d));
    }

    @Test
    void row7_el2WithTargetEl1IsNeverEnabled() {
        for (boolean kde : new boolean[] {false, true})
            for (boolean d : new boolean[] {false, true})
                assertEquals(false, enabled(cpu(false, false, false, 1, false, kde), 2, d));
    }

    @Test
    void debugTargetEl_followsTdeOrTge() {
        assertEquals(1, Debug.debugTargetEl(cpu(false, false, false, 1, false, false).sys));
        assertEquals(2, Debug.debugTargetEl(cpu(false, false, false, 2, false, false).sys));
        assertEquals(2, Debug.debugTargetEl(cpu(false, false, false, 2, true, false).sys));
    }
}
