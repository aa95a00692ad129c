package dev.debuglab.dsl;

import static dev.debuglab.dsl.DebugLabAssertions.EL1;
import static dev.debuglab.dsl.DebugLabAssertions.EL2;
import static dev.debuglab.dsl.DebugLabAssertions.VMM;
import static dev.debuglab.dsl.DebugLabAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Program;
import dev.debuglab.emulator.kvm.Step;
import dev.debuglab.emulator.kvm.SysRegResult;
import dev.debuglab.emulator.machine.ElfWriter;
import dev.debuglab.emulator.vmm.QemuPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each sentence of issue 4 ("what a user must be able to say") as a test, with outcomes from the Arm ARM and the spec tables. */
class IssueSentencesTest {

    /** Breakpoint, KDE and D enables at EL1 (ELd = EL1): the guest's own debugging. */
    static GuestCode debugOn() {
        return Lab.guest().osLock(false).mde(true).kde(true).clearD();
    }

    // BRK is never gated by the OS Lock (Arm ARM D2.8: Breakpoint Instruction exceptions are always enabled):
    // ESR = EC 0x3C << 26 | IL | imm16 = 0xF2000042, taken to the guest's EL1 vector (current EL, SPx: +0x200).
    @Test
    void osLockAndBrkOnBareMetalIsDeliveredAtEl1() {
        LabRun run = Lab.guest().osLock(true).label("b").brk(0x42).build().bareMetal().run();
        assertThat(run).endedWith("SYSTEM_OFF").isArchitectural()
                .tookAt(EL1).withEc(0x3C).withEsr(0xF2000042L).atLabel("b").times(1);
        assertEquals(0x200, run.guestExceptions().get(0).vector());
        assertTrue(run.toString().contains("0xF2000042"), run.toString());
        assertTrue(run.toString().contains("comment #0x42"), "ESR decoded: " + run);
    }

    // AArch64.GenerateDebugExceptionsFrom row 1: OSLK = 1 disables breakpoints whatever MDE/KDE/D say.
    @Test
    void hwBreakpointUnderTheLockIsNotGenerated() {
        LabRun run = debugOn().osLock(true).hwBreakpoint(0).at("target").label("target").nop().build().bareMetal().run();
        assertThat(run).hasNoGuestExceptions().notGenerated("hardware breakpoint 0").because("OSLK = 1");
        RoutingEvent.NotGenerated n = run.events(RoutingEvent.NotGenerated.class).get(0);
        assertEquals(run.listing().labels().get("target"), n.pc());
        assertEquals(Lane.GUEST_EL1, n.lane());
    }

    // Cold reset leaves OSLSR_EL1 = 0xA (OSLK = 1) on bare metal: without an unlock nothing is generated.
    @Test
    void bareMetalColdResetLocksTheOsLock() {
        LabRun run = Lab.guest().mde(true).kde(true).clearD().hwBreakpoint(0).at("t").label("t").nop().build().bareMetal().run();
        assertThat(run).hasNoGuestExceptions().notGenerated("breakpoint").because("cold reset");
    }

    // Unlocked, MDE = KDE = 1, D = 0: a same-EL breakpoint (EC 0x31), ELR = the instruction, IFSC 0x22 (debug).
    @Test
    void hwBreakpointAtALabelIsTakenAtEl1() {
        LabRun run = debugOn().hwBreakpoint(0).at("target").nop().label("target").nop().build().bareMetal().run();
        assertThat(run).isArchitectural().allGenerated()
                .tookAt(EL1).withEc(0x31).withIss(0x22).atLabel("target").times(1);
    }

    // KDE = 0 at ELd = EL1: same-EL debug exceptions are disabled (row 4).
    @Test
    void kdeOffSuppressesSameElBreakpoints() {
        LabRun run = Lab.guest().osLock(false).mde(true).kde(false).clearD().hwBreakpoint(1).at("t").label("t").nop().build().bareMetal().run();
        assertThat(run).hasNoGuestExceptions().notGenerated("hardware breakpoint 1").because("KDE = 0");
    }

