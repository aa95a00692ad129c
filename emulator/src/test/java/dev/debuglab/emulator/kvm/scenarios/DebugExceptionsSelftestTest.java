package dev.debuglab.emulator.kvm.scenarios;

import static dev.debuglab.emulator.kvm.scenarios.Observations.family;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debuglab.emulator.kvm.GuestDebug;
import dev.debuglab.emulator.kvm.scenarios.Observations.Family;
import dev.debuglab.emulator.kvm.scenarios.SelftestGuest.Row;
import dev.debuglab.emulator.kvm.scenarios.SelftestGuest.Ucall;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * scenarios.md B.3, KVM's selftest {@code debug-exceptions} (guest at EL1, fresh VM per run), in
 * the selftest's own shape: the guest asserts (GUEST_ASSERT_EQ) and reports through ucalls; the
 * test checks the outcome the table gives per family — DONE, or the abort the table names
 * (PRE "aborts at the OSLSR assert", V2 "fails: sw_bp stays 0").
 */
class DebugExceptionsSelftestTest {
    /** ID_AA64DFR0_EL1 as a ONE_REG id (op0 3, op1 0, CRn 0, CRm 5, op2 0), read as the selftest's main() does. */
    static final long ID_AA64DFR0_EL1 = 0x603000000013C028L;
    static final String OSLSR_ASSERT = "enable_os_lock: GUEST_ASSERT(read_sysreg(oslsr_el1) & 2)";

    /** How a guest run ended: GUEST_DONE, or an abort with the assertion's text and values. */
    record Outcome(boolean done, String assertion, long actual, long expected) {
        static Outcome of(KvmHarness h, SelftestGuest.Source src) {
            List<Long> abort = h.values(Ucall.ABORT);
            if (!abort.isEmpty())
                return new Outcome(false, src.assertions().get(abort.get(0).intValue()), h.values(Ucall.ACTUAL).get(0),
                        h.values(Ucall.EXPECTED).get(0));
            assertEquals(1, h.values(Ucall.DONE).size(), "[" + h.versionName + "] GUEST_DONE\n" + h.describe());
            return new Outcome(true, "", 0, 0);
        }

        @Override
        public String toString() {
            return done ? "DONE" : String.format("ABORT at \"%s\" (actual 0x%X, expected 0x%X)", assertion, actual, expected);
        }
    }

    /** test_guest_debug_exceptions(bpn, wpn, ctx_bpn) with the given rows of guest_code. */
    static Outcome run(String v, int bpn, int wpn, int ctxBpn, Row... rows) {
        SelftestGuest.Source src = SelftestGuest.guestCode(rows);
        KvmHarness h = KvmHarness.create(v).loadSource(src.text()).arg(0, bpn).arg(1, wpn).arg(2, ctxBpn).run();
        assertEquals(0, h.debugExits.size(), "[" + v + "] no KVM_EXIT_DEBUG with gd = 0\n" + h.describe());
        return Outcome.of(h, src);
    }

    static void assertDone(String v, Outcome o) {
        assertTrue(o.done(), "[" + v + "] expected GUEST_DONE, got " + o);
    }

    static void assertAbort(String v, Outcome o, String assertion, long actual) {
        assertEquals(assertion, o.assertion(), "[" + v + "] " + o);
        assertEquals(actual, o.actual(), "[" + v + "] " + o);
    }

    /** An OS-lock row: PRE (OSLSR_EL1 RAZ) aborts at enable_os_lock's assert with 0x8; every other family passes. */
    static void assertDoneUnlessPre(String v, Outcome o) {
        if (family(v) == Family.PRE) assertAbort(v, o, OSLSR_ASSERT, 0x8);
        else assertDone(v, o);
    }

