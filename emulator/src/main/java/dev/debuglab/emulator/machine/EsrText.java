package dev.debuglab.emulator.machine;

import dev.debuglab.emulator.arch.ExceptionClass;

/**
 * ESR_ELx decoded for people (the {@code --trace} lines): the class name and the ISS fields that
 * class defines. Layouts per Arm ARM D17.2.37 (ESR_ELx), summarised in architecture.md §13.
 */
final class EsrText {
    private EsrText() {}

    // ESR_ELx: EC [31:26], IL [25], ISS [24:0]
    static final int EC_SHIFT = 26, EC_MASK = 0x3F, IL_BIT = 25, ISS_MASK = 0x1FFFFFF;
    // Common ISS fields
    static final int IMM16_MASK = 0xFFFF;            // BRK/SVC/HVC/SMC comment
    static final int FSC_MASK = 0x3F;                // IFSC/DFSC [5:0]
    static final int WNR_BIT = 6, CM_BIT = 8;        // Data Abort / Watchpoint
    static final int SS_ISV_BIT = 24, SS_EX_BIT = 6; // Software Step
    // EC 0x18 (trapped MSR/MRS): Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0]
    static final int SYS_OP0 = 20, SYS_OP2 = 17, SYS_OP1 = 14, SYS_CRN = 10, SYS_RT = 5, SYS_CRM = 1, SYS_DIR = 0;

    static int field(long v, int shift, int mask) {
        return (int) (v >>> shift) & mask;
    }

    static boolean bit(long v, int n) {
        return ((v >>> n) & 1) != 0;
    }

    /** "EC 0x3C BRK instruction (AArch64), IL 1, comment #0x42". */
    static String describe(long esr) {
        int ec = field(esr, EC_SHIFT, EC_MASK);
        long iss = esr & ISS_MASK;
        ExceptionClass c = ExceptionClass.of(ec);
        StringBuilder b = new StringBuilder(String.format("EC 0x%02X %s, IL %d", ec, c == null ? "(unknown class)" : c.description,
                bit(esr, IL_BIT) ? 1 : 0));
        if (c == null) return b.append(String.format(", ISS 0x%07X", iss)).toString();
        switch (c) {
            case BRK64: b.append(String.format(", comment #0x%X", iss & IMM16_MASK)); break;
            case SVC64: case HVC64: case SMC64: b.append(String.format(", imm16 #0x%X", iss & IMM16_MASK)); break;
            case BREAKPOINT_LOWER: case BREAKPOINT_SAME:
            case IABT_LOWER: case IABT_SAME:
                b.append(String.format(", IFSC 0x%02X", iss & FSC_MASK)); break;
            case SOFTWARE_STEP_LOWER: case SOFTWARE_STEP_SAME:
                b.append(", ISV ").append(bit(iss, SS_ISV_BIT) ? 1 : 0);
                if (bit(iss, SS_ISV_BIT)) b.append(", EX ").append(bit(iss, SS_EX_BIT) ? 1 : 0);
                b.append(String.format(", IFSC 0x%02X", iss & FSC_MASK));
                break;
            case WATCHPOINT_LOWER: case WATCHPOINT_SAME:
            case DABT_LOWER: case DABT_SAME:
                b.append(", CM ").append(bit(iss, CM_BIT) ? 1 : 0).append(", WnR ").append(bit(iss, WNR_BIT) ? 1 : 0)
                        .append(String.format(", DFSC 0x%02X", iss & FSC_MASK));
                break;
            case SYS64:
                b.append(String.format(", %s S%d_%d_C%d_C%d_%d, Rt %d", bit(iss, SYS_DIR) ? "MRS" : "MSR",
                        field(iss, SYS_OP0, 0x3), field(iss, SYS_OP1, 0x7), field(iss, SYS_CRN, 0xF), field(iss, SYS_CRM, 0xF),
                        field(iss, SYS_OP2, 0x7), field(iss, SYS_RT, 0x1F)));
                break;
            default:
                if (iss != 0) b.append(String.format(", ISS 0x%07X", iss));
                break;
        }
        return b.toString();
    }
}