    // PSTATE.D = 1 masks same-EL debug exceptions (row 4).
    @Test
    void pstateDMasksSameElBreakpoints() {
        LabRun run = debugOn().setD().hwBreakpoint(0).at("t").label("t").nop().build().bareMetal().run();
        assertThat(run).hasNoGuestExceptions().notGenerated("breakpoint").because("PSTATE.D = 1");
    }

    // The OS Double Lock (DLK = 1, CORENPDRQ = 0) disables debug exceptions like the OS Lock (row 2).
    @Test
    void doubleLockSuppressesBreakpoints() {
        LabRun run = debugOn().doubleLock(true).hwBreakpoint(0).at("t").label("t").nop().build().bareMetal().run();
        assertThat(run).hasNoGuestExceptions().notGenerated("breakpoint").because("Double Lock");
    }

    // A watchpoint on data, stores only: EC 0x35 (same EL), WnR = 1, FAR = the watched address.
    @Test
    void watchpointOnALabelStores() {
        GuestCode g = debugOn().watchpoint(0).on("counter").length(8).store()
                .mov("x1", 7).load("x2", "counter").store("x1", "counter").data("counter", 0);
        LabRun run = g.build().bareMetal().run();
        long counter = run.listing().labels().get("counter");
        assertThat(run).tookAt(EL1).withEc(0x35).withFar(counter).times(1);
        long esr = run.guestExceptions().get(0).esr();
        assertEquals(1, (esr >>> 6) & 1, "WnR: a store");
    }

    // Loads only: the store is not watched, the load is (WnR = 0).
    @Test
    void watchpointLoadsOnly() {
        LabRun run = debugOn().watchpoint(0).on("d").load().mov("x1", 1).store("x1", "d").load("x2", "d").data("d", 5).build().bareMetal().run();
        assertThat(run).tookAt(EL1).withEc(0x35).times(1);
        assertEquals(0, (run.guestExceptions().get(0).esr() >>> 6) & 1, "WnR: a load");
    }

    // Software step at EL1 with KDE = 1, D = 0: a step exception (EC 0x33) after the stepped instruction.
    @Test
    void singleStepIsTakenAtEl1() {
        LabRun run = debugOn().singleStep().label("s").nop().asm("msr mdscr_el1, xzr").nop().build().bareMetal().run();
        assertThat(run).tookAt(EL1).withEc(0x33);
    }

    // EL0 code: BRK from EL0 is taken to EL1 at the lower-EL vector (+0x400); a breakpoint at an EL0 label fires
    // without KDE (EL0 < ELd), EC 0x30 (from a lower EL).
    @Test
    void el0CodeTakesExceptionsToEl1() {
        LabRun run = Lab.guest().osLock(false).mde(true).hwBreakpoint(0).at("user").pmc(0b10)
                .el0(c -> c.label("user").nop().brk(7)).mov("x3", 0x33).logValue(3, "x3").build().bareMetal().run();
        assertThat(run).endedWith("SYSTEM_OFF").loggedValue(3, 0x33)
                .tookAt(EL1).withEc(0x30).atLabel("user").from(0).and()
                .tookAt(EL1).withEc(0x3C).withEsr(0xF2000007L).from(0);
        assertTrue(run.guestExceptions().stream().allMatch(e -> e.vector() == 0x400), run.toString());
    }

    // PMC = 0b01 (EL1 only): a breakpoint at an EL0 instruction does not match.
    @Test
    void pmcEl1OnlyDoesNotMatchAtEl0() {
        LabRun run = Lab.guest().osLock(false).mde(true).hwBreakpoint(0).at("user").pmc(0b01)
                .el0(c -> c.label("user").nop()).build().bareMetal().run();
        assertThat(run).hasNoGuestExceptions().endedWith("SYSTEM_OFF");
    }

    // HVC under KVM: PSCI; X0 = PSCI_VERSION (0x84000000) returns the version (not an exception at the guest).
    @Test
    void hvcIsAHypercallUnderKvm() {
        LabRun run = Lab.guest().mov("x0", 0x8400_0000L).hvc(0).asm("mov x4, x0").logValue(4, "x4").build().kvm("6.1").qemu().run();
        assertThat(run).endedWith("SYSTEM_OFF").hasNoGuestExceptions().kvmDecided(RoutingEvent.KvmDecisionKind.PSCI);
        assertFalse(run.values(4).isEmpty());
    }

