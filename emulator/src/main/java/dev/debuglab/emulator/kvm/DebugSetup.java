package dev.debuglab.emulator.kvm;

import dev.debuglab.emulator.kvm.KvmEvent.Comparators;

/**
 * The guest-entry debug state one version computes (kvm_arm_setup_debug; kvm.md §4): what the
 * world switch loads before the ERET into the guest. Immutable; an override returns a changed copy
 * (e.g. {@code original.call().withHwMdscr(...)}).
 *
 * @param mdcrEl2           MDCR_EL2 while the guest runs (kvm_arm_setup_mdcr_el2)
 * @param hwMdscr           the MDSCR_EL1 the hardware holds while the guest runs
 * @param guestMdscrSaved   true if the guest's own MDSCR_EL1 was saved and is restored after the
 *                          exit (hardware value differs; guest never sees it)
 * @param pstateSs          PSTATE.SS to enter with (SPSR_EL2.SS), or null for the guest's own
 * @param restoreGuestSs    true if the guest's own PSTATE.SS is saved before entry and restored
 *                          after the exit (v6.1+); false if the entry value simply stays (≤ 6.0)
 * @param comparators       whose comparator values the hardware holds
 * @param debugDirty        the "debug dirty" flag after setup (kvm.md §4.5)
 * @param row               the kvm.md row this is ("M1".."M7", "O1".."O3", "PRE gd=0", ...)
 */
public record DebugSetup(long mdcrEl2, long hwMdscr, boolean guestMdscrSaved, Boolean pstateSs, boolean restoreGuestSs,
                         Comparators comparators, boolean debugDirty, String row) {
    /** This setup with another MDCR_EL2 (what kvm_arm_setup_mdcr_el2 would have computed). */
    public DebugSetup withMdcrEl2(long v) {
        return new DebugSetup(v, hwMdscr, guestMdscrSaved, pstateSs, restoreGuestSs, comparators, debugDirty, row);
    }

    /** This setup with another hardware MDSCR_EL1 (the guest's own is then saved and restored). */
    public DebugSetup withHwMdscr(long v) {
        return new DebugSetup(mdcrEl2, v, true, pstateSs, restoreGuestSs, comparators, debugDirty, row);
    }

    /** This setup with another PSTATE.SS for the ERET (null = the guest's own). */
    public DebugSetup withPstateSs(Boolean ss) {
        return new DebugSetup(mdcrEl2, hwMdscr, guestMdscrSaved, ss, restoreGuestSs, comparators, debugDirty, row);
    }

    /** This setup with other comparators loaded (the debug_ptr / debug owner choice). */
    public DebugSetup withComparators(Comparators c) {
        return new DebugSetup(mdcrEl2, hwMdscr, guestMdscrSaved, pstateSs, restoreGuestSs, c, debugDirty, row);
    }

    /** This setup under another row name (for the trace). */
    public DebugSetup withRow(String r) {
        return new DebugSetup(mdcrEl2, hwMdscr, guestMdscrSaved, pstateSs, restoreGuestSs, comparators, debugDirty, r);
    }
}
