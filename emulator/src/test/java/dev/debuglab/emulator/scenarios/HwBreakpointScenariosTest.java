package dev.debuglab.emulator.scenarios;

import static dev.debuglab.emulator.scenarios.Guest.ENABLE_DEBUG;
import static dev.debuglab.emulator.scenarios.Guest.EXIT;
import static dev.debuglab.emulator.scenarios.Guest.resetDebug;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.arch.Debug;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import org.junit.jupiter.api.Test;

/** scenarios.md A.2: hardware breakpoints (architecture.md §5, §7, §9). */
class HwBreakpointScenariosTest {
    static final long BP_SAME = 0xC6000022L, BP_LOWER = 0xC2000022L;

    /** Breakpoint 0 on label {@code t} with DBGBCR0 = {@code bcr} (16-bit value). Clobbers x0. */
    static String install(String bcr) {
        return "    adr x0, t\n    msr dbgbvr0_el1, x0\n    mov x0, #" + bcr + "\n    msr dbgbcr0_el1, x0\n    isb\n";
    }

    static final String FUNCTION_T = "t:  nop\n    ret\n";

    static Guest disableBreakpointOnHit(Guest g, int ec) {
        return g.on(ec, (gg, t) -> {
            gg.cpu.sys.dbgbcr[0] = 0;
            Debug.refresh(gg.cpu);
        });
    }

    @Test
    void ARCH_HWBP_BASIC() {
        // Rule: an enabled, matching breakpoint at EL1 with KDE = MDE = 1, D = 0 fires once; ELR = t, not executed.
        for (String bcr : new String[] {"0x1fe3", "0x1e7"}) {
            Guest g = new Guest(1);
            g.load(resetDebug() + install(bcr) + ENABLE_DEBUG + "t:  nop\n" + EXIT).run();
            assertEquals(1, g.taken.size(), g.describe());
            assertEquals(BP_SAME, g.esr(0));
            assertEquals(g.sym("t"), g.taken.get(0).elr());
            assertEquals(Guest.VBAR_EL1 + 0x200, g.taken.get(0).vector());
        }
    }

    @Test
    void ARCH_HWBP_OSLK() {
        // Rule: OSLK = 1 disables breakpoints (§5.3 row 1); unlocking re-enables them.
        Guest g = new Guest(1);
        g.load(resetDebug() + "    mov x0, #1\n    msr oslar_el1, x0\n    isb\n" + install("0x1fe3") + ENABLE_DEBUG
                + "    bl t\n    msr oslar_el1, xzr\n    isb\n    bl t\n" + EXIT + FUNCTION_T).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(BP_SAME, g.esr(0));
        assertEquals(g.sym("t"), g.taken.get(0).elr());
    }

    @Test
    void ARCH_HWBP_LOCK_LATE() {
        // Rule: locking after the breakpoint has fired suppresses it until unlock (KVM61-HWBP-LOCK-MIDSTREAM).
        Guest g = new Guest(1);
        g.load(resetDebug() + install("0x1fe3") + ENABLE_DEBUG + """
                    bl t
                    msr daifclr, #8
                    mov x0, #1
                    msr oslar_el1, x0
                    isb
                    bl t
                    msr oslar_el1, xzr
                    isb
                    bl t
                """ + EXIT + FUNCTION_T).run();
        assertEquals(2, g.taken.size(), g.describe());
        assertEquals(BP_SAME, g.esr(0));
        assertEquals(BP_SAME, g.esr(1));
    }

    @Test
    void ARCH_HWBP_DLK() {
        // Rule: DLKeff = DLK and not CORENPDRQ disables breakpoints (§5.2); CORENPDRQ = 1 lifts it.
        Guest g = new Guest(1);
        g.load(resetDebug() + install("0x1fe3") + """
                    mov x0, #1
                    msr osdlr_el1, x0
                    msr dbgprcr_el1, xzr
                    isb
                """ + ENABLE_DEBUG + """
                    bl t
                    mov x0, #1
                    msr dbgprcr_el1, x0
                    isb
                    bl t
                """ + EXIT + FUNCTION_T).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(BP_SAME, g.esr(0));
    }

