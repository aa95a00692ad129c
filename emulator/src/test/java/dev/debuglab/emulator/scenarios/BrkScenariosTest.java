package dev.debuglab.emulator.scenarios;

import static dev.debuglab.emulator.scenarios.Guest.EXIT;
import static dev.debuglab.emulator.scenarios.Guest.resetDebug;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.arch.Debug;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import org.junit.jupiter.api.Test;

/** scenarios.md A.1: BRK is never gated, and routes by TDE/TGE (architecture.md §6). */
class BrkScenariosTest {

    @Test
    void ARCH_BRK_RESET() {
        // Rule: BRK has no enable control — taken at cold reset (OSLK = 1, MDSCR = 0, D = 1).
        Guest g = new Guest(1);
        g.cpu.sys.far[1] = 0x1234_5678L;
        g.load("b: brk #0\n" + EXIT).run();
        assertEquals(0xA, g.cpu.sys.oslsrEl1);
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(0xF2000000L, g.esr(0));
        assertEquals(g.sym("b"), g.taken.get(0).elr());
        assertEquals(Guest.VBAR_EL1 + 0x200, g.taken.get(0).vector());
        assertEquals(0x1234_5678L, g.taken.get(0).far(), "FAR unchanged for BRK");
    }

    @Test
    void ARCH_BRK_OSLK() {
        // Rule: the OS Lock does not gate BRK (§6 BRK rule 4).
        Guest g = new Guest(1);
        g.load(resetDebug() + """
                    mov x0, #1
                    msr oslar_el1, x0
                    isb
                    mrs x1, oslsr_el1
                b1: brk #0x42
                    msr oslar_el1, xzr
                    isb
                b2: brk #0x43
                """ + EXIT).run();
        assertEquals(0xA, g.cpu.x[1]);
        assertEquals(2, g.taken.size(), g.describe());
        assertEquals(0xF2000042L, g.esr(0));
        assertEquals(g.sym("b1"), g.taken.get(0).elr());
        assertEquals(0xF2000043L, g.esr(1));
        assertEquals(g.sym("b2"), g.taken.get(1).elr());
    }

    @Test
    void ARCH_BRK_DLK() {
        // Rule: the OS Double Lock does not gate BRK.
        Guest g = new Guest(1);
        g.load(resetDebug() + """
                    mov x0, #1
                    msr osdlr_el1, x0
                    msr dbgprcr_el1, xzr
                    isb
                    brk #1
                """ + EXIT).run();
        assertEquals(true, Debug.doubleLockStatus(g.cpu.sys));
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(0xF2000001L, g.esr(0));
    }

    @Test
    void ARCH_BRK_MASKED() {
        // Rule: MDSCR = 0 and PSTATE.D = 1 do not gate BRK (selftest "sw_bp").
        Guest g = new Guest(1);
        g.load(resetDebug() + "b: brk #0\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(0xF2000000L, g.esr(0));
        assertEquals(g.sym("b"), g.taken.get(0).elr());
    }

    @Test
    void ARCH_BRK_EL0() {
        // Rule: BRK at EL0 without TDE/TGE goes to EL1, lower-EL vector group (+0x400).
        Guest g = new Guest(1);
        g.load(Guest.toEl0("user") + "user:\nb: brk #5\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(0, g.taken.get(0).from());
        assertEquals(1, g.taken.get(0).to());
        assertEquals(Guest.VBAR_EL1 + 0x400, g.taken.get(0).vector());
        assertEquals(0xF2000005L, g.esr(0));
    }

    @Test
    void ARCH_BRK_TDE() {
        // Rule: with MDCR_EL2.TDE = 1 an EL1 BRK is routed to EL2 (§6 BRK rule 2).
        Guest g = new Guest(1);
        g.cpu.sys.mdcrEl2 = MDCR_EL2.TDE.of(1);
        g.load("b: brk #0x42\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        Guest.Taken t = g.taken.get(0);
        assertEquals(2, t.to());
        assertEquals(Guest.VBAR_EL2 + 0x400, t.vector());
        assertEquals(0xF2000042L, g.cpu.sys.esr[2]);
        assertEquals(g.sym("b"), t.elr(), "ELR_EL2 = the BRK");
        assertEquals(0x5, t.spsr() & 0xF, "SPSR_EL2.M = EL1h");
    }

    @Test
    void ARCH_BRK_TGE_EL0() {
        // Rule: with HCR_EL2.TGE = 1 an EL0 BRK is routed to EL2 (§6).
        Guest g = new Guest(2);
        g.cpu.sys.hcrEl2 |= HCR_EL2.TGE.of(1);
        g.load("""
                    msr spsr_el2, xzr
                    adr x9, user
                    msr elr_el2, x9
                    eret
                user:
                    brk #7
                """ + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(2, g.taken.get(0).to());
        assertEquals(Guest.VBAR_EL2 + 0x400, g.taken.get(0).vector());
        assertEquals(0xF2000007L, g.esr(0));
    }

    @Test
    void ARCH_BRK_EL2() {
        // Rule: BRK at EL2 is taken to EL2 even with TDE = TGE = 0 (§6 BRK rule 1).
        Guest g = new Guest(2);
        g.load("b: brk #0\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(2, g.taken.get(0).to());
        assertEquals(Guest.VBAR_EL2 + 0x200, g.taken.get(0).vector());
        assertEquals(0xF2000000L, g.cpu.sys.esr[2]);
    }
}
