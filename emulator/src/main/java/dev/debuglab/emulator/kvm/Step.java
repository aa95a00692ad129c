package dev.debuglab.emulator.kvm;

import java.util.List;
import java.util.function.BiFunction;

/**
 * A named decision a {@link KvmVersion} makes, overridable in a variant
 * ({@link KvmVersion#override}). The names are the kernel's functions (arch/arm64/kvm/debug.c,
 * sys_regs.c, reset.c, handle_exit.c); each step's result type says what it decides.
 */
public final class Step<R> {
    /** OSLSR_EL1's reset value (reset_vcpu_sys_regs; kvm.md §3): 0x8 (PRE constant, MERGED, OWNER) or 0xA (V2). */
    public static final Step<Long> OSLSR_RESET = new Step<>("oslsrReset", "OSLSR_EL1 reset value", KvmVersion::oslsrReset);
    /** MSR/MRS OSLAR_EL1 trapped by MDCR_EL2.TDOSA (trap_oslar_el1 / trap_raz_wi; kvm.md §2). */
    public static final Step<SysRegResult> HANDLE_OSLAR = new Step<>("handleOslar", "trapped OSLAR_EL1 access", KvmVersion::handleOslar);
    /** MRS/MSR OSLSR_EL1 trapped by TDOSA (trap_oslsr_el1). */
    public static final Step<SysRegResult> HANDLE_OSLSR = new Step<>("handleOslsr", "trapped OSLSR_EL1 access", KvmVersion::handleOslsr);
    /** OSDLR_EL1 trapped by TDOSA (trap_raz_wi in every family). */
    public static final Step<SysRegResult> HANDLE_OSDLR = new Step<>("handleOsdlr", "trapped OSDLR_EL1 access", KvmVersion::handleOsdlr);
    /** DBGPRCR_EL1 trapped by TDOSA (trap_raz_wi in every family; kvm.md §6.3 N3). */
    public static final Step<SysRegResult> HANDLE_DBGPRCR = new Step<>("handleDbgprcr", "trapped DBGPRCR_EL1 access", KvmVersion::handleDbgprcr);
    /** MDSCR_EL1, MDCCINT_EL1, DBGBxR and DBGWxR trapped by TDA (trap_debug_regs, trap_bvr/bcr/wvr/wcr): the guest's saved copy. */
    public static final Step<SysRegResult> TRAP_DEBUG_REGS = new Step<>("trapDebugRegs", "trapped debug register access", KvmVersion::trapDebugRegs);
    /** KVM_GET_ONE_REG of a listed system register (the sys_reg_desc get_user accessor). */
    public static final Step<Long> GET_USER = new Step<>("getUser", "KVM_GET_ONE_REG value", KvmVersion::getUser);
    /** KVM_SET_ONE_REG validation (set_user): the value to store, or a KvmError(EINVAL). */
    public static final Step<Long> SET_USER = new Step<>("setUser", "KVM_SET_ONE_REG validation", KvmVersion::setUser);
    /** MDCR_EL2 for the next guest entry (kvm_arm_setup_mdcr_el2). */
    public static final Step<Long> KVM_ARM_SETUP_MDCR_EL2 = new Step<>("kvmArmSetupMdcrEl2", "MDCR_EL2 at guest entry", KvmVersion::kvmArmSetupMdcrEl2);
    /** The guest-entry debug state (kvm_arm_setup_debug / kvm_vcpu_load_debug; kvm.md §4). */
    public static final Step<DebugSetup> KVM_ARM_SETUP_DEBUG = new Step<>("kvmArmSetupDebug", "guest-entry debug setup", KvmVersion::kvmArmSetupDebug);
    /** After an exit: restore the guest's debug state (kvm_arm_clear_debug / kvm_vcpu_put_debug). */
    public static final Step<Void> KVM_ARM_CLEAR_DEBUG = new Step<>("kvmArmClearDebug", "debug state after exit", KvmVersion::kvmArmClearDebug);
    /** A debug-class exit (kvm_handle_guest_debug; kvm.md §1.2). */
    public static final Step<DebugExitDecision> KVM_HANDLE_GUEST_DEBUG = new Step<>("kvmHandleGuestDebug", "debug exit", KvmVersion::kvmHandleGuestDebug);
    /** Is a register in KVM_GET_REG_LIST (and accessible to ONE_REG)? (kvm.md §1.3 membership rule) */
    public static final Step<Boolean> REG_LIST_MEMBERSHIP = new Step<>("regListMembership", "KVM_GET_REG_LIST membership", KvmVersion::regListMembership);

    private static final List<Step<?>> ALL = List.of(OSLSR_RESET, HANDLE_OSLAR, HANDLE_OSLSR, HANDLE_OSDLR, HANDLE_DBGPRCR,
            TRAP_DEBUG_REGS, GET_USER, SET_USER, KVM_ARM_SETUP_MDCR_EL2, KVM_ARM_SETUP_DEBUG, KVM_ARM_CLEAR_DEBUG,
            KVM_HANDLE_GUEST_DEBUG, REG_LIST_MEMBERSHIP);

    private final String name;
    private final String description;
    private final BiFunction<KvmVersion, StepContext, R> behaviour;

    private Step(String name, String description, BiFunction<KvmVersion, StepContext, R> behaviour) {
        this.name = name;
        this.description = description;
        this.behaviour = behaviour;
    }

    /** Every step, in the order above. */
    public static List<Step<?>> all() {
        return ALL;
    }

    /** The kernel function name in camelCase ("kvmArmSetupDebug"). */
    public String name() {
        return name;
    }

    /** What the step decides, in words. */
    public String description() {
        return description;
    }

    /** The version's own behaviour for this step (no overrides). */
    R invoke(KvmVersion version, StepContext ctx) {
        return behaviour.apply(version, ctx);
    }

    @Override
    public String toString() {
        return name;
    }
}
