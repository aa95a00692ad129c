package dev.debuglab.emulator.kvm;

import dev.debuglab.emulator.arch.Syndrome;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The vCPU's mmap'd {@code struct kvm_run} (include/uapi/linux/kvm.h): the exit reason, the flags
 * and the exit union. The union is one block of bytes, exactly as in C, so the arm64 debug exit's
 * {@code far} (bytes 8..15) is the same storage as the MMIO exit's {@code data[8]}: KVM writes
 * {@code far} only for watchpoint exits (EC 0x34), and any other debug exit shows whatever the
 * union last held — stale MMIO data (kvm.md §1.2, §6.3 N2). Userspace writes {@link #setMmioData}
 * before the next KVM_RUN to complete an MMIO read.
 */
public final class KvmRun {
    public static final int KVM_EXIT_UNKNOWN = 0, KVM_EXIT_EXCEPTION = 1, KVM_EXIT_IO = 2, KVM_EXIT_HYPERCALL = 3,
            KVM_EXIT_DEBUG = 4, KVM_EXIT_HLT = 5, KVM_EXIT_MMIO = 6, KVM_EXIT_FAIL_ENTRY = 9, KVM_EXIT_INTR = 10,
            KVM_EXIT_INTERNAL_ERROR = 17, KVM_EXIT_SYSTEM_EVENT = 24;
    /** {@code run->flags} bit 0 on debug exits from v5.19: {@code hsr_high} is valid. */
    public static final int KVM_DEBUG_ARCH_HSR_HIGH_VALID = 1;
    public static final int KVM_SYSTEM_EVENT_SHUTDOWN = 1, KVM_SYSTEM_EVENT_RESET = 2, KVM_SYSTEM_EVENT_CRASH = 3;
    /** {@code internal.suberror} used by this model: KVM_INTERNAL_ERROR_EMULATION. */
    public static final int KVM_INTERNAL_ERROR_EMULATION = 1;

    // Offsets inside the exit union.
    private static final int DEBUG_HSR = 0, DEBUG_HSR_HIGH = 4, DEBUG_FAR = 8;
    private static final int MMIO_PHYS_ADDR = 0, MMIO_DATA = 8, MMIO_LEN = 16, MMIO_IS_WRITE = 20;
    private static final int SYSTEM_EVENT_TYPE = 0, SYSTEM_EVENT_NDATA = 4, SYSTEM_EVENT_DATA = 8;
    private static final int INTERNAL_SUBERROR = 0;

    private final ByteBuffer union = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    private int exitReason;
    private int flags;
    private String message = "";

    KvmRun() {}

    /** {@code run->exit_reason}. */
    public int exitReason() {
        return exitReason;
    }

    /** {@code run->flags} (bit 0 KVM_DEBUG_ARCH_HSR_HIGH_VALID on debug exits from v5.19). */
    public int flags() {
        return flags;
    }

    /** {@code run->debug.arch.hsr}: ESR_EL2[31:0] of a debug exit. */
    public long debugHsr() {
        return Integer.toUnsignedLong(union.getInt(DEBUG_HSR));
    }

    /** {@code run->debug.arch.hsr_high}: ESR_EL2[63:32] (from v5.19; 0 on this PE). */
    public long debugHsrHigh() {
        return Integer.toUnsignedLong(union.getInt(DEBUG_HSR_HIGH));
    }

    /** {@code run->debug.arch.far}: FAR_EL2 for watchpoint exits; otherwise whatever the union held. */
    public long debugFar() {
        return union.getLong(DEBUG_FAR);
    }

    /** {@code run->mmio.phys_addr}: the IPA of the access. */
    public long mmioPhysAddr() {
        return union.getLong(MMIO_PHYS_ADDR);
    }

    /** {@code run->mmio.data} as a little-endian value of {@link #mmioLen()} bytes. */
    public long mmioData() {
        int len = mmioLen();
        long v = union.getLong(MMIO_DATA);
        return len >= 8 || len <= 0 ? v : v & ((1L << (8 * len)) - 1);
    }

    /** {@code run->mmio.len}: 1, 2, 4 or 8. */
    public int mmioLen() {
        return union.getInt(MMIO_LEN);
    }

    /** {@code run->mmio.is_write}. */
    public boolean mmioIsWrite() {
        return union.get(MMIO_IS_WRITE) != 0;
    }

    /**
     * Userspace's answer to an MMIO read: writes {@code run->mmio.data} (the low {@code len}
     * bytes, little-endian), which the next KVM_RUN loads into the destination register
     * (kvm_handle_mmio_return). Writing it after an MMIO write exit is harmless, as in C.
     */
    public void setMmioData(long value) {
        union.putLong(MMIO_DATA, value);
    }

    /** {@code run->system_event.type}: KVM_SYSTEM_EVENT_SHUTDOWN, _RESET or _CRASH. */
    public int systemEventType() {
        return union.getInt(SYSTEM_EVENT_TYPE);
    }

    /** {@code run->internal.suberror} of a KVM_EXIT_INTERNAL_ERROR. */
    public int internalSuberror() {
        return union.getInt(INTERNAL_SUBERROR);
    }

    /**
     * The model's explanation of the exit: for KVM_EXIT_INTERNAL_ERROR and KVM_EXIT_INTR the
     * reason in words (what was unsupported, which override failed, that the budget ran out);
     * for other exits a one-line description.
     */
    public String message() {
        return message;
    }

    /** Alias of {@link #message()} for internal-error exits. */
    public String internalError() {
        return exitReason == KVM_EXIT_INTERNAL_ERROR ? message : "";
    }

    // --- written by the kernel side ----------------------------------------------------------------

    /** Start of KVM_RUN: exit_reason = KVM_EXIT_UNKNOWN, flags = 0 (kvm_arch_vcpu_ioctl_run). The union is kept. */
    void beginRun() {
        exitReason = KVM_EXIT_UNKNOWN;
        flags = 0;
        message = "";
    }

    /** The debug exit (kvm_handle_guest_debug): hsr, hsr_high when valid, far only when {@code writeFar}. */
    void debugExit(long hsr, long hsrHigh, int runFlags, boolean writeFar, long far, String text) {
        exitReason = KVM_EXIT_DEBUG;
        flags |= runFlags;
        union.putInt(DEBUG_HSR, (int) hsr);
        if ((runFlags & KVM_DEBUG_ARCH_HSR_HIGH_VALID) != 0) union.putInt(DEBUG_HSR_HIGH, (int) hsrHigh);
        if (writeFar) union.putLong(DEBUG_FAR, far);
        message = text;
    }

    /** io_mem_abort: the MMIO exit; for a write {@code data} holds the stored bytes. */
    void mmioExit(long physAddr, int len, boolean isWrite, long data, String text) {
        exitReason = KVM_EXIT_MMIO;
        union.putLong(MMIO_PHYS_ADDR, physAddr);
        if (isWrite) union.putLong(MMIO_DATA, len >= 8 ? data : data & ((1L << (8 * len)) - 1));
        union.putInt(MMIO_LEN, len);
        union.put(MMIO_IS_WRITE, (byte) (isWrite ? 1 : 0));
        message = text;
    }

    void systemEvent(int type, String text) {
        exitReason = KVM_EXIT_SYSTEM_EVENT;
        union.putInt(SYSTEM_EVENT_TYPE, type);
        union.putInt(SYSTEM_EVENT_NDATA, 0);
        union.putLong(SYSTEM_EVENT_DATA, 0);
        message = text;
    }

    void internalError(String text) {
        exitReason = KVM_EXIT_INTERNAL_ERROR;
        union.putInt(INTERNAL_SUBERROR, KVM_INTERNAL_ERROR_EMULATION);
        message = text;
    }

    void interrupted(String text) {
        exitReason = KVM_EXIT_INTR;
        message = text;
    }

    /** The raw mmio.data bytes as a long (all 8 bytes), for the kernel's MMIO completion. */
    long rawMmioData() {
        return union.getLong(MMIO_DATA);
    }

    /** The name of an exit reason: "KVM_EXIT_DEBUG". */
    public static String exitName(int reason) {
        return switch (reason) {
            case KVM_EXIT_UNKNOWN -> "KVM_EXIT_UNKNOWN";
            case KVM_EXIT_EXCEPTION -> "KVM_EXIT_EXCEPTION";
            case KVM_EXIT_IO -> "KVM_EXIT_IO";
            case KVM_EXIT_HYPERCALL -> "KVM_EXIT_HYPERCALL";
            case KVM_EXIT_DEBUG -> "KVM_EXIT_DEBUG";
            case KVM_EXIT_HLT -> "KVM_EXIT_HLT";
            case KVM_EXIT_MMIO -> "KVM_EXIT_MMIO";
            case KVM_EXIT_FAIL_ENTRY -> "KVM_EXIT_FAIL_ENTRY";
            case KVM_EXIT_INTR -> "KVM_EXIT_INTR";
            case KVM_EXIT_INTERNAL_ERROR -> "KVM_EXIT_INTERNAL_ERROR";
            case KVM_EXIT_SYSTEM_EVENT -> "KVM_EXIT_SYSTEM_EVENT";
            default -> "exit reason " + reason;
        };
    }

    @Override
    public String toString() {
        return switch (exitReason) {
            case KVM_EXIT_DEBUG -> String.format("KVM_EXIT_DEBUG hsr=0x%08X (%s) hsr_high=0x%X far=0x%X flags=0x%X",
                    debugHsr(), Syndrome.describe(debugHsr()), debugHsrHigh(), debugFar(), flags);
            case KVM_EXIT_MMIO -> String.format("KVM_EXIT_MMIO %s phys_addr=0x%X len=%d%s", mmioIsWrite() ? "write" : "read",
                    mmioPhysAddr(), mmioLen(), mmioIsWrite() ? String.format(" data=0x%X", mmioData()) : "");
            case KVM_EXIT_SYSTEM_EVENT -> "KVM_EXIT_SYSTEM_EVENT type=" + switch (systemEventType()) {
                case KVM_SYSTEM_EVENT_SHUTDOWN -> "SHUTDOWN";
                case KVM_SYSTEM_EVENT_RESET -> "RESET";
                case KVM_SYSTEM_EVENT_CRASH -> "CRASH";
                default -> String.valueOf(systemEventType());
            };
            case KVM_EXIT_INTERNAL_ERROR, KVM_EXIT_INTR -> exitName(exitReason) + ": " + message;
            default -> exitName(exitReason);
        };
    }
}
