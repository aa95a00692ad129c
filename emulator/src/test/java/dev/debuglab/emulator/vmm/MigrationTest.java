package dev.debuglab.emulator.vmm;

import static dev.debuglab.emulator.vmm.G.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.kvm.Kvm;
import dev.debuglab.emulator.kvm.KvmError;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.kvm.Vcpu;
import dev.debuglab.emulator.kvm.Vm;
import dev.debuglab.emulator.verdict.Difference;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** scenarios.md section D: QEMU's cpreg migration between kernel versions (vmm.md §3). */
class MigrationTest {
    static final long OSLSR = RegId.sys("OSLSR_EL1");

    /**
     * Phase 1 (source): the guest's OSLAR write, then {@code migrate_here}. Phase 2 (destination): read OSLSR
     * (tag 1), arm breakpoint 0 on t, enable debug, call t (locked or not), unlock, call t again, BRK #0x42, log 2.
     */
    static GuestImage guest(String oslarWrite) {
        return StandardGuest.image(oslarWrite + """
                migrate_here:
                """ + logOslsr(1) + armBreakpoint("t") + ENABLE_DEBUG + """
                        bl      t
                """ + UNLOCK + """
                        bl      t
                        brk     #0x42
                        mov     x5, #2
                """ + StandardVectors.logValue(2, "x5") + StandardVectors.systemOff() + """
                t:      nop
                        ret
                """);
    }

    static VmmRun pausedAtMigrationPoint(QemuVmm src) {
        VmmRun p = src.runUntil(StopPoint.atLabel(src.guest(), "migrate_here"));
        assertEquals(VmmRun.Outcome.PAUSED, p.outcome(), p.toString());
        assertEquals(src.guest().symbol("migrate_here"), p.pc());
        return p;
    }

    static Map<Long, Long> allRegisters(Vcpu v) {
        Map<Long, Long> m = new LinkedHashMap<>();
        for (long id : v.getRegList()) m.put(id, v.getOneReg(id));
        return m;
    }

    // MIG-515-TO-518: PRE → MERGED/OWNER: the stream lacks OSLSR_EL1; the destination keeps its reset 0x8 (silently);
    // the guest (whose OSLAR write the source ignored) keeps behaving as it did on the source.
    @Test
    void from515To518AndOwner() {
        for (KvmVersion dest : List.of(V518, V61, V614)) {
            GuestImage g = guest(LOCK);
            QemuVmm src = new QemuVmm(V515).load(g);
            pausedAtMigrationPoint(src);
            MigrationStream s = Migration.save(src);
            assertFalse(s.carries("OSLSR_EL1"), s.toString());
            QemuVmm dst = new QemuVmm(dest);
            Migration.LoadResult lr = Migration.migrate(src, dst);
            assertTrue(lr.succeeded(), lr.toString());
            assertTrue(lr.keptAtReset().contains(RegId.name(OSLSR)), lr.toString());
            assertEquals(0x8L, dst.reg(OSLSR));
            VmmRun r = dst.run();
            assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
            assertEquals(List.of(0x8L), r.values(1), "OSLK 0 after migration");
            // Debug behaves as before: the same observations as a run that stayed on 5.15.
            VmmRun stayed = new QemuVmm(V515).load(g).run();
            assertEquals(stayed.observations(), r.observations(), dest + "\n" + r + "\n" + stayed);
            assertEquals(1, r.guestExceptions().stream().filter(e -> e.ec() == 0x31).count(), "first call hits (OSLK 0), the handler disarms: " + r);
        }
    }