    // --- one row per VM (bpn 0, wpn 0, ctx_bpn 4: the first triple of the loop) -------------------

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_SWBP(String v) {
        // Row KVMST-SWBP: BRK #0 with MDSCR = 0, D masked — sw_bp = the BRK in every family (BRK is never gated).
        assertDone(v, run(v, 0, 0, 4, Row.SWBP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_HWBP(String v) {
        // Row KVMST-HWBP: breakpoint on a NOP — hw_bp = NOP.
        assertDone(v, run(v, 0, 0, 4, Row.HWBP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_BP_SVC(String v) {
        // Row KVMST-BP-SVC: breakpoint on SVC #0 — hw_bp = SVC; svc = SVC + 4.
        assertDone(v, run(v, 0, 0, 4, Row.BP_SVC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_BP_BRK(String v) {
        // Row KVMST-BP-BRK: breakpoint on BRK #0 — hw_bp = sw_bp = BRK.
        assertDone(v, run(v, 0, 0, 4, Row.BP_BRK));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_WP(String v) {
        // Row KVMST-WP: WCR_S on write_data; store 'x' — wp_data = &write_data; value 'x'.
        assertDone(v, run(v, 0, 0, 4, Row.WP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_SS(String v) {
        // Row KVMST-SS: ARCH-SS-SELFTEST — ss_addr = ss_start, +4, +8 (fewer than 4 steps before the index reset).
        assertDone(v, run(v, 0, 0, 4, Row.SS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_OSLK_BRK(String v) {
        // Row KVMST-OSLK-BRK: lock, BRK #0 — passes on MERGED/OWNER; PRE aborts at the OSLSR assert; V2 fails with sw_bp 0 (BRK skipped, K4).
        Outcome o = run(v, 0, 0, 4, Row.OSLK_BRK);
        switch (family(v)) {
            case PRE -> assertAbort(v, o, OSLSR_ASSERT, 0x8);
            case V2 -> assertAbort(v, o, "KVMST-OSLK-BRK: sw_bp_addr == PC(sw_bp2)", 0);
            case MERGED, OWNER -> assertDone(v, o);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_OSLK_HWBP(String v) {
        // Row KVMST-OSLK-HWBP: lock, then install a breakpoint — hw_bp stays 0; PRE aborts at the OSLSR assert.
        assertDoneUnlessPre(v, run(v, 0, 0, 4, Row.OSLK_HWBP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_OSLK_WP(String v) {
        // Row KVMST-OSLK-WP: lock, install a watchpoint, store — value written, wp_data stays 0; PRE aborts.
        assertDoneUnlessPre(v, run(v, 0, 0, 4, Row.OSLK_WP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_OSLK_SS(String v) {
        // Row KVMST-OSLK-SS: lock, install_ss, 3 instructions — ss_addr[0] stays 0; PRE aborts.
        assertDoneUnlessPre(v, run(v, 0, 0, 4, Row.OSLK_SS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_HWBP_CTX(String v) {
        // Row KVMST-HWBP-CTX: ARCH-HWBP-CTX (address bp linked to context bp 0xABCDEF) — hw_bp = target.
        assertDone(v, run(v, 0, 0, 4, Row.HWBP_CTX));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_WP_CTX(String v) {
        // Row KVMST-WP-CTX: ARCH-WP-CTX (linked watchpoint) — wp_data = &write_data, value 'x'.
        assertDone(v, run(v, 0, 0, 4, Row.WP_CTX));
    }

    // --- the selftest's loop: the whole guest_code for every (bp, wp, ctx-bp) KVM reports ---------

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_ALL_COMPARATORS(String v) {
        // B.3 loop: b < BRPs+1-(CTX_CMPs+1), w < WRPs+1, c = the context-aware ones: 4 x 4 x 2 = 32 VMs with 6 bps, 4 wps, 2 ctx.
        long dfr0 = KvmHarness.create(v).vcpu.getOneReg(ID_AA64DFR0_EL1);
        int brps = (int) (dfr0 >>> 12 & 0xF) + 1, wrps = (int) (dfr0 >>> 20 & 0xF) + 1, ctx = (int) (dfr0 >>> 28 & 0xF) + 1;
        assertEquals(List.of(6, 4, 2), List.of(brps, wrps, ctx), "[" + v + "] comparators KVM reports (kvm.md §6.1 KVM61-RESET)");
        assertTrue((dfr0 & 0xF) >= 6, "DebugVer >= 6, or the selftest skips");
        int normal = brps - ctx;
        List<String> wrong = new ArrayList<>();
        int vms = 0;
        for (int c = normal; c < normal + ctx; c++) {
            for (int b = 0; b < normal; b++) {
                for (int w = 0; w < wrps; w++) {
                    vms++;
                    Outcome o = run(v, b, w, c, Row.values());
                    boolean ok = switch (family(v)) {
                        case MERGED, OWNER -> o.done();
                        case PRE -> !o.done() && o.assertion().equals(OSLSR_ASSERT) && o.actual() == 0x8;
                        case V2 -> !o.done() && o.assertion().equals("KVMST-OSLK-BRK: sw_bp_addr == PC(sw_bp2)") && o.actual() == 0;
                    };
                    if (!ok) wrong.add(String.format("bpn %d wpn %d ctx_bpn %d: %s", b, w, c, o));
                }
            }
        }
        assertEquals(32, vms);
        assertEquals(List.of(), wrong, "[" + v + "] runs whose outcome differs from the B.3 column");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.18", "6.1"})
    void KVMST_518_ERA_COPY(String v) {
        // B.3 note: the 5.18-era copy uses only slot 0 and has no linked or userspace-step rows — its rows pass on MERGED.
        assertDone(v, run(v, 0, 0, 4, Row.SWBP, Row.HWBP, Row.BP_SVC, Row.BP_BRK, Row.WP, Row.SS, Row.OSLK_BRK, Row.OSLK_HWBP,
                Row.OSLK_WP, Row.OSLK_SS));
    }

    // --- KVMST-USER-SS: test_single_step_from_userspace ----------------------------------------------

    /** The selftest's default iteration count (about 2-3 s per version here). */
    static final int USER_SS_ITERATIONS = 10_000;

    /** The selftest's userspace loop; returns the number of KVM_EXIT_DEBUG exits. */
    static int userSingleStep(String v, int iterations) {
        SelftestGuest.Source src = SelftestGuest.guestCodeSs();
        KvmHarness h = KvmHarness.create(v).loadSource(src.text()).arg(0, iterations);
        long begin = h.sym("iter_ss_begin"), end = h.sym("iter_ss_end");
        boolean[] ssEnable = {false};
        long[] testPc = {0};
        h.onLog((hh, entry) -> {
            if (entry instanceof dev.debuglab.emulator.guest.GuestLog.Value val && val.tag() == Ucall.NONE) {
                hh.guestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.SINGLESTEP));
                ssEnable[0] = true;
            }
        });
        h.onDebug((hh, e) -> {
            if (!ssEnable[0]) fail("[" + v + "] Unexpected KVM_EXIT_DEBUG " + e);
            long pc = e.pc();
            if (testPc[0] != 0 && pc != testPc[0])
                fail(String.format("[%s] Unexpected pc 0x%X (expected 0x%X)%n%s", v, pc, testPc[0], hh.describe()));
            if (pc + 4 == end) {
                testPc[0] = 0;
                hh.guestDebug(GuestDebug.of(GuestDebug.ENABLE));
                ssEnable[0] = false;
                return;
            }
            testPc[0] = pc >= begin && pc < end ? pc + 4 : 0;
        });
        h.run();
        Outcome o = Outcome.of(h, src);
        assertTrue(o.done(), "[" + v + "] " + o);
        for (var e : h.debugExits) {
            assertEquals(0x32, e.ec(), "[" + v + "] every debug exit is a software step: " + e);
            assertTrue(e.pc() >= begin && e.pc() < end, "[" + v + "] stepping stops at the window end: " + e);
        }
        return h.debugExits.size();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVMST_USER_SS(String v) {
        // Row KVMST-USER-SS: userspace single-step of a 5-instruction window per iteration; PC advances by 4; guest reads back i<<2.
        int exits = userSingleStep(v, USER_SS_ITERATIONS);
        assertTrue(exits >= USER_SS_ITERATIONS, "[" + v + "] each iteration is stepped: " + exits + " exits");
    }
}
