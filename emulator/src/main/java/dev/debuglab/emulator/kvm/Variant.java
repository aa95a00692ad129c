package dev.debuglab.emulator.kvm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reviewer's what-if: a base version with some steps overridden, under its own name. Immutable;
 * {@link #override} returns a new variant. An exception inside an override is wrapped in an
 * {@link OverrideFailure} naming the variant and the step (a deliberate {@link KvmError} passes).
 */
final class Variant extends KvmVersion {
    private final KvmVersion base;
    private final String name;
    private final Map<Step<?>, StepOverride<?>> overrides;

    Variant(KvmVersion base, String name, Map<Step<?>, StepOverride<?>> overrides) {
        super(base.release());
        this.base = base;
        this.name = name;
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public Family family() {
        return base.family();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hasHsrHigh() {
        return base.hasHsrHigh();
    }

    @Override
    public long psciVersion() {
        return base.psciVersion();
    }

    @Override
    public boolean isVariant() {
        return true;
    }

    @Override
    public List<Step<?>> overriddenSteps() {
        return List.copyOf(overrides.keySet());
    }

    @Override
    public KvmVersion variant(String variantName) {
        KvmVersion v = super.variant(variantName);
        return new Variant(base, ((Variant) v).name, overrides);
    }

    @Override
    public <R> KvmVersion override(Step<R> step, StepOverride<R> override) {
        if (step == null || override == null)
            throw new IllegalArgumentException("override(step, fn): both are required");
        // A second override of the same step wraps the first: its "original" is the earlier override.
        if (overrides.containsKey(step)) {
            return new Variant(this, name, Map.of(step, override));
        }
        Map<Step<?>, StepOverride<?>> m = new LinkedHashMap<>(overrides);
        m.put(step, override);
        return new Variant(base, name, m);
    }

    @Override
    @SuppressWarnings("unchecked")
    <R> R call(Step<R> step, StepContext ctx) {
        StepOverride<R> o = (StepOverride<R>) overrides.get(step);
        if (o == null) return base.call(step, ctx);
        try {
            R r = o.apply(ctx, () -> base.call(step, ctx));
            if (r == null && step != Step.KVM_ARM_CLEAR_DEBUG)
                throw new OverrideFailure(name, step, "the override returned null; return a value (e.g. original.call())", null);
            return r;
        } catch (KvmError | OverrideFailure e) {
            throw e;
        } catch (RuntimeException | Error e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new OverrideFailure(name, step, msg, e);
        }
    }

    @Override
    protected Long oslsrReset(StepContext ctx) { return base.call(Step.OSLSR_RESET, ctx); }

    @Override
    protected SysRegResult handleOslar(StepContext ctx) { return base.call(Step.HANDLE_OSLAR, ctx); }

    @Override
    protected SysRegResult handleOslsr(StepContext ctx) { return base.call(Step.HANDLE_OSLSR, ctx); }

    @Override
    protected SysRegResult handleOsdlr(StepContext ctx) { return base.call(Step.HANDLE_OSDLR, ctx); }

    @Override
    protected SysRegResult handleDbgprcr(StepContext ctx) { return base.call(Step.HANDLE_DBGPRCR, ctx); }

    @Override
    protected SysRegResult trapDebugRegs(StepContext ctx) { return base.call(Step.TRAP_DEBUG_REGS, ctx); }

    @Override
    protected Long getUser(StepContext ctx) { return base.call(Step.GET_USER, ctx); }

    @Override
    protected Long setUser(StepContext ctx) { return base.call(Step.SET_USER, ctx); }

    @Override
    protected Long kvmArmSetupMdcrEl2(StepContext ctx) { return base.call(Step.KVM_ARM_SETUP_MDCR_EL2, ctx); }

    @Override
    protected DebugSetup kvmArmSetupDebug(StepContext ctx) { return base.call(Step.KVM_ARM_SETUP_DEBUG, ctx); }

    @Override
    protected Void kvmArmClearDebug(StepContext ctx) { return base.call(Step.KVM_ARM_CLEAR_DEBUG, ctx); }

    @Override
    protected DebugExitDecision kvmHandleGuestDebug(StepContext ctx) { return base.call(Step.KVM_HANDLE_GUEST_DEBUG, ctx); }

    @Override
    protected Boolean regListMembership(StepContext ctx) { return base.call(Step.REG_LIST_MEMBERSHIP, ctx); }
}
