package dev.debuglab.emulator.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.vmm.StandardGuest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict's alignment and its reference side (bare metal at EL1). */
class VerdictTest {
    static GuestLog.Exception ex(long esr, long elr, long far) {
        return new GuestLog.Exception(0x200, esr, elr, far, 0x3C5);
    }

    @Test
    void bareMetalRunsTheStandardGuestAndLogsTheBrk() {
        // ARCH-BRK-OSLK: BRK is never gated, also at cold reset with the OS Lock locked.
        BareMetal.Result r = BareMetal.run(StandardGuest.assemble("""
                        brk     #0x42
                        mrs     x5, oslsr_el1
                """ + dev.debuglab.emulator.guest.StandardVectors.logValue(1, "x5")));
        assertTrue(r.completed(), r.toString());
        assertEquals(2, r.observations().size(), r.toString());
        assertEquals(0xF2000042L, ((GuestLog.Exception) r.observations().get(0)).esr());
        assertEquals(new GuestLog.Value(1, 0xA), r.observations().get(1), "cold reset: OSLK = 1");
    }

    @Test
    void identicalLogsAreArchitectural() {
        List<GuestLog.Entry> log = List.of(ex(0xF2000000L, 0x40000010L, 0), new GuestLog.Value(1, 8));
        Verdict v = Verdict.compare(log, log);
        assertTrue(v.architectural(), v.toString());
        assertTrue(v.toString().contains("no difference"));
    }

    @Test
    void missingExtraAndDifferentFieldsAreReported() {
        List<GuestLog.Entry> bare = List.of(ex(0xC6000022L, 0x40000100L, 5), ex(0xD6000062L, 0x40000200L, 0x40100000L),
                new GuestLog.Value(1, 0xA));
        List<GuestLog.Entry> kvm = List.of(ex(0xC2000022L, 0x40000100L, 5), new GuestLog.Value(1, 0x8),
                ex(0xF2000000L, 0x40000300L, 0));
        Verdict v = Verdict.compare(kvm, bare);
        assertFalse(v.architectural());
        assertEquals(1, v.of(Difference.Kind.DIFFERENT_FIELD).size(), v.toString());
        Difference esr = v.of(Difference.Kind.DIFFERENT_FIELD).get(0);
        assertEquals("ESR", esr.field());
        assertEquals(0xC6000022L, esr.expectedValue());
        assertEquals(0xC2000022L, esr.actualValue());
        assertEquals(1, v.of(Difference.Kind.MISSING_EXCEPTION).size(), v.toString());
        assertEquals(0x40000200L, ((GuestLog.Exception) v.of(Difference.Kind.MISSING_EXCEPTION).get(0).expected()).elr());
        assertEquals(1, v.of(Difference.Kind.DIFFERENT_VALUE).size());
        assertEquals(1, v.of(Difference.Kind.EXTRA_EXCEPTION).size());
        assertTrue(v.toString().contains("EC 0x31"), v.toString());
        assertTrue(v.toString().contains("EC 0x30"), v.toString());
    }
}
