package dev.debuglab.emulator.kvm.versions;

import dev.debuglab.emulator.kvm.DebugExitDecision;
import dev.debuglab.emulator.kvm.DebugSetup;
import dev.debuglab.emulator.kvm.StepContext;
import dev.debuglab.emulator.sysreg.RegisterFields.ESR;

/**
 * v6.1 to v6.13: the merged OS-lock emulation plus Reiji Watanabe's single-step fixes (kvm.md
 * §4.6): 34fbdee086cf "KVM: arm64: Preserve PSTATE.SS for the guest while single-step is enabled"
 * and 370531d1e95b "KVM: arm64: Clear PSTATE.SS when the Software Step state was Active-pending".
 * With SINGLESTEP the guest's own PSTATE.SS is saved before entry and restored after the exit;
 * an exit in the Active-pending state sets DBG_SS_ACTIVE_PENDING, and the next entry keeps
 * PSTATE.SS = 0 so the pending step exception is taken; the step exit and disabling debug clear it.
 */
public class SingleStepFixes extends EmulateOsLock {
    /** The model of release {@code release} (6.1 to 6.13). */
    public SingleStepFixes(String release) {
        super(release);
    }

    /** 370531d1e95b: PSTATE.SS = 1 unless the last exit was Active-pending (then 0). */
    @Override
    protected Boolean entrySs(StepContext ctx) {
        return ctx.singleStep() ? !ctx.activePending() : null;
    }

    /** 34fbdee086cf: the guest's PSTATE.SS is preserved while single-step is enabled. */
    @Override
    protected boolean restoresGuestSs(StepContext ctx) {
        return ctx.singleStep();
    }

    /** kvm_arm_clear_debug: with SINGLESTEP, note Active-pending (PSTATE.SS = 0 at the exit) and restore the guest's PSTATE.SS. */
    @Override
    protected Void kvmArmClearDebug(StepContext ctx) {
        super.kvmArmClearDebug(ctx);
        DebugSetup s = ctx.setup();
        if (s != null && s.restoreGuestSs()) {
            ctx.setActivePending(!ctx.cpu().ss);
            ctx.cpu().ss = ctx.savedGuestPstateSs();
        }
        return null;
    }

    /** kvm_handle_guest_debug: a step exit clears DBG_SS_ACTIVE_PENDING. */
    @Override
    protected DebugExitDecision kvmHandleGuestDebug(StepContext ctx) {
        if (ESR.EC.getInt(ctx.esr()) == EC_SOFTWARE_STEP_LOWER) ctx.setActivePending(false);
        return super.kvmHandleGuestDebug(ctx);
    }
}
