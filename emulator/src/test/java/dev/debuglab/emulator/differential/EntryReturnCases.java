package dev.debuglab.emulator.differential;

import static dev.debuglab.emulator.differential.ArchModel.*;
import static dev.debuglab.emulator.differential.BareMetalProgram.*;

import dev.debuglab.emulator.differential.ArchModel.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * Exception entry and return, and ERET with software step: vector offsets from SP0/SPx/lower EL,
 * SPSR and ELR values, the exception-generating instructions at each EL, illegal exception
 * returns, ERET to each EL with SPSR.SS set and clear, stepping several instructions, the ISV and
 * EX bits, SVC/HVC and BRK under step, step on entry to a handler, and MSR DAIFSet/DAIFClr/DAIF
 * changing PSTATE.D while stepping. Each case's expected
 * output is derived here from the rules of architecture.md §2–§4, §10 and §16, stated next to it.
 */
final class EntryReturnCases {
    private EntryReturnCases() {}

    private static final long NC = 0xA000_0000L, ZC = 0x6000_0000L, NV = 0x9000_0000L;
    private static final long EL0T = mode(0, 0), EL1T = mode(1, 0), EL1H = mode(1, 1), EL2T = mode(2, 0),
            EL2H = mode(2, 1);
    private static final long DAIF = SPSR_D | SPSR_AIF;

    /** Expected output of one case, built line by line. */
    private static final class Expect {
        final List<String> lines = new ArrayList<>();

        Expect(int id) {
            lines.add(header(id));
        }

        Expect x(int el, int vector, long esr, long elr, long spsr) {
            lines.add(exception(el, vector, esr, elr, spsr));
            return this;
        }
    }

    private static int nextId;

