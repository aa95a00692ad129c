package dev.debuglab.emulator.scenarios;

import static dev.debuglab.emulator.scenarios.Guest.ENABLE_DEBUG;
import static dev.debuglab.emulator.scenarios.Guest.EXIT;
import static dev.debuglab.emulator.scenarios.Guest.resetDebug;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.arch.Debug;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import org.junit.jupiter.api.Test;

/** scenarios.md A.5: OS Lock registers, EL2 traps, other exceptions (architecture.md §4, §11, §12.4, §16). */
class OsLockTrapScenariosTest {
    static final long UNDEF = 0x02000000L;

    @Test
    void ARCH_RESET_OSLK() {
        // Rule: cold reset leaves OSLK = 1 (OSLSR 0xA), suppressing breakpoints until OSLAR is written (§11 rule 1).
        Guest g = new Guest(1);
        g.load("""
                    adr x0, t
                    msr dbgbvr0_el1, x0
                    mov x0, #0x1e7
                    msr dbgbcr0_el1, x0
                    isb
                """ + ENABLE_DEBUG + """
                    mrs x1, oslsr_el1
                    bl t
                unlock:
                    msr oslar_el1, xzr
                    isb
                    bl t
                """ + EXIT + "t:  nop\n    ret\n").run();
        assertEquals(0xD510109F, g.program.wordAt(g.sym("unlock")), "MSR OSLAR_EL1, XZR");
        assertEquals(0xA, g.cpu.x[1]);
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(0xC6000022L, g.esr(0));
    }

    @Test
    void ARCH_OSLAR_BITS() {
        // Rule: OSLAR_EL1 bit 0 alone sets OSLSR_EL1.OSLK (§11); other bits are ignored.
        Guest g = new Guest(1);
        g.load("""
                    mov x0, #1
                    msr oslar_el1, x0
                    mrs x1, oslsr_el1
                    msr oslar_el1, xzr
                    mrs x2, oslsr_el1
                    mov x0, #2
                    msr oslar_el1, x0
                    mrs x3, oslsr_el1
                    mov x0, #0xffffffff
                    msr oslar_el1, x0
                    mrs x4, oslsr_el1
                    msr oslar_el1, xzr
                    mrs x5, oslsr_el1
                """ + EXIT).run();
        assertEquals(0, g.taken.size(), g.describe());
        long[] expect = {0xA, 0x8, 0x8, 0xA, 0x8};
        for (int i = 0; i < 5; i++) assertEquals(expect[i], g.cpu.x[i + 1], "read " + (i + 1));
    }

