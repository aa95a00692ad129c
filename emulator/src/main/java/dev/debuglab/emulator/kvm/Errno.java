package dev.debuglab.emulator.kvm;

/**
 * The Linux errno values the KVM ioctls return (include/uapi/asm-generic/errno-base.h, errno.h).
 * An ioctl that fails in this model throws a {@link KvmError} carrying one of these.
 */
public enum Errno {
    ENOENT(2, "No such file or directory"),
    E2BIG(7, "Argument list too long"),
    ENOEXEC(8, "Exec format error"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EINVAL(22, "Invalid argument"),
    ENOSYS(38, "Function not implemented"),
    ENOBUFS(105, "No buffer space available");

    /** The positive errno number (the ioctl returns its negation). */
    public final int code;
    public final String description;

    Errno(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** "-EINVAL (22)". */
    @Override
    public String toString() {
        return "-" + name() + " (" + code + ")";
    }
}
