package dev.debuglab.emulator.scenarios;

import static dev.debuglab.emulator.scenarios.Guest.ENABLE_DEBUG;
import static dev.debuglab.emulator.scenarios.Guest.EXIT;
import static dev.debuglab.emulator.scenarios.Guest.resetDebug;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.arch.DataAccess;
import dev.debuglab.emulator.arch.Debug;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import org.junit.jupiter.api.Test;

/** scenarios.md A.3: watchpoints (architecture.md §8). Data at 0x4010_0000. */
class WatchpointScenariosTest {
    static final long WP_SAME_READ = 0xD6000022L, WP_SAME_WRITE = 0xD6000062L;

    /** x2 = &d (0x4010_0000 + off); watchpoint 0 on it with DBGWCR0 = x0 loaded by {@code wcrSetup}. */
    static String install(long off, String wcrSetup) {
        return "    movz x2, #0x4010, lsl #16\n    add x2, x2, #" + off + "\n    msr dbgwvr0_el1, x2\n"
                + wcrSetup + "    msr dbgwcr0_el1, x0\n    isb\n";
    }

    static String wcr(int v) {
        return "    mov x0, #" + v + "\n";
    }

    @Test
    void ARCH_WP_STORE() {
        // Rule: a store hitting an LSC=0b11 watchpoint is not performed; ESR 0xD6000062, FAR = &d, ELR = the store.
        Guest g = new Guest(1);
        long[] memoryAtHandler = new long[1];
        g.on(0x35, (gg, t) -> {
            memoryAtHandler[0] = gg.cpu.mem.read(Guest.DATA, 1);
            gg.setSpsrD(t);
        });
        g.load(resetDebug() + install(0, wcr(0x1ffb)) + ENABLE_DEBUG + "    mov w1, #0x5a\nst: strb w1, [x2]\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(WP_SAME_WRITE, g.esr(0));
        assertEquals(Guest.DATA, g.taken.get(0).far());
        assertEquals(g.sym("st"), g.taken.get(0).elr());
        assertEquals(0, memoryAtHandler[0], "the access is not performed");
        assertEquals(0x5A, g.cpu.mem.read(Guest.DATA, 1), "re-executed after the handler");
    }

    @Test
    void ARCH_WP_LSC_STORE() {
        // Rule: LSC = 0b10 watches stores only (§8.3 rule 2).
        Guest g = new Guest(1);
        g.load(resetDebug() + install(0, wcr(0x1ff7)) + ENABLE_DEBUG + "    ldr x3, [x2]\n    str x3, [x2]\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(WP_SAME_WRITE, g.esr(0));
        assertEquals(0x4010_0000L, g.taken.get(0).far());
    }

    @Test
    void ARCH_WP_LOAD() {
        // Rule: LSC = 0b01 watches loads; WnR = 0.
        Guest g = new Guest(1);
        g.load(resetDebug() + install(0, wcr(0x1fef)) + ENABLE_DEBUG + "    str x3, [x2]\n    ldr x3, [x2]\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(WP_SAME_READ, g.esr(0));
    }

    @Test
    void ARCH_WP_RMW() {
        // Rule: an atomic read-modify-write on an LSC=0b11 watchpoint reports WnR = 0 (§8.3 WnR rule).
        // FEAT_LSE (SWP) is not implemented, so the access is made through the DataAccess path an RMW uses.
        Guest g = new Guest(1);
        g.load(EXIT);
        g.cpu.sys.oslsrEl1 = 0x8;
        g.cpu.sys.mdscrEl1 = MDSCR_EL1.KDE.of(1) | MDSCR_EL1.MDE.of(1);
        g.cpu.d = false;
        g.cpu.sys.dbgwvr[0] = Guest.DATA;
        g.cpu.sys.dbgwcr[0] = 0x1FFB;
        Debug.refresh(g.cpu);
        DataAccess.read(g.cpu, Guest.DATA, 8, DataAccess.ATOMIC);
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(WP_SAME_READ, g.esr(0));
    }

    @Test
    void ARCH_WP_OSLK() {
        // Rule: OSLK = 1 disables watchpoints; the store completes.
        Guest g = new Guest(1);
        g.load(resetDebug() + "    mov x0, #1\n    msr oslar_el1, x0\n    isb\n" + install(0, wcr(0x1ffb)) + ENABLE_DEBUG
                + "    mov w1, #0x77\n    strb w1, [x2]\n" + EXIT).run();
        assertEquals(0, g.taken.size(), g.describe());
        assertEquals(0x77, g.cpu.mem.read(Guest.DATA, 1));
    }

    @Test
    void ARCH_WP_ALL() {
        // Rule: every implemented watchpoint (WRPs + 1 = 4) works; FAR = the byte written (kvm-unit-tests debug-wp).
        StringBuilder src = new StringBuilder(resetDebug());
        src.append("    movz x2, #0x4010, lsl #16\n");
        for (int i = 0; i < 4; i++)
            src.append("    add x0, x2, #").append(i).append("\n    msr dbgwvr").append(i).append("_el1, x0\n")
                    .append("    mov x0, #0x1ffb\n    msr dbgwcr").append(i).append("_el1, x0\n");
        src.append("    isb\n").append(ENABLE_DEBUG);
        for (int i = 0; i < 4; i++)
            src.append("    mov w1, #").append(i).append("\n    strb w1, [x2, #").append(i).append("]\n    msr daifclr, #8\n");
        src.append(EXIT);
        Guest g = new Guest(1);
        g.cpu.mem.write(Guest.DATA, 4, 0xFFFFFFFFL);
        g.load(src.toString()).run();
        assertEquals(4, g.taken.size(), g.describe());
        for (int i = 0; i < 4; i++) {
            assertEquals(WP_SAME_WRITE, g.esr(i));
            assertEquals(Guest.DATA + i, g.taken.get(i).far());
            assertEquals(i, g.cpu.mem.read(Guest.DATA + i, 1));
        }
    }

    @Test
    void ARCH_WP_CTX() {
        // Rule: a linked watchpoint (WT = 1) fires only while its context breakpoint matches CONTEXTIDR_EL1.
        Guest g = new Guest(1);
        g.load(resetDebug() + """
                    movz x0, #0xcdef
                    movk x0, #0xab, lsl #16
                    msr dbgbvr5_el1, x0
                    msr contextidr_el1, x0
                    movz x0, #0x1fe3
                    movk x0, #0x30, lsl #16
                    msr dbgbcr5_el1, x0
                """ + install(0, "    movz x0, #0x1ffb\n    movk x0, #0x15, lsl #16\n") + ENABLE_DEBUG + """
                    strb w1, [x2]
                    msr contextidr_el1, xzr
                    isb
                    msr daifclr, #8
                    strb w1, [x2]
                """ + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(WP_SAME_WRITE, g.esr(0));
        assertEquals(Guest.DATA, g.taken.get(0).far());
    }

    @Test
    void ARCH_WP_MASK() {
        // Rule: MASK = 12 watches the whole 4 KiB page (§8.3 rule 3); FAR = the store address.
        Guest g = new Guest(1);
        g.load(resetDebug() + install(0, "    movz x0, #0x1ff7\n    movk x0, #0x0c00, lsl #16\n") + ENABLE_DEBUG + """
                    mov x3, #0xabc
                    add x3, x2, x3
                    mov x4, #0x1000
                    add x4, x2, x4
                    str w1, [x4]
                    str w1, [x3]
                """ + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(WP_SAME_WRITE, g.esr(0));
        assertEquals(Guest.DATA + 0xABC, g.taken.get(0).far());
    }

    @Test
    void ARCH_WP_DC() {
        // Rule: DC IVAC is checked as a store with CM = 1 (§8.2); DC CVAC is not checked.
        Guest g = new Guest(1);
        g.load(resetDebug() + install(0, wcr(0x1ff7)) + ENABLE_DEBUG + "    dc cvac, x2\n    dc ivac, x2\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(0xD6000162L, g.esr(0));
    }
}
