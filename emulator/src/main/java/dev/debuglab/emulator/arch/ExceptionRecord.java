package dev.debuglab.emulator.arch;

/**
 * A synchronous exception as execution produces it, before routing: its class (the lower-EL
 * variant for the classes that have two), the ISS, the preferred return address and, for the
 * classes that report one, the fault address. The record is a value: execution returns it, the
 * step harness hands it to {@code Exceptions.take}, which picks the target EL, the same-EL EC
 * variant, and writes ESR/ELR/SPSR/FAR.
 *
 * @param ec         exception class (lower-EL variant where a pair exists)
 * @param iss        instruction-specific syndrome, ISS[24:0]
 * @param returnAddr preferred return address (architecture.md §3.3)
 * @param far        fault address, or {@link #NO_FAR} when FAR becomes UNKNOWN (left unchanged here)
 * @param targetEl   the EL it must be taken to, or {@link #ROUTE_DEFAULT} for the usual rule
 *                   (current EL, raised to EL1 from EL0, to EL2 when HCR_EL2.TGE routes EL0's)
 */
public record ExceptionRecord(ExceptionClass ec, int iss, long returnAddr, long far, int targetEl) {
    public static final long NO_FAR = Long.MIN_VALUE + 1;
    public static final int ROUTE_DEFAULT = -1;

    public static ExceptionRecord of(ExceptionClass ec, int iss, long returnAddr) {
        return new ExceptionRecord(ec, iss, returnAddr, NO_FAR, ROUTE_DEFAULT);
    }

    public ExceptionRecord to(int el) {
        return new ExceptionRecord(ec, iss, returnAddr, far, el);
    }

    public ExceptionRecord withFar(long address) {
        return new ExceptionRecord(ec, iss, returnAddr, address, targetEl);
    }

    public boolean hasFar() {
        return far != NO_FAR;
    }
}