    @Test
    void ARCH_HWBP_MDE0() {
        // Rule: breakpoints need MDSCR_EL1.MDE = 1 (§5.4).
        Guest g = new Guest(1);
        g.load(resetDebug() + install("0x1fe3") + """
                    msr daifclr, #8
                    mov x0, #0x2000
                    msr mdscr_el1, x0
                    isb
                    bl t
                """ + EXIT + FUNCTION_T).run();
        assertEquals(0, g.taken.size(), g.describe());
    }

    @Test
    void ARCH_HWBP_KDE0() {
        // Rule: at EL1 with ELd = EL1 KDE = 0 disables it (row 4); at EL0 KDE is irrelevant (row 3).
        Guest g = new Guest(1);
        disableBreakpointOnHit(g, 0x30);
        g.load(resetDebug() + install("0x1e7") + """
                    msr daifclr, #8
                    mov x0, #0x8000
                    msr mdscr_el1, x0
                    isb
                    bl t
                """ + Guest.toEl0("user") + "user:\n    bl t\n" + EXIT + FUNCTION_T).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(BP_LOWER, g.esr(0));
        assertEquals(0, g.taken.get(0).from());
        assertEquals(Guest.VBAR_EL1 + 0x400, g.taken.get(0).vector());
    }

    @Test
    void ARCH_HWBP_DMASK() {
        // Rule: PSTATE.D = 1 masks same-EL breakpoints (row 4).
        Guest g = new Guest(1);
        g.load(resetDebug() + install("0x1fe3") + """
                    mov x0, #0xa000
                    msr mdscr_el1, x0
                    isb
                    bl t
                """ + EXIT + FUNCTION_T).run();
        assertEquals(0, g.taken.size(), g.describe());
    }

    @Test
    void ARCH_HWBP_PMC() {
        // Rule: PMC = 0b01 matches at EL1 only (§7.4).
        Guest g = new Guest(1);
        g.load(resetDebug() + install("0x1e3") + ENABLE_DEBUG + Guest.toEl0("user") + "user:\n    bl t\n" + EXIT + FUNCTION_T).run();
        assertEquals(0, g.taken.size(), g.describe());
    }

    @Test
    void ARCH_HWBP_SVC() {
        // Rule: the breakpoint is taken before the SVC executes (§9); then the SVC with ELR = s + 4.
        Guest g = new Guest(1);
        g.load(resetDebug() + "    adr x0, s\n    msr dbgbvr0_el1, x0\n    mov x0, #0x1fe3\n    msr dbgbcr0_el1, x0\n    isb\n"
                + ENABLE_DEBUG + "s:  svc #0\n" + EXIT).run();
        assertEquals(2, g.taken.size(), g.describe());
        assertEquals(BP_SAME, g.esr(0));
        assertEquals(g.sym("s"), g.taken.get(0).elr());
        assertEquals(0x56000000L, g.esr(1));
        assertEquals(g.sym("s") + 4, g.taken.get(1).elr());
    }

    @Test
    void ARCH_HWBP_BRK() {
        // Rule: breakpoint (priority 4) before BRK (priority 6); both ELRs = the BRK.
        Guest g = new Guest(1);
        g.load(resetDebug() + "    adr x0, b\n    msr dbgbvr0_el1, x0\n    mov x0, #0x1fe3\n    msr dbgbcr0_el1, x0\n    isb\n"
                + ENABLE_DEBUG + "b:  brk #0\n" + EXIT).run();
        assertEquals(2, g.taken.size(), g.describe());
        assertEquals(BP_SAME, g.esr(0));
        assertEquals(g.sym("b"), g.taken.get(0).elr());
        assertEquals(0xF2000000L, g.esr(1));
        assertEquals(g.sym("b"), g.taken.get(1).elr());
    }

    @Test
    void ARCH_HWBP_TDE() {
        // Rule: with TDE = 1, ELd = EL2 > EL1, so KDE = 0 and D = 1 are ignored (row 5); to EL2 +0x400.
        Guest g = new Guest(1);
        g.cpu.sys.mdcrEl2 = MDCR_EL2.TDE.of(1);
        g.cpu.sys.oslsrEl1 = 0x8;
        g.cpu.sys.mdscrEl1 = MDSCR_EL1.MDE.of(1);
        g.load("t:  nop\n" + EXIT);
        g.cpu.sys.dbgbvr[0] = g.sym("t");
        g.cpu.sys.dbgbcr[0] = 0x1E7;
        Debug.refresh(g.cpu);
        disableBreakpointOnHit(g, 0x30);
        g.run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(2, g.taken.get(0).to());
        assertEquals(Guest.VBAR_EL2 + 0x400, g.taken.get(0).vector());
        assertEquals(BP_LOWER, g.cpu.sys.esr[2]);
        assertEquals(g.sym("t"), g.cpu.sys.elr[2]);
    }

