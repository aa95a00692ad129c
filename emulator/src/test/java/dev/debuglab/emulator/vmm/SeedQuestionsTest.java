package dev.debuglab.emulator.vmm;

import static dev.debuglab.emulator.vmm.G.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.kvm.KvmVersion.Family;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.verdict.Difference;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed's questions (issue 3; vmm.md §4), answered with every KVM version, each with the
 * architectural verdict: what the guest saw under KVM and the VMM against bare hardware.
 */
class SeedQuestionsTest {

    static List<KvmVersion> versions() {
        return KvmVersion.all();
    }

    // Problem (a): a userspace hardware debug event QEMU does not recognise as its own, while the guest holds its OS
    // Lock: KVM exits (OSLK never blocks userspace debug), QEMU re-injects without checking OSLK, and the guest sees
    // a debug exception the architecture never delivers under the lock (it never armed anything).
    @ParameterizedTest
    @MethodSource("versions")
    void userspaceHwDebugUnderTheOsLockIsReinjected(KvmVersion version) {
        GuestImage g = StandardGuest.image(LOCK + logOslsr(2) + """
                        movz    x1, #0x4010, lsl #16
                        mov     w0, #0x77
                        str     w0, [x1, #4]
                """);
        QemuVmm q = new QemuVmm(version).load(g);
        VmmRun r = q.gdbRun(String.format("watch *0x%X 8", DATA), "continue");
        String why = version + "\n" + r;
        assertFalse(r.debugExits().isEmpty(), "KVM exits: " + why);
        assertEquals(0x34, r.debugExits().get(0).ec(), why);
        assertFalse(r.events(VmmEvent.Injected.class).isEmpty(), "QEMU re-injects: " + why);
        if (version.family() != Family.PRE) assertEquals(0xAL, r.values(2).get(0), "the guest holds the lock: " + why);
        GuestLog.Exception seen = r.guestExceptions().get(0);
        assertEquals(0xD2000062L, seen.esr(), why);
        Verdict v = Verdict.of(r);
        assertFalse(v.of(Difference.Kind.EXTRA_EXCEPTION).isEmpty(), "the architecture delivers nothing: " + v);
        assertTrue(v.toString().contains("extra exception"), v.toString());
    }

    // Guest BRK under the OS Lock, no userspace debugging: delivered (EC 0x3C) from v5.18 on — BRK is never gated —
    // and on PRE (the lock never takes effect); the v2 patch consumes it (PC += 4, no exit, nothing delivered).
    @ParameterizedTest
    @MethodSource("versions")
    void guestBrkUnderTheOsLock(KvmVersion version) {
        GuestImage g = StandardGuest.image(LOCK + """
                        brk     #0x42
                        mov     x5, #1
                """ + StandardVectors.logValue(1, "x5"));
        VmmRun r = new QemuVmm(version).load(g).run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        assertEquals(List.of(1L), r.values(1));
        assertTrue(r.debugExits().isEmpty(), "no userspace debugging, no exits: " + r);
        Verdict v = Verdict.of(r);
        if (version.family() == Family.V2) {
            assertTrue(r.guestExceptions().isEmpty(), "v2 skips the BRK: " + r);
            assertEquals(1, v.of(Difference.Kind.MISSING_EXCEPTION).size(), v.toString());
        } else {
            assertEquals(1, r.guestExceptions().size(), r.toString());
            assertEquals(0xF2000042L, r.guestExceptions().get(0).esr());
            assertTrue(v.architectural(), v.toString());
        }
    }

    /** The guest arms a breakpoint, a watchpoint and software step while locked (ARCH-HWBP-OSLK, -WP-OSLK, -SS-OSLK). */
    static GuestImage lockedDebugGuest() {
        return StandardGuest.image(LOCK + armBreakpoint("t") + ARM_WATCHPOINT + ENABLE_DEBUG + """
                        bl      t
                        movz    x1, #0x4010, lsl #16
                        str     x1, [x1]
                        msr     daifset, #8     // ARCH-SS-ERET: D masked until the ERET
                        mov     x0, #0x2001
                        msr     mdscr_el1, x0
                        isb
                        adr     x0, r
                        msr     elr_el1, x0
                        movz    x0, #0x20, lsl #16
                        movk    x0, #0x1c5
                        msr     spsr_el1, x0
                        eret
                r:      nop
                        nop
                        nop
                        nop
                e:      msr     mdscr_el1, xzr
                        isb
                        msr     daifset, #8
                        mov     x5, #1
                """ + StandardVectors.logValue(1, "x5") + StandardVectors.systemOff() + """
                t:      nop
                        ret
                """);
    }

