package dev.debuglab.emulator.isa;

/**
 * The execution class of an encoding: which execute routine serves it. Several rows of the
 * encoding table share a kind (e.g. every LDR/STR with a 9-bit immediate is {@link #LDST_IMM9});
 * the routine reads the remaining opcode fields (size, opc, op, S ...) from the instruction word,
 * the way the Arm ARM groups encodings into "classes" whose decode pseudocode is shared.
 */
public enum Kind {
    // Data processing -- immediate (Arm ARM C4.1.86)
    ADR, ADRP, ADD_SUB_IMM, LOGICAL_IMM, MOVE_WIDE, BITFIELD, EXTR,
    // Branches, exception generating and system instructions (C4.1.87)
    B_IMM, B_COND, CB, TB, BR_REG, ERET, EXCEPTION_GEN, HINT, BARRIER, MSR_IMM, SYS, SYSL, MSR_REG, MRS,
    // Loads and stores (C4.1.88)
    LDST_EXCL, LD_LITERAL, LDST_PAIR, LDST_IMM9, LDST_REG, LDST_UIMM,
    // Data processing -- register (C4.1.89)
    LOGICAL_SHIFTED, ADD_SUB_SHIFTED, ADD_SUB_EXT, ADC_SBC, COND_COMPARE, COND_SELECT, DP_1SRC, DP_2SRC, DP_3SRC,
    /**
     * An allocated encoding this implementation leaves out on purpose (SIMD&amp;FP, CRC32, external-debug
     * DCPSx/DRPS, later-architecture extensions). It executes as UNDEFINED, exactly as on a PE that
     * does not implement the feature; the row's {@link Encoding#reason()} says why.
     */
    NOT_IMPLEMENTED
}
