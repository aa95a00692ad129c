package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.kvm.KvmVersion;

/**
 * Guest snippets for the VMM scenarios, in the words of scenarios.md's conventions (they clobber
 * X0/X1 only, plus X16/X17 for logging).
 */
final class G {
    private G() {}

    static final KvmVersion V515 = KvmVersion.of("5.15"), V2 = KvmVersion.of("v2"), V518 = KvmVersion.of("5.18"),
            V519 = KvmVersion.of("5.19"), V61 = KvmVersion.of("6.1"), V612 = KvmVersion.of("6.12"), V614 = KvmVersion.of("6.14");

    /** The watched doubleword of the scenarios (WCR_ST at 0x40100000). */
    static final long DATA = 0x4010_0000L;
    /** A FAR_EL1 marker the guest writes first, to see whether an injection wrote FAR_EL1. */
    static final long FAR_MARKER = 0x1234;

    /** OSLAR_EL1 = 0 (unlock), ISB. */
    static final String UNLOCK = """
                    msr     oslar_el1, xzr
                    isb
            """;

    /** OSLAR_EL1 = 1 (lock), ISB. */
    static final String LOCK = """
                    mov     x0, #1
                    msr     oslar_el1, x0
                    isb
            """;

    /** "Enable debug": DAIFClr #8, MDSCR_EL1 |= KDE | MDE, ISB. */
    static final String ENABLE_DEBUG = """
                    msr     daifclr, #8
                    mrs     x0, mdscr_el1
                    mov     x1, #0xa000
                    orr     x0, x0, x1
                    msr     mdscr_el1, x0
                    isb
            """;

    /** MDE = 1, KDE = 0, PSTATE.D = 0. */
    static final String MDE_ONLY = """
                    msr     daifclr, #8
                    mov     x0, #0x8000
                    msr     mdscr_el1, x0
                    isb
            """;

    /** FAR_EL1 = {@link #FAR_MARKER}. */
    static final String FAR_MARK = """
                    mov     x0, #0x1234
                    msr     far_el1, x0
            """;

    /** Breakpoint 0 = BCR_A (0x1E7) on {@code label}. */
    static String armBreakpoint(String label) {
        return """
                        adr     x0, %s
                        msr     dbgbvr0_el1, x0
                        mov     x0, #0x1e7
                        msr     dbgbcr0_el1, x0
                        isb
                """.formatted(label);
    }

    /** Watchpoint 0 = WCR_ST (0x1FF7: stores, BAS 0xFF) on {@link #DATA}. */
    static final String ARM_WATCHPOINT = """
                    movz    x0, #0x4010, lsl #16
                    msr     dbgwvr0_el1, x0
                    mov     x0, #0x1ff7
                    msr     dbgwcr0_el1, x0
                    isb
            """;

    /** Logs OSLSR_EL1 under {@code tag}. */
    static String logOslsr(int tag) {
        return "        mrs     x0, oslsr_el1\n" + StandardVectors.logValue(tag, "x0");
    }

    /** A label that is never executed (for a QEMU software breakpoint that only turns USE_SW_BP on). */
    static final String NEVER = """
                    b       1f
            never:
                    nop
            1:
            """;
}
