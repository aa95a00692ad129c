package dev.debuglab.emulator.kvm.versions;

import dev.debuglab.emulator.kvm.Errno;
import dev.debuglab.emulator.kvm.KvmError;
import dev.debuglab.emulator.kvm.StepContext;
import dev.debuglab.emulator.kvm.SysRegResult;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLAR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLSR_EL1;

/**
 * The merged OS-lock series, v5.18 to v6.0 (family MERGED, kvm.md §4.3): 1/6 e2ffceaae508 "KVM:
 * arm64: Correctly treat writes to OSLSR_EL1 as undefined", 2/6 d42e26716d03 "KVM: arm64: Stash
 * OSLSR_EL1 in the cpu context", 3/6 f24adc65c556 "KVM: arm64: Allow guest to set the OSLK bit",
 * 4/6 7dabf02f43a1 "KVM: arm64: Emulate the OS Lock". OSLK resets to 0 ("as for a warm reset",
 * kvm.md K1); the lock is emulated by clearing the hardware MDSCR_EL1.MDE and SS and trapping the
 * debug registers (TDA); BRK is never affected; userspace debugging ignores the lock.
 *
 * <p>From v5.19, commit 18f3976fdb5d (Alexandru Elisei; kvm.md §0 gives the hash, not the subject):
 * the debug exit carries {@code hsr_high} and sets KVM_DEBUG_ARCH_HSR_HIGH_VALID in run->flags.
 */
public class EmulateOsLock extends PreOsLock {
    /** The model of release {@code release} (5.18 to 6.0). */
    public EmulateOsLock(String release) {
        super(release);
    }

    @Override
    public Family family() {
        return Family.MERGED;
    }

    @Override
    public boolean hasHsrHigh() {
        String[] p = release().split("\\.");
        int v = Integer.parseInt(p[0]) * 100 + Integer.parseInt(p[1]);
        return v >= 519;
    }

    @Override
    public long psciVersion() {
        return 0x10001;
    }

    /** 3/6: OSLSR_EL1 resets to 0x8 (OSLK = 0). */
    @Override
    protected Long oslsrReset(StepContext ctx) {
        return OSLSR_UNLOCKED;
    }

    /** 3/6 trap_oslar_el1: OSLSR.OSLK ← Xt[0], other bits ignored; effective at the next entry. A read is UNDEFINED. */
    @Override
    protected SysRegResult handleOslar(StepContext ctx) {
        if (!ctx.access().isWrite()) return SysRegResult.undefined("read_from_write_only: OSLAR_EL1 is write-only");
        long bit = OSLAR_EL1.OSLK.get(ctx.access().regval());
        ctx.setOslsr(OSLSR_EL1.OSLK.set(ctx.oslsr(), bit));
        return SysRegResult.written(bit == 0 ? "OSLSR_EL1.OSLK <- 0 (takes effect at the next guest entry)"
                : "OSLSR_EL1.OSLK <- 1 (takes effect at the next guest entry)");
    }

    /** 1/6, 2/6 trap_oslsr_el1: the stashed value; a write is UNDEFINED (with a host warning). */
    @Override
    protected SysRegResult handleOslsr(StepContext ctx) {
        if (ctx.access().isWrite()) {
            ctx.hostWarning("sys_reg write to read-only register OSLSR_EL1", false);
            return SysRegResult.undefined("write_to_read_only: UNDEFINED injected, host warning");
        }
        return SysRegResult.read(ctx.oslsr(), "the guest's OSLSR_EL1");
    }

    /** 3/6 set_oslsr_el1: the value may differ from 0x8 only in OSLK, so {0x8, 0xA}; otherwise -EINVAL, unchanged. */
    @Override
    protected Long setUser(StepContext ctx) {
        if (!StepContext.isOslsr(ctx.regId())) return super.setUser(ctx);
        long v = ctx.value();
        if ((v & ~OSLSR_EL1.OSLK.mask()) != OSLSR_UNLOCKED)
            throw new KvmError(Errno.EINVAL, "KVM_SET_ONE_REG", String.format("OSLSR_EL1 = 0x%X rejected: it may differ from 0x8 "
                    + "only in OSLK (bit 1), so the accepted values are 0x8 and 0xA; the register keeps 0x%X", v, ctx.oslsr()));
        return v;
    }

    /** 2/6: OSLSR_EL1 has a saved value: listed (d134998838ac blesses it in get-reg-list). */
    @Override
    protected Boolean regListMembership(StepContext ctx) {
        return true;
    }

    /** 4/6 kvm_arm_setup_mdcr_el2: TDA also while the OS Lock is on. */
    @Override
    protected Long kvmArmSetupMdcrEl2(StepContext ctx) {
        long mdcr = super.kvmArmSetupMdcrEl2(ctx);
        return ctx.osLocked() ? MDCR_EL2.TDA.set(mdcr, true) : mdcr;
    }

    /** 4/6 kvm_arm_setup_debug: the host's MDSCR_EL1 with guest_debug or OSLK; MDE = 0 under the lock unless USE_HW. */
    @Override
    protected boolean osLockInSetupDebug() {
        return true;
    }

    /** Rows M1-M7 of kvm.md §4.3. */
    @Override
    protected String setupRow(StepContext ctx) {
        return row(ctx);
    }

    /** The kvm.md §4.3 row name. */
    protected static String row(StepContext ctx) {
        boolean lock = ctx.osLocked();
        if (ctx.useHw()) return "M7";
        if (ctx.guestDebug() == 0) return lock ? "M2" : "M1";
        if (ctx.singleStep()) return lock ? "M6" : "M5";
        return lock ? "M4" : "M3";
    }
}
