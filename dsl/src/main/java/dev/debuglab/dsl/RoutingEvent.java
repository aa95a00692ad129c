package dev.debuglab.dsl;

import dev.debuglab.emulator.sysreg.RegisterFields.ESR;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import dev.debuglab.emulator.arch.Syndrome;

/**
 * One step of a run's routing story, in order: an exception the guest took at its own vectors, an exit
 * to KVM at EL2, KVM's decision, a KVM_EXIT_* to the VMM, the VMM's decision, or a debug event the
 * architecture (or KVM's debug setup) did not generate, with the reason. Every event carries the PC and
 * exception level it happened at and the lane that handles it; those with a syndrome carry ESR (decoded
 * by {@link Syndrome#describe}), ELR and FAR.
 */
public sealed interface RoutingEvent {
    /** No FAR (the exception does not report one, or it was not written). */
    long NO_FAR = -1L;
    /** No syndrome. */
    long NO_ESR = -1L;

    /** Who handles the event (the lane of the swimlane picture). */
    Lane lane();

    /** The PC the event refers to (the instruction that caused it), or -1 when none (a VMM log line). */
    long pc();

    /** The exception level the event happened at (the guest's EL for guest events, 2 for KVM, -1 for the VMM). */
    int el();

    /** ESR (ESR_EL1 for a guest exception, ESR_EL2 / kvm_run hsr otherwise), or {@link #NO_ESR}. */
    default long esr() {
        return NO_ESR;
    }

    default long elr() {
        return pc();
    }

    /** FAR, or {@link #NO_FAR}. */
    default long far() {
        return NO_FAR;
    }

    default boolean hasSyndrome() {
        return esr() != NO_ESR;
    }

    /** ESR.EC (bits 31:26), or -1 without a syndrome. */
    default int ec() {
        return hasSyndrome() ? (int) ESR.EC.get(esr()) : -1;
    }

    /** ESR.ISS (bits 24:0), or -1 without a syndrome. */
    default int iss() {
        return hasSyndrome() ? (int) (esr() & 0x1FF_FFFF) : -1;
    }

    /** "EC 0x3C BRK instruction (AArch64), IL 1, comment #0x42", or "" without a syndrome. */
    default String esrDecoded() {
        return hasSyndrome() ? dev.debuglab.dsl.render.Esr.decode(esr()) : "";
    }

    /** What happened, in one line of domain notation (no PC/lane: the tables show those). */
    String what();

    /** The line of the story: "0x40000010 EL1 guest EL1: BRK #0x42 taken ...". */
    default String story() {
        return String.format("%-10s  %-4s %-10s %s", pc() < 0 ? "-" : String.format("0x%08X", pc()), el() < 0 ? "-" : "EL" + el(),
                lane().label(this instanceof ExceptionTaken), what()); // an exception taken to EL2 is bare metal's firmware (under KVM: ExitToEl2)
    }

    // --- the events --------------------------------------------------------------------------------------

    /**
     * An exception taken at the guest's own vector table (EL1; from EL0 or EL1), by the architecture or
     * injected by KVM (UNDEF) or the VMM (re-injection shows as {@link VmmDecision} first).
     *
     * @param vector the handler address (VBAR_EL1 + offset)
     */
    record ExceptionTaken(long pc, int fromEl, int toEl, long esr, long elr, long far, long vector) implements RoutingEvent {
        @Override
        public Lane lane() {
            return Lane.ofEl(toEl);
        }

        @Override
        public int el() {
            return fromEl;
        }

        @Override
        public String what() {
            return String.format("exception EL%d->EL%d at vector 0x%X: ESR 0x%08X (%s), ELR 0x%X%s", fromEl, toEl, vector, esr,
                    dev.debuglab.dsl.render.Esr.decode(esr), elr, far == NO_FAR ? "" : String.format(", FAR 0x%X", far));
        }
    }

    /** KVM's world switch into the guest with the debug setup of kvm_arm_setup_debug (the routing inputs KVM chose). */
    record GuestEntry(long pc, String row, boolean tde, boolean tda, boolean tdosa, long hwMdscr, boolean osLocked,
                      String guestDebug, String comparators) implements RoutingEvent {
        @Override
        public Lane lane() {
            return Lane.KVM_EL2;
        }

        @Override
        public int el() {
            return 2;
        }

        @Override
        public String what() {
            return String.format("enter guest (%s): MDCR_EL2.TDE %d TDA %d TDOSA %d, HW MDSCR_EL1 0x%X (MDE %d KDE %d SS %d), "
                            + "OSLK %d, guest_debug %s, comparators %s", row, tde ? 1 : 0, tda ? 1 : 0, tdosa ? 1 : 0, hwMdscr,
                    MDSCR_EL1.MDE.get(hwMdscr), MDSCR_EL1.KDE.get(hwMdscr), MDSCR_EL1.SS.get(hwMdscr), osLocked ? 1 : 0, guestDebug, comparators);
        }
    }

