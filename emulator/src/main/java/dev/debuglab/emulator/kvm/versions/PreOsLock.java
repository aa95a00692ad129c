package dev.debuglab.emulator.kvm.versions;

import dev.debuglab.emulator.kvm.DebugExitDecision;
import dev.debuglab.emulator.kvm.DebugSetup;
import dev.debuglab.emulator.kvm.Errno;
import dev.debuglab.emulator.kvm.KvmError;
import dev.debuglab.emulator.kvm.KvmEvent.Comparators;
import dev.debuglab.emulator.kvm.KvmRun;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.kvm.StepContext;
import dev.debuglab.emulator.kvm.StepContext.TrappedAccess;
import dev.debuglab.emulator.kvm.SysRegResult;
import dev.debuglab.emulator.kvm.Vcpu;
import dev.debuglab.emulator.kvm.Step;
import dev.debuglab.emulator.sysreg.RegisterFields.ESR;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLSR_EL1;

/**
 * KVM/arm64 before the OS-lock series: v5.15, v5.16, v5.17 (family PRE, kvm.md §4.1).
 *
 * <p>The kernel changes this class is: "arm64: KVM: add trap handlers for AArch64 debug
 * registers" (v3.16: OSLAR_EL1, OSDLR_EL1, DBGPRCR_EL1 as {@code trap_raz_wi}, OSLSR_EL1 as
 * {@code trap_oslsr_el1} reading the constant 0x8), and the guest-debug series "KVM: arm64: guest
 * debug, add SW break point support", "KVM: arm64: guest debug, add support for single-step",
 * "KVM: arm64: guest debug, HW assisted debug support" (v4.2: MDCR_EL2.TDE for any guest_debug,
 * the MDSCR_EL1 save/restore and the debug exit). The OS Lock has no effect anywhere; OSLSR_EL1
 * is not in the register list (no saved value, no userspace accessor).
 */
public class PreOsLock extends KvmVersion {
    /** MDCR_EL2 bits KVM sets on every entry (kvm.md §4): TPM, TPMS, TTRF, TPMCR, TDRA, TDOSA; HPMN = 0 (no host PMU here). */
    protected static final long MDCR_BASE = MDCR_EL2.TPM.of(1) | MDCR_EL2.TPMS.of(1) | MDCR_EL2.TTRF.of(1)
            | MDCR_EL2.TPMCR.of(1) | MDCR_EL2.TDRA.of(1) | MDCR_EL2.TDOSA.of(1);
    /** OSLSR_EL1 = OSLM 0b10, OSLK 0. */
    protected static final long OSLSR_UNLOCKED = OSLSR_EL1.OSLM_IMPLEMENTED;
    /** ESR classes of the debug exits. */
    protected static final int EC_SOFTWARE_STEP_LOWER = 0x32, EC_WATCHPOINT_LOWER = 0x34;

    /** The model of release {@code release} (5.15 to 5.17). */
    public PreOsLock(String release) {
        super(release);
    }

    @Override
    public Family family() {
        return Family.PRE;
    }

    /** reset_vcpu_sys_regs: there is no OSLSR_EL1 state; reads give the constant 0x8. */
    @Override
    protected Long oslsrReset(StepContext ctx) {
        return OSLSR_UNLOCKED;
    }

    /** trap_raz_wi: OSLAR_EL1 writes are ignored, reads give 0 (kvm.md §2). */
    @Override
    protected SysRegResult handleOslar(StepContext ctx) {
        return SysRegResult.razWi("trap_raz_wi: the OS Lock is not emulated");
    }

    /** trap_oslsr_el1: reads the constant 0x8 (OSLM 0b10, OSLK 0); writes ignored. */
    @Override
    protected SysRegResult handleOslsr(StepContext ctx) {
        if (ctx.access().isWrite()) return SysRegResult.razWi("trap_oslsr_el1: write ignored");
        return SysRegResult.read(OSLSR_UNLOCKED, "trap_oslsr_el1: constant, OS Lock not implemented");
    }

