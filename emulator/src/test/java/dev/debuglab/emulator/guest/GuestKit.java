package dev.debuglab.emulator.guest;

/**
 * The tests' standard guest source, shared by the bare-metal runner ({@link StandardVectorsTest})
 * and the KVM unit tests' kit, so both run the same program around a test's body.
 */
public final class GuestKit {
    private GuestKit() {}

    /** {@code _start}: VBAR_EL1 = {@code vectors}, SP = 0x4020_0000. Clobbers X0. */
    public static final String START = """
            _start:
                    adr     x0, vectors
                    msr     vbar_el1, x0
                    movz    x0, #0x4020, lsl #16
                    mov     sp, x0
            """;

    /** {@link #START}, {@code body}, PSCI SYSTEM_OFF, then the {@link StandardVectors} runtime. */
    public static String standardGuest(String body) {
        return START + body + StandardVectors.systemOff() + StandardVectors.source();
    }

    /**
     * "Reset debug state" (scenarios.md conventions): DAIF.D masked, OS Double Lock and OS Lock
     * clear, MDSCR_EL1 and CONTEXTIDR_EL1 zero, the first {@code breakpoints} breakpoints and
     * {@code watchpoints} watchpoints disarmed. Clobbers nothing.
     */
    public static String resetDebug(int breakpoints, int watchpoints) {
        StringBuilder s = new StringBuilder("    msr     daifset, #8\n    msr     osdlr_el1, xzr\n    msr     oslar_el1, xzr\n    isb\n");
        s.append("    msr     mdscr_el1, xzr\n    msr     contextidr_el1, xzr\n");
        for (int n = 0; n < breakpoints; n++)
            s.append("    msr     dbgbcr").append(n).append("_el1, xzr\n    msr     dbgbvr").append(n).append("_el1, xzr\n");
        for (int n = 0; n < watchpoints; n++)
            s.append("    msr     dbgwcr").append(n).append("_el1, xzr\n    msr     dbgwvr").append(n).append("_el1, xzr\n");
        s.append("    isb\n");
        return s.toString();
    }

    /** "Enable debug": DAIFClr #8, MDSCR_EL1 |= KDE | MDE, ISB. Clobbers X9, X10. */
    public static final String ENABLE_DEBUG = """
                msr     daifclr, #8
                mrs     x9, mdscr_el1
                mov     x10, #0xa000
                orr     x9, x9, x10
                msr     mdscr_el1, x9
                isb
            """;
}