    // The user's own vector table: a handler that logs nothing and skips the BRK.
    @Test
    void ownVectorTable() {
        StringBuilder v = new StringBuilder(".balign 2048\nvectors:\n");
        for (int i = 0; i < 16; i++) v.append(".balign 128\nb my_handler\n");
        v.append("my_handler:\nmrs x9, esr_el1\nmrs x10, elr_el1\nadd x10, x10, #4\nmsr elr_el1, x10\neret\n");
        LabRun run = Lab.guest().brk(5).logValue(9, "x9").vectors(v.toString()).build().bareMetal().run();
        assertThat(run).hasNoGuestExceptions().loggedValue(9, 0xF2000005L);
    }

    // A guest from an ELF file runs like an assembled one.
    @Test
    void elfGuest(@TempDir Path dir) throws Exception {
        Program p = Assembler.assemble(Guest.BASE, dev.debuglab.emulator.vmm.StandardGuest.source("        brk #0x11\n"));
        Path elf = dir.resolve("g.elf");
        ElfWriter.write(elf, p.bytes(), Guest.BASE, Guest.BASE);
        Guest g = Lab.elf(elf);
        assertThat(g.bareMetal().run()).tookAt(EL1).withEsr(0xF2000011L);
        assertThat(g.kvm("6.14").kvmtool().run()).tookAt(EL1).withEsr(0xF2000011L).and().isArchitectural();
        assertTrue(g.listing().toString().contains("brk"), g.listing().toString());
    }

    // BRK under the OS Lock per version (kvm.md; SeedQuestions): delivered on 5.15 (lock RAZ/WI), 6.1, 6.14; the v2
    // patch consumes it (PC += 4, nothing delivered) — the comparison shows v2's column differing.
    @Test
    void sameGuestComparedAcrossVersions() {
        Guest g = Lab.guest().osLock(true).brk(0x42).build();
        Comparison c = g.compareAcross("5.15", "v2", "6.1", "6.14");
        assertEquals(5, c.runs().size());
        assertTrue(c.differs(), c.toString());
        Comparison.Row first = c.rows().get(0);
        assertTrue(first.differs());
        assertEquals("-", first.cells().get(2), "v2 delivers nothing: " + c);
        for (int i : new int[] {0, 1, 3, 4}) assertTrue(first.cells().get(i).contains("ESR 0xF2000042"), c.toString());
        assertThat(c.run(2)).hasNoGuestExceptions().kvmDecided(RoutingEvent.KvmDecisionKind.BRK_SKIPPED).isNotArchitectural();
        assertTrue(c.toString().lines().anyMatch(l -> l.startsWith("*") && l.contains("guest log 1")), c.toString());
        assertTrue(c.columns().get(2).startsWith("KVM v2"), c.columns().toString());
    }

    // Guest breakpoint under the lock: blocked from 5.18 (architectural), delivered on 5.15 where the lock is RAZ/WI.
    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void guestBreakpointUnderTheLockPerVersion(String version) {
        LabRun run = debugOn().osLock(true).hwBreakpoint(0).at("t").label("t").nop().build().kvm(version).qemu().run();
        if (version.equals("5.15")) assertThat(run).isNotArchitectural().tookAt(EL1).withEc(0x31).atLabel("t");
        else assertThat(run).isArchitectural().hasNoGuestExceptions().notGenerated("breakpoint").because("OSLK = 1");
    }

    // Problem (a): a userspace watchpoint while the guest holds its OS Lock: KVM exits, QEMU re-injects without
    // checking OSLK, and the guest sees a watchpoint the architecture never delivers.
    @Test
    void userspaceWatchpointUnderTheLockIsReinjected() {
        // The store hits the watched doubleword 4 bytes in: QEMU matches only the first byte, so it is not its own event.
        Guest g = Lab.guest().osLock(true).mov("x0", 0x77).asm("adr x1, d", "str w0, [x1, #4]").data("d", 0).build();
        LabRun run = g.kvm("6.1").qemu().watchpoint("d", 8, "write").run();
        assertThat(run).vmmDecided(RoutingEvent.VmmDecisionKind.REINJECTED).isNotArchitectural()
                .tookAt(EL1).withEc(0x34);
        assertTrue(run.events(RoutingEvent.ExitToVmm.class).stream().anyMatch(e -> e.exitName().equals("KVM_EXIT_DEBUG") && e.ec() == 0x34),
                run.toString());
        assertFalse(run.verdict().of(dev.debuglab.emulator.verdict.Difference.Kind.EXTRA_EXCEPTION).isEmpty(), run.verdict().toString());
    }