    // Guest breakpoint, watchpoint and step under the OS Lock, no userspace debugging: blocked from v5.18 on (and by the
    // v2 patch), as the architecture says; delivered before 5.18, where the lock is RAZ/WI.
    @ParameterizedTest
    @MethodSource("versions")
    void guestBreakpointWatchpointStepUnderTheOsLock(KvmVersion version) {
        GuestImage g = lockedDebugGuest();
        VmmRun r = new QemuVmm(version).load(g).run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        assertEquals(List.of(1L), r.values(1));
        Verdict v = Verdict.of(r);
        if (version.family() == Family.PRE) {
            List<Integer> ecs = r.guestExceptions().stream().map(GuestLog.Exception::ec).toList();
            assertEquals(List.of(0x31, 0x35, 0x33, 0x33, 0x33, 0x33), ecs, r.toString());
            assertEquals(6, v.of(Difference.Kind.EXTRA_EXCEPTION).size(), v.toString());
        } else {
            assertTrue(r.guestExceptions().isEmpty(), r.toString());
            assertTrue(v.architectural(), v.toString());
        }
    }

    // Problem (b): migration 5.15 → v2: the guest's OS Lock comes up locked (reset 0xA, not in the stream) and blocks its
    // debugging until it next writes OSLAR; 5.15 → 5.18: fine; 5.18 → 5.15: the load fails and names OSLSR_EL1.
    @ParameterizedTest
    @MethodSource("versions")
    void migrationFrom515(KvmVersion dest) {
        GuestImage g = StandardGuest.image(UNLOCK + """
                migrate_here:
                """ + logOslsr(1) + armBreakpoint("t") + ENABLE_DEBUG + """
                        bl      t
                """ + StandardVectors.systemOff() + """
                t:      nop
                        ret
                """);
        QemuVmm src = new QemuVmm(V515).load(g);
        assertEquals(VmmRun.Outcome.PAUSED, src.runUntil(StopPoint.atLabel(g, "migrate_here")).outcome());
        QemuVmm dst = new QemuVmm(dest);
        Migration.LoadResult lr = Migration.migrate(src, dst);
        assertTrue(lr.succeeded(), "a PRE stream loads everywhere (the destination keeps what the stream lacks): " + lr);
        VmmRun r = dst.run();
        Verdict v = Verdict.of(r);
        switch (dest.family()) {
            case V2 -> {
                assertEquals(List.of(0xAL), r.values(1), r.toString());
                assertTrue(r.guestExceptions().isEmpty(), "debugging blocked: " + r);
                assertEquals(1, v.of(Difference.Kind.MISSING_EXCEPTION).size(), v.toString());
            }
            case MERGED, OWNER -> {
                assertEquals(List.of(0x8L), r.values(1), r.toString());
                assertTrue(v.architectural(), v.toString());
            }
            case PRE -> assertEquals(List.of(0x8L), r.values(1), r.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void migrationTo515(KvmVersion source) {
        GuestImage g = StandardGuest.image(UNLOCK + "migrate_here:\n        nop\n");
        QemuVmm src = new QemuVmm(source).load(g);
        src.runUntil(StopPoint.atLabel(g, "migrate_here"));
        Migration.LoadResult lr = Migration.migrate(src, new QemuVmm(V515));
        if (source.family() == Family.PRE) {
            assertTrue(lr.succeeded(), lr.toString());
        } else {
            assertFalse(lr.succeeded(), lr.toString());
            assertEquals(RegId.sys("OSLSR_EL1"), lr.failedId());
            assertTrue(lr.error().contains("OSLSR_EL1") && lr.error().contains(Migration.ERROR_CPU), lr.error());
            assertEquals(VmmRun.Outcome.SYSTEM_OFF, src.run().outcome(), "the source continues");
        }
    }
}
