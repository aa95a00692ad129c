package dev.debuglab.emulator.scenarios;

import static dev.debuglab.emulator.scenarios.Guest.EXIT;
import static dev.debuglab.emulator.scenarios.Guest.resetDebug;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.arch.Debug;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import org.junit.jupiter.api.Test;

import java.util.List;

/** scenarios.md A.4: software step (architecture.md §10). */
class StepScenariosTest {
    static final long STEP_SAME_ISV = 0xCF000022L, STEP_SAME_NOISV = 0xCE000022L, STEP_LOWER_NOISV = 0xCA000022L;

    /** MDSCR = SS | KDE, then ERET into {@code r} with SPSR = EL1h, SS = 1, D = 0 (0x2001C5). */
    static final String ERET_INTO_R = """
                mov x0, #0x2001
                msr mdscr_el1, x0
                isb
                adr x0, r
                msr elr_el1, x0
                movz x0, #0x1c5
                movk x0, #0x20, lsl #16
                msr spsr_el1, x0
                eret
            """;

    /** The debugger loop of ARCH-SS-ERET: keep stepping while ELR < e, then return with debug masked. */
    static Guest stepUntil(Guest g, String label) {
        return g.on(0x33, (gg, t) -> {
            if (t.elr() < gg.sym(label)) gg.cpu.sys.spsr[1] |= 1L << 21;
            else gg.setSpsrD(t);
        });
    }

    @Test
    void ARCH_SS_ERET() {
        // Rule: ERET with SPSR.SS = 1 from a step-disabled source to an enabled destination steps one instruction (§10.4).
        Guest g = stepUntil(new Guest(1), "e");
        g.load(resetDebug() + ERET_INTO_R + "r:  nop\n    nop\n    nop\n    nop\ne:\n" + EXIT).run();
        assertEquals(4, g.taken.size(), g.describe());
        long r = g.sym("r");
        for (int i = 0; i < 4; i++) {
            assertEquals(STEP_SAME_ISV, g.esr(i));
            assertEquals(r + 4L * (i + 1), g.taken.get(i).elr());
            assertEquals(0x1C5, g.taken.get(i).spsr());
        }
        assertEquals(g.sym("e"), g.taken.get(3).elr());
        assertEquals(0x2001, g.cpu.sys.mdscrEl1, "MDSCR reads 0x2001");
    }

    @Test
    void ARCH_SS_OSLK() {
        // Rule: OSLK = 1 makes step Inactive (§5.3 row 1); after unlock the same run takes 4.
        Guest g = stepUntil(new Guest(1), "e");
        g.load(resetDebug() + "    mov x0, #1\n    msr oslar_el1, x0\n    isb\n    mov x20, #0\nagain:\n" + ERET_INTO_R + """
                r:  nop
                    nop
                    nop
                    nop
                e:  cbnz x20, done
                    mov x20, #1
                    msr daifset, #8
                    msr oslar_el1, xzr
                    isb
                    b again
                done:
                """ + EXIT).run();
        assertEquals(4, g.taken.size(), g.describe());
        for (int i = 0; i < 4; i++) assertEquals(STEP_SAME_ISV, g.esr(i));
    }

    @Test
    void ARCH_SS_SELFTEST() {
        // Rule: setting MDSCR.SS with D = 0 makes the PE Active-pending at once (ISV 0, §10.3 rule 4); DAIFSet #8 ends it.
        Guest g = new Guest(1);
        g.load(resetDebug() + """
                    msr daifclr, #8
                    mrs x0, mdscr_el1
                    mov x1, #0x2001
                    orr x0, x0, x1
                    msr mdscr_el1, x0
                first:
                    isb
                ss_start:
                    mrs x0, esr_el1
                    add x0, x0, #1
                    msr daifset, #8
                    nop
                """ + EXIT).run();
        assertEquals(g.sym("first"), g.taken.get(0).elr());
        assertEquals(STEP_SAME_NOISV, g.esr(0));
        List<Guest.Taken> after = g.taken.subList(1, g.taken.size());
        assertEquals(3, after.size(), g.describe());
        for (int i = 0; i < 3; i++) {
            assertEquals(g.sym("ss_start") + 4L * i, after.get(i).elr());
            assertEquals(STEP_SAME_ISV, after.get(i).esr());
        }
    }

