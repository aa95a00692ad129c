package dev.debuglab.emulator.testkit;

/**
 * One exception entry as both engines report it: QEMU through {@code -d int}, the emulator
 * through its exception listener. Semihosting calls are not exceptions here.
 *
 * @param fromEl the EL the exception was taken from
 * @param toEl   the EL it was taken to
 * @param esr    the syndrome written to ESR_ELx
 * @param elr    the return address written to ELR_ELx
 * @param vector the handler address (VBAR_ELx plus the vector offset)
 * @param far    the FAR value written, or null when the exception does not write FAR
 */
public record ExceptionEvent(int fromEl, int toEl, long esr, long elr, long vector, Long far) {
    /** Equal in everything but FAR (QEMU writes FAR where the architecture leaves it UNKNOWN; see deviation Q7). */
    public boolean sameEntry(ExceptionEvent o) {
        return fromEl == o.fromEl && toEl == o.toEl && esr == o.esr && elr == o.elr && vector == o.vector;
    }

    @Override
    public String toString() {
        return String.format("EL%d->EL%d ESR=0x%08X (EC 0x%02X) ELR=0x%X vector=0x%X%s", fromEl, toEl, esr, (esr >>> 26) & 0x3F,
                elr, vector, far == null ? "" : String.format(" FAR=0x%X", far));
    }
}
