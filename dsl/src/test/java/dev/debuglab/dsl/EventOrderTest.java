package dev.debuglab.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Events not generated stand in program order, where the PC reached the instruction that would have generated them,
 * with the reason that held then — not at the end of the run with the state the run ended in.
 */
class EventOrderTest {
    static final Function<Guest, LabRun> BARE = g -> g.bareMetal().run();

    static LabRun run(Guest g, String where) {
        return where.equals("bare") ? g.bareMetal().run() : g.kvm(where).qemu().run();
    }

    static int indexOf(LabRun r, Class<? extends RoutingEvent> kind, int ec) {
        List<RoutingEvent> ev = r.events();
        for (int i = 0; i < ev.size(); i++)
            if (kind.isInstance(ev.get(i)) && (ec < 0 || ev.get(i).hasSyndrome() && ev.get(i).ec() == ec)) return i;
        throw new AssertionError("no " + kind.getSimpleName() + (ec >= 0 ? String.format(" with EC 0x%X", ec) : "") + " in\n" + r);
    }

    /**
     * Breakpoint 0 is reached while the OS Lock is set (AArch64.GenerateDebugExceptionsFrom: OSLK = 1 disables it); the
     * guest then unlocks and executes BRK #0x42 (EC 0x3C, never gated). The breakpoint that was not generated comes
     * before the BRK, and its reason is the lock that held when the PC reached it — although the run ends unlocked.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bare", "6.1", "6.14"})
    void blockedBreakpointBeforeBrkIsInProgramOrder(String where) {
        Guest g = Lab.guest().mde(true).kde(true).clearD().osLock(true).hwBreakpoint(0).at("b1").label("b1").nop().osLock(false)
                .label("k").brk(0x42).build();
        LabRun r = run(g, where);
        int ng = indexOf(r, RoutingEvent.NotGenerated.class, -1), brk = indexOf(r, RoutingEvent.ExceptionTaken.class, 0x3C);
        assertTrue(ng < brk, "not generated (#" + (ng + 1) + ") before the BRK (#" + (brk + 1) + "):\n" + r);
        RoutingEvent.NotGenerated n = (RoutingEvent.NotGenerated) r.events().get(ng);
        assertEquals(r.listing().labels().get("b1"), n.pc());
        assertTrue(n.reason().contains("OSLK = 1"), n.reason());
    }

    /** A BRK first, then a breakpoint reached under the lock: the BRK comes first. */
    @ParameterizedTest
    @ValueSource(strings = {"bare", "6.1"})
    void brkBeforeBlockedBreakpoint(String where) {
        Guest g = Lab.guest().mde(true).kde(true).clearD().osLock(true).hwBreakpoint(0).at("b1").brk(0x42).nop().label("b1").nop().build();
        LabRun r = run(g, where);
        int ng = indexOf(r, RoutingEvent.NotGenerated.class, -1), brk = indexOf(r, RoutingEvent.ExceptionTaken.class, 0x3C);
        assertTrue(brk < ng, "BRK (#" + (brk + 1) + ") before the breakpoint not generated (#" + (ng + 1) + "):\n" + r);
    }

    /**
     * Two breakpoints: 0 reached under the lock (not generated), 1 reached after the unlock with MDE/KDE set and D clear
     * (generated, EC 0x31 at EL1); the one not generated comes first, with the lock as its reason.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bare", "6.1"})
    void notGeneratedThenGenerated(String where) {
        Guest g = Lab.guest().mde(true).kde(true).clearD().osLock(true).hwBreakpoint(0).at("b0").hwBreakpoint(1).at("b1")
                .label("b0").nop().osLock(false).label("b1").nop().build();
        LabRun r = run(g, where);
        int ng = indexOf(r, RoutingEvent.NotGenerated.class, -1), hit = indexOf(r, RoutingEvent.ExceptionTaken.class, 0x31);
        assertTrue(ng < hit, "not generated (#" + (ng + 1) + ") before the breakpoint taken (#" + (hit + 1) + "):\n" + r);
        assertTrue(((RoutingEvent.NotGenerated) r.events().get(ng)).reason().contains("OSLK = 1"));
    }

    /** A watchpoint whose store happens under the lock, before a BRK: in order, at the store. */
    @ParameterizedTest
    @ValueSource(strings = {"bare", "6.1"})
    void blockedWatchpointBeforeBrk(String where) {
        Guest g = Lab.guest().mde(true).kde(true).clearD().osLock(true).watchpoint(0).on("buf").store().mov("x1", 5).store("x1", "buf")
                .osLock(false).brk(0x42).data("buf", 0).build();
        LabRun r = run(g, where);
        int ng = indexOf(r, RoutingEvent.NotGenerated.class, -1), brk = indexOf(r, RoutingEvent.ExceptionTaken.class, 0x3C);
        assertTrue(ng < brk, "watchpoint not generated (#" + (ng + 1) + ") before the BRK (#" + (brk + 1) + "):\n" + r);
        assertTrue(((RoutingEvent.NotGenerated) r.events().get(ng)).reason().contains("OSLK = 1"), r.toString());
    }
}
