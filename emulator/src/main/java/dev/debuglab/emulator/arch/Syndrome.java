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
    /** Translation fault, level 3 (DFSC 0b000111). */
    public static final int FSC_TRANSLATION_L3 = 0x07;

    // Data Abort / Watchpoint ISS fields (§13.2).
    static final Field DFSC = new Field("DFSC", 0, 6);
    static final Field WNR = new Field("WnR", 6, 1);
    static final Field CM = new Field("CM", 8, 1);
    static final Field EA = new Field("EA", 9, 1);
    // Data Abort instruction syndrome, valid when ISV = 1 (Arm ARM D17.2.37, ISS encoding for an
    // exception from a Data Abort).
    static final Field DABT_ISV = new Field("ISV", 24, 1);
    static final Field SAS = new Field("SAS", 22, 2);
    static final Field SSE = new Field("SSE", 21, 1);
    static final Field SRT = new Field("SRT", 16, 5);
    static final Field SF = new Field("SF", 15, 1);
    static final Field AR = new Field("AR", 14, 1);
    // The load/store instruction-word fields the instruction syndrome is built from (Arm ARM C4.1.88).
    static final Field LDST_SIZE = new Field("size", 30, 2), LDST_OPC = new Field("opc", 22, 2),
            LDST_IMM9_MODE = new Field("op", 10, 2), LDST_LITERAL_OPC = new Field("opc", 30, 2),
            LDST_EXCL_O2 = new Field("o2", 23, 1), LDST_EXCL_L = new Field("L", 22, 1);
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
     * Data Abort with an instruction syndrome when the faulting instruction has one (ISV = 1):
     * a load or store of a single general-purpose register without writeback, including
     * load-acquire/store-release, excluding exclusives and pairs (Arm ARM D17.2.37, ISV). For
     * any other instruction ISV = 0 and only WnR/CM/DFSC are reported.
     *
     * @param word the faulting instruction, {@code kind} its decode row's kind
     */
    public static int dataAbort(int dfsc, boolean wnr, boolean cm, int word, dev.debuglab.emulator.isa.Kind kind) {
        int base = dataAbort(dfsc, wnr, cm);
        int size = (int) LDST_SIZE.get(word), opc = (int) LDST_OPC.get(word);
        boolean acquireRelease = false, load;
        switch (kind) {
            case LDST_UIMM, LDST_REG -> load = opc != 0;
            case LDST_IMM9 -> {
                if ((LDST_IMM9_MODE.get(word) & 1) != 0) return base;    // post-/pre-index: writeback
                load = opc != 0;
            }
            case LD_LITERAL -> {
                // LDR (literal): opc 00 = W, 01 = X, 10 = LDRSW (PRFM never faults).
                int lopc = (int) LDST_LITERAL_OPC.get(word);
                return base | (int) (DABT_ISV.of(1) | SAS.of(lopc == 1 ? 3 : 2) | SSE.of(lopc == 2 ? 1 : 0)
                        | SRT.of(WORD_RT.get(word)) | SF.of(lopc == 0 ? 0 : 1));
            }
            case LDST_EXCL -> {
                if (LDST_EXCL_O2.get(word) == 0) return base;             // exclusives: no syndrome
                acquireRelease = true;
                load = LDST_EXCL_L.get(word) == 1;
                opc = load ? 1 : 0;
            }
            default -> {
                return base;                                               // pairs and everything else
            }
        }
        // opc: 00 store, 01 zero-extending load, 10 sign-extending load to X, 11 sign-extending load to W.
        boolean signed = load && opc >= 2;
        boolean sixtyFour = size == 3 || opc == 2;
        return base | (int) (DABT_ISV.of(1) | SAS.of(size) | SSE.of(signed ? 1 : 0) | SRT.of(WORD_RT.get(word))
                | SF.of(sixtyFour ? 1 : 0) | AR.of(acquireRelease ? 1 : 0));
    }

    /** The instruction syndrome fields of a Data Abort ISS, for a hypervisor completing an emulated access. */
    public record AccessSyndrome(boolean valid, int sizeLog2, boolean signExtend, int rt, boolean sixtyFour, boolean write) {}

    /** Decodes ISV/SAS/SSE/SRT/SF/WnR of a Data Abort ESR (what KVM's kvm_vcpu_dabt_* helpers read). */
    public static AccessSyndrome accessSyndrome(long esr) {
        int iss = (int) ESR.ISS.get(esr);
        return new AccessSyndrome(DABT_ISV.get(iss) == 1, (int) SAS.get(iss), SSE.get(iss) == 1, (int) SRT.get(iss),
                SF.get(iss) == 1, WNR.get(iss) == 1);
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

    /** The fields of an EC 0x18 ISS, for a hypervisor emulating the trapped access (KVM's struct sys_reg_params). */
    public record SysRegTrap(int op0, int op1, int crn, int crm, int op2, int rt, boolean read) {}

    /** Decodes Op0/Op1/CRn/CRm/Op2/Rt/Direction of an EC 0x18 ESR (what KVM's kvm_handle_sys_reg reads). */
    public static SysRegTrap decodeSysRegTrap(long esr) {
        int iss = (int) ESR.ISS.get(esr);
        return new SysRegTrap((int) SYS_OP0.get(iss), (int) SYS_OP1.get(iss), (int) SYS_CRN.get(iss), (int) SYS_CRM.get(iss),
                (int) SYS_OP2.get(iss), (int) SYS_RT.get(iss), SYS_DIRECTION.get(iss) == 1);
    }

    /**
     * ESR_ELx decoded for people: "EC 0x3C BRK instruction (AArch64), IL 1, comment #0x42" — the
     * class and the ISS fields that class defines (Arm ARM D17.2.37; architecture.md §13).
     */
    public static String describe(long esr) {
        int ec = (int) ESR.EC.get(esr);
        int iss = (int) ESR.ISS.get(esr);
        ExceptionClass c = ExceptionClass.of(ec);
        StringBuilder b = new StringBuilder(String.format("EC 0x%02X %s, IL %d", ec,
                c == null ? "(unknown class)" : c.description, ESR.IL.get(esr)));
        if (c == null) return b.append(String.format(", ISS 0x%07X", iss)).toString();
        switch (c) {
            case BRK64 -> b.append(String.format(", comment #0x%X", IMM16.get(iss)));
            case SVC64, HVC64, SMC64 -> b.append(String.format(", imm16 #0x%X", IMM16.get(iss)));
            case BREAKPOINT_LOWER, BREAKPOINT_SAME, IABT_LOWER, IABT_SAME -> b.append(String.format(", IFSC 0x%02X", DFSC.get(iss)));
            case SOFTWARE_STEP_LOWER, SOFTWARE_STEP_SAME -> {
                b.append(", ISV ").append(STEP_ISV.get(iss));
                if (STEP_ISV.get(iss) == 1) b.append(", EX ").append(STEP_EX.get(iss));
                b.append(String.format(", IFSC 0x%02X", DFSC.get(iss)));
            }
            case DABT_LOWER, DABT_SAME, WATCHPOINT_LOWER, WATCHPOINT_SAME -> {
                boolean abort = c == ExceptionClass.DABT_LOWER || c == ExceptionClass.DABT_SAME;
                if (abort && DABT_ISV.get(iss) == 1)
                    b.append(String.format(", ISV 1, SAS %d, SSE %d, SRT %d, SF %d, AR %d", SAS.get(iss), SSE.get(iss),
                            SRT.get(iss), SF.get(iss), AR.get(iss)));
                b.append(", CM ").append(CM.get(iss)).append(", WnR ").append(WNR.get(iss))
                        .append(String.format(", DFSC 0x%02X", DFSC.get(iss)));
            }
            case SYS64 -> b.append(String.format(", %s S%d_%d_C%d_C%d_%d, Rt %d", SYS_DIRECTION.get(iss) == 1 ? "MRS" : "MSR",
                    SYS_OP0.get(iss), SYS_OP1.get(iss), SYS_CRN.get(iss), SYS_CRM.get(iss), SYS_OP2.get(iss), SYS_RT.get(iss)));
            default -> {
                if (iss != 0) b.append(String.format(", ISS 0x%07X", iss));
            }
        }
        return b.toString();
    }
}
