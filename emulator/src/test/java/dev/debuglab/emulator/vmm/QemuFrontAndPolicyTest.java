package dev.debuglab.emulator.vmm;

import static dev.debuglab.emulator.vmm.G.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.kvm.GuestDebug;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gdb-like front, the control word of vmm.md §1.1, the policy what-ifs and bad input. */
class QemuFrontAndPolicyTest {

    @Test
    void controlWordFollowsQemuState() {
        GuestImage g = StandardGuest.image("x: nop\ny: nop\n");
        QemuVmm q = new QemuVmm(V61).load(g);
        assertEquals(0, q.computeGuestDebug().control(), "none of the above: debugging off");
        q.insertSwBreakpoint(g.symbol("x"));
        assertEquals(GuestDebug.ENABLE | GuestDebug.USE_SW_BP, q.guestDebug().control());
        q.insertHwBreakpoint(g.symbol("y"));
        assertEquals(GuestDebug.ENABLE | GuestDebug.USE_SW_BP | GuestDebug.USE_HW, q.guestDebug().control());
        q.setSingleStep(true);
        assertEquals(GuestDebug.ENABLE | GuestDebug.SINGLESTEP | GuestDebug.USE_SW_BP | GuestDebug.USE_HW, q.guestDebug().control());
        q.setSingleStep(false);
        q.deleteAll();
        assertEquals(0, q.guestDebug().control());
        assertEquals(0, q.vcpu().guestDebug());
    }

    @Test
    void removingAnOverwrittenSoftwareBreakpointFailsWithEinval() {
        GuestImage g = StandardGuest.image("x: nop\n");
        QemuVmm q = new QemuVmm(V61).load(g);
        q.insertSwBreakpoint(g.symbol("x"));
        q.writeGuestWord(g.symbol("x"), 0xD503201F);   // someone overwrote the BRK
        VmmError e = assertThrows(VmmError.class, () -> q.removeSwBreakpoint(g.symbol("x")));
        assertEquals("EINVAL", e.errno());
        assertTrue(e.getMessage().contains("no longer BRK #0"), e.getMessage());
        assertEquals("ENOENT", assertThrows(VmmError.class, () -> q.removeSwBreakpoint(g.symbol("_start"))).errno());
    }