    /** trap_raz_wi (every family; kvm.md §2, K2). */
    @Override
    protected SysRegResult handleOsdlr(StepContext ctx) {
        return SysRegResult.razWi("trap_raz_wi: the OS Double Lock is not emulated");
    }

    /** trap_raz_wi (every family; kvm.md §6.3 N3: the source, not the QEMU-host artefact). */
    @Override
    protected SysRegResult handleDbgprcr(StepContext ctx) {
        return SysRegResult.razWi("trap_raz_wi");
    }

    /** trap_debug_regs / trap_bvr / trap_bcr / trap_wvr / trap_wcr: the guest's saved copy; a write sets "debug dirty". */
    @Override
    protected SysRegResult trapDebugRegs(StepContext ctx) {
        TrappedAccess a = ctx.access();
        if (a.isWrite()) {
            ctx.setGuestDebugReg(a.name(), a.regval());
            ctx.setDebugDirty(true);
            return SysRegResult.written("the guest's saved copy; debug dirty");
        }
        return SysRegResult.read(ctx.guestDebugReg(a.name()), "the guest's saved copy");
    }

    /** get_user: the saved value. */
    @Override
    protected Long getUser(StepContext ctx) {
        return ctx.value();
    }

    /** set_user: invariant registers (ID registers, MIDR, CTR ...) only accept their current value; others any value. */
    @Override
    protected Long setUser(StepContext ctx) {
        if (Vcpu.isInvariant(ctx.regId())) {
            long current = ctx.storedValue();
            if (current != ctx.value())
                throw new KvmError(Errno.EINVAL, "KVM_SET_ONE_REG", String.format("%s is invariant: it holds 0x%X and accepts "
                        + "only that value, not 0x%X", RegId.name(ctx.regId()), current, ctx.value()));
        }
        return ctx.value();
    }

    /** kvm_arm_setup_mdcr_el2: the fixed bits; TDE iff guest_debug ≠ 0; TDA iff USE_HW or not debug dirty. */
    @Override
    protected Long kvmArmSetupMdcrEl2(StepContext ctx) {
        long mdcr = MDCR_BASE;
        mdcr = MDCR_EL2.TDE.set(mdcr, ctx.guestDebug() != 0);
        mdcr = MDCR_EL2.TDA.set(mdcr, ctx.useHw() || !ctx.debugDirty());
        return mdcr;
    }

    /**
     * kvm_arm_setup_debug, v5.15 (kvm.md §4.1): with guest_debug, save_guest_debug_regs and the
     * host's MDSCR_EL1 ({@link #hostDebugMdscr}). The later kernel changes alter only the
     * condition and MDE under the OS Lock ({@link #osLockInSetupDebug}), PSTATE.SS
     * ({@link #entrySs}, {@link #restoresGuestSs}) and the row ({@link #setupRow}).
     */
    @Override
    protected DebugSetup kvmArmSetupDebug(StepContext ctx) {
        long mdcr = ctx.call(Step.KVM_ARM_SETUP_MDCR_EL2);
        boolean saved = ctx.guestDebug() != 0 || (osLockInSetupDebug() && ctx.osLocked());
        long hw = saved ? hostDebugMdscr(ctx, ctx.guestMdscr()) : ctx.guestMdscr();
        return finish(ctx, mdcr, hw, saved, entrySs(ctx), restoresGuestSs(ctx), setupRow(ctx));
    }

    /**
     * Whether kvm_arm_setup_debug knows the OS Lock: "vcpu->guest_debug ||
     * kvm_vcpu_os_lock_enabled(vcpu)" and MDE = 0 while OSLK = 1. Not before the OS-lock changes.
     */
    protected boolean osLockInSetupDebug() {
        return false;
    }