    // gdb's hbreak through KVM_SET_GUEST_DEBUG: QEMU's own event (EC 0x30 from the guest), the vCPU stops, then continues.
    @Test
    void userspaceHwBreakpointIsTheVmmsOwnStop() {
        LabRun run = Lab.guest().nop().label("target").nop().build().kvm("6.14").qemu().hwBreakpoint("target").run();
        assertThat(run).endedWith("SYSTEM_OFF").isArchitectural().hasNoGuestExceptions()
                .tookAt(VMM).withEc(0x30).atLabel("target");
        RoutingEvent.GuestEntry withDebug = run.events(RoutingEvent.GuestEntry.class).stream().filter(e -> e.guestDebug().contains("USE_HW"))
                .findFirst().orElseThrow(() -> new AssertionError(run.toString()));
        assertTrue(withDebug.tde(), "userspace debugging traps debug exceptions to EL2: " + withDebug);
    }

    // A software breakpoint (BRK #0 planted) and a userspace single-step.
    @Test
    void userspaceSwBreakpointAndStep() {
        Guest g = Lab.guest().nop().label("target").nop().build();
        assertThat(g.kvm("6.1").qemu().swBreakpoint("target").run()).tookAt(VMM).withEc(0x3C).atLabel("target");
        assertThat(g.kvm("6.1").qemu().singleStep().run()).tookAt(VMM).withEc(0x32);
    }

    // kvmtool --debug-single-step: every step exit is dumped and KVM_RUN re-entered.
    @Test
    void kvmtoolDumpsDebugExits() {
        LabRun run = Lab.guest().nop().nop().build().kvm("6.1").kvmtool(true).run();
        assertThat(run).vmmDecided(RoutingEvent.VmmDecisionKind.DUMPED);
        assertTrue(run.events(RoutingEvent.VmmDecision.class).stream().filter(d -> d.kind() == RoutingEvent.VmmDecisionKind.DUMPED).count() > 2);
    }

    // Problem (b): migration 5.15 -> v2 at a label: OSLK comes up locked (0xA, not in the stream); 5.15 -> 6.1 keeps 0x8.
    @Test
    void migrationAtALabel() {
        Guest g = Lab.guest().osLock(false).label("migrate_here").logSysreg(1, "oslsr_el1").build();
        LabRun toV2 = g.kvm("5.15").qemu().migrateTo("v2").atLabel("migrate_here").run();
        assertThat(toV2).endedWith("SYSTEM_OFF").vmmDecided(RoutingEvent.VmmDecisionKind.MIGRATED).loggedValue(1, 0xA);
        LabRun to61 = g.kvm("5.15").qemu().migrateTo("6.1").atLabel("migrate_here").run();
        assertThat(to61).loggedValue(1, 0x8);
        assertTrue(toV2.config().where().contains("migrated to v2 at `migrate_here`"), toV2.config().where());
    }

    // 6.1 -> 5.15: the load fails on OSLSR_EL1 (QEMU's "error while loading state ..."), the run says so.
    @Test
    void migrationTo515Fails() {
        LabRun run = Lab.guest().nop().label("m").nop().build().kvm("6.1").qemu().migrateTo("5.15").atLabel("m").run();
        assertEquals("MIGRATION_FAILED", run.outcome());
        assertTrue(run.events(RoutingEvent.VmmDecision.class).stream().anyMatch(d -> d.text().contains("OSLSR_EL1")), run.toString());
    }

