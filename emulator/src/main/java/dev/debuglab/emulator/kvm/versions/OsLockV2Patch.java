package dev.debuglab.emulator.kvm.versions;

import dev.debuglab.emulator.kvm.DebugExitDecision;
import dev.debuglab.emulator.kvm.Errno;
import dev.debuglab.emulator.kvm.KvmError;
import dev.debuglab.emulator.kvm.StepContext;
import dev.debuglab.emulator.kvm.SysRegResult;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLAR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLSR_EL1;

/**
 * "[PATCH v2 0/6] KVM: arm64: Emulate the OS lock" (Oliver Upton, 2021-11-02, on v5.15; never
 * merged) — the patch of the seed review (family V2, kvm.md §4.2). 3/6 "KVM: arm64: Allow guest to
 * set the OSLK bit" resets OSLK to 1; 4/6 "KVM: arm64: Emulate the OS lock" sets MDCR_EL2.TDE while
 * the lock is on, clears the hardware MDE, and skips a debug exception that reaches EL2 with
 * guest_debug = 0 (so a guest BRK under the lock is consumed: kvm.md K4).
 */
public class OsLockV2Patch extends PreOsLock {
    /** OSLSR_EL1 = OSLM 0b10, OSLK 1. */
    protected static final long OSLSR_LOCKED = OSLSR_EL1.OSLM_IMPLEMENTED | OSLSR_EL1.OSLK.of(1);

    /** The v2 patch applied to v5.15. */
    public OsLockV2Patch() {
        super("5.15+v2");
    }

    @Override
    public Family family() {
        return Family.V2;
    }

    @Override
    public String name() {
        return "v2 patch";
    }

    /** 3/6: OSLSR_EL1 resets to 0xA (OSLK = 1), as the architecture's cold reset. */
    @Override
    protected Long oslsrReset(StepContext ctx) {
        return OSLSR_LOCKED;
    }

    /** 3/6 trap_oslar_el1: OSLSR.OSLK ← Xt[0]. Reads as before (trap_raz_wi; UNVERIFIED). */
    @Override
    protected SysRegResult handleOslar(StepContext ctx) {
        if (!ctx.access().isWrite()) return SysRegResult.razWi("read as before the patch (UNVERIFIED)");
        ctx.setOslsr(OSLSR_EL1.OSLK.set(ctx.oslsr(), OSLAR_EL1.OSLK.get(ctx.access().regval())));
        return SysRegResult.written(String.format("OSLSR_EL1.OSLK <- %d", OSLAR_EL1.OSLK.get(ctx.access().regval())));
    }

    /** trap_oslsr_el1: the shadow value; a write is UNDEFINED (1/6, assumed as merged; UNVERIFIED). */
    @Override
    protected SysRegResult handleOslsr(StepContext ctx) {
        if (ctx.access().isWrite()) return SysRegResult.undefined("OSLSR_EL1 is read-only: UNDEFINED injected");
        return SysRegResult.read(ctx.oslsr(), "the guest's OSLSR_EL1");
    }

    /** set_oslsr_el1: accepted iff setting bit 1 yields 0xA, i.e. {0x8, 0xA}; otherwise -EINVAL. */
    @Override
    protected Long setUser(StepContext ctx) {
        if (!StepContext.isOslsr(ctx.regId())) return super.setUser(ctx);
        long v = ctx.value();
        if ((v | OSLSR_EL1.OSLK.mask()) != OSLSR_LOCKED)
            throw new KvmError(Errno.EINVAL, "KVM_SET_ONE_REG", String.format("OSLSR_EL1 = 0x%X rejected: only OSLK (bit 1) may "
                    + "differ from the reset value, so the accepted values are 0x8 and 0xA", v));
        return v;
    }

    /** OSLSR_EL1 now has a saved value: listed. */
    @Override
    protected Boolean regListMembership(StepContext ctx) {
        return true;
    }

    /** 4/6: TDE iff guest_debug ≠ 0 or OSLK = 1; TDA as before. */
    @Override
    protected Long kvmArmSetupMdcrEl2(StepContext ctx) {
        long mdcr = super.kvmArmSetupMdcrEl2(ctx);
        return MDCR_EL2.TDE.set(mdcr, ctx.guestDebug() != 0 || ctx.osLocked());
    }

    /** 4/6 kvm_arm_setup_debug: with guest_debug or OSLK: SS per SINGLESTEP; MDE = 1 if USE_HW, else 0 if OSLK, else G.MDE. */
    @Override
    protected boolean osLockInSetupDebug() {
        return true;
    }

    @Override
    protected String setupRow(StepContext ctx) {
        return "V2 gd" + (ctx.guestDebug() != 0 ? "!=0" : "=0") + " OSLK " + (ctx.osLocked() ? 1 : 0);
    }

    /** 4/6: a debug exit with guest_debug = 0 (only possible through the OS-lock TDE): WARN_ONCE, PC += 4, resume. */
    @Override
    protected DebugExitDecision kvmHandleGuestDebug(StepContext ctx) {
        DebugExitDecision d = super.kvmHandleGuestDebug(ctx);
        if (ctx.guestDebug() == 0) {
            ctx.hostWarning("WARN_ONCE in kvm_handle_guest_debug: debug exception with guest_debug = 0 (OS Lock TDE); "
                    + "the instruction is skipped", true);
            return d.withAction(DebugExitDecision.Action.SKIP_INSTRUCTION_AND_RESUME,
                    "guest_debug = 0 while OSLK = 1: host WARN_ONCE, PC += 4, the guest's debug exception is consumed");
        }
        return d;
    }
}
