package dev.debuglab.emulator.kvm;

import dev.debuglab.emulator.kvm.versions.DebugOwner;
import dev.debuglab.emulator.kvm.versions.EmulateOsLock;
import dev.debuglab.emulator.kvm.versions.OsLockV2Patch;
import dev.debuglab.emulator.kvm.versions.PreOsLock;
import dev.debuglab.emulator.kvm.versions.SingleStepFixes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One kernel's KVM/arm64 debug behaviour (kvm.md). Each subclass in {@code kvm.versions} is one
 * kernel change, with its commit subject in its Javadoc; every decision it makes is a {@link Step}
 * (a protected method named after the kernel function), so a reviewer's what-if overrides one
 * step without copying the model:
 *
 * <pre>{@code
 * KvmVersion v = KvmVersion.of("v2").variant("v2, if instead of else-if")
 *         .override(Step.KVM_ARM_SETUP_DEBUG, (ctx, original) -> { DebugSetup s = original.call(); ... });
 * }</pre>
 *
 * Versions and variants are immutable values.
 */
public abstract class KvmVersion {
    /** The version families of kvm.md §0. */
    public enum Family { PRE, V2, MERGED, OWNER }

    private final String release;

    protected KvmVersion(String release) {
        this.release = release;
    }

    /**
     * The model of a kernel release: "5.15".."5.17" (PRE), "v2" (the seed's patch on 5.15),
     * "5.18".."6.0" (MERGED; hsr_high from 5.19), "6.1".."6.13" (MERGED with the single-step
     * fixes), "6.14" and later (OWNER). A leading "v" and a patch level ("6.1.176") are accepted.
     */
    public static KvmVersion of(String release) {
        if (release == null) throw new IllegalArgumentException("KvmVersion.of(null): give a release such as \"6.1\" or \"v2\"");
        String r = release.trim().toLowerCase();
        if (r.equals("v2") || r.equals("v2 patch") || r.equals("5.15+v2")) return new OsLockV2Patch();
        if (r.startsWith("v")) r = r.substring(1);
        String[] parts = r.split("\\.");
        int major, minor;
        try {
            if (parts.length < 2) throw new NumberFormatException();
            major = Integer.parseInt(parts[0]);
            minor = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown KVM version \"" + release + "\": use a release such as \"5.15\", \"5.18\", "
                    + "\"6.1\", \"6.14\" or \"v2\" for the seed's OS-lock patch");
        }
        String norm = major + "." + minor;
        int v = major * 100 + minor;
        if (v < 515 || major > 7)
            throw new IllegalArgumentException("KVM version \"" + release + "\" is not modelled: the model covers 5.15 to 7.x "
                    + "(families PRE 5.15-5.17, MERGED 5.18-6.13, OWNER 6.14+) and \"v2\"");
        if (v <= 517) return new PreOsLock(norm);
        if (v <= 600) return new EmulateOsLock(norm);
        if (v <= 613) return new SingleStepFixes(norm);
        return new DebugOwner(norm);
    }

    /** The releases the project names (kvm.md §0): 5.15, v2, 5.18, 5.19, 6.1, 6.12, 6.14, 7.2. */
    public static List<KvmVersion> all() {
        return List.of(of("5.15"), of("v2"), of("5.18"), of("5.19"), of("6.1"), of("6.12"), of("6.14"), of("7.2"));
    }

    /** The release, "6.1"; "5.15+v2" for the v2 patch. */
    public String release() {
        return release;
    }

    /** The kvm.md §0 family (PRE, V2, MERGED, OWNER). */
    public abstract Family family();

    /** The name shown in traces: "v6.1", "v2 patch", or a variant's name. */
    public String name() {
        return "v" + release;
    }

    /** True from v5.19: debug exits carry hsr_high and KVM_DEBUG_ARCH_HSR_HIGH_VALID (18f3976fdb5d). */
    public boolean hasHsrHigh() {
        return false;
    }

    /** PSCI_VERSION's answer: 1.0 before the OS-lock series (0x10000), 1.1 from 5.18 (0x10001; UNVERIFIED, not in kvm.md). */
    public long psciVersion() {
        return 0x10000;
    }

    /** A row of the sys_regs table: a register and the handler that emulates a trapped guest access to it. */
    public record SysRegRow(String register, String handler) {
        @Override
        public String toString() {
            return register + " -> " + handler;
        }
    }

    /**
     * The sys_regs table (sys_reg_descs, walked by kvm_handle_sys_reg → emulate_sys_reg) as this
     * model holds it: the OS-lock registers and the debug registers are rows whose handler is a
     * {@link Step} of this version (so a variant changes them by overriding the step);
     * MDRAR_EL1, DBGCLAIMSET/CLR_EL1 and MDCCSR_EL0 are trap_raz_wi; DBGAUTHSTATUS_EL1 reads the
     * host's value; an access to any other trapped register injects UNDEFINED.
     */
    public List<SysRegRow> sysRegTable() {
        return Vcpu.sysRegRows();
    }

    /** A named, immutable variant of this version, without overrides yet. */
    public KvmVersion variant(String variantName) {
        if (variantName == null || variantName.isBlank())
            throw new IllegalArgumentException("variant(name): give the what-if a name, e.g. \"v2, if instead of else-if\"");
        return new Variant(this, variantName, Map.of());
    }

    /**
     * A new version equal to this one but with {@code step} replaced by {@code override}
     * ({@code (ctx, original) -> ...}). The name stays this version's (call {@link #variant} first
     * to name the what-if).
     */
    public <R> KvmVersion override(Step<R> step, StepOverride<R> override) {
        if (step == null || override == null)
            throw new IllegalArgumentException("override(step, fn): both are required, e.g. override(Step.KVM_ARM_SETUP_DEBUG, (ctx, original) -> original.call())");
        Map<Step<?>, StepOverride<?>> m = new LinkedHashMap<>();
        m.put(step, override);
        return new Variant(this, name() + " with " + step.name() + " overridden", m);
    }

    /** True for variants (versions with overrides). */
    public boolean isVariant() {
        return false;
    }

    /** The steps this version overrides (empty for the kernel classes). */
    public List<Step<?>> overriddenSteps() {
        return List.of();
    }

    /** Runs {@code step} as this version does (a variant applies its overrides). */
    <R> R call(Step<R> step, StepContext ctx) {
        return step.invoke(this, ctx);
    }

    @Override
    public String toString() {
        return name() + " (" + family() + ")";
    }

    // --- the steps (kernel functions) ------------------------------------------------------------------

    /** reset_vcpu_sys_regs: OSLSR_EL1's reset value. */
    protected abstract Long oslsrReset(StepContext ctx);

    /** The OSLAR_EL1 row of sys_reg_descs (trap_oslar_el1 or trap_raz_wi). */
    protected abstract SysRegResult handleOslar(StepContext ctx);

    /** The OSLSR_EL1 row of sys_reg_descs (trap_oslsr_el1). */
    protected abstract SysRegResult handleOslsr(StepContext ctx);

    /** The OSDLR_EL1 row of sys_reg_descs (trap_raz_wi). */
    protected abstract SysRegResult handleOsdlr(StepContext ctx);

    /** The DBGPRCR_EL1 row of sys_reg_descs (trap_raz_wi). */
    protected abstract SysRegResult handleDbgprcr(StepContext ctx);

    /** trap_debug_regs / trap_bvr / trap_bcr / trap_wvr / trap_wcr: the guest's saved copies. */
    protected abstract SysRegResult trapDebugRegs(StepContext ctx);

    /** get_user of a sys_reg_desc (KVM_GET_ONE_REG). */
    protected abstract Long getUser(StepContext ctx);

    /** set_user of a sys_reg_desc (KVM_SET_ONE_REG): the value to store, or throws KvmError(EINVAL). */
    protected abstract Long setUser(StepContext ctx);

    /** kvm_arm_setup_mdcr_el2: MDCR_EL2 for the next entry. */
    protected abstract Long kvmArmSetupMdcrEl2(StepContext ctx);

    /** kvm_arm_setup_debug (kvm_vcpu_load_debug in OWNER): the guest-entry debug state. */
    protected abstract DebugSetup kvmArmSetupDebug(StepContext ctx);

    /** kvm_arm_clear_debug (kvm_vcpu_put_debug in OWNER): after each exit. */
    protected abstract Void kvmArmClearDebug(StepContext ctx);

    /** kvm_handle_guest_debug: a debug-class exit. */
    protected abstract DebugExitDecision kvmHandleGuestDebug(StepContext ctx);

    /** walk_sys_regs / kvm_arm_copy_reg_indices: is {@code ctx.regId()} listed? */
    protected abstract Boolean regListMembership(StepContext ctx);
}