    @Test
    void migrationAfterInstructions() {
        LabRun run = Lab.guest().nop().nop().nop().brk(1).build().kvm("6.1").kvmtool().migrateTo("6.12").afterInstructions(3).run();
        assertThat(run).endedWith("SYSTEM_OFF").vmmDecided(RoutingEvent.VmmDecisionKind.MIGRATED).tookAt(EL1).withEsr(0xF2000001L);
    }

    // A what-if of a KVM step, inline and named: 6.1 with OSLAR treated as RAZ/WI (as before 5.18) delivers the
    // breakpoint the guest armed under its lock; the variant's name is in the run.
    @Test
    void kvmStepOverride() {
        Guest g = debugOn().osLock(true).hwBreakpoint(0).at("t").label("t").nop().build();
        LabRun run = g.kvm("6.1").override("6.1, OSLAR ignored", Step.HANDLE_OSLAR, (ctx, original) -> SysRegResult.razWi("what-if: ignored"))
                .qemu().run();
        assertThat(run).isNotArchitectural().tookAt(EL1).withEc(0x31);
        assertTrue(run.config().version().contains("6.1, OSLAR ignored"), run.config().toString());
        assertThat(g.kvm("6.1").qemu().run()).isArchitectural();
    }

    // A what-if of a VMM policy step: QEMU that never re-injects leaves the guest architectural under problem (a).
    @Test
    void vmmPolicyOverride() {
        Guest g = Lab.guest().osLock(true).mov("x0", 1).asm("adr x1, d", "str w0, [x1, #4]").data("d", 0).build();
        LabRun run = g.kvm("6.1").qemu().watchpoint("d", 8, "write")
                .policy("QEMU, never re-inject", QemuPolicy.SHOULD_INJECT, (ctx, original) -> QemuPolicy.Decision.drop("what-if: dropped"))
                .run();
        assertThat(run).hasNoGuestExceptions().isArchitectural().vmmDecided(RoutingEvent.VmmDecisionKind.IGNORED);
        assertTrue(run.config().vmm().contains("never re-inject"), run.config().vmm());
    }

    // Under TDE (firmware on bare metal) a BRK from EL1 is taken to EL2 (MDCR_EL2.TDE routes debug exceptions).
    @Test
    void bareMetalTdeRoutesToEl2() {
        LabRun run = Lab.guest().brk(3).build().bareMetal().tde(true).run();
        assertThat(run).hasNoGuestExceptions().tookAt(EL2).withEsr(0xF2000003L);
        assertEquals("TAKEN_TO_EL2", run.outcome());
    }

    // Values are immutable: a builder can be reused; a later call does not change an earlier value.
    @Test
    void buildersAreImmutable() {
        GuestCode base = Lab.guest().osLock(false);
        GuestCode a = base.brk(1);
        GuestCode b = base.brk(2);
        assertThat(a.build().bareMetal().run()).tookAt(EL1).withEsr(0xF2000001L).times(1);
        assertThat(b.build().bareMetal().run()).tookAt(EL1).withEsr(0xF2000002L).times(1);
        assertThat(base.build().bareMetal().run()).hasNoGuestExceptions();
        Stages.QemuStage q = b.build().kvm("6.1").qemu();
        Stages.QemuStage withBp = q.hwBreakpoint("_start");
        assertTrue(q.requests().isEmpty(), "the earlier stage is unchanged");
        assertEquals(List.of("hbreak _start"), withBp.requests());
    }

    // The run's story: listing, lanes, registers.
    @Test
    void runRendersItsStory() {
        LabRun run = debugOn().hwBreakpoint(0).at("t").label("t").nop().build().kvm("6.1").qemu().run();
        String s = run.toString();
        for (String part : List.of("Routing", "Guest log", "KVM/EL2", "guest EL1", "enter guest", "Architectural: the guest observed exactly what bare hardware shows it", "EC 0x31"))
            assertTrue(s.contains(part), part + " in\n" + s);
        assertTrue(run.listing().toString().contains("msr dbgbcr0_el1, x16") || run.listing().toString().contains("dbgbcr0_el1"), run.listing().toString());
        assertEquals(run.listing().labels().get("_start") + 0, run.listing().lines().get(0).address());
        assertTrue(run.registers().containsKey("PC"));
        assertTrue(run.events().stream().anyMatch(e -> e.lane() == Lane.VMM));
    }
}
