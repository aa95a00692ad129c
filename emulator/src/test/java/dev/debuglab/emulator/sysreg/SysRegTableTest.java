package dev.debuglab.emulator.sysreg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.debuglab.emulator.arch.Debug;
import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.Interpreter;
import dev.debuglab.emulator.mem.PhysicalMemory;
import org.junit.jupiter.api.Test;

/** The system register table: self-check, the encodings of architecture.md §14, resets and access rules. */
class SysRegTableTest {

    static Cpu cpuAt(int el) {
        Cpu cpu = new Cpu(new PhysicalMemory(0x4000_0000L, 1 << 16));
        cpu.el = el;
        cpu.spSel = el == 0 ? 0 : 1;
        cpu.pc = 0x4000_8000L;
        cpu.sys.vbar[1] = 0x4000_1000L;
        cpu.sys.vbar[2] = 0x4000_2000L;
        Debug.refresh(cpu);
        return cpu;
    }

    /** Executes one word; returns the ESR of the exception taken, or -1 if none. */
    static long exec(Cpu cpu, int word) {
        Interpreter.executeWord(cpu, word);
        return cpu.exceptionTaken ? cpu.sys.esr[cpu.el] : -1;
    }

    @Test
    void tableChecksItself() {
        SysRegTable.checkTable();
        int last = -1;
        for (SysReg r : SysRegTable.all()) {
            if (r.storage != null) assertNotNull(r.reset, r.name);
            assertEquals(true, r.key() > last, "sorted, unique: " + r);
            last = r.key();
        }
    }

    @Test
    void encodingsOfArchitectureMdSection14() {
        String[][] rows = {{"MDCCINT_EL1", "2 0 0 2 0"}, {"MDSCR_EL1", "2 0 0 2 2"}, {"DBGBVR0_EL1", "2 0 0 0 4"},
                {"DBGBCR5_EL1", "2 0 0 5 5"}, {"DBGWVR3_EL1", "2 0 0 3 6"}, {"DBGWCR15_EL1", "2 0 0 15 7"},
                {"MDRAR_EL1", "2 0 1 0 0"}, {"OSLAR_EL1", "2 0 1 0 4"}, {"OSLSR_EL1", "2 0 1 1 4"},
                {"OSDLR_EL1", "2 0 1 3 4"}, {"DBGPRCR_EL1", "2 0 1 4 4"}, {"DBGCLAIMSET_EL1", "2 0 7 8 6"},
                {"DBGCLAIMCLR_EL1", "2 0 7 9 6"}, {"DBGAUTHSTATUS_EL1", "2 0 7 14 6"}, {"MDCCSR_EL0", "2 3 0 1 0"},
                {"ID_AA64DFR0_EL1", "3 0 0 5 0"}, {"ID_AA64PFR0_EL1", "3 0 0 4 0"}, {"SCTLR_EL1", "3 0 1 0 0"},
                {"SPSR_EL1", "3 0 4 0 0"}, {"ELR_EL1", "3 0 4 0 1"}, {"CurrentEL", "3 0 4 2 2"}, {"DAIF", "3 3 4 2 1"},
                {"ESR_EL1", "3 0 5 2 0"}, {"FAR_EL1", "3 0 6 0 0"}, {"VBAR_EL1", "3 0 12 0 0"},
                {"CONTEXTIDR_EL1", "3 0 13 0 1"}, {"HCR_EL2", "3 4 1 1 0"}, {"MDCR_EL2", "3 4 1 1 1"},
                {"VTTBR_EL2", "3 4 2 1 0"}, {"SPSR_EL2", "3 4 4 0 0"}, {"ELR_EL2", "3 4 4 0 1"},
                {"ESR_EL2", "3 4 5 2 0"}, {"FAR_EL2", "3 4 6 0 0"}, {"VBAR_EL2", "3 4 12 0 0"}};
        for (String[] r : rows) assertEquals(r[1], SysRegTable.byName(r[0]).encoding(), r[0]);
        assertNull(SysRegTable.lookup(3, 6, 1, 3, 1), "MDCR_EL3 is not implemented (UNDEFINED)");
    }

    @Test
    void kvmIds() {
        assertEquals(0x6030000000138012L, SysRegTable.byName("MDSCR_EL1").kvmId());
        assertEquals(0x6030000000138004L, SysRegTable.byName("DBGBVR0_EL1").kvmId());
        assertEquals(0x603000000013808CL, SysRegTable.byName("OSLSR_EL1").kvmId());
        assertEquals(0x603000000013C290L, SysRegTable.byName("ESR_EL1").kvmId());
        assertEquals(0x603000000013C681L, SysRegTable.byName("CONTEXTIDR_EL1").kvmId());
    }

