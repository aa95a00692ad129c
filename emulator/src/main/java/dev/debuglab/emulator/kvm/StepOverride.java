package dev.debuglab.emulator.kvm;

/**
 * A reviewer's replacement of one {@link Step}: {@code (ctx, original) -> ...}. The override
 * sees the vCPU through {@code ctx} and may call {@code original.call()} to get what the version
 * would have done, then change it. Anything it throws (except a deliberate {@link KvmError} from
 * a ONE_REG validation) becomes a KVM_EXIT_INTERNAL_ERROR naming the variant and the step, with
 * the vCPU state as it was before the step.
 */
@FunctionalInterface
public interface StepOverride<R> {
    R apply(StepContext ctx, Original<R> original);

    /** The overridden behaviour (the base version's, or an earlier override's). */
    @FunctionalInterface
    interface Original<R> {
        R call();
    }
}
