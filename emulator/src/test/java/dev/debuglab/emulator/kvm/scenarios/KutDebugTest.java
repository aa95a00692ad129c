package dev.debuglab.emulator.kvm.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.kvm.scenarios.SelftestGuest.Ucall;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * scenarios.md B.4, kvm-unit-tests {@code arm/debug} (guest at EL1, fresh VM per test). These
 * tests never enable or read the OS Lock and start by clearing OSDLR and OSLAR, so every family
 * gives the architectural result (B.4 "(all)"); they run against each family's version.
 */
class KutDebugTest {
    static final long BP_SAME = 0xC6000022L, WP_SAME_W = 0xD6000062L, SS_SAME_NOISV = 0xCE000022L;

    static KvmHarness run(String v, SelftestGuest.Source src) {
        KvmHarness h = KvmHarness.create(v).loadSource(src.text()).run();
        assertTrue(h.values(Ucall.ABORT).isEmpty(), "[" + v + "] guest aborted\n" + h.describe());
        assertEquals(1, h.values(Ucall.DONE).size(), "[" + v + "] GUEST_DONE\n" + h.describe());
        assertEquals(0, h.debugExits.size(), "[" + v + "] no KVM_EXIT_DEBUG\n" + h.describe());
        return h;
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KUT_DEBUG_BP(String v) {
        // Row KUT-DEBUG-BP (ARCH-HWBP-ALL): N = BRPs + 1 = 6 breakpoints on h + 4i; exactly N hits, the i-th at h + 4i.
        KvmHarness h = run(v, SelftestGuest.kutBp());
        List<GuestLog.Exception> e = h.exceptions();
        assertEquals(6, e.size(), "[" + v + "] \"hw breakpoint: i\" reports\n" + h.describe());
        for (int i = 0; i < 6; i++) {
            assertEquals(BP_SAME, e.get(i).esr(), "[" + v + "] hit " + i);
            assertEquals(h.sym("h") + 4L * i, e.get(i).elr(), "[" + v + "] hit " + i + " at h + 4i");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KUT_DEBUG_WP(String v) {
        // Row KUT-DEBUG-WP (ARCH-WP-ALL): M = WRPs + 1 = 4 watchpoints on &w[i]; the i-th hit has FAR = &w[i]; afterwards w[i] == i.
        KvmHarness h = run(v, SelftestGuest.kutWp());
        List<GuestLog.Exception> e = h.exceptions();
        assertEquals(4, e.size(), "[" + v + "] \"watchpoint received: i\" reports\n" + h.describe());
        for (int i = 0; i < 4; i++) {
            assertEquals(WP_SAME_W, e.get(i).esr(), "[" + v + "] hit " + i);
            assertEquals(h.sym("kut_w") + i, e.get(i).far(), "[" + v + "] FAR of hit " + i + " = &w[i]");
            assertEquals(List.of((long) i), h.values(0x100 + i), "[" + v + "] \"watchpoint data: " + i + "\"");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KUT_DEBUG_SSTEP(String v) {
        // Row KUT-DEBUG-SSTEP (ARCH-SS-KUT): MDSCR.SS set with D masked, then DAIFClr #8 — first step at ss_start with ISV 0.
        KvmHarness h = run(v, SelftestGuest.kutSstep());
        GuestLog.Exception first = h.exceptions().get(0);
        assertEquals(SS_SAME_NOISV, first.esr(), "[" + v + "] first step exception\n" + h.describe());
        assertEquals(h.sym("ss_start"), first.elr(), "[" + v + "] first step at ss_start");
    }
}
