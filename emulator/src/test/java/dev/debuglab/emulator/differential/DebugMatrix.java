package dev.debuglab.emulator.differential;

import static dev.debuglab.emulator.differential.ArchModel.*;
import static dev.debuglab.emulator.differential.BareMetalProgram.*;

import dev.debuglab.emulator.differential.ArchModel.DebugControls;
import dev.debuglab.emulator.differential.ArchModel.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * The debug-exception matrix: event kind × OSLK × OSDLR.DLK × KDE × PSTATE.D × MDE × routing
 * (none, MDCR_EL2.TDE, HCR_EL2.TGE) × the EL the event happens at (EL0, EL1, EL2). One batch per
 * kind (256 cases each except where a combination is impossible: HCR_EL2.TGE = 1 makes an ERET
 * to EL1 illegal, §4 row 6, so TGE is used with EL0 and EL2 only).
 *
 * <p>Every case starts from the EL2 harness, ERETs to the body at the EL under test and performs
 * exactly one event: {@code BRK #0x42}, an instruction fetch from breakpoint 0's address, an
 * 8-byte load or store to watchpoint 0's doubleword, or one instruction with MDSCR_EL1.SS = 1 and
 * SPSR_EL2.SS = 1 (the ERET makes the step Active-not-pending exactly when step is enabled at
 * the destination, §10.4, since the harness runs at EL2 with PSTATE.D = 1 and so is never
 * "enabled at source").
 */
final class DebugMatrix {
    private DebugMatrix() {}

    enum EventKind { BRK, BREAKPOINT, WATCHPOINT_LOAD, WATCHPOINT_STORE, SOFTWARE_STEP }

    enum Routing { NONE, TDE, TGE }

    static final int BRK_IMM = 0x42;

    /** All kinds, one batch each. */
    static List<Batch> batches(long base) {
        List<Batch> out = new ArrayList<>();
        for (EventKind k : EventKind.values()) out.add(batch(k, base));
        return out;
    }

    /** DBGBCR0_EL1 matching only the EL under test (§7.4): PMC EL0 / PMC EL1 / HMC + PMC EL1; BAS 0b1111; E. */
    static long breakpointControl(int el) {
        return switch (el) {
            case 0 -> 0x1E5;
            case 1 -> 0x1E3;
            default -> 0x21E3;
        };
    }

    /** DBGWCR0_EL1 for the EL under test with LSC loads (0b01) or stores (0b10), BAS 0xFF, E (§8.1). */
    static long watchpointControl(int el, boolean store) {
        long privilege = switch (el) {
            case 0 -> 0b10 << 1;
            case 1 -> 0b01 << 1;
            default -> 1L << 13 | 0b01 << 1;
        };
        return 1 | privilege | (store ? 0b10L : 0b01L) << 3 | 0xFFL << 5;
    }

    static Batch batch(EventKind kind, long base) {
        Batch batch = new Batch("matrix-" + kind.name().toLowerCase(), base);
        BareMetalProgram p = batch.program;
        int id = (kind.ordinal() + 1) << 12;
        for (int el = 0; el <= 2; el++) {
            for (Routing routing : Routing.values()) {
                if (routing == Routing.TGE && el == 1) continue;
                for (int bits = 0; bits < 32; bits++) {
                    DebugControls c = new DebugControls((bits & 16) != 0, (bits & 8) != 0, (bits & 4) != 0,
                            (bits & 2) != 0, (bits & 1) != 0, routing == Routing.TDE, routing == Routing.TGE);
                    batch.add(matrixCase(p, id++, kind, el, routing, c));
                }
            }
        }
        return batch;
    }

    private static DebugCase matrixCase(BareMetalProgram p, int id, EventKind kind, int el, Routing routing,
                                        DebugControls c) {
        String done = el == 0 ? "svc #1" : "hvc #1";
        String suffix = el == 0 ? "_svc" : "_hvc";
        BareMetalProgram.Body body = switch (kind) {
            case BRK -> p.body("brk" + suffix, "brk #" + BRK_IMM, done);
            case BREAKPOINT, SOFTWARE_STEP -> p.body("nop" + suffix, "nop", done);
            case WATCHPOINT_LOAD -> p.body("ldr" + suffix, "ldr x0, [x20]", done);
            case WATCHPOINT_STORE -> p.body("str" + suffix, "str x0, [x20]", done);
        };
        boolean step = kind == EventKind.SOFTWARE_STEP;
        int spSel = el == 0 ? 0 : 1;
        long spsr = mode(el, spSel) | (c.pstateD() ? SPSR_D : 0) | SPSR_AIF;
        long bvr = 0, bcr = 0, wvr = 0, wcr = 0;
        if (kind == EventKind.BREAKPOINT) {
            bvr = body.address;
            bcr = breakpointControl(el);
        }
        if (kind == EventKind.WATCHPOINT_LOAD || kind == EventKind.WATCHPOINT_STORE) {
            wvr = p.wdata();
            wcr = watchpointControl(el, kind == EventKind.WATCHPOINT_STORE);
        }
        BareMetalProgram.Row row = new BareMetalProgram.Row(id, body.address, spsr | (step ? SPSR_SS : 0),
                HCR_RW | (c.tge() ? HCR_TGE : 0), c.tde() ? MDCR_TDE : 0,
                (c.kde() ? MDSCR_KDE : 0) | (c.mde() ? MDSCR_MDE : 0) | (step ? MDSCR_SS : 0),
                c.dlk() ? 1 : 0, c.oslk() ? 1 : 0, bvr, bcr, wvr, wcr, p.wdata(), 0, 0, 0);
        String name = String.format("%s at EL%d route=%s OSLK=%d DLK=%d KDE=%d D=%d MDE=%d", kind, el, routing,
                b(c.oslk()), b(c.dlk()), b(c.kde()), b(c.pstateD()), b(c.mde()));
        long wdata = p.wdata(), forward = p.forwardHvcReturn();
        return new DebugCase(id, name, row, m -> expected(m, id, kind, el, c, body.address, spsr, wdata, forward));
    }

    private static int b(boolean v) {
        return v ? 1 : 0;
    }

    /** The output the architecture (or a deviating reference {@code m}) produces for one matrix case. */
    static List<String> expected(Model m, int id, EventKind kind, int el, DebugControls c, long body, long spsr,
                                 long wdata, long forwardReturn) {
        List<String> out = new ArrayList<>();
        out.add(header(id));
        int spSel = el == 0 ? 0 : 1;
        int elD = debugTarget(c);
        switch (kind) {
            case BRK -> {
                // §6: BRK is never gated; at EL2 it is taken to EL2, otherwise to ELd.
                int t = softwareBreakpointTarget(el, c);
                out.add(exception(t, vectorOffset(el, spSel, t), brkEsr(BRK_IMM), body, spsr));
            }
            case BREAKPOINT -> {
                // §7.5: enabled (§5.3) and MDE; ELR = the breakpointed instruction, not executed.
                if (breakpointOrWatchpointGenerated(el, c, m))
                    out.add(exception(elD, vectorOffset(el, spSel, elD), breakpointEsr(el, elD), body, spsr));
            }
            case WATCHPOINT_LOAD, WATCHPOINT_STORE -> {
                // §8.3: enabled and MDE; ELR = the load/store, FAR = the watched address, WnR per LSC.
                if (breakpointOrWatchpointGenerated(el, c, m))
                    out.add(watchpointException(elD, vectorOffset(el, spSel, elD),
                            watchpointEsr(el, elD, kind == EventKind.WATCHPOINT_STORE), body, spsr, wdata));
            }
            case SOFTWARE_STEP -> {
                // §10.4: the ERET from the EL2 harness (PSTATE.D = 1, so never enabled at source) sets
                // PSTATE.SS = SPSR.SS = 1 iff step is enabled at the destination; then one instruction
                // completes and the step exception reports ISV = 1, ELR = the next instruction.
                if (debugExceptionReturnSS(true, 2, true, el, c.pstateD(), true, c, m))
                    out.add(exception(elD, vectorOffset(el, spSel, elD), softwareStepEsr(el, elD, true, false),
                            body + 4, spsr));
            }
        }
        finish(out, el, c, body + 8, spsr, forwardReturn);
        return out;
    }

    /**
     * The way back to the harness: {@code SVC #1} from EL0 (to EL1, or to EL2 when HCR_EL2.TGE = 1,
     * §16), which the EL1 handler forwards with its own {@code HVC #1}; {@code HVC #1} from EL1/EL2.
     * The calls return to {@code afterCall} (ELR = next instruction, §3.3).
     */
    static void finish(List<String> out, int el, DebugControls c, long afterCall, long spsr, long forwardReturn) {
        if (el == 0) {
            int t = c.tge() ? 2 : 1;
            out.add(exception(t, 0x400, svcEsr(1), afterCall, spsr));
            if (t == 1) out.add(exception(2, 0x400, hvcEsr(1), forwardReturn, handlerPstate(1)));
        } else {
            out.add(exception(2, vectorOffset(el, 1, 2), hvcEsr(1), afterCall, spsr));
        }
    }
}
