package dev.debuglab.emulator.kvm;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLSR_EL1;

/**
 * What a {@link Step} sees: the vCPU's KVM state (guest_debug, the guest's saved OSLSR_EL1 and
 * MDSCR_EL1 and debug registers, the "debug dirty" and single-step flags) and the step's
 * arguments (the trapped access, the ONE_REG id and value, the exit syndrome). Version classes
 * and reviewers' overrides read and change the vCPU only through this.
 */
public final class StepContext {
    /** A trapped MRS/MSR as the sys_regs handlers receive it ({@code struct sys_reg_params}). */
    public record TrappedAccess(String name, int op0, int op1, int crn, int crm, int op2, int rt, boolean isWrite, long regval) {
        @Override
        public String toString() {
            return (isWrite ? "MSR " + name + ", X" + rt + String.format(" (0x%X)", regval) : "MRS X" + rt + ", " + name);
        }
    }

    private final Vcpu vcpu;
    private final KvmVersion version;
    TrappedAccess access;
    long regId, value, esr, far;
    DebugSetup setup;

    StepContext(Vcpu vcpu, KvmVersion version) {
        this.vcpu = vcpu;
        this.version = version;
    }

    /** Runs another step as the effective version (with its overrides) would. */
    public <R> R call(Step<R> step) {
        return vcpu.invoke(step, this);
    }

    /** The vCPU (struct kvm_vcpu). */
    public Vcpu vcpu() {
        return vcpu;
    }

    /** The emulated PE (hardware state). */
    public Cpu cpu() {
        return vcpu.cpu();
    }

    /** The effective version (a variant when overridden). */
    public KvmVersion version() {
        return version;
    }

    // --- userspace debug ----------------------------------------------------------------------------

    /** {@code vcpu->guest_debug}: 0 when debugging is off, else the whole control word. */
    public long guestDebug() {
        return vcpu.guestDebug;
    }

    /** guest_debug has KVM_GUESTDBG_SINGLESTEP. */
    public boolean singleStep() {
        return (vcpu.guestDebug & GuestDebug.SINGLESTEP) != 0;
    }

    /** guest_debug has KVM_GUESTDBG_USE_HW. */
    public boolean useHw() {
        return (vcpu.guestDebug & GuestDebug.USE_HW) != 0;
    }

    /** The "external" (VMM) comparators copied by KVM_SET_GUEST_DEBUG with USE_HW. */
    public long externalBcr(int n) {
        return vcpu.extBcr[n];
    }

    // --- the guest's saved registers ------------------------------------------------------------------

    /** The guest's OSLSR_EL1 (KVM's shadow copy; kvm.md §2). */
    public long oslsr() {
        return vcpu.oslsr;
    }

    /** Writes the guest's OSLSR_EL1 (__vcpu_sys_reg(vcpu, OSLSR_EL1)). */
    public void setOslsr(long v) {
        vcpu.oslsr = v;
    }

    /** OSLSR_EL1.OSLK of the guest's shadow. */
    public boolean osLocked() {
        return OSLSR_EL1.OSLK.isSet(vcpu.oslsr);
    }

    /** G: the guest's own MDSCR_EL1 (what it reads). */
    public long guestMdscr() {
        return vcpu.guestMdscr;
    }

    /** Writes the guest's saved MDSCR_EL1. */
    public void setGuestMdscr(long v) {
        vcpu.guestMdscr = v;
    }

    /** The guest's saved debug register by name ("DBGBCR0_EL1", "MDCCINT_EL1", ...). */
    public long guestDebugReg(String name) {
        return vcpu.guestDebugReg(name);
    }

    /** Writes the guest's saved debug register (vcpu_debug_state). */
    public void setGuestDebugReg(String name, long v) {
        vcpu.setGuestDebugReg(name, v);
    }

    /** KVM's "debug dirty" flag (kvm.md §4.5). */
    public boolean debugDirty() {
        return vcpu.debugDirty;
    }

    /** Sets or clears KVM_ARM64_DEBUG_DIRTY. */
    public void setDebugDirty(boolean dirty) {
        vcpu.debugDirty = dirty;
    }

    /** v6.1+: the software step state at the last exit was Active-pending (DBG_SS_ACTIVE_PENDING). */
    public boolean activePending() {
        return vcpu.activePending;
    }

    /** Sets or clears DBG_SS_ACTIVE_PENDING. */
    public void setActivePending(boolean pending) {
        vcpu.activePending = pending;
    }

    /** OWNER: a trapped guest access to a breakpoint/watchpoint register made the guest own debug. */
    public boolean guestTouchedDebugRegs() {
        return vcpu.guestTouchedDebugRegs;
    }

    /** OWNER: records a trapped breakpoint/watchpoint register access (guest ownership). */
    public void setGuestTouchedDebugRegs(boolean touched) {
        vcpu.guestTouchedDebugRegs = touched;
    }

    /** OWNER (06d22a9c1b94): re-evaluate debug ownership at once (vcpu put + load); recorded in the trace. */
    public void reloadDebug() {
        vcpu.reloadRequested = true;
    }

    /** v6.1+: the guest's own PSTATE.SS saved at the last entry (restored after the exit). */
    public boolean savedGuestPstateSs() {
        return vcpu.savedGuestSs;
    }

    /** __debug_save_state: copies the hardware comparators into the guest's saved debug registers. */
    public void saveHardwareComparatorsToGuest() {
        vcpu.saveGuestComparators();
    }

    /** True if {@code id} is KVM's OSLSR_EL1 id (0x603000000013808C). */
    public static boolean isOslsr(long id) {
        return id == Vcpu.OSLSR_ID;
    }

    /**
     * A host kernel warning (WARN_ONCE / kvm_pr_unimpl): recorded in the trace as a HOST_WARNING
     * decision. With {@code once}, only the first warning of this vCPU is recorded (as WARN_ONCE
     * prints once; the model keeps the "once" per vCPU, the kernel per boot).
     */
    public void hostWarning(String text, boolean once) {
        vcpu.hostWarning(text, once);
    }

    // --- step arguments ---------------------------------------------------------------------------------

    /** The trapped access (sys_regs steps). */
    public TrappedAccess access() {
        return access;
    }

    /** The ONE_REG id (GET_USER, SET_USER, REG_LIST_MEMBERSHIP). */
    public long regId() {
        return regId;
    }

    /** The value userspace sets (SET_USER), or the stored value (GET_USER). */
    public long value() {
        return value;
    }

    /** The value KVM currently holds for {@link #regId()} (the guest's saved context). */
    public long storedValue() {
        return vcpu.storedValue(regId);
    }

    /** ESR_EL2 of the exit (KVM_HANDLE_GUEST_DEBUG). */
    public long esr() {
        return esr;
    }

    /** FAR_EL2 of the exit (KVM_HANDLE_GUEST_DEBUG). */
    public long far() {
        return far;
    }

    /** The setup applied at the last entry (KVM_ARM_CLEAR_DEBUG). */
    public DebugSetup setup() {
        return setup;
    }
}
