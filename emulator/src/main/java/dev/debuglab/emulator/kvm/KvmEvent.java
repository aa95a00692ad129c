package dev.debuglab.emulator.kvm;

import dev.debuglab.emulator.arch.Syndrome;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;

/**
 * One step of the routing trace of a vCPU (what the DSL draws as swimlanes): every guest entry
 * with the debug setup the version applied, every exception the guest took itself, every exit to
 * EL2 with its ESR decoded, the handler's decision, and every exit to userspace. Delivered in
 * order to the listeners of {@link Vcpu#addListener}.
 */
public sealed interface KvmEvent {
    /** The version (or variant) name that produced the event. */
    String version();

    /** Whose breakpoint/watchpoint values the hardware holds while the guest runs. */
    enum Comparators {
        /** The guest's own DBGBxR and DBGWxR (loaded because debug is "dirty" / guest-owned). */
        GUEST,
        /** The VMM's, from KVM_SET_GUEST_DEBUG with USE_HW (or OWNER's "external" set). */
        VMM,
        /** Not switched: the host's values stay (guest debug off, accesses trapped). */
        NOT_SWITCHED
    }

    /** KVM_ARM_VCPU_INIT: the vCPU was reset (kvm_reset_vcpu) with this OSLSR_EL1. */
    record VcpuReset(String version, long oslsr) implements KvmEvent {
        @Override
        public String toString() {
            return String.format("[%s] KVM_ARM_VCPU_INIT: vCPU reset, PSTATE 0x3C5, OSLSR_EL1 0x%X", version, oslsr);
        }
    }

    /**
     * World switch into the guest with the debug state of kvm_arm_setup_debug (kvm.md §4).
     *
     * @param row        the kvm.md table row the setup corresponds to ("M3", "O2", ...)
     * @param mdcrEl2    MDCR_EL2 while the guest runs
     * @param hcrEl2     HCR_EL2 while the guest runs
     * @param hwMdscr    the MDSCR_EL1 the hardware holds
     * @param guestMdscr the guest's own MDSCR_EL1 (what it reads)
     * @param pstateSs   PSTATE.SS the guest is entered with (SPSR_EL2.SS of the ERET)
     * @param osLocked   the guest's OSLSR_EL1.OSLK
     * @param guestDebug the userspace guest_debug flags
     */
    record GuestEntry(String version, String row, long mdcrEl2, long hcrEl2, long hwMdscr, long guestMdscr,
                      boolean pstateSs, Comparators comparators, boolean osLocked, long guestDebug, long pc)
            implements KvmEvent {
        public boolean tde() {
            return MDCR_EL2.TDE.isSet(mdcrEl2);
        }

        public boolean tda() {
            return MDCR_EL2.TDA.isSet(mdcrEl2);
        }

        public boolean tdosa() {
            return MDCR_EL2.TDOSA.isSet(mdcrEl2);
        }

        @Override
        public String toString() {
            return String.format("[%s] enter guest at 0x%X (%s): MDCR_EL2 0x%X (TDE %d TDA %d TDOSA %d), HW MDSCR_EL1 0x%X "
                            + "(MDE %d KDE %d SS %d; guest's 0x%X), PSTATE.SS %d, comparators %s, OSLK %d, guest_debug %s",
                    version, pc, row, mdcrEl2, tde() ? 1 : 0, tda() ? 1 : 0, tdosa() ? 1 : 0, hwMdscr,
                    MDSCR_EL1.MDE.get(hwMdscr), MDSCR_EL1.KDE.get(hwMdscr), MDSCR_EL1.SS.get(hwMdscr), guestMdscr,
                    pstateSs ? 1 : 0, comparators, osLocked ? 1 : 0, GuestDebug.controlString(guestDebug));
        }
    }

    /** An exception the guest took at its own vectors (EL1), without KVM seeing it. */
    record GuestException(String version, int fromEl, int toEl, long esr, long elr, long vector) implements KvmEvent {
        @Override
        public String toString() {
            return String.format("[%s] guest exception EL%d->EL%d: ESR 0x%08X (%s), ELR 0x%X, vector 0x%X", version, fromEl, toEl,
                    esr, Syndrome.describe(esr), elr, vector);
        }
    }

    /** An exception taken to EL2: the exit KVM's handle_exit sees. */
    record ExitToEl2(String version, long esr, long elr, long far, long spsr) implements KvmEvent {
        public int ec() {
            return (int) (esr >>> 26) & 0x3F;
        }

        @Override
        public String toString() {
            return String.format("[%s] exit to EL2: ESR_EL2 0x%08X (%s), ELR_EL2 0x%X, FAR_EL2 0x%X, SPSR_EL2 0x%X",
                    version, esr, Syndrome.describe(esr), elr, far, spsr);
        }
    }

    /** What KVM decided, in the kernel's words. */
    enum DecisionKind {
        /** A trapped system register access emulated (value read or written). */
        TRAP_EMULATED,
        /** A trapped access ignored (RAZ/WI). */
        TRAP_RAZ_WI,
        /** UNDEFINED injected into the guest at EL1. */
        UNDEF_INJECTED,
        /** The instruction skipped (PC += 4) and the guest resumed: V2's consumed BRK. */
        INSTRUCTION_SKIPPED,
        /** A debug exception turned into KVM_EXIT_DEBUG. */
        DEBUG_EXIT,
        /** A stage 2 fault outside RAM turned into KVM_EXIT_MMIO. */
        MMIO_EXIT,
        /** The previous MMIO exit completed on this KVM_RUN (Rt loaded, PC += 4). */
        MMIO_COMPLETED,
        /** An HVC handled as PSCI (or answered NOT_SUPPORTED). */
        PSCI,
        /** Anything KVM cannot handle: KVM_EXIT_INTERNAL_ERROR. */
        INTERNAL_ERROR,
        /** A host warning (kvm.md §4.2 rule 5). */
        HOST_WARNING
    }

    /** The handler's decision for the last exit to EL2. */
    record Decision(String version, String handler, DecisionKind kind, String text) implements KvmEvent {
        @Override
        public String toString() {
            return "[" + version + "] " + handler + ": " + kind + " - " + text;
        }
    }

    /** A reviewer's override threw: the step's effects were undone. */
    record OverrideFailed(String version, String step, String message) implements KvmEvent {
        @Override
        public String toString() {
            return "[" + version + "] override of " + step + " failed: " + message + " (vCPU state restored)";
        }
    }

    /** KVM_RUN returned to userspace with this exit. */
    record ExitToUserspace(String version, int exitReason, String description) implements KvmEvent {
        @Override
        public String toString() {
            return "[" + version + "] exit to userspace: " + description;
        }
    }
}