    // MIG-515-TO-V2 (seed problem (b)): the destination keeps V2's reset 0xA — the guest, which cleared its lock at
    // boot, now runs locked: its breakpoint is blocked until it next writes OSLAR, and its BRK is consumed by KVM.
    @Test
    void from515ToV2ComesUpLocked() {
        GuestImage g = StandardGuest.image(UNLOCK + """
                migrate_here:
                """ + logOslsr(1) + armBreakpoint("t") + ENABLE_DEBUG + """
                        bl      t
                        brk     #0x42
                        mov     x5, #2
                """ + StandardVectors.logValue(2, "x5") + StandardVectors.systemOff() + """
                t:      nop
                        ret
                """);
        QemuVmm src = new QemuVmm(V515).load(g);
        pausedAtMigrationPoint(src);
        QemuVmm dst = new QemuVmm(V2);
        Migration.LoadResult lr = Migration.migrate(src, dst);
        assertTrue(lr.succeeded(), lr.toString());
        assertEquals(0xAL, dst.reg(OSLSR), "V2 resets OSLK = 1 and the stream had no OSLSR_EL1");
        VmmRun r = dst.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        assertEquals(List.of(0xAL), r.values(1), "the guest's OS Lock is set although it never set it");
        assertTrue(r.guestExceptions().isEmpty(), "breakpoint blocked, BRK consumed: " + r);
        assertEquals(List.of(2L), r.values(2));
        // Bare metal (the guest unlocked at boot): the breakpoint and the BRK are delivered.
        Verdict v = Verdict.of(r);
        assertEquals(2, v.of(Difference.Kind.MISSING_EXCEPTION).size(), v.toString());
        assertEquals(1, v.of(Difference.Kind.DIFFERENT_VALUE).size(), v.toString());
        // The same migration to 5.18 is fine.
        QemuVmm src2 = new QemuVmm(V515).load(g);
        pausedAtMigrationPoint(src2);
        QemuVmm ok = new QemuVmm(V518);
        assertTrue(Migration.migrate(src2, ok).succeeded());
        VmmRun r2 = ok.run();
        assertTrue(Verdict.of(r2).architectural(), Verdict.of(r2).toString());
    }

    // MIG-518-TO-515: MERGED → PRE fails: OSLSR_EL1 is in the stream and unknown at the destination. QEMU's text,
    // naming the register; the source runs on unchanged; the destination is as it was.
    @Test
    void from518To515FailsNamingTheRegister() {
        for (KvmVersion source : List.of(V518, V61, V614)) {
            GuestImage g = guest(UNLOCK);
            QemuVmm src = new QemuVmm(source).load(g);
            pausedAtMigrationPoint(src);
            Map<Long, Long> srcBefore = allRegisters(src.vcpu());
            QemuVmm dst = new QemuVmm(V515);
            Map<Long, Long> dstBefore = allRegisters(dst.vcpu());
            Migration.LoadResult lr = Migration.migrate(src, dst);
            assertFalse(lr.succeeded(), lr.toString());
            assertTrue(lr.error().contains("error while loading state for instance 0x0 of device 'cpu'"), lr.error());
            assertTrue(lr.error().contains("OSLSR_EL1"), lr.error());
            assertEquals(OSLSR, lr.failedId());
            assertEquals(srcBefore, allRegisters(src.vcpu()), "the source is never modified");
            assertEquals(dstBefore, allRegisters(dst.vcpu()), "the destination is as it was");
            assertNull(dst.guest());
            assertEquals(0L, dst.vm().readMemory(g.entry(), 4), "no RAM written");
            VmmRun rest = src.run();
            assertEquals(VmmRun.Outcome.SYSTEM_OFF, rest.outcome(), rest.toString());
            assertEquals(new QemuVmm(source).load(g).run().observations(), rest.observations());
            // The destination is still usable: it boots the guest itself.
            assertEquals(VmmRun.Outcome.SYSTEM_OFF, dst.load(g).run().outcome());
        }
    }

