package dev.debuglab.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A sweep of the configuration space; the architecture column checked against the Arm ARM's enable rule. */
class SweepTest {

    /**
     * The architecture, written from the Arm ARM (D2.4 routing, D2.5 AArch64.GenerateDebugExceptionsFrom, D2.8 BRK),
     * not from the emulator: what a guest at EL1 sees for each event kind.
     */
    static String rule(SweepResult.Cell c) {
        boolean oslk = c.get("OSLK").equals("1"), dlk = c.get("DLK").equals("1"), kde = c.get("KDE").equals("1"),
                mde = c.get("MDE").equals("1"), d = c.get("PSTATE.D").equals("1"), tde = c.get("TDE").equals("1");
        // MDCR_EL2.TDE = 1 makes TDA and TDOSA behave as 1 (Arm ARM, MDCR_EL2.TDE: "TDA, TDOSA and TDRA are treated as 1"): the guest's first
        // debug register write (OSLAR_EL1, which every cell's guest makes) traps to EL2 as EC 0x18, before any event.
        if (tde) return "0x18@EL2";
        int elD = 1;
        // BRK: always generated, routed to ELd (TDE routes it to EL2).
        if (c.get("event").equals("BRK")) return "0x3C@EL1";
        boolean enabled = !oslk && !dlk && (1 < elD || kde && !d);
        String same = elD == 1 ? "@EL1" : "@EL2";
        return switch (c.get("event")) {
            case "HW_BREAKPOINT" -> enabled && mde ? (elD == 1 ? "0x31" : "0x30") + same : "none";
            case "WATCHPOINT" -> enabled && mde ? (elD == 1 ? "0x35" : "0x34") + same : "none";
            case "SINGLE_STEP" -> enabled ? (elD == 1 ? "0x33" : "0x32") + same : "none";
            default -> throw new AssertionError(c.get("event"));
        };
    }

    @Test
    void sweepOfMoreThanAThousandCells() {
        AtomicInteger last = new AtomicInteger();
        Sweep s = Lab.sweep().oslk(false, true).dlk(false, true).kde(false, true).mde(false, true).pstateD(false, true).tde(false, true)
                .events(Sweep.Event.values()).guestDebug("none", "hbreak").versions("bare", "5.15", "v2", "6.1", "6.14")
                .onProgress((done, total) -> last.accumulateAndGet(done, Math::max));
        assertEquals(32 * 2 * 4 + 32 * 4 * 2 * 4, s.size());
        SweepResult r = s.run();
        assertTrue(r.size() >= 1000, "cells: " + r.size());
        assertEquals(r.size(), last.get(), "progress reached the total");
        for (SweepResult.Cell c : r.cells()) {
            String expected = rule(c.get("version").equals("bare") ? c : withTde0(c));
            assertEquals(expected, c.architecture(), "architecture column at " + c.point());
            if (c.get("version").equals("bare")) assertEquals(c.architecture(), c.outcome(), "bare metal is the architecture: " + c.point());
        }
        // 6.1 with no userspace debugging runs the guest's own debugging architecturally (kvm.md: the merged OS Lock) —
        // except the OS Double Lock: OSDLR_EL1 is RAZ/WI in every family (kvm.md §3 table), so DLK = 1 changes nothing
        // and a breakpoint the architecture suppresses is delivered.
        for (SweepResult.Cell c : r.where("version", "6.1")) {
            if (!c.get("guest_debug").equals("none")) continue;
            if (c.get("DLK").equals("0")) assertTrue(!c.differs(), "6.1 should be architectural: " + c);
            else if (c.get("OSLK").equals("0") && c.get("event").equals("HW_BREAKPOINT") && c.get("MDE").equals("1") && c.get("KDE").equals("1")
                    && c.get("PSTATE.D").equals("0")) {
                assertEquals("none", c.architecture());
                assertEquals("0x31@EL1", c.outcome(), "the double lock is RAZ/WI under KVM: " + c);
            }
        }
        // 5.15 delivers a breakpoint the guest armed under its lock (the lock is RAZ/WI there): a difference.
        SweepResult.Cell pre = r.cells().stream().filter(c -> c.get("version").equals("5.15") && c.get("guest_debug").equals("none")
                && c.get("event").equals("HW_BREAKPOINT") && c.get("OSLK").equals("1") && c.get("DLK").equals("0") && c.get("KDE").equals("1")
                && c.get("MDE").equals("1") && c.get("PSTATE.D").equals("0")).findFirst().orElseThrow();
        assertTrue(pre.differs(), pre.toString());
        assertEquals("0x31@EL1", pre.outcome());
        // hbreak cells: the VMM's own stops are listed apart and do not count as differences.
        assertTrue(r.cells().stream().anyMatch(c -> c.get("guest_debug").equals("hbreak") && c.vmm().contains("0x30")));
        String text = r.toString();
        assertTrue(text.contains("!!") && text.contains("differ from the architecture"), text.substring(0, 300));
    }

    private static SweepResult.Cell withTde0(SweepResult.Cell c) {
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>(c.point());
        p.put("TDE", "0");
        return new SweepResult.Cell(p, c.architecture(), c.outcome());
    }

    @Test
    void aSmallSweepOnOneThread() {
        SweepResult r = Lab.sweep().oslk(false, true).events(Sweep.Event.HW_BREAKPOINT).versions("bare").parallelism(1).run();
        assertEquals(2, r.size());
        assertEquals("0x31@EL1", r.where("OSLK", "0").get(0).outcome());
        assertEquals("none", r.where("OSLK", "1").get(0).outcome());
    }
}
