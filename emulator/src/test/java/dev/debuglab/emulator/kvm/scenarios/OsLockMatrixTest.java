package dev.debuglab.emulator.kvm.scenarios;

import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_AFTER;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_DBGPRCR;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_MEM;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_OSDLR;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_OSLSR;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.WATCHED;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.WATCHED_HW;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.expectErrno;
import static dev.debuglab.emulator.kvm.scenarios.Observations.family;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.kvm.Errno;
import dev.debuglab.emulator.kvm.scenarios.KvmHarness.DebugExit;
import dev.debuglab.emulator.kvm.scenarios.Observations.Family;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * scenarios.md B.1, the OS Lock matrix: every row against the four family columns — PRE = "5.15",
 * V2 = "v2", MERGED = "6.1" (and "5.18" where the single-step sub-variant does not matter),
 * OWNER = "6.14". The numbers are the table's, written here literally; counts are guest exceptions
 * (at the guest's vectors, from its log) and KVM_EXIT_DEBUG exits.
 */
class OsLockMatrixTest {
    static final long OSLSR_ID = 0x603000000013808CL;
    static final long BRK42 = 0xF2000042L, BP_SAME = 0xC6000022L, BP_LOWER = 0xC2000022L, WP_SAME_W = 0xD6000062L,
            WP_LOWER_W = 0xD2000062L, SS_SAME = 0xCF000022L, SS_LOWER_NOISV = 0xCA000022L, SS_LOWER = 0xCB000022L,
            SWBP77 = 0xF2000077L;

    static void exceptions(KvmHarness h, int expected, List<GuestLog.Exception> got, String what) {
        assertEquals(expected, got.size(), "[" + h.versionName + "] " + what + "\n" + h.describe());
    }

    static void exits(KvmHarness h, int expected) {
        assertEquals(expected, h.debugExits.size(), "[" + h.versionName + "] KVM_EXIT_DEBUG exits\n" + h.describe());
    }

    static void taken(KvmHarness h, GuestLog.Exception e, long esr, long elr) {
        assertEquals(esr, e.esr(), "[" + h.versionName + "] ESR of " + e + "\n" + h.describe());
        assertEquals(elr, e.elr(), "[" + h.versionName + "] ELR of " + e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_RESET(String v) {
        // Row KVM-RESET: fresh vCPU; userspace GET of OSLSR_EL1, then the guest's first MRS OSLSR_EL1 (kvm.md §3 reset).
        KvmHarness h = KvmHarness.create(v);
        switch (family(v)) {
            case PRE -> expectErrno(Errno.ENOENT, () -> h.vcpu.getOneReg(OSLSR_ID)); // INFERRED in the spec (§8 item 1)
            case V2 -> assertEquals(0xA, h.vcpu.getOneReg(OSLSR_ID));
            case MERGED, OWNER -> assertEquals(0x8, h.vcpu.getOneReg(OSLSR_ID));
        }
        Observations.resetReads(h);
        assertEquals(family(v) == Family.V2 ? 0xA : 0x8, h.values(TAG_OSLSR).get(0), h.describe());
        exceptions(h, 0, h.exceptions(), "guest exceptions");
        exits(h, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_OSLAR(String v) {
        // Row KVM-OSLAR: guest OSLAR = 1 then reads OSLSR — PRE ignores the write (RAZ/WI), the others set OSLK.
        KvmHarness h = Observations.oslarBits(v);
        assertEquals(family(v) == Family.PRE ? 0x8 : 0xA, h.values(TAG_OSLSR).get(0), h.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_BRK_OSLK(String v) {
        // Row KVM-BRK-OSLK: gd = 0; OSLK = 1; BRK #0x42 — delivered except by the v2 patch, which consumes it (kvm.md §4.2 rule 5, K4).
        KvmHarness h = Observations.brkOslk(v);
        List<GuestLog.Exception> locked = h.phases().get(0);
        if (family(v) == Family.V2) {
            exceptions(h, 0, locked, "guest exceptions while locked");
            assertEquals(1, h.values(TAG_AFTER).size(), "KVM skipped the BRK (PC += 4) and the guest went on\n" + h.describe());
            assertEquals(1, h.hostWarnings(), "host warns once\n" + h.describe());
        } else {
            exceptions(h, 1, locked, "guest exceptions while locked");
            taken(h, locked.get(0), BRK42, h.sym("b1"));
        }
        exits(h, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_HWBP_OSLK(String v) {
        // Row KVM-HWBP-OSLK: gd = 0; OSLK = 1; guest breakpoint (BCR_A); unlock; call again — PRE ignores the lock.
        KvmHarness h = Observations.hwbpOslk(v, true);
        List<GuestLog.Exception> locked = h.phases().get(0), unlocked = h.phases().get(1);
        if (family(v) == Family.PRE) {
            exceptions(h, 1, locked, "first call (lock ignored)");
            taken(h, locked.get(0), BP_SAME, h.sym("t"));
            exceptions(h, 0, unlocked, "second call (the standard handler disarmed breakpoint 0 at the first hit)");
        } else {
            exceptions(h, 0, locked, "first call, locked");
            exceptions(h, 1, unlocked, "second call, unlocked");
            taken(h, unlocked.get(0), BP_SAME, h.sym("t"));
        }
        exits(h, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_WP_OSLK(String v) {
        // Row KVM-WP-OSLK: gd = 0; OSLK = 1; WCR_ST at 0x40100000; store; unlock; store — PRE ignores the lock.
        KvmHarness h = Observations.wpOslk(v, true);
        List<GuestLog.Exception> locked = h.phases().get(0), unlocked = h.phases().get(1);
        assertEquals(List.of(0x1111L, 0x2222L), h.values(TAG_MEM), "both stores complete\n" + h.describe());
        GuestLog.Exception hit;
        if (family(v) == Family.PRE) {
            exceptions(h, 1, locked, "first store (lock ignored)");
            hit = locked.get(0);
            taken(h, hit, WP_SAME_W, h.sym("st1"));
        } else {
            exceptions(h, 0, locked, "first store, locked (store completes)");
            exceptions(h, 1, unlocked, "second store, unlocked");
            hit = unlocked.get(0);
            taken(h, hit, WP_SAME_W, h.sym("st2"));
        }
        assertEquals(WATCHED, hit.far(), "FAR 0x40100000");
        exits(h, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_SS_OSLK(String v) {
        // Row KVM-SS-OSLK: gd = 0; OSLK = 1; ARCH-SS-ERET; unlock; repeat — PRE steps 4 on the first run.
        KvmHarness h = Observations.ssOslk(v, true, true);
        List<GuestLog.Exception> locked = h.phases().get(0), unlocked = h.phases().get(1);
        exceptions(h, family(v) == Family.PRE ? 4 : 0, locked, "step exceptions of the locked run");
        long r1 = h.sym("r1"), r2 = h.sym("r2");
        for (int i = 0; i < locked.size(); i++) taken(h, locked.get(i), SS_SAME, r1 + 4L * (i + 1));
        exceptions(h, 4, unlocked, "step exceptions of the unlocked run");
        for (int i = 0; i < 4; i++) taken(h, unlocked.get(i), SS_SAME, r2 + 4L * (i + 1));
        exits(h, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_USEHW_OSLK(String v) {
        // Row KVM-USEHW-OSLK: ENABLE|USE_HW, VMM bp on f and wp on 0x40100100: 2 exits for either OSLK value (§4.3 M7, rule 3).
        for (boolean locked : new boolean[] {false, true}) {
            KvmHarness h = Observations.useHwOslk(v, locked);
            exits(h, 2);
            DebugExit bp = h.debugExits.get(0), wp = h.debugExits.get(1);
            assertEquals(BP_LOWER, bp.hsr(), "exit 1 hsr\n" + h.describe());
            assertEquals(h.sym("f"), bp.pc(), "exit 1 PC = f");
            assertEquals(WP_LOWER_W, wp.hsr(), "exit 2 hsr\n" + h.describe());
            assertEquals(WATCHED_HW, wp.far(), "exit 2 far = 0x40100100");
            assertEquals(h.sym("st"), wp.pc(), "exit 2 PC = the STR");
            // MERGED column (observed): far untouched on the breakpoint exit; flags 0x1, hsr_high 0. Every column: far is
            // written only for EC 0x34, and flags bit 0 exists from v5.19 (kvm.md §1.2, §0 sub-variants).
            assertEquals(bp.farBefore(), bp.far(), "exit 1 leaves far untouched (stale union bytes)");
            int flags = Observations.hsrHighValid(v) ? 0x1 : 0;
            assertEquals(flags, bp.flags(), "run->flags");
            assertEquals(flags, wp.flags(), "run->flags");
            assertEquals(0, bp.hsrHigh());
            assertEquals(0, wp.hsrHigh());
            exceptions(h, 0, h.exceptions(), "guest exceptions (OSLK " + (locked ? 1 : 0) + ")");
            assertEquals(List.of(0x3333L), h.values(TAG_MEM), "the store completes after the VMM drops its watchpoint");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_SWBP_OSLK(String v) {
        // Row KVM-SWBP-OSLK: ENABLE|USE_SW_BP; guest BRK #0x77 exits with PC = the BRK, for either OSLK value (kvm.md §5).
        for (boolean locked : new boolean[] {false, true}) {
            KvmHarness h = Observations.swbpOslk(v, locked);
            exits(h, 1);
            DebugExit e = h.debugExits.get(0);
            assertEquals(SWBP77, e.hsr(), h.describe());
            assertEquals(h.sym("b77"), e.pc(), "PC = BRK (not advanced)");
            assertEquals(e.farBefore(), e.far(), "far not written");
            assertEquals(Observations.hsrHighValid(v) ? 0x1 : 0, e.flags(), "run->flags (bit 0 from v5.19)");
            exceptions(h, 0, h.exceptions(), "guest exceptions");
            assertEquals(1, h.values(TAG_AFTER).size(), "the guest went on after the VMM's PC += 4");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "6.1", "6.14"})
    void KVM_HOSTSS_OSLK(String v) {
        // Row KVM-HOSTSS-OSLK: SINGLESTEP set during an MMIO exit, then 6 NOPs: 7 exits whatever OSLK (rule 3; §4.6).
        for (boolean locked : new boolean[] {false, true}) {
            KvmHarness h = Observations.hostSsOslk(v, locked);
            // 7 exits in every column; INFERRED for PRE, V2 and OWNER, observed for MERGED.
            exits(h, 7);
            for (DebugExit e : h.debugExits) assertEquals(0x32, e.ec(), "EC 0x32\n" + h.describe());
            if (family(v) == Family.MERGED) {
                long n1 = h.sym("n1");
                assertEquals(SS_LOWER_NOISV, h.debugExits.get(0).hsr(), "#1 hsr (ISV 0: the emulated store counted as stepped)");
                assertEquals(n1, h.debugExits.get(0).pc(), "#1 at the first NOP");
                for (int i = 1; i < 7; i++) {
                    assertEquals(SS_LOWER, h.debugExits.get(i).hsr(), "#" + (i + 1) + " hsr\n" + h.describe());
                    assertEquals(n1 + 4L * i, h.debugExits.get(i).pc(), "#" + (i + 1) + " PC");
                }
            }
            exceptions(h, 0, h.exceptions(), "guest exceptions");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_SWBP_GUESTBP(String v) {
        // Row KVM-SWBP-GUESTBP: ENABLE|USE_SW_BP; OSLK = 0; guest breakpoint — TDE takes it to userspace, except OWNER suppresses it (§4.4 O3).
        KvmHarness h = Observations.swbpGuestBp(v, false);
        if (family(v) == Family.OWNER) {
            exits(h, 0);
            exceptions(h, 0, h.exceptions(), "guest exceptions (breakpoint suppressed while gd != 0)");
        } else {
            exits(h, 1);
            assertEquals(BP_LOWER, h.debugExits.get(0).hsr(), h.describe());
            assertEquals(h.sym("t"), h.debugExits.get(0).pc(), "exit at the target");
            exceptions(h, 1, h.exceptions(), "after gd = 0 the still-armed breakpoint reaches the guest");
            taken(h, h.exceptions().get(0), BP_SAME, h.sym("t"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_SWBP_GUESTBP_OSLK(String v) {
        // Row KVM-SWBP-GUESTBP-OSLK: as above with OSLK = 1 — only PRE (lock ignored) exits; MERGED's 0 is INFERRED (MDE cleared, M4).
        KvmHarness h = Observations.swbpGuestBp(v, true);
        exits(h, family(v) == Family.PRE ? 1 : 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_SWBP_GUESTSS(String v) {
        // Row KVM-SWBP-GUESTSS: ENABLE|USE_SW_BP; guest ARCH-SS-ERET — its own step is dropped, no exit (HW SS = 0, §4.6).
        KvmHarness h = Observations.swbpGuestSs(v);
        exceptions(h, 0, h.exceptions(), "guest step exceptions");
        exits(h, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_GUEST_KDE0_TDE(String v) {
        // Row KVM-GUEST-KDE0-TDE: ENABLE|USE_SW_BP; guest MDE 1, KDE 0 — TDE makes KDE irrelevant (INFERRED for MERGED); OWNER 0.
        KvmHarness h = Observations.guestKde0(v);
        if (family(v) == Family.OWNER) {
            exits(h, 0);
        } else {
            exits(h, 1);
            assertEquals(0x30, h.debugExits.get(0).ec(), h.describe());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_OSDLR(String v) {
        // Row KVM-OSDLR: OSDLR_EL1 is RAZ/WI in every family (K2); the breakpoint still fires.
        KvmHarness h = Observations.osdlr(v, false);
        assertEquals(List.of(0L, 0L), h.values(TAG_OSDLR), "OSDLR reads 0 before and after writing 1\n" + h.describe());
        exceptions(h, 1, h.exceptions(), "guest exceptions");
        taken(h, h.exceptions().get(0), BP_SAME, h.sym("t"));
        exits(h, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_DBGPRCR(String v) {
        // Row KVM-DBGPRCR: RAZ/WI in every family by source; MERGED's observed UNDEF is a host-CPU artefact (kvm.md N3: the model follows the source).
        KvmHarness h = Observations.osdlr(v, true);
        assertEquals(List.of(0L, 0L), h.values(TAG_DBGPRCR), "DBGPRCR reads 0 before and after writing 1\n" + h.describe());
        exceptions(h, 1, h.exceptions(), "no UNDEF: only the breakpoint");
        taken(h, h.exceptions().get(0), BP_SAME, h.sym("t"));
    }
}
