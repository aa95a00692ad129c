package dev.debuglab.emulator.vmm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decisions QEMU's {@code kvm_arm_handle_debug} makes for a KVM_EXIT_DEBUG, each a named,
 * overridable step (vmm.md §1.2, §1.3), and the named variants built from them. Immutable: a what-if
 * is a new policy,
 * <pre>
 * QemuPolicy p = QemuPolicy.QEMU.variant("QEMU, but never inject")
 *         .override(QemuPolicy.SHOULD_INJECT, (ctx, original) -&gt; Decision.drop("what-if"));
 * </pre>
 * whose name appears in the events. An exception thrown by an override ends the run with
 * {@link VmmRun.Outcome#VMM_ERROR} naming the step and the policy; nothing is written back.
 *
 * <p>Ready-made variants: {@link #QEMU} (exactly QEMU), {@link #CORRECT} (the rule of vmm.md §4.1 a
 * correct VMM must apply before injecting) and {@link #FIRECRACKER} (injection is a no-op, as in
 * Firecracker's aarch64 gdb support).
 */
public final class QemuPolicy {

    /** A step: its kernel-style name and the type of its answer. */
    public static final class Step<T> {
        private final String name;

        private Step(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The step's default behaviour, callable from an override. */
    @FunctionalInterface
    public interface Original<T> {
        T call();
    }

    /** A reviewer's replacement of one step. */
    @FunctionalInterface
    public interface StepOverride<T> {
        T apply(DebugContext ctx, Original<T> original);
    }

    /** Is the exit QEMU's own event (ownership table, vmm.md §1.2)? */
    public static final Step<Ownership> IS_OWN_DEBUG_EVENT = new Step<>("isOwnDebugEvent");
    /** For an event that is not its own: inject it into the guest, or log and resume? */
    public static final Step<Decision> SHOULD_INJECT = new Step<>("shouldInject");
    /** The guest state the injection produces (vmm.md §1.3). */
    public static final Step<Injection> INJECT_DEBUG_EXCEPTION = new Step<>("injectDebugException");

    /** The answer of {@link #IS_OWN_DEBUG_EVENT}. */
    public record Ownership(boolean own, String reason) {
        public static Ownership own(String reason) {
            return new Ownership(true, reason);
        }

        public static Ownership foreign(String reason) {
            return new Ownership(false, reason);
        }
    }

    /**
     * The answer of {@link #SHOULD_INJECT}.
     *
     * @param stepOver for a dropped breakpoint/watchpoint: the VMM must let the guest execute the
     *                 instruction once with every comparator disabled (else the same event exits again
     *                 at once); QEMU never needs it (it drops only software steps)
     */
    public record Decision(boolean inject, String reason, boolean stepOver) {
        public static Decision inject(String reason) {
            return new Decision(true, reason, false);
        }

        public static Decision drop(String reason) {
            return new Decision(false, reason, false);
        }

        /** Drop, and step the guest over the instruction with all comparators disabled. */
        public static Decision dropAndStepOver(String reason) {
            return new Decision(false, reason, true);
        }
    }

    /**
     * The answer of {@link #INJECT_DEBUG_EXCEPTION}: the guest registers after the synthetic EL1
     * exception entry.
     *
     * @param farWritten whether FAR_EL1 is written (QEMU: never)
     */
    public record Injection(long esr, long elr, long spsr, long pstate, long pc, boolean farWritten, long far) {
        public Injection withEsr(long v) {
            return new Injection(v, elr, spsr, pstate, pc, farWritten, far);
        }

        public Injection withFar(long address) {
            return new Injection(esr, elr, spsr, pstate, pc, true, address);
        }

        public Injection withPc(long v) {
            return new Injection(esr, elr, spsr, pstate, v, farWritten, far);
        }
    }

    /** QEMU exactly (vmm.md §1). */
    public static final QemuPolicy QEMU = new QemuPolicy("QEMU", Map.of());

    /**
     * The "correct VMM" of vmm.md §4.1: BRK always injected; a step it did not request dropped; a
     * breakpoint/watchpoint injected only if the guest alone (ELd = EL1) would take it — OS Lock
     * clear (OSLSR_EL1 through KVM_GET_ONE_REG; -ENOENT before v5.18 means RAZ/WI, OSLK = 0), MDE set,
     * at EL1 KDE set and PSTATE.D clear, and one of the guest's own comparators matching; injected
     * with the same-EL EC when the guest was at EL1 and with FAR_EL1 for a watchpoint.
     */
    public static final QemuPolicy CORRECT = QEMU.variant("correct VMM (vmm.md §4.1)")
            .override(SHOULD_INJECT, (ctx, original) -> CorrectInjection.shouldInject(ctx))
            .override(INJECT_DEBUG_EXCEPTION, (ctx, original) -> CorrectInjection.fixSyndrome(ctx, original.call()));

    /**
     * Firecracker's aarch64 gdb support (vmm.md §2, for contrast): ownership as QEMU's, but a guest-owned
     * event is never injected ("KVM does not support injecting breakpoints on aarch64") — the guest
     * resumes unchanged.
     */
    public static final QemuPolicy FIRECRACKER = QEMU.variant("Firecracker")
            .override(SHOULD_INJECT, (ctx, original) -> Decision.drop(
                    "injection is a no-op on aarch64 (Firecracker: \"KVM does not support injecting breakpoints on aarch64\")"));

    private final String name;
    private final Map<Step<?>, StepOverride<?>> overrides;

    private QemuPolicy(String name, Map<Step<?>, StepOverride<?>> overrides) {
        this.name = name;
        this.overrides = Map.copyOf(overrides);
    }

    public String name() {
        return name;
    }

    /** The same policy under a new name (for a what-if). */
    public QemuPolicy variant(String newName) {
        if (newName == null || newName.isBlank()) throw new IllegalArgumentException("a variant needs a name, e.g. \"QEMU, checking OSLK\"");
        return new QemuPolicy(newName, overrides);
    }

    /** A new policy with {@code step} replaced; the override may call the original. */
    public <T> QemuPolicy override(Step<T> step, StepOverride<T> fn) {
        if (step == null || fn == null) throw new IllegalArgumentException("override needs a step (QemuPolicy.SHOULD_INJECT, ...) and a function");
        Map<Step<?>, StepOverride<?>> m = new LinkedHashMap<>(overrides);
        StepOverride<?> previous = m.get(step);
        if (previous == null) {
            m.put(step, fn);
        } else {
            // Stack overrides: the new one sees the previous one as its original.
            @SuppressWarnings("unchecked") StepOverride<T> p = (StepOverride<T>) previous;
            m.put(step, (StepOverride<T>) (ctx, original) -> fn.apply(ctx, () -> p.apply(ctx, original)));
        }
        return new QemuPolicy(name, m);
    }

    /** Runs {@code step}: the override if there is one, else {@code original}. */
    @SuppressWarnings("unchecked")
    <T> T apply(Step<T> step, DebugContext ctx, Original<T> original) {
        StepOverride<T> o = (StepOverride<T>) overrides.get(step);
        if (o == null) return original.call();
        try {
            return o.apply(ctx, original);
        } catch (RuntimeException e) {
            throw new VmmError("EFAULT", "override of " + step + " in policy '" + name + "' failed: " + e);
        }
    }

    public boolean overrides(Step<?> step) {
        return overrides.containsKey(step);
    }

    @Override
    public String toString() {
        return name + (overrides.isEmpty() ? "" : " (overrides " + overrides.keySet() + ")");
    }
}
