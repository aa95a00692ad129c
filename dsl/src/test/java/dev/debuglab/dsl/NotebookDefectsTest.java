package dev.debuglab.dsl;

import static dev.debuglab.dsl.DebugLabAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.dsl.render.Esr;
import dev.debuglab.dsl.render.HtmlRenderer;
import dev.debuglab.dsl.render.SvgRenderer;
import dev.debuglab.dsl.render.TextRenderer;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.kvm.Step;
import dev.debuglab.emulator.kvm.SysRegResult;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The defects the notebook writer found, each pinned by the architecture or the spec. */
class NotebookDefectsTest {

    // (a) On bare metal there is no KVM: the PSCI HVC goes to EL2, the firmware stub, and the lane says so.
    @Test
    void bareMetalEl2LaneIsTheFirmware() {
        LabRun run = Lab.guest().brk(1).build().bareMetal().run();
        RoutingEvent.ExceptionTaken hvc = run.events(RoutingEvent.ExceptionTaken.class).stream().filter(e -> e.toEl() == 2).findFirst().orElseThrow();
        assertEquals(0x16, hvc.ec(), "PSCI SYSTEM_OFF is an HVC (EC 0x16) taken to EL2");
        String text = TextRenderer.routing(run);
        assertTrue(text.contains("EL2 (firmware)"), text);
        assertFalse(text.contains("KVM"), text);
        String html = HtmlRenderer.routing(run).replaceAll("<[^>]*>", " ");
        assertTrue(html.contains("EL2 (firmware)"), html);
        assertFalse(html.contains("KVM"), html);
        String svg = SvgRenderer.render(run);
        assertTrue(svg.contains(">EL2 (firmware)</text>"), svg);
        assertFalse(svg.contains("KVM/EL2"), svg);
        assertTrue(svg.contains(">VMM (none)</text>"), svg);
        // Under KVM the lane is KVM's.
        assertTrue(TextRenderer.routing(Lab.guest().brk(1).build().kvm("6.1").qemu().run()).contains("KVM/EL2"));
    }

    // (b) EC 0x18's ISS (Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0]) names the
    // register by its Arm encoding: OSLAR_EL1 is op0 2, op1 0, CRn 1, CRm 0, op2 4; MDSCR_EL1 is 2, 0, 0, 2, 2.
    @Test
    void trappedSystemRegisterAccessesAreNamed() {
        long oslar = (0x18L << 26) | (1L << 25) | (2L << 20) | (4L << 17) | (0L << 14) | (1L << 10) | (16L << 5) | (0L << 1);
        assertEquals(0x62280600L, oslar);
        assertTrue(Esr.decode(oslar).endsWith("MSR OSLAR_EL1, Rt 16"), Esr.decode(oslar));
        long mdscrRead = (0x18L << 26) | (1L << 25) | (2L << 20) | (2L << 17) | (3L << 5) | (2L << 1) | 1;
        assertTrue(Esr.decode(mdscrRead).endsWith("MRS MDSCR_EL1, Rt 3"), Esr.decode(mdscrRead));
        assertTrue(Esr.of(oslar).fields().contains("MSR OSLAR_EL1"), Esr.of(oslar).fields().toString());
        // An encoding with no register in the table keeps the generic name (op0 3, op1 7, CRn 15, CRm 15, op2 7).
        long none = (0x18L << 26) | (1L << 25) | (3L << 20) | (7L << 17) | (7L << 14) | (15L << 10) | (15L << 1);
        assertTrue(Esr.decode(none).contains("S3_7_C15_C15_7"), Esr.decode(none));
        // The KVM run of an OS Lock: the exit to EL2 and the story name OSLAR_EL1.
        LabRun run = Lab.guest().osLock(true).build().kvm("6.1").qemu().run();
        RoutingEvent.ExitToEl2 exit = run.events(RoutingEvent.ExitToEl2.class).stream().filter(e -> e.ec() == 0x18).findFirst().orElseThrow();
        assertTrue(exit.what().contains("MSR OSLAR_EL1, Rt"), exit.what());
        assertFalse(run.toString().contains("S2_0_C1_C0_4"), run.toString());
        assertFalse(HtmlRenderer.routing(run).contains("S2_0_C1_C0_4"));
    }

    // (c) The reference of a bare-metal run is itself: with MDCR_EL2.TDE = 1 the architecture routes BRK to EL2
    // (AArch64 debug exceptions target EL2 when TDE = 1), which is what the run did — architectural.
    @Test
    void bareMetalWithTdeIsItsOwnReference() {
        LabRun run = Lab.guest().brk(3).build().bareMetal().tde(true).run();
        assertThat(run).isArchitectural().hasNoGuestExceptions().tookAt(dev.debuglab.dsl.DebugLabAssertions.EL2).withEsr(0xF2000003L);
        assertTrue(run.verdict().differences().isEmpty(), run.toString());
    }

