package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Program;

/**
 * Builds the usual EL1 test guest around a body of assembly: {@code _start} installs the
 * {@link StandardVectors} table in VBAR_EL1, then the body runs, then PSCI SYSTEM_OFF ends the run.
 * The EL2 exit stub is included too (label {@code el2_vectors}), so the same program also runs on
 * bare metal for the verdict. NZCV is cleared first, so that bare metal (reset flags Z = 1) and KVM
 * (reset PSTATE 0x3C5) give the guest the same flags. The stack is set by the loader (ONE_REG SP_EL1 under a VMM), not by
 * the program. Assembled at {@link #CODE} (the start of guest RAM).
 */
public final class StandardGuest {
    private StandardGuest() {}

    /** Where the program is assembled: the start of guest RAM. */
    public static final long CODE = GuestImage.RAM_BASE;

    /** The full source: prologue, {@code body}, SYSTEM_OFF, vectors, EL2 stub. */
    public static String source(String body) {
        return """
                _start:
                        adr     x0, vectors
                        msr     vbar_el1, x0
                        msr     nzcv, xzr
                        isb
                """ + body + StandardVectors.systemOff() + "        b       .\n" + StandardVectors.source() + StandardVectors.EL2_EXIT_STUB;
    }

    /** Assembles {@link #source(String)} at {@link #CODE}. */
    public static Program assemble(String body) {
        return Assembler.assemble(CODE, source(body));
    }

    /** The guest image of {@link #assemble(String)}. */
    public static GuestImage image(String body) {
        return GuestImage.of(assemble(body));
    }
}
