package dev.debuglab.emulator.kvm;

/**
 * What kvm_handle_guest_debug decided for a debug-class exit (EC 0x30/0x32/0x34/0x3C; kvm.md §1.2).
 *
 * @param action          exit to userspace, or (V2 with guest_debug = 0) skip the instruction and
 *                        resume, or resume unchanged
 * @param hsr             run->debug.arch.hsr (ESR_EL2[31:0])
 * @param hsrHigh         run->debug.arch.hsr_high (ESR_EL2[63:32])
 * @param flags           run->flags bits (KVM_DEBUG_ARCH_HSR_HIGH_VALID from v5.19)
 * @param writeFar        true if run->debug.arch.far is written (only watchpoints)
 * @param far             the value written when {@code writeFar}
 * @param setGuestPstateSs OWNER: the step exit sets the guest's PSTATE.SS to 1
 * @param note            the reason in words
 */
public record DebugExitDecision(Action action, long hsr, long hsrHigh, int flags, boolean writeFar, long far,
                                boolean setGuestPstateSs, String note) {
    public enum Action { EXIT_TO_USERSPACE, SKIP_INSTRUCTION_AND_RESUME, RESUME }

    /** This decision with another action (e.g. V2's skip of kvm_incr_pc) and reason. */
    public DebugExitDecision withAction(Action a, String why) {
        return new DebugExitDecision(a, hsr, hsrHigh, flags, writeFar, far, setGuestPstateSs, why);
    }
}
