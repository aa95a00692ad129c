package dev.debuglab.emulator.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.Interpreter;
import dev.debuglab.emulator.sysreg.RegisterFields.DBGWCR;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import org.junit.jupiter.api.Test;

/** architecture.md §13.4: the worked ESR values, each produced by executing the event. */
class EsrWorkedValuesTest {
    static final long KDE_MDE = MDSCR_EL1.KDE.of(1) | MDSCR_EL1.MDE.of(1);

    static long esrOf(int el, int word) {
        Cpu cpu = ArchTables.cpuAt(el);
        ArchTables.exec(cpu, word);
        return cpu.sys.esr[cpu.el];
    }

    @Test
    void brk() {
        assertEquals(0xF2000000L, esrOf(1, 0xD4200000));
        assertEquals(0xF2000042L, esrOf(1, 0xD4200840));
        assertEquals(0xF2001234L, esrOf(1, 0xD4224680));
    }

    @Test
    void callsUndefinedIllegal() {
        assertEquals(0x56000000L, esrOf(1, 0xD4000001));   // SVC #0
        assertEquals(0x5A000000L, esrOf(1, 0xD4000002));   // HVC #0
        assertEquals(0x02000000L, esrOf(1, 0x00000000));   // UDF #0
        assertEquals(0x02000000L, esrOf(1, 0xD4400000));   // HLT #0
        Cpu cpu = ArchTables.cpuAt(1);
        cpu.il = true;
        Debug.refresh(cpu);
        cpu.mem.write(cpu.pc, 4, 0xD503201F);
        Interpreter.run(cpu, 1);
        assertEquals(0x3A000000L, cpu.sys.esr[1]);
    }

    @Test
    void trappedSystemRegisterAccesses() {
        for (int[] c : new int[][] {{0xD5100240, 0x62240004}, {0xD5301181, 0x62280423}, {0xD510109F, 0x622807E0}}) {
            Cpu cpu = ArchTables.cpuAt(1);
            cpu.sys.mdcrEl2 = MDCR_EL2.TDE.of(1);
            ArchTables.exec(cpu, c[0]);
            assertEquals(c[1] & 0xFFFFFFFFL, cpu.sys.esr[2]);
        }
    }

    /** A breakpoint on a NOP at the code address, taken from {@code el}: lower (EL0 -> EL1) or same EL. */
    @Test
    void breakpointLowerAndSame() {
        for (int el = 0; el <= 1; el++) {
            Cpu cpu = ArchTables.cpuAt(el);
            cpu.sys.oslsrEl1 = 0x8;
            cpu.sys.mdscrEl1 = KDE_MDE;
            cpu.d = false;
            cpu.sys.dbgbvr[0] = cpu.pc;
            cpu.sys.dbgbcr[0] = 0x1E7;
            Debug.refresh(cpu);
            cpu.mem.write(cpu.pc, 4, 0xD503201F);
            Interpreter.run(cpu, 1);
            assertEquals(el == 0 ? 0xC2000022L : 0xC6000022L, cpu.sys.esr[1]);
        }
    }

    @Test
    void softwareStep() {
        long[][] expect = {{0, 0, 0xCA000022L}, {0, 1, 0xCB000022L}, {1, 0, 0xCE000022L}, {1, 1, 0xCF000022L}};
        for (long[] e : expect) {
            Cpu cpu = ArchTables.cpuAt((int) e[0]);
            cpu.sys.oslsrEl1 = 0x8;
            cpu.sys.mdscrEl1 = MDSCR_EL1.KDE.of(1) | MDSCR_EL1.SS.of(1);
            cpu.d = false;
            cpu.ss = e[1] == 1;  // 1: Active-not-pending, one NOP is stepped first (ISV 1)
            Debug.refresh(cpu);
            cpu.mem.write(cpu.pc, 4, 0xD503201F);
            cpu.mem.write(cpu.pc + 4, 4, 0xD503201F);
            Interpreter.run(cpu, 1 + (int) e[1]);
            assertEquals(e[2], cpu.sys.esr[1], "from EL" + e[0] + " isv " + e[1]);
        }
        // ISV 1 + EX: a stepped LDXR X0, [X1] from EL0.
        Cpu cpu = ArchTables.cpuAt(0);
        cpu.sys.oslsrEl1 = 0x8;
        cpu.sys.mdscrEl1 = MDSCR_EL1.KDE.of(1) | MDSCR_EL1.SS.of(1);
        cpu.ss = true;
        Debug.refresh(cpu);
        cpu.x[1] = ArchTables.RAM + 0x100;
        cpu.mem.write(cpu.pc, 4, 0xC85F7C20);
        Interpreter.run(cpu, 2);
        assertEquals(0xCB000062L, cpu.sys.esr[1]);
    }

    @Test
    void watchpointReadAndWrite() {
        // STR X0, [X1] = 0xF9000020; LDR X0, [X1] = 0xF9400020
        for (int el = 0; el <= 1; el++)
            for (int[] c : new int[][] {{0xF9400020, 0}, {0xF9000020, 1}}) {
                Cpu cpu = ArchTables.cpuAt(el);
                cpu.sys.oslsrEl1 = 0x8;
                cpu.sys.mdscrEl1 = KDE_MDE;
                cpu.d = false;
                long data = ArchTables.RAM + 0x200;
                cpu.x[1] = data;
                cpu.sys.dbgwvr[0] = data;
                cpu.sys.dbgwcr[0] = DBGWCR.E.of(1) | DBGWCR.PAC.of(3) | DBGWCR.LSC.of(3) | DBGWCR.BAS.of(0xFF);
                Debug.refresh(cpu);
                cpu.mem.write(cpu.pc, 4, c[0]);
                Interpreter.run(cpu, 1);
                long expected = (el == 0 ? 0xD2000022L : 0xD6000022L) | (c[1] == 1 ? 0x40 : 0);
                assertEquals(expected, cpu.sys.esr[1], "EL" + el + (c[1] == 1 ? " write" : " read"));
                assertEquals(data, cpu.sys.far[1]);
            }
    }
}