    // (d) 6.1 -> 5.15: 5.15 (PRE) has no OSLSR_EL1 for userspace (kvm.md §8: GET/SET_ONE_REG -ENOENT, not listed), so
    // QEMU's load fails; the run says the migration failed, with the register and the errno.
    @Test
    void failedMigrationSaysSo() {
        LabRun run = Lab.guest().nop().label("m").nop().build().kvm("6.1").qemu().migrateTo("5.15").atLabel("m").run();
        assertEquals("MIGRATION_FAILED", run.outcome());
        assertTrue(run.message().contains("failed") && run.message().contains("OSLSR_EL1") && run.message().contains("ENOENT"), run.message());
        assertFalse(run.message().contains("paused"), run.message());
        List<RoutingEvent.VmmDecision> d = run.events(RoutingEvent.VmmDecision.class);
        assertTrue(d.stream().anyMatch(x -> x.kind() == RoutingEvent.VmmDecisionKind.MIGRATION_FAILED && x.text().contains("ENOENT")
                && x.text().contains("error while loading state for instance 0x0 of device 'cpu'")), run.toString()); // vmm.md §3.2
        assertTrue(d.stream().noneMatch(x -> x.kind() == RoutingEvent.VmmDecisionKind.MIGRATED), run.toString());
    }

    // (e) The guest executes the same instructions whether or not it is migrated: the count covers both sides.
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void instructionsAfterAMigrationCountBothSides(int at) {
        Guest g = Lab.guest().nop().nop().nop().mov("x3", 5).brk(1).nop().build();
        LabRun whole = g.kvm("6.1").kvmtool().run();
        LabRun moved = g.kvm("6.1").kvmtool().migrateTo("6.12").afterInstructions(at).run();
        assertEquals("SYSTEM_OFF", moved.outcome());
        assertEquals(whole.instructions(), moved.instructions(), moved.toString());
        assertTrue(moved.message().contains(at + " on KVM v6.1 before the migration, " + (whole.instructions() - at) + " on KVM 6.12 after"),
                moved.message());
    }

    // (f) A what-if variant swept next to the version it changes: 6.1 with OSLAR_EL1 writes ignored (RAZ/WI, as
    // before the OS-lock series) delivers a breakpoint the guest armed under its lock; the architecture does not.
    @Test
    void sweepOverAVariant() {
        KvmVersion plain = KvmVersion.of("6.1");
        KvmVersion ignored = plain.variant("6.1, OSLAR ignored").override(Step.HANDLE_OSLAR, (ctx, original) -> SysRegResult.razWi("what-if"));
        SweepResult r = Lab.sweep().oslk(false, true).events(Sweep.Event.HW_BREAKPOINT).versions(plain, ignored).withBareMetal().parallelism(2).run();
        Map<String, String> byCell = r.cells().stream().collect(Collectors.toMap(
                c -> c.point().get("version") + "/" + c.point().get("OSLK"), SweepResult.Cell::outcome));
        // Architecture: OSLK = 1 disables breakpoints (none); unlocked, the breakpoint is taken at EL1 (EC 0x31).
        assertEquals("none", byCell.get("bare/1"));
        assertEquals("0x31@EL1", byCell.get("bare/0"));
        assertEquals("none", byCell.get("v6.1/1"));
        assertEquals("0x31@EL1", byCell.get("6.1, OSLAR ignored/1"));
        assertEquals(List.of("6.1, OSLAR ignored"), r.differences().stream().map(c -> c.point().get("version")).distinct().toList());
        assertTrue(failure(() -> Lab.sweep().versions(plain, plain)).contains("given twice"));
    }

    // (g) The breakpoint at `target` is reached twice through `bl`: under the lock (not generated, OSLK = 1 disables
    // it) and unlocked (taken, EC 0x31 from the same EL). Both show, in that order.
    @ParameterizedTest
    @ValueSource(strings = {"bare", "6.1", "v2"})
    void notGeneratedFollowsTheExecutedPath(String where) {
        Guest g = Lab.guest().osLock(false).mde(true).kde(true).clearD().hwBreakpoint(0).at("target")
                .osLock(true).asm("bl target").osLock(false).asm("bl target", "b done").label("target").nop().asm("ret").label("done").build();
        LabRun run = where.equals("bare") ? g.bareMetal().run() : g.kvm(where).qemu().run();
        long target = g.label("target");
        List<RoutingEvent> at = run.events().stream().filter(e -> e.pc() == target
                && (e instanceof RoutingEvent.NotGenerated || e instanceof RoutingEvent.ExceptionTaken)).toList();
        assertEquals(2, at.size(), run.toString());
        assertTrue(at.get(0) instanceof RoutingEvent.NotGenerated n && n.reason().contains("OSLK = 1"), run.toString());
        assertTrue(at.get(1) instanceof RoutingEvent.ExceptionTaken t && t.ec() == 0x31 && t.elr() == target, run.toString());
    }

    private static String failure(Runnable r) {
        try {
            r.run();
        } catch (DslException e) {
            return e.getMessage();
        }
        throw new AssertionError("no DslException");
    }
}