    @Test
    void ARCH_OSLAR_READ() {
        // Rule: MRS of the write-only OSLAR_EL1 is UNDEFINED (§11 rule 2).
        Guest g = new Guest(1);
        g.load("m:  .inst 0xd5301080\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(UNDEF, g.esr(0));
        assertEquals(g.sym("m"), g.taken.get(0).elr());
    }

    @Test
    void ARCH_OSLSR_WRITE() {
        // Rule: MSR to the read-only OSLSR_EL1 is UNDEFINED (§11 rule 2).
        Guest g = new Guest(1);
        g.load(".inst 0xd5101180\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(UNDEF, g.esr(0));
        assertEquals(0xA, g.cpu.sys.oslsrEl1);
    }

    @Test
    void ARCH_OSDLR_NOFEAT() {
        // Rule: without FEAT_DoubleLock (DoubleLock = 0b1111) OSDLR_EL1 is RAZ/WI (§11).
        Guest g = new Guest(1);
        g.cpu.sys.configureDebug(6, 4, 2, false);
        g.load("    mov x0, #1\n    msr osdlr_el1, x0\n    mov x1, #5\n    mrs x1, osdlr_el1\n    mrs x2, id_aa64dfr0_el1\n" + EXIT).run();
        assertEquals(0, g.taken.size(), g.describe());
        assertEquals(0, g.cpu.x[1]);
        assertEquals(0xF, (g.cpu.x[2] >>> 36) & 0xF);
    }

    @Test
    void ARCH_TRAP_TDOSA() {
        // Rule: MDCR_EL2.TDOSA traps EL1 OS lock accesses to EL2 with EC 0x18 (§12.4 row 3); the lock is untouched.
        Guest g = new Guest(1);
        g.cpu.sys.mdcrEl2 = MDCR_EL2.TDOSA.of(1);
        g.load("a:  msr oslar_el1, xzr\nb:  mrs x1, oslsr_el1\n" + EXIT).run();
        assertEquals(2, g.taken.size(), g.describe());
        assertEquals(0x622807E0L, g.esr(0));
        assertEquals(g.sym("a"), g.taken.get(0).elr());
        assertEquals(Guest.VBAR_EL2 + 0x400, g.taken.get(0).vector());
        assertEquals(0x62280423L, g.esr(1));
        assertEquals(g.sym("b"), g.taken.get(1).elr());
        assertEquals(0xA, g.cpu.sys.oslsrEl1, "not performed");
    }

    @Test
    void ARCH_TRAP_TDA() {
        // Rule: MDCR_EL2.TDA traps EL1 MDSCR_EL1 accesses (§12.4 row 4).
        Guest g = new Guest(1);
        g.cpu.sys.mdcrEl2 = MDCR_EL2.TDA.of(1);
        g.load("    msr mdscr_el1, x0\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(2, g.taken.get(0).to());
        assertEquals(0x62240004L, g.esr(0));
    }

    @Test
    void ARCH_TRAP_TDRA() {
        // Rule: MDCR_EL2.TDRA traps EL1 MDRAR_EL1 reads (§12.4 row 5).
        Guest g = new Guest(1);
        g.cpu.sys.mdcrEl2 = MDCR_EL2.TDRA.of(1);
        g.load("    mrs x0, mdrar_el1\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(0x62200401L, g.esr(0));
    }

    @Test
    void ARCH_TRAP_TDE() {
        // Rule: TDE = 1 behaves as TDA = TDOSA = TDRA = 1 (§12.2).
        Guest g = new Guest(1);
        g.cpu.sys.mdcrEl2 = MDCR_EL2.TDE.of(1);
        g.load("    msr oslar_el1, xzr\n    mrs x1, oslsr_el1\n    msr mdscr_el1, x0\n    mrs x0, mdrar_el1\n" + EXIT).run();
        assertEquals(4, g.taken.size(), g.describe());
        long[] expect = {0x622807E0L, 0x62280423L, 0x62240004L, 0x62200401L};
        for (int i = 0; i < 4; i++) {
            assertEquals(expect[i], g.esr(i));
            assertEquals(2, g.taken.get(i).to());
        }
    }

    @Test
    void ARCH_TRAP_EL0() {
        // Rule: EL1 debug registers from EL0 are UNDEFINED to EL1, not trapped to EL2 (§12.4 row 1).
        Guest g = new Guest(1);
        g.cpu.sys.mdcrEl2 = MDCR_EL2.TDA.of(1);
        g.load(Guest.toEl0("user") + "user:\n    mrs x0, mdscr_el1\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(1, g.taken.get(0).to());
        assertEquals(Guest.VBAR_EL1 + 0x400, g.taken.get(0).vector());
        assertEquals(UNDEF, g.esr(0));
    }

    @Test
    void ARCH_HVC() {
        // Rule: HVC at EL1 goes to EL2 with ELR = HVC + 4; at EL0 it is UNDEFINED (§16).
        Guest g = new Guest(1);
        g.load("h:  hvc #0\n" + Guest.toEl0("user") + "user:\nu:  hvc #0\n" + EXIT).run();
        assertEquals(2, g.taken.size(), g.describe());
        assertEquals(2, g.taken.get(0).to());
        assertEquals(0x5A000000L, g.esr(0));
        assertEquals(g.sym("h") + 4, g.taken.get(0).elr());
        assertEquals(1, g.taken.get(1).to());
        assertEquals(UNDEF, g.esr(1));
        assertEquals(g.sym("u"), g.taken.get(1).elr());
    }

    @Test
    void ARCH_HVC_HCD() {
        // Rule: HCR_EL2.HCD = 1 makes HVC UNDEFINED at EL1 (§16).
        Guest g = new Guest(1);
        g.cpu.sys.hcrEl2 |= HCR_EL2.HCD.of(1);
        g.load("    hvc #0\n" + EXIT).run();
        assertEquals(1, g.taken.get(0).to());
        assertEquals(UNDEF, g.esr(0));
    }

    @Test
    void ARCH_SVC() {
        // Rule: SVC from EL0 goes to EL1 (+0x400), ELR = SVC + 4; with HCR_EL2.TGE = 1 to EL2 (§16).
        Guest g = new Guest(1);
        g.load(Guest.toEl0("user") + "user:\ns:  svc #0\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(0x56000000L, g.esr(0));
        assertEquals(g.sym("s") + 4, g.taken.get(0).elr());
        assertEquals(Guest.VBAR_EL1 + 0x400, g.taken.get(0).vector());

        Guest h = new Guest(2);
        h.cpu.sys.hcrEl2 |= HCR_EL2.TGE.of(1);
        h.load("    msr spsr_el2, xzr\n    adr x9, user\n    msr elr_el2, x9\n    eret\nuser:\n    svc #0\n" + EXIT).run();
        assertEquals(1, h.taken.size(), h.describe());
        assertEquals(2, h.taken.get(0).to());
        assertEquals(0x56000000L, h.esr(0));
    }

    @Test
    void ARCH_HLT() {
        // Rule: no halting debug, so HLT is UNDEFINED at every EL (§16).
        for (int el = 1; el <= 2; el++) {
            Guest g = new Guest(el);
            g.load("h:  hlt #0\n" + EXIT).run();
            assertEquals(1, g.taken.size(), g.describe());
            assertEquals(UNDEF, g.esr(0));
            assertEquals(el, g.taken.get(0).to());
        }
        Guest g = new Guest(1);
        g.load(Guest.toEl0("user") + "user:\n    hlt #0\n" + EXIT).run();
        assertEquals(UNDEF, g.esr(0));
    }

    @Test
    void ARCH_ERET_EL0() {
        // Rule: ERET at EL0 is UNDEFINED, ELR = the ERET (§4 rule 1).
        Guest g = new Guest(1);
        g.load(Guest.toEl0("user") + "user:\nr:  eret\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(UNDEF, g.esr(0));
        assertEquals(g.sym("r"), g.taken.get(0).elr());
        assertEquals(1, g.taken.get(0).to());
    }

    @Test
    void ARCH_ERET_ILLEGAL() {
        // Rule: an illegal return sets PSTATE.IL and stays at EL1; the next instruction takes EC 0x0E (§4 rules 3, 8).
        Guest g = new Guest(1);
        g.load("""
                    mov x0, #0x3c9
                    msr spsr_el1, x0
                    adr x0, x
                    msr elr_el1, x0
                    eret
                x:
                """ + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(0x3A000000L, g.esr(0));
        assertEquals(g.sym("x"), g.taken.get(0).elr());
        assertEquals(1, g.taken.get(0).from());
        assertEquals(1, (g.taken.get(0).spsr() >>> 20) & 1, "SPSR.IL = 1");
    }

    @Test
    void ARCH_DEBUG_FLAGS_FOLLOW_STATE() {
        // Rule: the interpreter's debug flags are recomputed on every relevant write (Debug.refresh).
        Guest g = new Guest(1);
        g.load(resetDebug() + "    adr x0, t\n    msr dbgbvr0_el1, x0\n    mov x0, #0x1e7\n    msr dbgbcr0_el1, x0\n" + ENABLE_DEBUG
                + "    mov x0, #1\n    msr oslar_el1, x0\nt:  nop\n" + EXIT).run();
        assertEquals(false, g.cpu.debugChecks, "locked: no per-instruction checks");
        g.cpu.sys.oslsrEl1 = 0x8;
        Debug.refresh(g.cpu);
        assertEquals(true, g.cpu.debugChecks);
    }
}
