package dev.debuglab.emulator.kvm;

/**
 * What a sys_regs table handler decided for one trapped guest access (the kernel's access
 * functions return true to advance the PC; emulating UNDEFINED injects an exception instead).
 *
 * @param kind  read value / write done / RAZ/WI / UNDEFINED
 * @param value for reads, the value written to Xt
 * @param note  the handler's reason in words (shown in the trace)
 */
public record SysRegResult(Kind kind, long value, String note) {
    public enum Kind { READ, WRITTEN, RAZ_WI, UNDEFINED }

    /** MRS returns {@code value} (PC advances). */
    public static SysRegResult read(long value, String note) {
        return new SysRegResult(Kind.READ, value, note);
    }

    /** MSR emulated (PC advances). */
    public static SysRegResult written(String note) {
        return new SysRegResult(Kind.WRITTEN, 0, note);
    }

    /** RAZ/WI: reads give 0, writes are ignored (PC advances). */
    public static SysRegResult razWi(String note) {
        return new SysRegResult(Kind.RAZ_WI, 0, note);
    }

    /** UNDEFINED injected into the guest (EC 0x00 at EL1); the PC does not advance. */
    public static SysRegResult undefined(String note) {
        return new SysRegResult(Kind.UNDEFINED, 0, note);
    }
}