    // MIG-61-OSLK1 (observed KVM61-MIG-OSLK1): the source guest set OSLK (GET 0xA); SET 0xA on a fresh MERGED vCPU is
    // accepted; the guest's first OSLSR read is 0xA; its breakpoint is not delivered until it unlocks, then 1 × 0xC6000022.
    @Test
    void merged61LockedGuestStaysLocked() {
        for (KvmVersion dest : List.of(V61, V612, V614)) {
            QemuVmm src = new QemuVmm(V61).load(guest(LOCK));
            pausedAtMigrationPoint(src);
            assertEquals(0xAL, src.reg(OSLSR));
            MigrationStream s = Migration.save(src);
            assertEquals(0xAL, s.value("OSLSR_EL1"));
            QemuVmm dst = new QemuVmm(dest);
            Migration.LoadResult lr = Migration.migrate(src, dst);
            assertTrue(lr.succeeded(), lr.toString());
            assertEquals(0xAL, dst.reg(OSLSR));
            VmmRun r = dst.run();
            assertEquals(List.of(0xAL), r.values(1));
            List<GuestLog.Exception> bps = r.guestExceptions().stream().filter(e -> e.ec() == 0x31).toList();
            assertEquals(1, bps.size(), "blocked while locked, delivered after unlock: " + r);
            assertEquals(0xC6000022L, bps.get(0).esr());
            assertTrue(Verdict.of(r).architectural(), Verdict.of(r).toString());
        }
    }

    // MIG-61-BADVAL: an incoming OSLSR_EL1 outside {0x8, 0xA} is refused by SET (-EINVAL) ⇒ the load fails, naming
    // the register; registers already written are restored (the destination stays as it was).
    @Test
    void badOslsrValueFailsTheLoad() {
        QemuVmm src = new QemuVmm(V61).load(guest(UNLOCK));
        pausedAtMigrationPoint(src);
        MigrationStream good = Migration.save(src);
        for (long bad : new long[] {0x0, 0x1, 0x2, 0x9, 0xB, 0xFFFFFFFFL}) {
            Vm vm = Kvm.createVm(V61);
            Vcpu vcpu = vm.createVcpu();
            vcpu.init();
            Map<Long, Long> before = allRegisters(vcpu);
            Migration.LoadResult lr = Migration.load(good.withValue("OSLSR_EL1", bad), vm, vcpu);
            assertFalse(lr.succeeded(), lr.toString());
            assertEquals(OSLSR, lr.failedId());
            assertTrue(lr.error().contains("OSLSR_EL1") && lr.error().contains("EINVAL"), lr.error());
            assertTrue(lr.error().contains(Migration.ERROR_CPU) && lr.error().contains(Migration.ERROR_LOAD), lr.error());
            assertEquals(before, allRegisters(vcpu), "destination unchanged after the failed load");
            assertEquals(0x8L, vcpu.getOneReg(OSLSR));
        }
        // The good stream loads into the same kind of vCPU.
        Vm vm = Kvm.createVm(V61);
        Vcpu vcpu = vm.createVcpu();
        vcpu.init();
        assertTrue(Migration.load(good, vm, vcpu).succeeded());
    }

    // MIG-61-REINIT (observed KVM61-REINIT): KVM_ARM_VCPU_INIT again resets OSLSR_EL1 to 0x8.
    @Test
    void reinitResetsOslsr() {
        Vcpu v = Kvm.createVm(V61).createVcpu();
        v.init();
        v.setOneReg(OSLSR, 0xA);
        assertEquals(0xAL, v.getOneReg(OSLSR));
        v.init();
        assertEquals(0x8L, v.getOneReg(OSLSR));
    }

