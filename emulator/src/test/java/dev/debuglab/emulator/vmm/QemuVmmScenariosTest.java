package dev.debuglab.emulator.vmm;

import static dev.debuglab.emulator.vmm.G.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.kvm.GuestDebug;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.verdict.Difference;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * scenarios.md section C: QEMU's debug-exit handling (vmm.md §1) against the matching KVM versions,
 * each with the architectural verdict (the same guest on bare metal).
 */
class QemuVmmScenariosTest {

    static List<KvmVersion> allVersions() {
        return KvmVersion.all();
    }

    static String describe(VmmRun r, Verdict v) {
        return r + "\n" + v;
    }

    // VMM-QEMU-SWBP-OWN: gdb `break *X` plants BRK #0; the exit is QEMU's own; the vCPU stops; the guest sees nothing.
    @ParameterizedTest
    @MethodSource("allVersions")
    void swbpOwn(KvmVersion version) {
        GuestImage g = StandardGuest.image("""
                        nop
                x:      nop
                        mov     x5, #7
                """ + StandardVectors.logValue(1, "x5"));
        long x = g.symbol("x");
        QemuVmm q = new QemuVmm(version);
        q.load(g).gdb("break x", "continue");
        VmmRun r = q.run();
        assertEquals(VmmRun.Outcome.STOPPED, r.outcome(), r.toString());
        assertEquals(1, r.debugExits().size(), r.toString());
        DebugExit e = r.debugExits().get(0);
        assertEquals(0xF2000000L, e.hsr(), r.toString());
        assertEquals(x, e.pc());
        assertEquals(1, r.events(VmmEvent.Stopped.class).size());
        assertTrue(r.guestExceptions().isEmpty(), "the guest sees nothing: " + r);
        assertEquals(QemuVmm.BRK_INSN, q.readGuestWord(x), "QEMU planted BRK #0");
        assertEquals(GuestDebug.ENABLE | GuestDebug.USE_SW_BP, q.guestDebug().control());
        // gdb deletes the breakpoint (the original word comes back) and continues: the guest completes.
        q.gdb("delete", "continue");
        VmmRun r2 = q.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r2.outcome(), r2.toString());
        assertEquals(0xD503201F, q.readGuestWord(x), "NOP restored");
        assertEquals(0, q.guestDebug().control(), "debugging off again");
        assertEquals(List.of(7L), r2.values(1));
        Verdict v = Verdict.of(r2);
        assertTrue(v.architectural(), v.toString());
    }

    // VMM-QEMU-SWBP-OWN, continued as gdb continues from a breakpoint: remove, step once, re-insert, continue.
    @Test
    void continueFromASoftwareBreakpointStepsOverIt() {
        GuestImage g = StandardGuest.image("""
                        mov     x6, #0
                loop:   add     x6, x6, #1
                        cmp     x6, #3
                        b.ne    loop
                """ + StandardVectors.logValue(1, "x6"));
        QemuVmm q = new QemuVmm(V61);
        q.load(g).gdb("break loop", "continue", "continue", "continue", "delete", "continue");
        VmmRun r = q.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        long own = r.events(VmmEvent.Stopped.class).stream().filter(s -> s.exit().ec() == 0x3C).count();
        assertEquals(3, own, "one stop per loop iteration: " + r);
        assertEquals(List.of(3L), r.values(1));
        assertTrue(r.guestExceptions().isEmpty());
    }

    // VMM-QEMU-BRK-FOREIGN: with any QEMU software breakpoint, the guest's BRK #0x800 exits and is re-injected
    // exactly: ESR 0xF2000800, ELR = the BRK, SPSR = PSTATE, PSTATE EL1h DAIF set, PC = VBAR_EL1 + 0x200, FAR_EL1 unchanged.
    // Identical with the OS Lock set (correct for BRK); the verdict finds no difference.
    @ParameterizedTest
    @MethodSource("allVersions")
    void brkForeignIsReinjectedExactly(KvmVersion version) {
        for (boolean locked : new boolean[] {false, true}) {
            GuestImage g = StandardGuest.image(FAR_MARK + (locked ? LOCK : UNLOCK) + NEVER + """
                        y:      brk     #0x800
                                mov     x5, #9
                        """ + StandardVectors.logValue(1, "x5"));
            QemuVmm q = new QemuVmm(version);
            q.load(g).gdb("break never", "continue");
            VmmRun r = q.run();
            String why = version + (locked ? " OSLK 1" : " OSLK 0") + "\n" + r;
            assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), why);
            assertEquals(1, r.debugExits().size(), why);
            DebugExit e = r.debugExits().get(0);
            assertEquals(0xF2000800L, e.hsr(), why);
            assertEquals(g.symbol("y"), e.pc(), why);
            VmmEvent.Injected inj = r.events(VmmEvent.Injected.class).get(0);
            assertEquals(0xF2000800L, inj.esr());
            assertEquals(g.symbol("y"), inj.elr());
            assertEquals(e.pstate(), inj.spsr(), "SPSR_EL1 = PSTATE at the exit");
            assertEquals(0x3C5L, inj.pstate() & 0x3FF, "EL1h with D, A, I, F set");
            assertEquals(g.symbol("vectors") + 0x200, inj.pc());
            assertFalse(inj.farWritten());
            GuestLog.Exception seen = r.guestExceptions().get(0);
            assertEquals(1, r.guestExceptions().size(), why);
            assertEquals(0xF2000800L, seen.esr());
            assertEquals(0x200, seen.vector());
            assertEquals(g.symbol("y"), seen.elr());
            assertEquals(FAR_MARKER, seen.far(), "FAR_EL1 not written");
            assertEquals(e.pstate(), seen.spsr());
            assertEquals(List.of(9L), r.values(1));
            Verdict v = Verdict.of(r);
            assertTrue(v.architectural(), why + "\n" + v);
        }
    }

    // VMM-QEMU-HWBP-OWN: `hbreak *X`: bcr 0x1E7, bvr = X; exit hsr 0xC2000022 at X; QEMU's own (exact PC match),
    // in every version and whatever the guest's OS Lock (USE_HW: OSLK ignored, kvm.md §4.3 M7).
    @ParameterizedTest
    @MethodSource("allVersions")
    void hwbpOwn(KvmVersion version) {
        GuestImage g = StandardGuest.image(LOCK + """
                        nop
                x:      nop
                """);
        long x = g.symbol("x");
        QemuVmm q = new QemuVmm(version);
        q.load(g).gdb("hbreak *" + x, "continue");
        VmmRun r = q.run();
        assertEquals(VmmRun.Outcome.STOPPED, r.outcome(), r.toString());
        GuestDebug d = q.guestDebug();
        assertEquals(GuestDebug.ENABLE | GuestDebug.USE_HW, d.control());
        assertEquals(0x1E7L, d.bcr()[0]);
        assertEquals(x, d.bvr()[0]);
        DebugExit e = r.debugExits().get(0);
        assertEquals(0xC2000022L, e.hsr(), r.toString());
        assertEquals(x, e.pc());
        assertTrue(r.guestExceptions().isEmpty());
        // continue: gdb steps over with the breakpoint removed; the guest completes.
        q.gdb("continue");
        VmmRun r2 = q.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r2.outcome(), r2.toString());
        assertTrue(Verdict.of(r2).architectural(), Verdict.of(r2).toString());
    }

    static String guestBreakpointAt(String extra) {
        return UNLOCK + extra + NEVER + armBreakpoint("t") + ENABLE_DEBUG + """
                t:      nop
                        mov     x5, #3
                """ + StandardVectors.logValue(1, "x5");
    }

    // VMM-QEMU-HWBP-FOREIGN: QEMU uses software breakpoints only; the guest (EL1, OSLK 0, MDE/KDE 1) arms its own
    // breakpoint at T. MERGED (observed KVM61-SWBP-GUESTBP) and PRE/V2: exit hsr 0xC2000022, injected with ESR_EL1 =
    // 0xC2000022 (EC 0x30, not the native 0x31). OWNER: the guest's breakpoint is suppressed while gd != 0.
    @ParameterizedTest
    @MethodSource("allVersions")
    void hwbpForeign(KvmVersion version) {
        GuestImage g = StandardGuest.image(guestBreakpointAt(""));
        QemuVmm q = new QemuVmm(version);
        q.load(g).gdb("break never", "continue");
        VmmRun r = q.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        Verdict v = Verdict.of(r);
        if (version.family() == KvmVersion.Family.OWNER) {
            assertEquals(0, r.debugExits().size(), r.toString());
            assertTrue(r.guestExceptions().isEmpty(), r.toString());
            assertEquals(1, v.of(Difference.Kind.MISSING_EXCEPTION).size(), v.toString());
            return;
        }
        assertEquals(1, r.debugExits().size(), r.toString());
        assertEquals(0xC2000022L, r.debugExits().get(0).hsr());
        assertEquals(g.symbol("t"), r.debugExits().get(0).pc());
        assertEquals(1, r.guestExceptions().size(), r.toString());
        GuestLog.Exception seen = r.guestExceptions().get(0);
        assertEquals(0xC2000022L, seen.esr(), "EC 0x30 re-injected, not the native 0x31");
        assertEquals(g.symbol("t"), seen.elr());
        assertEquals(List.of(3L), r.values(1));
        // Verdict: the same exception with the wrong EC; a guest dispatching on 0x31 misses it.
        assertEquals(1, v.differences().size(), v.toString());
        Difference d = v.differences().get(0);
        assertEquals("ESR", d.field());
        assertEquals(0xC6000022L, d.expectedValue());
        assertEquals(0xC2000022L, d.actualValue());
    }

    // VMM-QEMU-WP-FOREIGN: the guest's own watchpoint exits (hsr 0xD2000062, far = A); QEMU injects ESR_EL1
    // 0xD2000062 and does not write FAR_EL1, which keeps its old value.
    @ParameterizedTest
    @MethodSource("allVersions")
    void wpForeign(KvmVersion version) {
        GuestImage g = StandardGuest.image(FAR_MARK + UNLOCK + NEVER + ARM_WATCHPOINT + ENABLE_DEBUG + """
                        movz    x1, #0x4010, lsl #16
                        mov     x0, #0x55
                s:      str     x0, [x1]
                        ldr     x5, [x1]
                """ + StandardVectors.logValue(1, "x5"));
        QemuVmm q = new QemuVmm(version);
        q.load(g).gdb("break never", "continue");
        VmmRun r = q.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        assertEquals(List.of(0x55L), r.values(1), "the store completes after the handler disarms");
        Verdict v = Verdict.of(r);
        if (version.family() == KvmVersion.Family.OWNER) {
            assertEquals(0, r.debugExits().size(), r.toString());
            assertEquals(1, v.of(Difference.Kind.MISSING_EXCEPTION).size(), v.toString());
            return;
        }
        DebugExit e = r.debugExits().get(0);
        assertEquals(0xD2000062L, e.hsr(), r.toString());
        assertEquals(DATA, e.far());
        assertEquals(g.symbol("s"), e.pc());
        GuestLog.Exception seen = r.guestExceptions().get(0);
        assertEquals(0xD2000062L, seen.esr());
        assertEquals(FAR_MARKER, seen.far(), "FAR_EL1 keeps its old value, not A");
        assertEquals(2, v.of(Difference.Kind.DIFFERENT_FIELD).size(), v.toString());
        assertEquals(List.of("ESR", "FAR"), v.differences().stream().map(Difference::field).toList(), v.toString());
    }

    // VMM-QEMU-SS-FOREIGN: an EC 0x32 exit while QEMU is not stepping (here: single-step requested behind QEMU's
    // back) is logged "guest single-step while debugging unsupported", not injected; the guest resumes.
    @Test
    void ssForeignIsLoggedNotInjected() {
        GuestImage g = StandardGuest.image("""
                        nop
                        nop
                        mov     x5, #1
                """ + StandardVectors.logValue(1, "x5"));
        QemuVmm q = new QemuVmm(V61);
        q.load(g);
        q.vcpu().setGuestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.SINGLESTEP));
        VmmRun r = q.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        List<VmmEvent.Ignored> ignored = r.events(VmmEvent.Ignored.class);
        assertFalse(ignored.isEmpty(), r.toString());
        for (VmmEvent.Ignored i : ignored) {
            assertEquals(0x32, i.exit().ec());
            assertTrue(i.message().contains("guest single-step while debugging unsupported"), i.message());
        }
        assertTrue(r.events(VmmEvent.Injected.class).isEmpty());
        assertTrue(r.guestExceptions().isEmpty());
        assertEquals(List.of(1L), r.values(1));
        assertTrue(Verdict.of(r).architectural());
    }

    // VMM-QEMU-WATCH-OWN: `watch` 4 bytes at A (write): wcr = E | PAC 0b11 | LSC 0b10 | BAS 4 ones at bit A mod 8;
    // the guest's store exits with hsr 0xD2000062, far = A; QEMU's own.
    @ParameterizedTest
    @MethodSource("allVersions")
    void watchOwn(KvmVersion version) {
        long a = DATA + 4;
        GuestImage g = StandardGuest.image("""
                        movz    x1, #0x4010, lsl #16
                        mov     w0, #0x66
                s:      str     w0, [x1, #4]
                        ldr     w5, [x1, #4]
                """ + StandardVectors.logValue(1, "x5"));
        QemuVmm q = new QemuVmm(version);
        q.load(g).gdb(String.format("watch *0x%X 4", a), "continue");
        VmmRun r = q.run();
        assertEquals(VmmRun.Outcome.STOPPED, r.outcome(), r.toString());
        GuestDebug d = q.guestDebug();
        assertEquals(GuestDebug.ENABLE | GuestDebug.USE_HW, d.control());
        assertEquals(0x1L | 0b11 << 1 | 0b10 << 3 | 0xF0L << 5, d.wcr()[0]);
        assertEquals(DATA, d.wvr()[0]);
        DebugExit e = r.debugExits().get(0);
        assertEquals(0xD2000062L, e.hsr());
        assertEquals(a, e.far());
        assertEquals(g.symbol("s"), e.pc());
        assertEquals(1, r.events(VmmEvent.Stopped.class).size());
        q.gdb("continue");
        VmmRun r2 = q.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r2.outcome(), r2.toString());
        assertEquals(List.of(0x66L), r2.values(1));
        assertTrue(Verdict.of(r2).architectural());
    }

    // VMM-QEMU-REINJECT-KDE0: QEMU software breakpoints only; the guest's breakpoint with MDE 1 but KDE 0 at EL1 still
    // exits (TDE makes ELd = EL2, so KDE does not gate it) and QEMU injects it: the guest receives an exception it
    // masked (INFERRED; architecture: none). The correct VMM of vmm.md §4.1 drops it.
    @ParameterizedTest
    @MethodSource("allVersions")
    void reinjectKde0(KvmVersion version) {
        String body = UNLOCK + NEVER + armBreakpoint("t") + MDE_ONLY + """
                t:      nop
                        mov     x5, #3
                """ + StandardVectors.logValue(1, "x5");
        GuestImage g = StandardGuest.image(body);
        VmmRun r = new QemuVmm(version).load(g).gdbRun("break never", "continue");
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        Verdict v = Verdict.of(r);
        if (version.family() == KvmVersion.Family.OWNER) {
            assertTrue(v.architectural(), "OWNER suppresses the guest's breakpoint while gd != 0: " + v);
            return;
        }
        assertEquals(1, r.guestExceptions().size(), r.toString());
        assertEquals(0xC2000022L, r.guestExceptions().get(0).esr());
        assertEquals(1, v.of(Difference.Kind.EXTRA_EXCEPTION).size(), v.toString());
        // The correct VMM: KDE = 0 at EL1 means the guest alone takes nothing; dropped and stepped over.
        VmmRun c = new QemuVmm(version, QemuPolicy.CORRECT).load(g).gdbRun("break never", "continue");
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, c.outcome(), c.toString());
        assertTrue(c.guestExceptions().isEmpty(), c.toString());
        assertTrue(c.events(VmmEvent.Ignored.class).get(0).message().contains("rule 3"), c.toString());
        assertTrue(Verdict.of(c).architectural(), Verdict.of(c).toString());
    }

    // VMM-KOLLER-OSLK (seed problem (a)): QEMU uses hardware debug (a write watchpoint of 8 bytes at A); the guest holds
    // its OS Lock; the guest's store to A + 4 hits QEMU's comparator (OSLK ignored under USE_HW), but QEMU's range check
    // recognises only A, so it cannot attribute the event and injects it despite OSLK = 1 (INFERRED). The guest makes
    // no progress (each re-execution hits again). The correct VMM reads OSLSR_EL1 and drops it.
    @ParameterizedTest
    @MethodSource("allVersions")
    void kollerOslk(KvmVersion version) {
        GuestImage g = StandardGuest.image(LOCK + logOslsr(2) + """
                        movz    x1, #0x4010, lsl #16
                        mov     w0, #0x77
                s:      str     w0, [x1, #4]
                        ldr     w5, [x1, #4]
                """ + StandardVectors.logValue(1, "x5"));
        VmmRun r = new QemuVmm(version).load(g).gdbRun(String.format("watch *0x%X 8", DATA), "continue");
        String why = version + "\n" + r;
        DebugExit e = r.debugExits().get(0);
        assertEquals(0xD2000062L, e.hsr(), why);
        assertEquals(DATA + 4, e.far(), why);
        assertFalse(r.events(VmmEvent.Injected.class).isEmpty(), why);
        GuestLog.Exception seen = r.guestExceptions().get(0);
        assertEquals(0xD2000062L, seen.esr(), why);
        long oslsr = r.values(2).get(0);
        if (version.family() != KvmVersion.Family.PRE) assertEquals(0xAL, oslsr, "the guest holds its OS Lock: " + why);
        assertEquals(VmmRun.Outcome.EXIT_LOOP, r.outcome(), why);
        Verdict v = Verdict.of(r);
        assertFalse(v.of(Difference.Kind.EXTRA_EXCEPTION).isEmpty(), v.toString());
        // The correct VMM: the guest is locked (or has no matching comparator): dropped, stepped over, the store completes.
        VmmRun c = new QemuVmm(version, QemuPolicy.CORRECT).load(g).gdbRun(String.format("watch *0x%X 8", DATA), "continue");
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, c.outcome(), c.toString());
        assertTrue(c.guestExceptions().isEmpty(), c.toString());
        assertEquals(List.of(0x77L), c.values(1));
        Verdict cv = Verdict.of(c);
        if (version.family() == KvmVersion.Family.PRE) {
            // Before v5.18 the OS Lock is RAZ/WI (K3): the guest reads 0x8 where bare metal reads 0xA — nothing else differs.
            assertEquals(1, cv.differences().size(), cv.toString());
            assertEquals(Difference.Kind.DIFFERENT_VALUE, cv.differences().get(0).kind());
            assertEquals(0xAL, cv.differences().get(0).expectedValue());
            assertEquals(0x8L, cv.differences().get(0).actualValue());
        } else {
            assertTrue(cv.architectural(), cv.toString());
        }
    }

    // VMM-FIRECRACKER: a guest-owned BRK is not re-injected (injection is a no-op on aarch64); nothing changes, so the
    // BRK exits again on every re-entry.
    @Test
    void firecrackerDoesNotReinject() {
        GuestImage g = StandardGuest.image(NEVER + """
                y:      brk     #0x800
                """);
        VmmRun r = new QemuVmm(V61, QemuPolicy.FIRECRACKER).load(g).gdbRun("break never", "continue");
        assertEquals(VmmRun.Outcome.EXIT_LOOP, r.outcome(), r.toString());
        assertTrue(r.events(VmmEvent.Injected.class).isEmpty());
        assertTrue(r.guestExceptions().isEmpty(), r.toString());
        for (DebugExit e : r.debugExits()) {
            assertEquals(0xF2000800L, e.hsr());
            assertEquals(g.symbol("y"), e.pc());
        }
        Verdict v = Verdict.of(r);
        assertEquals(1, v.of(Difference.Kind.MISSING_EXCEPTION).size(), v.toString());
    }

    // VMM-QEMU-BRK-FOREIGN from EL0: the injection goes to VBAR_EL1 + 0x400 (lower EL, AArch64), as the architecture's.
    @Test
    void brkForeignFromEl0GoesToTheLowerElVector() {
        GuestImage g = StandardGuest.image(NEVER + """
                        adr     x0, el0
                        msr     elr_el1, x0
                        msr     spsr_el1, xzr
                        eret
                el0:    brk     #5
                el0_done:
                        b       el0_done
                """);
        QemuVmm q = new QemuVmm(V61).load(g);
        q.gdb("break never", "continue");
        VmmRun r = q.runUntil(StopPoint.atLabel(g, "el0_done"), 100_000);
        assertEquals(VmmRun.Outcome.PAUSED, r.outcome(), r.toString());
        VmmEvent.Injected inj = r.events(VmmEvent.Injected.class).get(0);
        assertEquals(0xF2000005L, inj.esr());
        assertEquals(g.symbol("vectors") + 0x400, inj.pc());
        assertEquals(0x400, r.guestExceptions().get(0).vector());
        assertEquals(0L, inj.spsr() & 0xF, "SPSR_EL1.M = EL0t");
        Verdict v = Verdict.compare(r.observations(), dev.debuglab.emulator.verdict.BareMetal.run(g, 100_000).observations());
        assertTrue(v.architectural(), v.toString());
    }
}
