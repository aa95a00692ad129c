package dev.debuglab.emulator.guest;

/**
 * Assembly source of a standard EL1 guest runtime, for the project's own assembler (and GNU as):
 * a vector table whose synchronous handlers log each exception to the {@link GuestLog} port and
 * return sensibly, in the manner of the guests used to observe real KVM (kvm.md §6):
 * <ul>
 *   <li>BRK (EC 0x3C), UNDEFINED (0x00), trapped system instruction (0x18), Data Abort (0x24/0x25)
 *       and anything unexpected: skip the instruction (ELR += 4);</li>
 *   <li>Illegal Execution state (0x0E): clear SPSR.IL and skip;</li>
 *   <li>breakpoint (0x30/0x31): disarm breakpoint 0 (DBGBCR0_EL1 = 0) and return to it;</li>
 *   <li>watchpoint (0x34/0x35): disarm watchpoint 0 (DBGWCR0_EL1 = 0) and return, so the access completes;</li>
 *   <li>software step (0x32/0x33): set SPSR.SS so the next instruction is stepped too;</li>
 *   <li>SVC/HVC (0x15/0x16): return (ELR is already the next instruction).</li>
 * </ul>
 * The handlers preserve every general-purpose register; they use 32 bytes of the interrupted
 * stack. IRQ/FIQ/SError entries log and return. Labels defined: {@code vectors} (2 KiB aligned),
 * {@code dl_exception_common}.
 *
 * <p>Macros for guest code (they expand to instructions and clobber X16/X17 only):
 * {@link #logValue(int, String)} logs a register under a tag; {@link #systemOff()} ends the run
 * through PSCI SYSTEM_OFF (HVC), which the KVM model turns into a system-event exit and the bare
 * metal runner's EL2 stub ({@link #EL2_EXIT_STUB}) into a semihosting exit.
 */
public final class StandardVectors {
    private StandardVectors() {}

    /** PSCI 0.2 SYSTEM_OFF and SYSTEM_RESET function ids (SMC32/HVC32 calling convention). */
    public static final long PSCI_SYSTEM_OFF = 0x8400_0008L, PSCI_SYSTEM_RESET = 0x8400_0009L;

    /** The vector table and its common handler. */
    public static String source() {
        StringBuilder s = new StringBuilder();
        s.append("        .balign 2048\nvectors:\n");
        for (int i = 0; i < 16; i++) {
            s.append("        .balign 128\n");
            s.append("        sub     sp, sp, #32\n");
            s.append("        stp     x0, x1, [sp]\n");
            s.append("        stp     x2, x3, [sp, #16]\n");
            s.append(String.format("        mov     x0, #0x%x\n", i * 0x80));
            s.append("        b       dl_exception_common\n");
        }
        s.append("dl_exception_common:\n").append(logException("x0"));
        s.append("""
                        lsr     x0, x2, #26
                        cmp     x0, #0x15
                        b.eq    dl_return
                        cmp     x0, #0x16
                        b.eq    dl_return
                        cmp     x0, #0x30
                        b.eq    dl_breakpoint
                        cmp     x0, #0x31
                        b.eq    dl_breakpoint
                        cmp     x0, #0x34
                        b.eq    dl_watchpoint
                        cmp     x0, #0x35
                        b.eq    dl_watchpoint
                        cmp     x0, #0x32
                        b.eq    dl_step
                        cmp     x0, #0x33
                        b.eq    dl_step
                        cmp     x0, #0x0e
                        b.eq    dl_illegal
                dl_skip:
                        mrs     x0, elr_el1
                        add     x0, x0, #4
                        msr     elr_el1, x0
                        b       dl_return
                dl_illegal:
                        mrs     x0, spsr_el1
                        bic     x0, x0, #0x100000
                        msr     spsr_el1, x0
                        b       dl_skip
                dl_breakpoint:
                        msr     dbgbcr0_el1, xzr
                        isb
                        b       dl_return
                dl_watchpoint:
                        msr     dbgwcr0_el1, xzr
                        isb
                        b       dl_return
                dl_step:
                        mrs     x0, spsr_el1
                        orr     x0, x0, #0x200000
                        msr     spsr_el1, x0
                dl_return:
                        ldp     x2, x3, [sp, #16]
                        ldp     x0, x1, [sp]
                        add     sp, sp, #32
                        eret
                """);
        return s.toString();
    }

    /**
     * The start of an exception handler: one exception record to the {@link GuestLog} port, the
     * vector offset from {@code vectorReg}, then ESR_EL1, ELR_EL1, FAR_EL1 and SPSR_EL1 (the last
     * store completes the record). Leaves X1 = the port, X2 = ESR_EL1, X3 = ELR_EL1; clobbers X0
     * (after storing {@code vectorReg}). The vectors here, and the test guests' own handlers, log
     * with it so that every guest writes the same record.
     */
    public static String logException(String vectorReg) {
        return String.format("""
                        movz    x1, #0x%x, lsl #16
                        movk    x1, #0x%x
                        str     %s, [x1, #0x%x]
                        mrs     x2, esr_el1
                        str     x2, [x1, #0x%x]
                        mrs     x3, elr_el1
                        str     x3, [x1, #0x%x]
                        mrs     x0, far_el1
                        str     x0, [x1, #0x%x]
                        mrs     x0, spsr_el1
                        str     x0, [x1, #0x%x]
                """, GuestLog.BASE >>> 16, GuestLog.BASE & 0xFFFF, vectorReg, GuestLog.VECTOR, GuestLog.ESR, GuestLog.ELR,
                GuestLog.FAR, GuestLog.SPSR);
    }

    /** Logs register {@code xn} (e.g. "x0") under {@code tag} (0..65535). Clobbers X16, X17. */
    public static String logValue(int tag, String xn) {
        if (tag < 0 || tag > 0xFFFF) throw new IllegalArgumentException("log tag " + tag + " is not in 0..65535");
        return String.format("""
                        movz    x17, #0x%x, lsl #16
                        movz    x16, #0x%x
                        str     x16, [x17, #0x%x]
                        str     %s, [x17, #0x%x]
                """, GuestLog.BASE >>> 16, tag, GuestLog.TAG, xn, GuestLog.VALUE);
    }

    /** PSCI SYSTEM_OFF through HVC #0 (X0 = 0x84000008): the end of a guest run. */
    public static String systemOff() {
        return String.format("""
                        movz    x0, #0x%x, lsl #16
                        movk    x0, #0x%x
                        hvc     #0
                """, PSCI_SYSTEM_OFF >>> 16, PSCI_SYSTEM_OFF & 0xFFFF);
    }

    /**
     * For bare-metal runs without a hypervisor: an EL2 vector table ({@code el2_vectors}) whose
     * lower-EL synchronous entry ends the run with a semihosting SYS_EXIT (the guest's PSCI
     * SYSTEM_OFF); every other entry does the same. Install with VBAR_EL2 = el2_vectors.
     */
    public static final String EL2_EXIT_STUB;

    static {
        StringBuilder s = new StringBuilder("        .balign 2048\nel2_vectors:\n");
        for (int i = 0; i < 16; i++) s.append("        .balign 128\n        b       dl_el2_exit\n");
        s.append("""
                dl_el2_exit:
                        adr     x1, dl_el2_exit_block
                        mov     x0, #0x18
                        hlt     #0xf000
                        b       .
                        .balign 8
                dl_el2_exit_block:
                        .8byte  0x20026, 0
                """);
        EL2_EXIT_STUB = s.toString();
    }
}
