package dev.debuglab.realkvm;

/** A problem the user can fix (bad kernel image, no KVM in it, a boot that hangs or panics): one clear message. */
public final class RealKvmException extends RuntimeException {
    public RealKvmException(String message) {
        super(message);
    }
}
