package dev.debuglab.emulator.kvm;

/**
 * A failed KVM ioctl: the errno the kernel returns ({@link #errno()}) and a message naming the
 * ioctl, the register or value, and what to do instead. Unchecked, as a VMM usually treats these
 * as fatal; tests catch it to assert the errno.
 */
public final class KvmError extends RuntimeException {
    private final Errno errno;
    private final String ioctl;

    /** An ioctl failure: {@code errno}, the ioctl's name and a message naming the register or value and the fix. */
    public KvmError(Errno errno, String ioctl, String message) {
        super(ioctl + " failed with " + errno + ": " + message);
        this.errno = errno;
        this.ioctl = ioctl;
    }

    /** The errno the ioctl returns (negated in C). */
    public Errno errno() {
        return errno;
    }

    /** The ioctl that failed, e.g. "KVM_SET_ONE_REG". */
    public String ioctl() {
        return ioctl;
    }
}