    static Batch batch(long base) {
        Batch b = new Batch("entry-return", base);
        BareMetalProgram p = b.program;
        nextId = 0x6000;
        long fwd = p.forwardHvcReturn();

        // --- §3.2 vector offsets, §3.3 ELR, §2.2 SPSR (NZCV, DAIF, M) for the exception instructions ---
        {
            var body = p.body("svc11_svc", "svc #0x11", "svc #1");
            long spsr = NC | SPSR_AIF | EL0T;   // SVC from EL0 → EL1, lower-EL group; ELR = next instruction
            add(b, "SVC at EL0t -> EL1 +0x400", body, spsr, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x400, svcEsr(0x11), body.at(1), spsr)
                    .x(1, 0x400, svcEsr(1), body.at(2), spsr)
                    .x(2, 0x400, hvcEsr(1), fwd, handlerPstate(1)));
        }
        {
            var body = p.body("svc11_svc", "svc #0x11", "svc #1");
            long spsr = SPSR_AIF | EL0T;         // HCR_EL2.TGE = 1: SVC from EL0 goes to EL2 (§16)
            add(b, "SVC at EL0t with TGE -> EL2 +0x400", body, spsr, HCR_TGE, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x400, svcEsr(0x11), body.at(1), spsr)
                    .x(2, 0x400, svcEsr(1), body.at(2), spsr));
        }
        {
            var body = p.body("svc12_hvc", "svc #0x12", "hvc #1");
            long spsr = DAIF | EL1T;             // same EL with SP_EL0 → +0x000
            add(b, "SVC at EL1t -> EL1 +0x000", body, spsr, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x000, svcEsr(0x12), body.at(1), spsr)
                    .x(2, 0x400, hvcEsr(1), body.at(2), spsr));
            long spsr2 = ZC | SPSR_A | SPSR_F | EL1H;   // same EL with SP_EL1 → +0x200; D, I clear
            add(b, "SVC at EL1h -> EL1 +0x200", body, spsr2, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x200, svcEsr(0x12), body.at(1), spsr2)
                    .x(2, 0x400, hvcEsr(1), body.at(2), spsr2));
        }
        {
            var body = p.body("hvc14_hvc", "hvc #0x14", "hvc #1");
            long spsr = NV | DAIF | EL1H;
            add(b, "HVC at EL1h -> EL2 +0x400", body, spsr, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x400, hvcEsr(0x14), body.at(1), spsr)
                    .x(2, 0x400, hvcEsr(1), body.at(2), spsr));
            long spsr2 = DAIF | EL2T;
            add(b, "HVC at EL2t -> EL2 +0x000", body, spsr2, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x000, hvcEsr(0x14), body.at(1), spsr2)
                    .x(2, 0x000, hvcEsr(1), body.at(2), spsr2));
            long spsr3 = SPSR_AIF | EL2H;
            add(b, "HVC at EL2h -> EL2 +0x200", body, spsr3, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x200, hvcEsr(0x14), body.at(1), spsr3)
                    .x(2, 0x200, hvcEsr(1), body.at(2), spsr3));
        }
        {
            var body = p.body("svc13_hvc", "svc #0x13", "hvc #1");
            long spsr = ZC | DAIF | EL2H;        // SVC at EL2 is taken to EL2 (§16)
            add(b, "SVC at EL2h -> EL2 +0x200", body, spsr, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x200, svcEsr(0x13), body.at(1), spsr)
                    .x(2, 0x200, hvcEsr(1), body.at(2), spsr));
        }
        {
            var body = p.body("brk17_hvc", "brk #0x17", "hvc #1");
            long spsr = DAIF | EL2T;             // BRK: ELR = the BRK itself (§3.3); the handler adds 4
            add(b, "BRK at EL2t -> EL2 +0x000", body, spsr, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x000, brkEsr(0x17), body.at(0), spsr)
                    .x(2, 0x000, hvcEsr(1), body.at(2), spsr));
            long spsr2 = DAIF | EL1T;
            add(b, "BRK at EL1t -> EL1 +0x000", body, spsr2, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x000, brkEsr(0x17), body.at(0), spsr2)
                    .x(2, 0x400, hvcEsr(1), body.at(2), spsr2));
        }
        // --- UNDEFINED (EC 0x00, ELR = the instruction, §3.3, §16) ---
        {
            var eret = p.body("eret_svc", "eret", "svc #1");
            long spsr = SPSR_AIF | EL0T;
            add(b, "ERET at EL0 is UNDEFINED", eret, spsr, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x400, esr(EC_UNKNOWN, 0), eret.at(0), spsr)
                    .x(1, 0x400, svcEsr(1), eret.at(2), spsr)
                    .x(2, 0x400, hvcEsr(1), fwd, handlerPstate(1)));
            var hvc = p.body("hvc15_svc", "hvc #0x15", "svc #1");
            add(b, "HVC at EL0 is UNDEFINED", hvc, spsr, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x400, esr(EC_UNKNOWN, 0), hvc.at(0), spsr)
                    .x(1, 0x400, svcEsr(1), hvc.at(2), spsr)
                    .x(2, 0x400, hvcEsr(1), fwd, handlerPstate(1)));
            var hlt = p.body("hlt0_hvc", "hlt #0", "hvc #1");
            long spsr1 = DAIF | EL1H;            // no halting debug: HLT is UNDEFINED (§1.2)
            add(b, "HLT #0 at EL1 is UNDEFINED", hlt, spsr1, 0, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x200, esr(EC_UNKNOWN, 0), hlt.at(0), spsr1)
                    .x(2, 0x400, hvcEsr(1), hlt.at(2), spsr1));
        }
        // --- §4 ERET from EL1 with SPSR_EL1 = x21, ELR_EL1 = x22 ---
        {
            var eret = p.body("eret_el1", "msr SPSR_EL1, x21", "msr ELR_EL1, x22", "eret", "eret_el1_x:", "nop", "hvc #1");
            long x = eret.label("eret_el1_x");
            long spsr = DAIF | EL1H;
            // Illegal return: PSTATE.IL = 1, EL and SP unchanged, NZCV and DAIF from SPSR; the next
            // instruction takes an Illegal Execution State exception (EC 0x0E, ELR = it, SPSR.IL = 1).
            // (Row 1, SPSR.M[4] = 1, is left out: QEMU -cpu max implements AArch32 at EL0, so for it
            // that return is legal; which ELs support AArch32 is IMPLEMENTATION DEFINED.)
            long[][] illegal = {{NV | DAIF | EL2H, 3}, {DAIF | 0x1, 5}, {DAIF | 0x7, 4}, {DAIF | 0x6, 4},
                    {NC | SPSR_AIF | mode(3, 1), 2}};
            for (long[] il : illegal) {
                long target = il[0];
                if (!illegalExceptionReturn(1, target, false)) throw new AssertionError("not illegal: " + target);
                long after = (target & 0xF000_0000L) | (target & DAIF) | SPSR_IL | EL1H;
                add(b, "illegal ERET at EL1 to SPSR 0x" + Long.toHexString(target) + " (§4 row " + il[1] + ")", eret, spsr,
                        0, 0, target, x, (id, m) -> new Expect(id)
                                .x(1, 0x200, esr(EC_ILLEGAL_STATE, 0), x, after)
                                .x(2, 0x400, hvcEsr(1), x + 8, after & ~SPSR_IL));
            }
            var toEl0 = p.body("eret_el0", "msr SPSR_EL1, x21", "msr ELR_EL1, x22", "eret", "eret_el0_x:", "svc #1");
            long x0 = toEl0.label("eret_el0_x");
            add(b, "legal ERET at EL1 to EL0t with DAIF clear", toEl0, spsr, 0, 0, EL0T, x0, (id, m) -> new Expect(id)
                    .x(1, 0x400, svcEsr(1), x0 + 4, EL0T)
                    .x(2, 0x400, hvcEsr(1), fwd, handlerPstate(1)));
        }
        {
            // ERET from the EL2 harness itself: to EL1 while HCR_EL2.TGE = 1 (§4 row 6), and to EL3.
            var body = p.body("nop_hvc", "nop", "hvc #1");
            long[][] illegal = {{DAIF | EL1H, HCR_TGE, 6}, {NC | DAIF | mode(3, 1), 0, 2}};
            for (long[] il : illegal) {
                long target = il[0];
                if (!illegalExceptionReturn(2, target, il[1] != 0)) throw new AssertionError("not illegal");
                long after = (target & 0xF000_0000L) | (target & DAIF) | SPSR_IL | EL2H;
                add(b, "illegal ERET at EL2 to SPSR 0x" + Long.toHexString(target) + " (§4 row " + il[2] + ")", body,
                        target, il[1], 0, 0, 0, (id, m) -> new Expect(id)
                                .x(2, 0x200, esr(EC_ILLEGAL_STATE, 0), body.at(0), after)
                                .x(2, 0x200, hvcEsr(1), body.at(2), after & ~SPSR_IL));
            }
        }

        // --- §10.4 ERET and PSTATE.SS, §10.5 syndromes: the harness ERETs from EL2 with PSTATE.D = 1,
        //     so it is never "enabled at source"; PSTATE.SS = SPSR.SS iff step is enabled at the destination.
        String[] nops = {"nop", "nop", "nop", "nop"};
        {
            var n1 = p.body("nop4_hvc", concat(nops, "hvc #1"));
            var n0 = p.body("nop4_svc", concat(nops, "svc #1"));
            long ss = MDSCR_SS, kde = MDSCR_KDE;
            // EL1, KDE = 1, SPSR.D = 0, SS = 1, budget 3: four stepped NOPs, ISV = 1 (ARCH-SS-ERET).
            long s1 = SPSR_AIF | EL1H;
            add(b, "ERET to EL1h SS=1, step 4 NOPs", n1, s1 | SPSR_SS, 0, ss | kde, 0, 0, 3, (id, m) -> {
                Expect e = new Expect(id);
                for (int k = 1; k <= 4; k++) e.x(1, 0x200, softwareStepEsr(1, 1, true, false), n1.at(k), s1);
                return e.x(2, 0x400, hvcEsr(1), n1.at(5), s1);
            });
            // SPSR.SS = 0: Active-pending at once, before the first instruction, ISV = 0.
            add(b, "ERET to EL1h SS=0, step before the first instruction", n1, s1, 0, ss | kde, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x200, softwareStepEsr(1, 1, false, false), n1.at(0), s1)
                    .x(2, 0x400, hvcEsr(1), n1.at(5), s1));
            // Step not enabled at the destination (KDE = 0, or SPSR.D = 1): SS is ignored, nothing steps.
            add(b, "ERET to EL1h SS=1 with KDE=0: no step", n1, s1 | SPSR_SS, 0, ss, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x400, hvcEsr(1), n1.at(5), s1));
            add(b, "ERET to EL1h SS=1 with SPSR.D=1: no step", n1, s1 | SPSR_D | SPSR_SS, 0, ss | kde, 0, 0, 0,
                    (id, m) -> new Expect(id).x(2, 0x400, hvcEsr(1), n1.at(5), s1 | SPSR_D));
            // EL0 with ELd = EL1: KDE and D irrelevant (§5.3 row 3); lower-EL step EC 0x32.
            long s0 = SPSR_AIF | SPSR_D | EL0T;
            add(b, "ERET to EL0 SS=1, step 2", n0, s0 | SPSR_SS, 0, ss, 0, 0, 1, (id, m) -> new Expect(id)
                    .x(1, 0x400, softwareStepEsr(0, 1, true, false), n0.at(1), s0)
                    .x(1, 0x400, softwareStepEsr(0, 1, true, false), n0.at(2), s0)
                    .x(1, 0x400, svcEsr(1), n0.at(5), s0)
                    .x(2, 0x400, hvcEsr(1), fwd, handlerPstate(1)));
            add(b, "ERET to EL0 SS=0, step before the first instruction", n0, s0, 0, ss, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x400, softwareStepEsr(0, 1, false, false), n0.at(0), s0)
                    .x(1, 0x400, svcEsr(1), n0.at(5), s0)
                    .x(2, 0x400, hvcEsr(1), fwd, handlerPstate(1)));
            // EL2 with MDCR_EL2.TDE (ELd = EL2), KDE = 1, D = 0: same-EL step EC 0x33.
            long s2 = SPSR_AIF | EL2H;
            add(b, "ERET to EL2h with TDE SS=1, step 1", n1, s2 | SPSR_SS, 0, ss | kde, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x200, softwareStepEsr(2, 2, true, false), n1.at(1), s2)
                    .x(2, 0x200, hvcEsr(1), n1.at(5), s2), MDCR_TDE);
            add(b, "ERET to EL2h with TDE SS=0", n1, s2, 0, ss | kde, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x200, softwareStepEsr(2, 2, false, false), n1.at(0), s2)
                    .x(2, 0x200, hvcEsr(1), n1.at(5), s2), MDCR_TDE);
            // EL2 without TDE/TGE: ELd = EL1 < EL2, never enabled (§5.3 row 7).
            add(b, "ERET to EL2h without TDE SS=1: no step", n1, s2 | SPSR_SS, 0, ss | kde, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x200, hvcEsr(1), n1.at(5), s2));
            // EL1 with TDE: enabled whatever KDE and D (§5.3 row 5); to EL2 as a lower-EL step.
            long s1d = DAIF | EL1H;
            add(b, "ERET to EL1h with TDE, KDE=0, D=1, SS=1", n1, s1d | SPSR_SS, 0, ss, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x400, softwareStepEsr(1, 2, true, false), n1.at(1), s1d)
                    .x(2, 0x400, hvcEsr(1), n1.at(5), s1d), MDCR_TDE);
        }
        {
            // §10.5 EX: 1 iff the stepped instruction was a Load-Exclusive (ARCH-SS-LDXR).
            var ldxr1 = p.body("ldxr_hvc", "ldxr x0, [x21]", "clrex", "hvc #1");
            long s1 = SPSR_AIF | EL1H;
            add(b, "stepped LDXR at EL1: ISV=1 EX=1", ldxr1, s1 | SPSR_SS, 0, MDSCR_SS | MDSCR_KDE, p.xdata(), 0, 0,
                    (id, m) -> new Expect(id)
                            .x(1, 0x200, softwareStepEsr(1, 1, true, true), ldxr1.at(1), s1)
                            .x(2, 0x400, hvcEsr(1), ldxr1.at(3), s1));
            var ldxr0 = p.body("ldxr_svc", "ldxr x0, [x21]", "clrex", "svc #1");
            long s0 = SPSR_AIF | EL0T;
            add(b, "stepped LDXR at EL0: ISV=1 EX=1", ldxr0, s0 | SPSR_SS, 0, MDSCR_SS, p.xdata(), 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x400, softwareStepEsr(0, 1, true, true), ldxr0.at(1), s0)
                    .x(1, 0x400, svcEsr(1), ldxr0.at(3), s0)
                    .x(2, 0x400, hvcEsr(1), fwd, handlerPstate(1)));
            var stxr = p.body("stxr_hvc", "stxr w2, x0, [x21]", "hvc #1");
            add(b, "stepped STXR at EL1: EX=0", stxr, s1 | SPSR_SS, 0, MDSCR_SS | MDSCR_KDE, p.xdata(), 0, 0,
                    (id, m) -> new Expect(id)
                            .x(1, 0x200, softwareStepEsr(1, 1, true, false), stxr.at(1), s1)
                            .x(2, 0x400, hvcEsr(1), stxr.at(2), s1));
        }
        {
            // §10.3 rule 1 (ARCH-SS-SVC): SVC advances the step state first, so SPSR.SS = 0 and after the
            // return the PE is Active-pending: a step exception before SVC + 4, ISV = 0.
            var svc = p.body("svc20_svc", "svc #0x20", "nop", "svc #1");
            long s0 = SPSR_AIF | EL0T;
            add(b, "stepped SVC at EL0", svc, s0 | SPSR_SS, 0, MDSCR_SS | MDSCR_KDE, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x400, svcEsr(0x20), svc.at(1), s0)
                    .x(1, 0x400, softwareStepEsr(0, 1, false, false), svc.at(1), s0)
                    .x(1, 0x400, svcEsr(1), svc.at(3), s0)
                    .x(2, 0x400, hvcEsr(1), fwd, handlerPstate(1)));
            // The same for HVC from EL1 with ELd = EL2 (TDE; D = 1 and KDE = 0 do not matter, row 5).
            var hvc = p.body("hvc21_hvc", "hvc #0x21", "nop", "hvc #1");
            long s1 = DAIF | EL1H;
            add(b, "stepped HVC at EL1 with TDE", hvc, s1 | SPSR_SS, 0, MDSCR_SS, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(2, 0x400, hvcEsr(0x21), hvc.at(1), s1)
                    .x(2, 0x400, softwareStepEsr(1, 2, false, false), hvc.at(1), s1)
                    .x(2, 0x400, hvcEsr(1), hvc.at(3), s1), MDCR_TDE);
            // §10.3 rule 2 (ARCH-SS-BRK): BRK saves the unadvanced SS = 1; the handler skips the BRK and
            // the return steps the next instruction (ISV = 1, ELR = BRK + 8).
            var brk = p.body("brk21_hvc", "brk #0x21", "nop", "nop", "hvc #1");
            long sb = SPSR_AIF | EL1H;
            add(b, "stepped BRK at EL1", brk, sb | SPSR_SS, 0, MDSCR_SS | MDSCR_KDE, 0, 0, 0, (id, m) -> new Expect(id)
                    .x(1, 0x200, brkEsr(0x21), brk.at(0), sb | SPSR_SS)
                    .x(1, 0x200, softwareStepEsr(1, 1, true, false), brk.at(2), sb)
                    .x(2, 0x400, hvcEsr(1), brk.at(4), sb));
            // §10.3 rule 3 (ARCH-SS-TDE-ENTRY): the SVC to EL1 arrives with PSTATE.SS = 0 where step is
            // enabled (ELd = EL2): a step exception to EL2 at the EL1 handler's first instruction, ISV = 0.
            var svc22 = p.body("svc22_svc", "svc #0x22", "svc #1");
            add(b, "stepped SVC at EL0 with TDE: step at the EL1 vector", svc22, s0 | SPSR_SS, 0, MDSCR_SS, 0, 0, 0,
                    (id, m) -> new Expect(id)
                            .x(2, 0x400, softwareStepEsr(1, 2, false, false), p.vbar(1) + 0x400, handlerPstate(1))
                            .x(1, 0x400, svcEsr(0x22), svc22.at(1), s0)
                            .x(1, 0x400, svcEsr(1), svc22.at(2), s0)
                            .x(2, 0x400, hvcEsr(1), fwd, handlerPstate(1)), MDCR_TDE);
            // §10.4 last rule: an ERET executed while stepping with debug enabled at the source gives
            // PSTATE.SS = 0 at the destination: Active-pending, step before the first EL0 instruction
            // (ISV = 0, the project's choice for a stepped ERET; the architecture allows 1, which QEMU reports: Q8). Stepping to EL2 keeps SPSR_EL1/ELR_EL1 intact.
            var eret = p.body("eret_step", "msr SPSR_EL1, x21", "msr ELR_EL1, x22", "eret", "eret_step_x:", "svc #1");
            long x = eret.label("eret_step_x");
            add(b, "stepped ERET at EL1 to EL0 with TDE", eret, s1 | SPSR_SS, 0, MDSCR_SS, EL0T, x, 2, (id, m) -> new Expect(id)
                    .x(2, 0x400, softwareStepEsr(1, 2, true, false), eret.at(1), s1)
                    .x(2, 0x400, softwareStepEsr(1, 2, true, false), eret.at(2), s1)
                    .x(2, 0x400, softwareStepEsr(0, 2, m.isvAfterSteppedEret(), false), x, EL0T)
                    .x(1, 0x400, svcEsr(1), x + 4, EL0T)
                    .x(2, 0x400, hvcEsr(1), fwd, handlerPstate(1)), MDCR_TDE);
        }
        {
            // §5.2 / §11: DBGPRCR_EL1 exists and DoubleLockStatus() needs CORENPDRQ = 0. With
            // OSDLR_EL1.DLK = 1, setting CORENPDRQ = 1 unlocks the double lock, so the breakpoint
            // on t fires (EL1, KDE = 1, D = 0, MDE = 1). Restoring CORENPDRQ = 0 keeps later cases clean.
            var body = p.body("dbgprcr", "msr DBGPRCR_EL1, x21", "isb", "dbgprcr_t:", "nop", "msr DBGPRCR_EL1, xzr",
                    "hvc #1");
            long t = body.label("dbgprcr_t");
            long s1 = SPSR_AIF | EL1H;
            int id = nextId++;
            BareMetalProgram.Row row = new BareMetalProgram.Row(id, body.address, s1, HCR_RW, 0, MDSCR_KDE | MDSCR_MDE,
                    1, 0, t, DebugMatrix.breakpointControl(1), 0, 0, p.wdata(), 1, 0, 0);
            b.add(new DebugCase(id, "DBGPRCR_EL1.CORENPDRQ = 1 lifts the OS Double Lock", row, m -> {
                Expect e = new Expect(id);
                if (!m.dbgprcrImplemented()) {
                    // Without the register both MSRs are UNDEFINED and DLK alone keeps the lock.
                    e.x(1, 0x200, esr(EC_UNKNOWN, 0), body.at(0), s1);
                    if (!m.doubleLockImplemented())
                        e.x(1, 0x200, breakpointEsr(1, 1), t, s1);
                    e.x(1, 0x200, esr(EC_UNKNOWN, 0), t + 4, s1);
                } else {
                    e.x(1, 0x200, breakpointEsr(1, 1), t, s1);
                }
                return List.copyOf(e.x(2, 0x400, hvcEsr(1), body.at(5), s1).lines);
            }));
        }
        {
            // §10.1, §10.2 (Arm ARM D2.11.5): a stepped instruction that sets PSTATE.D where that disables debug
            // exceptions (same EL as ELd, KDE = 1) leaves software step inactive: stepEnabled is evaluated at
            // the next boundary from the new PSTATE.D, so there is no step exception after it. The first NOP is
            // stepped as usual (ISV = 1); then MSR DAIFSet, #8 is stepped and nothing follows until HVC #1
            // (whose SPSR shows D = 1). QEMU 7.2 takes one more step exception after the MSR: Q12.
            var daifset = p.body("daifset8", "nop", "msr DAIFSet, #8", "nop", "hvc #1");
            long s1 = SPSR_AIF | EL1H;
            add(b, "stepped MSR DAIFSet #8 at EL1 (KDE=1): step becomes inactive", daifset, s1 | SPSR_SS, 0,
                    MDSCR_SS | MDSCR_KDE, 0, 0, 3, (id, m) -> afterMaskingD(new Expect(id)
                            .x(1, 0x200, softwareStepEsr(1, 1, true, false), daifset.at(1), s1), m, 1, daifset.at(2), s1 | SPSR_D)
                            .x(2, 0x400, hvcEsr(1), daifset.at(4), s1 | SPSR_D));
            // The same at EL2 with MDCR_EL2.TDE (ELd = EL2, KDE = 1).
            long s2 = SPSR_AIF | EL2H;
            add(b, "stepped MSR DAIFSet #8 at EL2 with TDE (KDE=1): step becomes inactive", daifset, s2 | SPSR_SS, 0,
                    MDSCR_SS | MDSCR_KDE, 0, 0, 3, (id, m) -> afterMaskingD(new Expect(id)
                            .x(2, 0x200, softwareStepEsr(2, 2, true, false), daifset.at(1), s2), m, 2, daifset.at(2), s2 | SPSR_D)
                            .x(2, 0x200, hvcEsr(1), daifset.at(4), s2 | SPSR_D), MDCR_TDE);
            // The register form, MSR DAIF, X21 with D, A, I, F set: the same rule.
            var daifReg = p.body("msr_daif", "nop", "msr DAIF, x21", "nop", "hvc #1");
            add(b, "stepped MSR DAIF, X21 (D=1) at EL1 (KDE=1): step becomes inactive", daifReg, s1 | SPSR_SS, 0,
                    MDSCR_SS | MDSCR_KDE, DAIF, 0, 3, (id, m) -> afterMaskingD(new Expect(id)
                            .x(1, 0x200, softwareStepEsr(1, 1, true, false), daifReg.at(1), s1), m, 1, daifReg.at(2), s1 | SPSR_D)
                            .x(2, 0x400, hvcEsr(1), daifReg.at(4), s1 | SPSR_D));
            // The converse (§10.3 rule 4): from D = 1 (inactive, so the ERET left PSTATE.SS = 0), MSR DAIFClr, #8
            // enables debug exceptions: Active-pending, a step exception before the next instruction, ISV = 0. The
            // handler's budget is 0, so it clears MDSCR_EL1.SS and nothing else steps.
            var daifclr = p.body("daifclr8", "nop", "msr DAIFClr, #8", "nop", "hvc #1");
            add(b, "MSR DAIFClr #8 at EL1 (KDE=1, SS=1): step exception before the next instruction", daifclr,
                    s1 | SPSR_D | SPSR_SS, 0, MDSCR_SS | MDSCR_KDE, 0, 0, 0, (id, m) -> new Expect(id)
                            .x(1, 0x200, softwareStepEsr(1, 1, false, false), daifclr.at(2), s1)
                            .x(2, 0x400, hvcEsr(1), daifclr.at(4), s1));
        }
        return b;
    }

    /**
     * The step exception a reference that models Q12 takes right after the stepped instruction that set
     * PSTATE.D: same EL, ISV = 1, ELR = the next instruction, SPSR with D = 1 and SS = 0. The
     * architecture takes none.
     */
    private static Expect afterMaskingD(Expect e, Model m, int el, long next, long spsr) {
        return m.stepAfterMaskingD() ? e.x(el, 0x200, softwareStepEsr(el, el, true, false), next, spsr) : e;
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private interface Lines {
        Expect of(int id, Model m);
    }

    /** A case that does not step: no step budget. */
    private static void add(Batch b, String name, BareMetalProgram.Body body, long spsr, long hcr, long mdscr, long x21,
                            long x22, Lines lines) {
        add(b, name, body, spsr, hcr, mdscr, x21, x22, 0, lines, 0);
    }

    private static void add(Batch b, String name, BareMetalProgram.Body body, long spsr, long hcr, long mdscr, long x21,
                            long x22, long budget, Lines lines) {
        add(b, name, body, spsr, hcr, mdscr, x21, x22, budget, lines, 0);
    }

    private static void add(Batch b, String name, BareMetalProgram.Body body, long spsr, long hcr, long mdscr, long x21,
                            long x22, long budget, Lines lines, long mdcrOr) {
        int id = nextId++;
        BareMetalProgram.Row row = new BareMetalProgram.Row(id, body.address, spsr, HCR_RW | hcr, mdcrOr, mdscr, 0, 0,
                0, 0, 0, 0, b.program.wdata(), x21, x22, budget);
        b.add(new DebugCase(id, name, row, m -> List.copyOf(lines.of(id, m).lines)));
    }
}