    /**
     * The host-debug branch of kvm_arm_setup_debug, after save_guest_debug_regs: MDSCR_EL1.SS as
     * KVM_GUESTDBG_SINGLESTEP asks, MDE = 1 for KVM_GUESTDBG_USE_HW, else (where
     * {@link #osLockInSetupDebug}) MDE = 0 while OSLK = 1. The MDSCR_EL1 the hardware gets.
     */
    protected long hostDebugMdscr(StepContext ctx, long mdscr) {
        long hw = MDSCR_EL1.SS.set(mdscr, ctx.singleStep());
        if (ctx.useHw()) hw = MDSCR_EL1.MDE.set(hw, true);   // "host debug exceptions are unaffected by the OS Lock"
        else if (osLockInSetupDebug() && ctx.osLocked()) hw = MDSCR_EL1.MDE.set(hw, false);
        return hw;
    }

    /** ≤ 6.0: PSTATE.SS = 1 on every entry with SINGLESTEP; the guest's own is overwritten (rule 5, kvm.md §4.6). */
    protected Boolean entrySs(StepContext ctx) {
        return ctx.singleStep() ? Boolean.TRUE : null;
    }

    protected boolean restoresGuestSs(StepContext ctx) {
        return false;
    }

    /** The name of the setup's row in kvm.md. */
    protected String setupRow(StepContext ctx) {
        return ctx.guestDebug() == 0 ? "PRE gd=0" : "PRE gd!=0";
    }

    /** Sets "debug dirty" (kvm.md §4.5) and picks whose comparators the hardware gets. */
    protected DebugSetup finish(StepContext ctx, long mdcr, long hw, boolean saved, Boolean ss, boolean restoreSs, String row) {
        boolean dirty = ctx.debugDirty() || MDSCR_EL1.KDE.isSet(hw) || MDSCR_EL1.MDE.isSet(hw) || ctx.useHw();
        ctx.setDebugDirty(dirty);
        Comparators c = ctx.useHw() ? Comparators.VMM : dirty ? Comparators.GUEST : Comparators.NOT_SWITCHED;
        return new DebugSetup(mdcr, hw, saved, ss, restoreSs, c, dirty, row);
    }

    /** kvm_arm_clear_debug: the guest's MDSCR_EL1 back (or taken from the hardware when it was the guest's own), comparators saved, dirty cleared. */
    @Override
    protected Void kvmArmClearDebug(StepContext ctx) {
        DebugSetup s = ctx.setup();
        if (s == null) return null;
        if (!s.guestMdscrSaved()) ctx.setGuestMdscr(ctx.cpu().sys.mdscrEl1);
        if (s.comparators() == Comparators.GUEST) ctx.saveHardwareComparatorsToGuest();
        ctx.setDebugDirty(false);
        return null;
    }

    /**
     * kvm_handle_guest_debug: KVM_EXIT_DEBUG with hsr = ESR_EL2[31:0]; far only for a watchpoint
     * (EC 0x34); hsr_high and KVM_DEBUG_ARCH_HSR_HIGH_VALID from v5.19. The PC is not advanced.
     */
    @Override
    protected DebugExitDecision kvmHandleGuestDebug(StepContext ctx) {
        long esr = ctx.esr();
        boolean high = ctx.version().hasHsrHigh();
        boolean watchpoint = ESR.EC.getInt(esr) == EC_WATCHPOINT_LOWER;
        return new DebugExitDecision(DebugExitDecision.Action.EXIT_TO_USERSPACE, esr & 0xFFFF_FFFFL, high ? esr >>> 32 : 0,
                high ? KvmRun.KVM_DEBUG_ARCH_HSR_HIGH_VALID : 0, watchpoint, ctx.far(), false,
                watchpoint ? "watchpoint: far = FAR_EL2" : "far not written (the union keeps its old contents)");
    }

    /** The membership rule (kvm.md §1.3): OSLSR_EL1 has no saved value before v5.18, so it is not listed. */
    @Override
    protected Boolean regListMembership(StepContext ctx) {
        return !StepContext.isOslsr(ctx.regId());
    }
}
