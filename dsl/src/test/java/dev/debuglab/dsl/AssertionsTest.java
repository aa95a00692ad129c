package dev.debuglab.dsl;

import static dev.debuglab.dsl.DebugLabAssertions.EL1;
import static dev.debuglab.dsl.DebugLabAssertions.EL2;
import static dev.debuglab.dsl.DebugLabAssertions.VMM;
import static dev.debuglab.dsl.DebugLabAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Failing assertions say what was expected, what happened and the routing inputs. */
class AssertionsTest {
    static final LabRun BRK_61 = Lab.guest().osLock(true).brk(0x42).build().kvm("6.1").qemu().run();

    static String failure(Runnable r) {
        return assertThrows(AssertionError.class, r::run).getMessage();
    }

    @Test
    void wrongElShowsTheRoutingInputs() {
        String m = failure(() -> assertThat(BRK_61).tookAt(EL2));
        assertTrue(m.startsWith("expected an exception taken at EL2, but none was"), m);
        for (String part : new String[] {"Routing inputs:", "ran on: KVM v6.1 + QEMU", "guest setup: osLock(true)", "MDCR_EL2.TDE 0",
                "OSLK 1", "Routing events:", "Guest log:", "ESR 0xF2000042"})
            assertTrue(m.contains(part), part + " in:\n" + m);
    }

    @Test
    void wrongEcListsWhatWasTaken() {
        String m = failure(() -> assertThat(BRK_61).tookAt(EL1).withEc(0x31));
        assertTrue(m.startsWith("expected an exception taken at EL1 with EC 0x31, but the exceptions taken at EL1 were:"), m);
        assertTrue(m.contains("ESR 0xF2000042 (EC 0x3C BRK instruction (AArch64), IL 1, comment #0x42)"), m);
    }

    @Test
    void chainedFiltersNameEveryCondition() {
        String m = failure(() -> assertThat(BRK_61).tookAt(EL1).withEc(0x3C).atPc(0x1234));
        assertTrue(m.startsWith("expected an exception taken at EL1 with EC 0x3C at PC 0x1234"), m);
    }

    @Test
    void otherFailures() {
        assertTrue(failure(() -> assertThat(BRK_61).hasNoGuestExceptions()).contains("took 1"));
        assertTrue(failure(() -> assertThat(BRK_61).isNotArchitectural()).contains("exactly what the architecture shows"));
        assertTrue(failure(() -> assertThat(BRK_61).notGenerated("breakpoint")).contains("every armed event was generated"));
        assertTrue(failure(() -> assertThat(BRK_61).tookAt(VMM)).contains("none was"));
        assertTrue(failure(() -> assertThat(BRK_61).endedWith("STOPPED")).contains("ended with SYSTEM_OFF"));
        assertTrue(failure(() -> assertThat(BRK_61).loggedValue(1, 2)).contains("logged []"));
        assertTrue(failure(() -> assertThat(BRK_61).tookAt(EL1).times(2)).contains("but there were 1"));
        assertTrue(failure(() -> assertThat(null)).contains("null"));
    }

    @Test
    void passingChainsRead() {
        assertThat(BRK_61).endedWith("SYSTEM_OFF").isArchitectural().tookAt(EL1).withEc(0x3C).withEsr(0xF2000042L).withIss(0x42).from(1).times(1);
    }
}