    @Test
    void coldResetValues() {
        Cpu cpu = cpuAt(1);
        assertEquals(0xA, exec(cpu, 0xD5301180) == -1 ? cpu.x[0] : -2, "OSLSR_EL1 = 0xA");
        cpu.pc = 0x4000_8000L;
        assertEquals(-1, exec(cpu, 0xD5380500));
        assertEquals(0x10305006L, cpu.x[0], "ID_AA64DFR0_EL1: 6 bp, 4 wp, 2 ctx, DoubleLock");
        assertEquals(0, cpu.sys.mdscrEl1);
        assertEquals(0, cpu.sys.mdcrEl2);
        assertEquals(1L << 31, cpu.sys.hcrEl2, "HCR_EL2.RW reads 1");
    }

    @Test
    void configurableComparators() {
        Cpu cpu = cpuAt(1);
        assertEquals(0x02000000L, exec(cpu, 0xD51006A0), "DBGBCR6_EL1 does not exist with 6 breakpoints");
        cpu = cpuAt(1);
        cpu.sys.configureDebug(16, 16, 4, true);
        assertEquals(-1, exec(cpu, 0xD5100FE1), "MSR DBGWCR15_EL1, X1");
        cpu.pc = 0x4000_8000L;
        exec(cpu, 0xD5380500);
        assertEquals(0x30F0F006L, cpu.x[0], "BRPs 15, WRPs 15, CTX_CMPs 3");
        assertEquals(true, cpu.sys.isContextAware(12));
        assertEquals(false, cpu.sys.isContextAware(11));
    }

    @Test
    void osdlrIsRazWiWithoutDoubleLock() {
        Cpu cpu = cpuAt(1);
        cpu.sys.configureDebug(6, 4, 2, false);
        cpu.x[0] = 1;
        exec(cpu, 0xD5101380);
        cpu.pc = 0x4000_8000L;
        cpu.x[0] = 0x55;
        exec(cpu, 0xD5301380);
        assertEquals(0, cpu.x[0]);
    }

    @Test
    void accessRules() {
        assertEquals(0x02000000L, exec(cpuAt(1), 0xD53C1100), "HCR_EL2 from EL1 is UNDEFINED");
        assertEquals(0x02000000L, exec(cpuAt(1), 0xD53C4100), "SP_EL1 from EL1 is UNDEFINED");
        assertEquals(-1, exec(cpuAt(2), 0xD53C4100), "SP_EL1 from EL2");
        Cpu cpu = cpuAt(1);
        cpu.spSel = 0;
        assertEquals(0x02000000L, exec(cpu, 0xD5384100), "SP_EL0 while PSTATE.SP = 0 is UNDEFINED");
        assertEquals(-1, exec(cpuAt(1), 0xD5384100), "SP_EL0 with SPSel = 1");
        // DAIF at EL0: trapped (EC 0x18) unless SCTLR_EL1.UMA; MRS X0, DAIF = D53B4220.
        assertEquals(0x18, exec(cpuAt(0), 0xD53B4220) >>> 26);
        cpu = cpuAt(0);
        cpu.sys.sctlr[1] |= RegisterFields.SCTLR.UMA.mask();
        assertEquals(-1, exec(cpu, 0xD53B4220));
        assertEquals(-1, exec(cpuAt(0), 0xD53BD040), "TPIDR_EL0 at EL0");
        assertEquals(0x02000000L, exec(cpuAt(0), 0xD51BD060), "MSR TPIDRRO_EL0 at EL0 is UNDEFINED");
        assertEquals(-1, exec(cpuAt(0), 0xD53BD060), "MRS TPIDRRO_EL0 at EL0");
        assertEquals(0x02000000L, exec(cpuAt(1), 0xD5381000 | (1 << 19) | (0x7 << 16) | (0xF << 12)), "unknown encoding");
        assertEquals(0x02000000L, exec(cpuAt(0), 0xD5384240), "CurrentEL at EL0 is UNDEFINED");
        cpu = cpuAt(2);
        exec(cpu, 0xD5384240);
        assertEquals(8, cpu.x[0], "CurrentEL at EL2");
    }

    @Test
    void sctlrMmuEnableStops() {
        Cpu cpu = cpuAt(1);
        cpu.x[0] = 1;
        exec(cpu, 0xD5181000);   // MSR SCTLR_EL1, X0
        assertEquals(true, cpu.halted);
        assertEquals(true, cpu.stopReason.contains("MMU not supported yet"));
    }

    @Test
    void counterIsDeterministic() {
        Cpu cpu = cpuAt(1);
        cpu.instructionsRetired = 1000;
        exec(cpu, 0xD53BE040);   // MRS X0, CNTVCT_EL0
        assertEquals(1001, cpu.x[0], "one tick per retired instruction, including this one");
        assertEquals(0x18, exec(cpuAt(0), 0xD53BE040) >>> 26, "EL0 counter access needs CNTKCTL_EL1.EL0VCTEN");
    }
}