    @Test
    void stepiStopsAfterEachInstruction() {
        GuestImage g = StandardGuest.image("""
                x:      mov     x5, #1
                        add     x5, x5, #1
                        add     x5, x5, #1
                """ + StandardVectors.logValue(1, "x5"));
        QemuVmm q = new QemuVmm(V61).load(g);
        VmmRun r = q.gdbRun("break x", "continue", "stepi 2");
        assertEquals(VmmRun.Outcome.STOPPED, r.outcome(), r.toString());
        List<DebugExit> exits = r.debugExits();
        assertEquals(0x3C, exits.get(0).ec());
        assertEquals(List.of(0x32, 0x32), exits.subList(1, 3).stream().map(DebugExit::ec).toList(), r.toString());
        assertEquals(g.symbol("x") + 8, r.pc(), "two instructions stepped from x");
        assertEquals(2L, r.x(5));
        VmmRun end = q.gdbRun("delete", "continue");
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, end.outcome(), end.toString());
        assertEquals(List.of(3L), end.values(1));
    }

    @Test
    void badGdbRequestsGiveOneClearMessage() {
        QemuVmm q = new QemuVmm(V61);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.gdb("jump 0x4000"));
        assertTrue(e.getMessage().contains("unknown gdb request") && e.getMessage().contains("break LOC"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> q.gdb("break")).getMessage().contains("needs a location"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> q.gdb("stepi x")).getMessage().contains("bad number"));
        GuestImage g = StandardGuest.image("nop\n");
        VmmRun r = new QemuVmm(V61).load(g).gdbRun("break nowhere", "continue");
        assertEquals(VmmRun.Outcome.VMM_ERROR, r.outcome());
        assertTrue(r.message().contains("nowhere"), r.message());
        VmmRun full = new QemuVmm(V61).load(g).gdbRun(String.format("watch *0x%X 12", DATA), "continue");
        assertEquals(VmmRun.Outcome.VMM_ERROR, full.outcome());
        assertTrue(full.message().startsWith("ENOBUFS"), full.message());
    }

    @Test
    void runWithoutAGuestOrWithABadBudget() {
        QemuVmm q = new QemuVmm(V61);
        assertTrue(assertThrows(IllegalStateException.class, q::run).getMessage().contains("no guest loaded"));
        q.load(StandardGuest.image("nop\n"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> q.run(0)).getMessage().contains("not positive"));
        assertThrows(IllegalArgumentException.class, () -> new QemuVmm(null));
    }

    // A guest that never stops ends at the instruction budget with a clear result.
    @Test
    void budgetEndsAGuestThatNeverStops() {
        VmmRun r = new QemuVmm(V61).load(StandardGuest.image("1: b 1b\n")).run(1000);
        assertEquals(VmmRun.Outcome.BUDGET_EXHAUSTED, r.outcome());
        assertEquals(1000, r.instructions());
        assertTrue(r.message().contains("budget of 1000"), r.message());
    }

    // MMIO to an address with no device: reads 0, writes ignored, reported.
    @Test
    void unassignedMmio() {
        VmmRun r = new QemuVmm(V61).load(StandardGuest.image("""
                        movz    x1, #0x800, lsl #16
                        mov     x0, #5
                        str     x0, [x1]
                        ldr     x5, [x1]
                """ + StandardVectors.logValue(1, "x5"))).run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        assertEquals(List.of(0L), r.values(1));
        assertEquals(2, r.events(VmmEvent.UnassignedMmio.class).size());
    }

    // The console: PL011 data register bytes.
    @Test
    void consoleCollectsPl011Output() {
        VmmRun r = new QemuVmm(V61).load(StandardGuest.image("""
                        movz    x1, #0x900, lsl #16
                        mov     w0, #'o'
                        strb    w0, [x1]
                        mov     w0, #'k'
                        strb    w0, [x1]
                """)).run();
        assertEquals("ok", r.console());
    }

    // A what-if in a few lines: QEMU, but checking the guest's OS Lock before injecting (rule 5 of vmm.md §4.1 alone).
    @Test
    void whatIfOverrideInAFewLines() {
        QemuPolicy checkLock = QemuPolicy.QEMU.variant("QEMU, checking OSLK")
                .override(QemuPolicy.SHOULD_INJECT, (ctx, original) -> {
                    Long oslsr = ctx.oneReg("OSLSR_EL1");
                    boolean locked = oslsr != null && (oslsr & 0x2) != 0;
                    return locked && ctx.ec() != 0x3C ? QemuPolicy.Decision.dropAndStepOver("guest OS Lock set") : original.call();
                });
        GuestImage g = StandardGuest.image(LOCK + """
                        movz    x1, #0x4010, lsl #16
                        str     w1, [x1, #4]
                """);
        VmmRun r = new QemuVmm(V61, checkLock).load(g).gdbRun(String.format("watch *0x%X 8", DATA), "continue");
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        assertTrue(r.guestExceptions().isEmpty());
        assertTrue(r.vmm().contains("QEMU, checking OSLK"), r.vmm());
        assertEquals("guest OS Lock set", r.events(VmmEvent.Ignored.class).get(0).message());
    }

    // The correct VMM fixes the syndrome: same-EL EC at EL1 and FAR_EL1 for watchpoints — the verdict finds nothing.
    @Test
    void correctVmmInjectsWhatTheArchitectureDelivers() {
        GuestImage bp = StandardGuest.image(UNLOCK + NEVER + armBreakpoint("t") + ENABLE_DEBUG + "t: nop\n");
        VmmRun r = new QemuVmm(V61, QemuPolicy.CORRECT).load(bp).gdbRun("break never", "continue");
        assertEquals(0xC6000022L, r.guestExceptions().get(0).esr(), r.toString());
        assertTrue(Verdict.of(r).architectural(), Verdict.of(r).toString());
        GuestImage wp = StandardGuest.image(FAR_MARK + UNLOCK + NEVER + ARM_WATCHPOINT + ENABLE_DEBUG + """
                        movz    x1, #0x4010, lsl #16
                        str     x1, [x1]
                """);
        VmmRun w = new QemuVmm(V61, QemuPolicy.CORRECT).load(wp).gdbRun("break never", "continue");
        assertEquals(0xD6000062L, w.guestExceptions().get(0).esr(), w.toString());
        assertEquals(DATA, w.guestExceptions().get(0).far());
        assertTrue(Verdict.of(w).architectural(), Verdict.of(w).toString());
        // BRK under the lock: still injected (rule 1).
        VmmRun b = new QemuVmm(V61, QemuPolicy.CORRECT).load(StandardGuest.image(LOCK + NEVER + "brk #0x800\n"))
                .gdbRun("break never", "continue");
        assertEquals(0xF2000800L, b.guestExceptions().get(0).esr());
    }

    // A reviewer's override that throws: the run ends with VMM_ERROR naming the step and policy; nothing written back.
    @Test
    void failingOverrideIsReportedWithStateIntact() {
        QemuPolicy broken = QemuPolicy.QEMU.variant("broken").override(QemuPolicy.INJECT_DEBUG_EXCEPTION, (ctx, original) -> {
            throw new IllegalStateException("boom");
        });
        GuestImage g = StandardGuest.image(NEVER + "y: brk #0x800\n");
        QemuVmm q = new QemuVmm(V61, broken).load(g);
        VmmRun r = q.gdbRun("break never", "continue");
        assertEquals(VmmRun.Outcome.VMM_ERROR, r.outcome(), r.toString());
        assertTrue(r.message().contains("injectDebugException") && r.message().contains("broken") && r.message().contains("boom"), r.message());
        assertEquals(g.symbol("y"), q.reg(RegId.PC), "PC not changed: nothing written back");
        assertFalse(r.events(VmmEvent.Injected.class).iterator().hasNext());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QemuPolicy.QEMU.variant(" ")).getMessage().contains("name"));
    }

    // The KVM trace interleaved with the VMM's events.
    @Test
    void kvmTraceIsInterleaved() {
        VmmRun r = new QemuVmm(V61).traceKvm(true).load(StandardGuest.image("nop\n")).run();
        assertFalse(r.events(VmmEvent.Kvm.class).isEmpty());
        assertTrue(r.toString().contains("kvm: [v6.1]"), r.toString());
    }
}