    @Test
    void ARCH_SS_KUT() {
        // Rule: clearing D with MDSCR.SS = 1 and PSTATE.SS = 0 gives a step exception before the next instruction, ISV 0.
        Guest g = new Guest(1);
        g.on(0x33, (gg, t) -> gg.setSpsrD(t));
        g.load(resetDebug() + """
                    mrs x0, mdscr_el1
                    mov x1, #0x2001
                    orr x0, x0, x1
                    msr mdscr_el1, x0
                    isb
                    msr daifclr, #8
                ss_start:
                    mrs x0, esr_el1
                    add x0, x0, #1
                """ + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(STEP_SAME_NOISV, g.esr(0));
        assertEquals(g.sym("ss_start"), g.taken.get(0).elr());
    }

    @Test
    void ARCH_SS_DCLEAR() {
        // Rule: §10.3 rule 4 — D-clear makes step Active-pending; ELR = the next instruction n.
        Guest g = new Guest(1);
        g.on(0x33, (gg, t) -> gg.setSpsrD(t));
        g.load(resetDebug() + "    mov x0, #0x2001\n    msr mdscr_el1, x0\n    isb\n    msr daifclr, #8\nn:  nop\n" + EXIT).run();
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(STEP_SAME_NOISV, g.esr(0));
        assertEquals(g.sym("n"), g.taken.get(0).elr());
    }

    @Test
    void ARCH_SS_SVC() {
        // Rule: SVC advances the step state before its exception (§10.3 rule 1): SPSR.SS = 0, step before s + 4 with ISV 0.
        Guest g = new Guest(1);
        g.on(0x32, (gg, t) -> {
            gg.cpu.sys.mdscrEl1 = MDSCR_EL1.KDE.of(1);
            Debug.refresh(gg.cpu);
        });
        g.load(resetDebug() + """
                    mov x0, #0x2001
                    msr mdscr_el1, x0
                    isb
                    adr x0, s
                    msr elr_el1, x0
                    movz x0, #0x20, lsl #16
                    msr spsr_el1, x0
                    eret
                s:  svc #0
                """ + EXIT).run();
        assertEquals(2, g.taken.size(), g.describe());
        assertEquals(0x56000000L, g.esr(0));
        assertEquals(g.sym("s") + 4, g.taken.get(0).elr());
        assertEquals(0, (g.taken.get(0).spsr() >>> 21) & 1, "SPSR.SS = 0");
        assertEquals(STEP_LOWER_NOISV, g.esr(1));
        assertEquals(g.sym("s") + 4, g.taken.get(1).elr());
        assertEquals(Guest.VBAR_EL1 + 0x400, g.taken.get(1).vector());
    }

    @Test
    void ARCH_SS_LDXR() {
        // Rule: a stepped Load-Exclusive reports ISV 1, EX 1 (§10.5).
        Guest g = new Guest(1);
        g.on(0x33, (gg, t) -> gg.setSpsrD(t));
        g.load(resetDebug() + "    movz x1, #0x4010, lsl #16\n" + ERET_INTO_R + "r:  ldxr x0, [x1]\n" + EXIT).run();
        assertEquals(0xC85F7C20, g.program.wordAt(g.sym("r")), "LDXR X0, [X1]");
        assertEquals(1, g.taken.size(), g.describe());
        assertEquals(0xCF000062L, g.esr(0));
    }

    @Test
    void ARCH_SS_BRK() {
        // Rule: BRK saves the unadvanced PSTATE.SS (= 1, §10.3 rule 2); returning past it steps the next instruction.
        Guest g = new Guest(1);
        g.on(0x33, (gg, t) -> gg.setSpsrD(t));
        g.load(resetDebug() + ERET_INTO_R + "r:\nb:  brk #0\n    nop\n" + EXIT).run();
        assertEquals(2, g.taken.size(), g.describe());
        assertEquals(0xF2000000L, g.esr(0));
        assertEquals(1, (g.taken.get(0).spsr() >>> 21) & 1, "SPSR.SS = 1");
        assertEquals(STEP_SAME_ISV, g.esr(1));
        assertEquals(g.sym("b") + 8, g.taken.get(1).elr());
    }

    @Test
    void ARCH_SS_TDE_ENTRY() {
        // Rule: an exception to EL1 while ELd = EL2 arrives Active-pending (§10.3 rule 3): step to EL2 at the EL1 handler's first instruction.
        Guest g = new Guest(2);
        g.on(0x32, (gg, t) -> {
            if (t.to() == 2) {
                gg.cpu.sys.mdscrEl1 = 0;
                Debug.refresh(gg.cpu);
            }
        });
        g.load("""
                    msr oslar_el1, xzr
                    mov x0, #0x100
                    msr mdcr_el2, x0
                    mov x0, #0x2001
                    msr mdscr_el1, x0
                    isb
                    adr x0, s
                    msr elr_el2, x0
                    movz x0, #0x20, lsl #16
                    msr spsr_el2, x0
                    eret
                s:  svc #0
                """ + EXIT).run();
        assertTrue(g.taken.size() >= 2, g.describe());
        assertEquals(0x56000000L, g.esr(0));
        assertEquals(1, g.taken.get(0).to());
        Guest.Taken step = g.taken.get(1);
        assertEquals(2, step.to());
        assertEquals(Guest.VBAR_EL2 + 0x400, step.vector());
        assertEquals(Guest.VBAR_EL1 + 0x400, step.elr());
        assertEquals(STEP_LOWER_NOISV, step.esr());
        assertEquals(2, g.taken.size(), g.describe());
    }
}