    // MIG-SAME (§3.3) and MIG-KUT-* in spirit: MERGED → MERGED with the same list restores all debug registers and
    // MDSCR_EL1; the breakpoint armed before migration fires after it (ARCH-HWBP-BASIC results).
    @Test
    void sameListRestoresDebugRegisters() {
        GuestImage g = StandardGuest.image(UNLOCK + armBreakpoint("t") + ENABLE_DEBUG + ARM_WATCHPOINT + """
                migrate_here:
                        bl      t
                        movz    x1, #0x4010, lsl #16
                        str     x1, [x1]
                """ + StandardVectors.systemOff() + """
                t:      nop
                        ret
                """);
        QemuVmm src = new QemuVmm(V61).load(g);
        pausedAtMigrationPoint(src);
        QemuVmm dst = new QemuVmm(V612);
        Migration.LoadResult lr = Migration.migrate(src, dst);
        assertTrue(lr.succeeded(), lr.toString());
        assertTrue(lr.keptAtReset().isEmpty(), "same list: nothing kept at reset: " + lr);
        for (String r : List.of("MDSCR_EL1", "DBGBCR0_EL1", "DBGBVR0_EL1", "DBGWCR0_EL1", "DBGWVR0_EL1", "VBAR_EL1"))
            assertEquals(src.reg(RegId.sys(r)), dst.reg(RegId.sys(r)), r);
        assertEquals(src.reg(RegId.PC), dst.reg(RegId.PC));
        assertEquals(src.reg(RegId.PSTATE), dst.reg(RegId.PSTATE));
        VmmRun r = dst.run();
        assertEquals(List.of(0xC6000022L, 0xD6000062L), r.guestExceptions().stream().map(GuestLog.Exception::esr).toList(), r.toString());
        assertTrue(Verdict.of(r).architectural(), Verdict.of(r).toString());
    }

    // MIG-EXTRA-DEST: a register only the destination lists keeps its reset value, silently; the compat list
    // (vmm.md §3.2 precedent) lets a newer stream into an older kernel.
    @Test
    void extraDestinationRegisterAndCompatList() {
        QemuVmm src = new QemuVmm(V61).load(guest(UNLOCK));
        pausedAtMigrationPoint(src);
        QemuVmm dst = new QemuVmm(V515);
        Migration.LoadResult lr = Migration.migrate(src, dst, Migration.Options.ignoring("OSLSR_EL1"));
        assertTrue(lr.succeeded(), lr.toString());
        assertEquals(List.of(RegId.name(OSLSR)), lr.ignored());
        VmmRun r = dst.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
    }

    // Migration at a chosen point: after N instructions (KVM_RUN with a budget, exactly N), or at a label.
    @Test
    void pauseAfterInstructions() {
        QemuVmm q = new QemuVmm(V61).load(guest(UNLOCK));
        VmmRun p = q.runUntil(StopPoint.afterInstructions(5));
        assertEquals(VmmRun.Outcome.PAUSED, p.outcome(), p.toString());
        assertEquals(5, p.instructions());
        VmmRun rest = q.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, rest.outcome(), rest.toString());
        assertThrows(IllegalArgumentException.class, () -> StopPoint.afterInstructions(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StopPoint.atLabel(q.guest(), "nowhere"));
        assertTrue(e.getMessage().contains("nowhere") && e.getMessage().contains("migrate_here"), e.getMessage());
    }

    @Test
    void streamIsImmutableAndDescribesItself() {
        QemuVmm src = new QemuVmm(V61).load(guest(LOCK));
        pausedAtMigrationPoint(src);
        MigrationStream s = Migration.save(src);
        long[] ids = s.ids();
        ids[0] = 0;
        assertFalse(s.ids()[0] == 0);
        assertTrue(s.toString().contains("OSLSR_EL1 = 0xA"), s.toString());
        long[] sorted = s.ids().clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(sorted, s.ids(), "sorted ascending as QEMU keeps it");
        for (long id : s.ids()) assertFalse(RegId.isCore(id), "core registers travel separately");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Migration.save(new QemuVmm(V515).load(guest(LOCK))).withValue("OSLSR_EL1", 0));
        assertTrue(e.getMessage().contains("OSLSR_EL1"), e.getMessage());
        assertThrows(KvmError.class, () -> src.reg(RegId.sys("OSLAR_EL1")));
    }
}
