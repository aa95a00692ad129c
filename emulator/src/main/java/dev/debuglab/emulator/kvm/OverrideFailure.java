package dev.debuglab.emulator.kvm;

/** An exception thrown inside a reviewer's override, tagged with the variant and the step. */
final class OverrideFailure extends RuntimeException {
    final String variant;
    final Step<?> step;

    OverrideFailure(String variant, Step<?> step, String message, Throwable cause) {
        super("override of " + step.name() + " in \"" + variant + "\" failed: " + message, cause);
        this.variant = variant;
        this.step = step;
    }
}
