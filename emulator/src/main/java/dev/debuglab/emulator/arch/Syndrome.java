package dev.debuglab.emulator.arch;

import dev.debuglab.emulator.sysreg.Field;
import dev.debuglab.emulator.sysreg.RegisterFields.ESR;

/**
 * The ISS layouts of the exception classes this model generates (Arm ARM D17.2.37 ESR_ELx;
 * architecture.md §13). The only place that knows ISS bit positions.
 */
public final class Syndrome {
    private Syndrome() {}

    /** Fault status codes (DFSC/IFSC). */
    public static final int FSC_ALIGNMENT = 0x21, FSC_DEBUG = 0x22, FSC_SYNC_EXTERNAL = 0x10;

    // Data Abort / Watchpoint ISS fields (§13.2).
    static final Field DFSC = new Field("DFSC", 0, 6);
    static final Field WNR = new Field("WnR", 6, 1);
    static final Field CM = new Field("CM", 8, 1);
    static final Field EA = new Field("EA", 9, 1);
    // Software Step ISS fields (§10.5).
    static final Field STEP_ISV = new Field("ISV", 24, 1);
    static final Field STEP_EX = new Field("EX", 6, 1);
    // Immediate of BRK/SVC/HVC/SMC.
    static final Field IMM16 = new Field("imm16", 0, 16);
    // EC 0x18 ISS (§13.3) and the instruction-word fields they come from.
    static final Field SYS_DIRECTION = new Field("Direction", 0, 1);
    static final Field SYS_CRM = new Field("CRm", 1, 4);
    static final Field SYS_RT = new Field("Rt", 5, 5);
    static final Field SYS_CRN = new Field("CRn", 10, 4);
    static final Field SYS_OP1 = new Field("Op1", 14, 3);
    static final Field SYS_OP2 = new Field("Op2", 17, 3);
    static final Field SYS_OP0 = new Field("Op0", 20, 2);
    static final Field WORD_RT = new Field("Rt", 0, 5), WORD_OP2 = new Field("op2", 5, 3),
            WORD_CRM = new Field("CRm", 8, 4), WORD_CRN = new Field("CRn", 12, 4),
            WORD_OP1 = new Field("op1", 16, 3), WORD_OP0 = new Field("op0", 19, 2), WORD_L = new Field("L", 21, 1);

    /** ESR_ELx = EC : IL : ISS, with IL = 1 (every A64 instruction is 32-bit, §13.1). */
    public static long esr(ExceptionClass ec, int iss) {
        return ESR.EC.of(ec.ec) | ESR.IL.of(1) | ESR.ISS.of(iss);
    }

    /** BRK, SVC, HVC, SMC: the immediate in ISS[15:0]. */
    public static int immediate(int imm16) {
        return (int) IMM16.of(imm16);
    }

    /** Breakpoint (EC 0x30/0x31): IFSC = debug event. */
    public static int breakpoint() {
        return (int) DFSC.of(FSC_DEBUG);
    }

    /** Software Step (EC 0x32/0x33): ISV, EX (meaningful only with ISV = 1), IFSC = debug event. */
    public static int softwareStep(boolean isv, boolean ex) {
        return (int) (STEP_ISV.of(isv ? 1 : 0) | STEP_EX.of(isv && ex ? 1 : 0) | DFSC.of(FSC_DEBUG));
    }

    /** Watchpoint (EC 0x34/0x35): CM, WnR, DFSC = debug event (VNCR = 0). */
    public static int watchpoint(boolean wnr, boolean cm) {
        return (int) (WNR.of(wnr ? 1 : 0) | CM.of(cm ? 1 : 0) | DFSC.of(FSC_DEBUG));
    }

    /** Data Abort with ISV = 0 (no instruction syndrome): CM, WnR and the fault status code. */
    public static int dataAbort(int dfsc, boolean wnr, boolean cm) {
        return (int) (WNR.of(wnr ? 1 : 0) | CM.of(cm ? 1 : 0) | DFSC.of(dfsc));
    }

    /**
     * EC 0x18: trapped MSR, MRS, SYS or MSR (immediate). Op0/Op1/CRn/CRm/Op2/Rt come from the
     * instruction word, Direction from its L bit (1 = read, MRS).
     */
    public static int sysRegTrap(int word) {
        return (int) (SYS_OP0.of(WORD_OP0.get(word)) | SYS_OP2.of(WORD_OP2.get(word)) | SYS_OP1.of(WORD_OP1.get(word))
                | SYS_CRN.of(WORD_CRN.get(word)) | SYS_RT.of(WORD_RT.get(word)) | SYS_CRM.of(WORD_CRM.get(word))
                | SYS_DIRECTION.of(WORD_L.get(word)));
    }
}