    /** An exception taken to EL2: the exit KVM's handle_exit sees. */
    record ExitToEl2(long pc, int fromEl, long esr, long elr, long far) implements RoutingEvent {
        @Override
        public Lane lane() {
            return Lane.KVM_EL2;
        }

        @Override
        public int el() {
            return fromEl;
        }

        @Override
        public String what() {
            return String.format("exit to KVM (EL2): ESR_EL2 0x%08X (%s), ELR_EL2 0x%X, FAR_EL2 0x%X", esr, dev.debuglab.dsl.render.Esr.decode(esr),
                    elr, far);
        }
    }

    /** What KVM decided for an exit. */
    enum KvmDecisionKind {
        TRAP_EMULATED, TRAP_RAZ_WI, UNDEF_INJECTED, BRK_SKIPPED, DEBUG_EXIT, MMIO, MMIO_COMPLETED, PSCI, INTERNAL_ERROR,
        HOST_WARNING, OVERRIDE_FAILED
    }

    /**
     * KVM's decision, in the kernel's words.
     *
     * @param handler the kernel function (or the overriding variant's step)
     * @param esr     the exit's ESR_EL2 ({@link #NO_ESR} if none)
     */
    record KvmDecision(long pc, KvmDecisionKind kind, String handler, String text, long esr) implements RoutingEvent {
        @Override
        public Lane lane() {
            return Lane.KVM_EL2;
        }

        @Override
        public int el() {
            return 2;
        }

        @Override
        public String what() {
            return "KVM " + kind.name().toLowerCase().replace('_', ' ') + " (" + handler + "): " + text;
        }
    }

    /**
     * KVM_RUN returned to the VMM with {@code exitName} (KVM_EXIT_DEBUG, KVM_EXIT_MMIO, KVM_EXIT_SYSTEM_EVENT, ...).
     *
     * @param esr kvm_run's debug hsr for KVM_EXIT_DEBUG, else {@link #NO_ESR}
     * @param far kvm_run's debug far for a watchpoint, else {@link #NO_FAR}
     */
    record ExitToVmm(long pc, String exitName, String description, long esr, long far) implements RoutingEvent {
        @Override
        public Lane lane() {
            return Lane.VMM;
        }

        @Override
        public int el() {
            return -1;
        }

        @Override
        public String what() {
            return exitName + ": " + description;
        }
    }

    /** What the VMM did with a debug exit. */
    enum VmmDecisionKind {
        /** Its own event: the vCPU stopped for the debugger. */
        OWN_STOP,
        /** Re-injected into the guest at EL1. */
        REINJECTED,
        /** Neither owned nor injected: logged and resumed. */
        IGNORED,
        /** kvmtool: registers dumped, KVM_RUN re-entered. */
        DUMPED,
        /** A line the VMM logged (gdb requests, warnings). */
        LOG,
        /** MMIO to an address without a device. */
        UNASSIGNED_MMIO,
        /** The live state moved to another KVM version. */
        MIGRATED,
        /** The destination refused the live state (QEMU's "error while loading state"): the run stays paused on the source. */
        MIGRATION_FAILED
    }

    /**
     * The VMM's decision.
     *
     * @param esr the syndrome it acted on (the exit's hsr, or the injected ESR_EL1), or {@link #NO_ESR}
     */
    record VmmDecision(long pc, VmmDecisionKind kind, String vmm, String text, long esr, long elr, long far) implements RoutingEvent {
        @Override
        public Lane lane() {
            return Lane.VMM;
        }

        @Override
        public int el() {
            return -1;
        }

        @Override
        public String what() {
            return vmm + " " + kind.name().toLowerCase().replace('_', ' ') + ": " + text;
        }
    }

    /**
     * A debug event the guest (or the VMM) armed that was not generated, and why — by the architecture's
     * enable rule (AArch64.GenerateDebugExceptionsFrom: OS Lock, Double Lock, KDE, PSTATE.D, MDE) under
     * the state the hardware held, or by KVM's debug setup.
     *
     * @param event  what was armed ("hardware breakpoint 0 at `target`")
     * @param reason why it was not generated ("breakpoint suppressed: OSLK = 1")
     */
    record NotGenerated(long pc, int el, String event, String reason) implements RoutingEvent {
        @Override
        public Lane lane() {
            return Lane.ofEl(el);
        }

        @Override
        public String what() {
            return event + " not generated — " + reason;
        }
    }
}