    @Test
    void ARCH_HWBP_EL2() {
        // Rule: at EL2 a breakpoint (HMC = 1) fires only with ELd = EL2, KDE = 1, D = 0 (row 6); TDE = 0 gives row 7.
        Guest g = new Guest(2);
        g.load(resetDebug() + install("0x21e3") + """
                    mov x0, #0x100
                    msr mdcr_el2, x0
                    isb
                """ + ENABLE_DEBUG + """
                    bl t
                    msr daifclr, #8
                    msr mdcr_el2, xzr
                    isb
                    bl t
                """ + EXIT + FUNCTION_T).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(2, g.taken.get(0).to());
        assertEquals(BP_SAME, g.cpu.sys.esr[2]);
    }

    @Test
    void ARCH_HWBP_CTX() {
        // Rule: a linked address breakpoint (BT 0b0001) fires only while its context breakpoint matches CONTEXTIDR_EL1 (§7.3).
        Guest g = new Guest(1);
        g.load(resetDebug() + """
                    movz x0, #0xcdef
                    movk x0, #0xab, lsl #16
                    msr dbgbvr5_el1, x0
                    movz x0, #0x1fe3
                    movk x0, #0x30, lsl #16
                    msr dbgbcr5_el1, x0
                    adr x0, t
                    msr dbgbvr0_el1, x0
                    movz x0, #0x1fe3
                    movk x0, #0x15, lsl #16
                    msr dbgbcr0_el1, x0
                    movz x0, #0xcdef
                    movk x0, #0xab, lsl #16
                    msr contextidr_el1, x0
                    isb
                """ + ENABLE_DEBUG + """
                    bl t
                    msr contextidr_el1, xzr
                    isb
                    msr daifclr, #8
                    bl t
                """ + EXIT + FUNCTION_T).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(BP_SAME, g.esr(0));
        assertEquals(g.sym("t"), g.taken.get(0).elr());
    }

    @Test
    void ARCH_HWBP_ALL() {
        // Rule: every implemented breakpoint (BRPs + 1 = 6) works; the i-th fires at h + 4i (kvm-unit-tests debug-bp).
        StringBuilder src = new StringBuilder(resetDebug());
        for (int i = 0; i < 6; i++)
            src.append("    adr x0, h + ").append(4 * i).append("\n    msr dbgbvr").append(i).append("_el1, x0\n")
                    .append("    mov x0, #0x1fe3\n    msr dbgbcr").append(i).append("_el1, x0\n");
        src.append("    isb\n").append(ENABLE_DEBUG).append("h:\n");
        for (int i = 0; i < 16; i++) src.append("    msr daifclr, #8\n");
        src.append(EXIT);
        Guest g = new Guest(1);
        g.load(src.toString()).run();
        assertEquals(6, g.taken.size(), g.describe());
        for (int i = 0; i < 6; i++) {
            assertEquals(BP_SAME, g.esr(i));
            assertEquals(g.sym("h") + 4L * i, g.taken.get(i).elr());
        }
    }

    @Test
    void ARCH_HWBP_PRIO_SS() {
        // Rule: Software Step (priority 1) before Breakpoint (priority 4) at the same instruction (§9).
        Guest g = new Guest(1);
        g.load(resetDebug() + install("0x1fe3") + """
                    mov x0, #0xa001
                    msr mdscr_el1, x0
                    isb
                    msr daifclr, #8
                t:  nop
                """ + EXIT).run();
        assertEquals(2, g.taken.size(), g.describe());
        assertEquals(0xCE000022L, g.esr(0), "step first, ISV 0");
        assertEquals(g.sym("t"), g.taken.get(0).elr());
        assertEquals(BP_SAME, g.esr(1));
        assertEquals(g.sym("t"), g.taken.get(1).elr());
    }
}
