package dev.debuglab.emulator.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import org.junit.jupiter.api.Test;

/** architecture.md §12.4: the trap rules for debug register accesses, row by row, with the exact syndromes. */
class TrapTableTest {
    // MRS/MSR words (Xt = X0 unless stated), from architecture.md §14.
    static final int MRS_MDSCR = 0xD5300240, MSR_MDSCR = 0xD5100240, MRS_OSLAR = 0xD5301080,
            MSR_OSLSR = 0xD5101180, MSR_MDRAR = 0xD5101000, MSR_AUTHSTATUS = 0xD5107EC0,
            MSR_OSLAR_XZR = 0xD510109F, MSR_OSLAR_X0 = 0xD5101080, MRS_X1_OSLSR = 0xD5301181, MRS_OSDLR = 0xD5301380,
            MRS_DBGPRCR = 0xD5301480, MSR_DBGBCR0 = 0xD51000A0, MRS_CLAIMSET = 0xD53078C0, MRS_AUTHSTATUS = 0xD5307EC0,
            MRS_MDCCINT = 0xD5300200, MRS_MDRAR = 0xD5301000, MRS_MDCCSR = 0xD5330100;

    static final long UNDEF = 0x02000000L;

    /** Runs {@code word} at {@code el} with MDCR_EL2 / HCR_EL2 set; returns "EL<n> ESR" of what happened, or "done". */
    static String outcome(int el, long mdcr, long hcr, int word) {
        Cpu cpu = ArchTables.cpuAt(el);
        cpu.sys.mdcrEl2 = mdcr;
        cpu.sys.hcrEl2 |= hcr;
        long pc = cpu.pc;
        ArchTables.exec(cpu, word);
        if (!cpu.exceptionTaken) {
            assertEquals(pc + 4, cpu.pc, "a performed access advances the PC");
            return "done";
        }
        assertEquals(pc, cpu.sys.elr[cpu.el], "ELR = the trapped instruction");
        return String.format("EL%d 0x%08X", cpu.el, cpu.sys.esr[cpu.el]);
    }

    static final long TDA = MDCR_EL2.TDA.of(1), TDOSA = MDCR_EL2.TDOSA.of(1), TDRA = MDCR_EL2.TDRA.of(1),
            TDE = MDCR_EL2.TDE.of(1), TGE = HCR_EL2.TGE.of(1);

    @Test
    void row1_el1RegistersFromEl0AreUndefined_toEl1_orEl2WithTge() {
        assertEquals("EL1 0x02000000", outcome(0, 0, 0, MRS_MDSCR));
        assertEquals("EL1 0x02000000", outcome(0, TDA | TDE, 0, MRS_MDSCR)); // not a trap to EL2
        assertEquals("EL2 0x02000000", outcome(0, 0, TGE, MRS_MDSCR));
        assertEquals("EL1 0x02000000", outcome(0, 0, 0, MRS_X1_OSLSR));
        assertEquals("EL1 0x02000000", outcome(0, 0, 0, MRS_MDRAR));
    }

    @Test
    void row2_wrongDirectionIsUndefinedEvenWhenTrapsAreSet() {
        for (long mdcr : new long[] {0, TDOSA | TDA | TDRA | TDE}) {
            assertEquals("EL1 0x02000000", outcome(1, mdcr, 0, MRS_OSLAR));
            assertEquals("EL1 0x02000000", outcome(1, mdcr, 0, MSR_OSLSR));
            assertEquals("EL1 0x02000000", outcome(1, mdcr, 0, MSR_MDRAR));
            assertEquals("EL1 0x02000000", outcome(1, mdcr, 0, MSR_AUTHSTATUS));
        }
    }

    @Test
    void row3_osLockRegistersTrapWithTdosaOrTdeOrTge() {
        for (long[] c : new long[][] {{TDOSA, 0}, {TDE, 0}, {0, TGE}}) {
            assertEquals("EL2 0x622807E0", outcome(1, c[0], c[1], MSR_OSLAR_XZR));
            assertEquals("EL2 0x62280423", outcome(1, c[0], c[1], MRS_X1_OSLSR));
            assertEquals("EL2 0x62280407", outcome(1, c[0], c[1], MRS_OSDLR));
            assertEquals("EL2 0x62280409", outcome(1, c[0], c[1], MRS_DBGPRCR));
        }
        assertEquals("done", outcome(1, TDA | TDRA, 0, MSR_OSLAR_XZR)); // TDA/TDRA do not cover the OS lock registers
    }

    @Test
    void row4_debugRegistersTrapWithTdaOrTdeOrTge() {
        for (long[] c : new long[][] {{TDA, 0}, {TDE, 0}, {0, TGE}}) {
            assertEquals("EL2 0x62240004", outcome(1, c[0], c[1], MSR_MDSCR));
            assertEquals("EL2 0x622A0000", outcome(1, c[0], c[1], MSR_DBGBCR0));
            assertEquals("EL2 0x622C1C11", outcome(1, c[0], c[1], MRS_CLAIMSET));
            assertEquals("EL2 0x622C1C1D", outcome(1, c[0], c[1], MRS_AUTHSTATUS));
            assertEquals("EL2 0x62200005", outcome(1, c[0], c[1], MRS_MDCCINT));
        }
        assertEquals("done", outcome(1, TDOSA | TDRA, 0, MSR_MDSCR));
    }

    @Test
    void row5_mdrarTrapsWithTdraOrTdeOrTge() {
        for (long[] c : new long[][] {{TDRA, 0}, {TDE, 0}, {0, TGE}})
            assertEquals("EL2 0x62200401", outcome(1, c[0], c[1], MRS_MDRAR));
        assertEquals("done", outcome(1, TDA | TDOSA, 0, MRS_MDRAR));
    }

    @Test
    void row6_dccStatusFromEl0_trappedByMdscrTdcc() {
        assertEquals("done", outcome(0, 0, 0, MRS_MDCCSR));
        Cpu cpu = ArchTables.cpuAt(0);
        cpu.sys.mdscrEl1 = MDSCR_EL1.TDCC.of(1);
        ArchTables.exec(cpu, MRS_MDCCSR);
        assertEquals(1, cpu.el);
        assertEquals(0x18, cpu.sys.esr[1] >>> 26);
    }

    @Test
    void row7_otherwisePerformed_andEl2IsNeverTrapped() {
        Cpu cpu = ArchTables.cpuAt(1);
        cpu.x[0] = 1;
        ArchTables.exec(cpu, MSR_OSLAR_X0);
        assertEquals(false, cpu.exceptionTaken);
        assertEquals(0xA, cpu.sys.oslsrEl1);
        for (int w : new int[] {MSR_MDSCR, MSR_OSLAR_XZR, MRS_MDRAR, MRS_X1_OSLSR})
            assertEquals("done", outcome(2, TDA | TDOSA | TDRA | TDE, TGE, w));
    }
}
