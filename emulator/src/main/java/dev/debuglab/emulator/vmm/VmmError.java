package dev.debuglab.emulator.vmm;

/**
 * A request the VMM refuses, with the errno QEMU's code returns for it (e.g. {@code ENOBUFS} when
 * the hardware pool is full, {@code EINVAL} when a software breakpoint's word was overwritten,
 * {@code ENOENT} for an unknown breakpoint) and one line naming the problem and the fix.
 */
public final class VmmError extends RuntimeException {
    private final String errno;

    public VmmError(String errno, String message) {
        super(errno + ": " + message);
        this.errno = errno;
    }

    /** "ENOBUFS", "EINVAL", "ENOENT", … */
    public String errno() {
        return errno;
    }
}
