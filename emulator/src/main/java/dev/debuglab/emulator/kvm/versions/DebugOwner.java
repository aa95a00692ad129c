package dev.debuglab.emulator.kvm.versions;

import dev.debuglab.emulator.kvm.DebugExitDecision;
import dev.debuglab.emulator.kvm.DebugSetup;
import dev.debuglab.emulator.kvm.KvmEvent.Comparators;
import dev.debuglab.emulator.kvm.Step;
import dev.debuglab.emulator.kvm.StepContext;
import dev.debuglab.emulator.kvm.SysRegResult;
import dev.debuglab.emulator.sysreg.RegisterFields.ESR;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;

/**
 * v6.14 and later (family OWNER, kvm.md §4.4): the series "KVM: arm64: Debug cleanups" (merge
 * b7bf7c87bb44), with the debug owner — HOST_OWNED when guest_debug ≠ 0 or OSLK = 1, GUEST_OWNED
 * when the guest's MDSCR_EL1 has MDE or KDE or it touched a breakpoint/watchpoint register, else
 * FREE — computed at vcpu load (kvm_vcpu_load_debug); 06d22a9c1b94 "KVM: arm64: Reload vCPU for
 * accesses to OSLAR_EL1" re-evaluates it at once on an OSLAR write. With the host owning debug the
 * hardware runs with the guest's MDSCR_EL1 minus SS/MDE/KDE, SS added for SINGLESTEP and MDE/KDE
 * only for USE_HW — so with USE_SW_BP alone the guest's own breakpoints are lost (observed on
 * 6.18.15 and 7.2.13, kvm.md §6.1a).
 */
public class DebugOwner extends SingleStepFixes {
    /** The model of release {@code release} (6.14 or later). */
    public DebugOwner(String release) {
        super(release);
    }

    @Override
    public Family family() {
        return Family.OWNER;
    }

    /** The debug owner (enum kvm_debug_owner). */
    public enum Owner { FREE, HOST_OWNED, GUEST_OWNED }

    /** kvm_vcpu_load_debug's ownership decision. */
    public static Owner debugOwner(StepContext ctx) {
        if (ctx.guestDebug() != 0 || ctx.osLocked()) return Owner.HOST_OWNED;
        long g = ctx.guestMdscr();
        if (MDSCR_EL1.MDE.isSet(g) || MDSCR_EL1.KDE.isSet(g) || ctx.guestTouchedDebugRegs()) return Owner.GUEST_OWNED;
        return Owner.FREE;
    }

    /** kvm_arm_setup_mdcr_el2 (at load): TDE iff guest_debug ≠ 0; TDA unless the guest owns debug. */
    @Override
    protected Long kvmArmSetupMdcrEl2(StepContext ctx) {
        long mdcr = MDCR_BASE;
        mdcr = MDCR_EL2.TDE.set(mdcr, ctx.guestDebug() != 0);
        return MDCR_EL2.TDA.set(mdcr, debugOwner(ctx) != Owner.GUEST_OWNED);
    }

    /** kvm_vcpu_load_debug / setup_external_mdscr: rows O1-O3 of kvm.md §4.4. */
    @Override
    protected DebugSetup kvmArmSetupDebug(StepContext ctx) {
        long mdcr = ctx.call(Step.KVM_ARM_SETUP_MDCR_EL2);
        Owner owner = debugOwner(ctx);
        long g = ctx.guestMdscr(), hw = g;
        Comparators c;
        String row;
        if (owner == Owner.HOST_OWNED) {
            hw = MDSCR_EL1.SS.set(hw, false);
            hw = MDSCR_EL1.MDE.set(hw, false);
            hw = MDSCR_EL1.KDE.set(hw, false);
            if (ctx.singleStep()) hw = MDSCR_EL1.SS.set(hw, true);
            if (ctx.useHw()) hw = MDSCR_EL1.KDE.set(MDSCR_EL1.MDE.set(hw, true), true);
            c = Comparators.VMM;
            row = ctx.guestDebug() != 0 ? "O3" : "O2";
        } else {
            c = owner == Owner.GUEST_OWNED ? Comparators.GUEST : Comparators.NOT_SWITCHED;
            row = "O1 " + owner;
        }
        return new DebugSetup(mdcr, hw, owner == Owner.HOST_OWNED, entrySs(ctx), restoresGuestSs(ctx), c, false, row);
    }

    /** 06d22a9c1b94: after the OSLAR write, put + load (ownership re-evaluated at once). */
    @Override
    protected SysRegResult handleOslar(StepContext ctx) {
        SysRegResult r = super.handleOslar(ctx);
        if (ctx.access().isWrite()) ctx.reloadDebug();
        return r;
    }

    /** A trapped access to a breakpoint/watchpoint register makes the guest own debug (kvm_debug_set_guest_ownership). */
    @Override
    protected SysRegResult trapDebugRegs(StepContext ctx) {
        SysRegResult r = super.trapDebugRegs(ctx);
        if (ctx.access().name().startsWith("DBGB") || ctx.access().name().startsWith("DBGW")) ctx.setGuestTouchedDebugRegs(true);
        return r;
    }

    /** The step exit sets the guest's PSTATE.SS to 1 (kvm.md §1.2). */
    @Override
    protected DebugExitDecision kvmHandleGuestDebug(StepContext ctx) {
        DebugExitDecision d = super.kvmHandleGuestDebug(ctx);
        if (ESR.EC.getInt(ctx.esr()) == EC_SOFTWARE_STEP_LOWER)
            return new DebugExitDecision(d.action(), d.hsr(), d.hsrHigh(), d.flags(), d.writeFar(), d.far(), true, d.note());
        return d;
    }
}
