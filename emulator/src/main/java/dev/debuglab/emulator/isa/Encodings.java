package dev.debuglab.emulator.isa;

import static dev.debuglab.emulator.isa.Kind.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The A64 encoding table: every ARMv8.0-A base integer encoding DebugLab executes, plus the rows
 * it leaves out on purpose (kind {@link Kind#NOT_IMPLEMENTED}, each with its reason). One row
 * serves decode ({@link Decoder}), encode (the assembler) and disassembly.
 *
 * <p>Patterns follow the Arm ARM "A64 Instruction Set Encoding" (C4.1) with its field names. A
 * word no row matches is unallocated and executes as UNDEFINED (EC 0x00). Some rows still contain
 * reserved field values (e.g. {@code shift = 0b11} in ADD (shifted register)); the execute routine
 * treats those as UNDEFINED, as the encoding's decode pseudocode does.
 */
public final class Encodings {
    private Encodings() {}

    private static final List<Encoding> ROWS;

    public static List<Encoding> all() {
        return ROWS;
    }

    public static Encoding byId(String id) {
        for (Encoding e : ROWS) if (e.id().equals(id)) return e;
        throw new IllegalArgumentException("no encoding row " + id);
    }

    private static void row(List<Encoding> t, String id, String mnemonic, Kind kind, String pattern) {
        t.add(Encoding.of(id, mnemonic, kind, pattern));
    }

    private static void left(List<Encoding> t, String id, String mnemonic, String pattern, String reason) {
        t.add(Encoding.of(id, mnemonic, NOT_IMPLEMENTED, pattern, reason));
    }

    static {
        List<Encoding> t = new ArrayList<>();

        // --- Data processing: immediate -------------------------------------------------------
        row(t, "ADR", "adr", ADR, "0 immlo:2 10000 immhi:19 Rd:5");
        row(t, "ADRP", "adrp", ADRP, "1 immlo:2 10000 immhi:19 Rd:5");
        row(t, "ADD_IMM", "add", ADD_SUB_IMM, "sf:1 0 0 100010 sh:1 imm12:12 Rn:5 Rd:5");
        row(t, "ADDS_IMM", "adds", ADD_SUB_IMM, "sf:1 0 1 100010 sh:1 imm12:12 Rn:5 Rd:5");
        row(t, "SUB_IMM", "sub", ADD_SUB_IMM, "sf:1 1 0 100010 sh:1 imm12:12 Rn:5 Rd:5");
        row(t, "SUBS_IMM", "subs", ADD_SUB_IMM, "sf:1 1 1 100010 sh:1 imm12:12 Rn:5 Rd:5");
        String[] logic = {"and", "orr", "eor", "ands"};
        for (int opc = 0; opc < 4; opc++)
            row(t, logic[opc].toUpperCase() + "_IMM", logic[opc], LOGICAL_IMM,
                    "sf:1 " + bits(opc, 2) + " 100100 N:1 immr:6 imms:6 Rn:5 Rd:5");
        row(t, "MOVN", "movn", MOVE_WIDE, "sf:1 00 100101 hw:2 imm16:16 Rd:5");
        row(t, "MOVZ", "movz", MOVE_WIDE, "sf:1 10 100101 hw:2 imm16:16 Rd:5");
        row(t, "MOVK", "movk", MOVE_WIDE, "sf:1 11 100101 hw:2 imm16:16 Rd:5");
        row(t, "SBFM", "sbfm", BITFIELD, "sf:1 00 100110 N:1 immr:6 imms:6 Rn:5 Rd:5");
        row(t, "BFM", "bfm", BITFIELD, "sf:1 01 100110 N:1 immr:6 imms:6 Rn:5 Rd:5");
        row(t, "UBFM", "ubfm", BITFIELD, "sf:1 10 100110 N:1 immr:6 imms:6 Rn:5 Rd:5");
        row(t, "EXTR", "extr", EXTR, "sf:1 00 100111 N:1 0 Rm:5 imms:6 Rn:5 Rd:5");

        // --- Branches, exception generation, system ---------------------------------------------
        row(t, "B", "b", B_IMM, "000101 imm26:26");
        row(t, "BL", "bl", B_IMM, "100101 imm26:26");
        row(t, "B_COND", "b.", B_COND, "0101010 0 imm19:19 0 cond:4");
        row(t, "CBZ", "cbz", CB, "sf:1 011010 0 imm19:19 Rt:5");
        row(t, "CBNZ", "cbnz", CB, "sf:1 011010 1 imm19:19 Rt:5");
        row(t, "TBZ", "tbz", TB, "b5:1 011011 0 b40:5 imm14:14 Rt:5");
        row(t, "TBNZ", "tbnz", TB, "b5:1 011011 1 b40:5 imm14:14 Rt:5");
        row(t, "BR", "br", BR_REG, "1101011 0000 11111 000000 Rn:5 00000");
        row(t, "BLR", "blr", BR_REG, "1101011 0001 11111 000000 Rn:5 00000");
        row(t, "RET", "ret", BR_REG, "1101011 0010 11111 000000 Rn:5 00000");
        row(t, "ERET", "eret", ERET, "1101011 0100 11111 000000 11111 00000");
        left(t, "DRPS", "drps", "1101011 0101 11111 000000 11111 00000",
                "external debug (Debug state) is not implemented: DRPS is UNDEFINED");
        row(t, "SVC", "svc", EXCEPTION_GEN, "11010100 000 imm16:16 000 01");
        row(t, "HVC", "hvc", EXCEPTION_GEN, "11010100 000 imm16:16 000 10");
        row(t, "SMC", "smc", EXCEPTION_GEN, "11010100 000 imm16:16 000 11");
        row(t, "BRK", "brk", EXCEPTION_GEN, "11010100 001 imm16:16 000 00");
        row(t, "HLT", "hlt", EXCEPTION_GEN, "11010100 010 imm16:16 000 00");
        for (int ll = 1; ll <= 3; ll++)
            left(t, "DCPS" + ll, "dcps" + ll, "11010100 101 imm16:16 000 " + bits(ll, 2),
                    "external debug (Debug state) is not implemented: DCPS" + ll + " is UNDEFINED");
        // Hints: the named ones first (more fixed bits win), then the generic HINT #imm.
        String[] hints = {"nop", "yield", "wfe", "wfi", "sev", "sevl"};
        for (int op2 = 0; op2 < hints.length; op2++)
            row(t, hints[op2].toUpperCase(), hints[op2], HINT, "1101010100 0 00 011 0010 0000 " + bits(op2, 3) + " 11111");
        row(t, "HINT", "hint", HINT, "1101010100 0 00 011 0010 CRm:4 op2:3 11111");
        row(t, "CLREX", "clrex", BARRIER, "1101010100 0 00 011 0011 CRm:4 010 11111");
        row(t, "DSB", "dsb", BARRIER, "1101010100 0 00 011 0011 CRm:4 100 11111");
        row(t, "DMB", "dmb", BARRIER, "1101010100 0 00 011 0011 CRm:4 101 11111");
        row(t, "ISB", "isb", BARRIER, "1101010100 0 00 011 0011 CRm:4 110 11111");
        row(t, "MSR_IMM", "msr", MSR_IMM, "1101010100 0 00 op1:3 0100 CRm:4 op2:3 11111");
        row(t, "SYS", "sys", SYS, "1101010100 0 01 op1:3 CRn:4 CRm:4 op2:3 Rt:5");
        row(t, "SYSL", "sysl", SYSL, "1101010100 1 01 op1:3 CRn:4 CRm:4 op2:3 Rt:5");
        row(t, "MSR_REG", "msr", MSR_REG, "1101010100 0 1 o0:1 op1:3 CRn:4 CRm:4 op2:3 Rt:5");
        row(t, "MRS", "mrs", MRS, "1101010100 1 1 o0:1 op1:3 CRn:4 CRm:4 op2:3 Rt:5");

        // --- Loads and stores ------------------------------------------------------------------
        // Exclusive and acquire/release: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt.
        String[][] excl = { // id suffix, mnemonic stem, o2 L o1 o0
                {"STXR", "stxr", "0000"}, {"STLXR", "stlxr", "0001"}, {"LDXR", "ldxr", "0100"},
                {"LDAXR", "ldaxr", "0101"}, {"STLR", "stlr", "1001"}, {"LDAR", "ldar", "1101"}};
        for (String[] e : excl) {
            String o = e[2];
            String tail = " 001000 " + o.charAt(0) + " " + o.charAt(1) + " " + o.charAt(2) + " Rs:5 " + o.charAt(3) + " Rt2:5 Rn:5 Rt:5";
            row(t, e[0] + "B", e[1] + "b", LDST_EXCL, "00" + tail);
            row(t, e[0] + "H", e[1] + "h", LDST_EXCL, "01" + tail);
            row(t, e[0], e[1], LDST_EXCL, "1 sz:1" + tail);
        }
        String[][] exclPair = {{"STXP", "stxp", "0010"}, {"STLXP", "stlxp", "0011"}, {"LDXP", "ldxp", "0110"}, {"LDAXP", "ldaxp", "0111"}};
        for (String[] e : exclPair) {
            String o = e[2];
            row(t, e[0], e[1], LDST_EXCL, "1 sz:1 001000 " + o.charAt(0) + " " + o.charAt(1) + " " + o.charAt(2) + " Rs:5 " + o.charAt(3) + " Rt2:5 Rn:5 Rt:5");
        }
        row(t, "LDR_LIT_W", "ldr", LD_LITERAL, "00 011 0 00 imm19:19 Rt:5");
        row(t, "LDR_LIT_X", "ldr", LD_LITERAL, "01 011 0 00 imm19:19 Rt:5");
        row(t, "LDRSW_LIT", "ldrsw", LD_LITERAL, "10 011 0 00 imm19:19 Rt:5");
        row(t, "PRFM_LIT", "prfm", LD_LITERAL, "11 011 0 00 imm19:19 Rt:5");
        // Pairs: opc 101 V mode L imm7 Rt2 Rn Rt; mode 000 no-allocate, 001 post, 010 offset, 011 pre.
        String[] pairModes = {"NA", "POST", "OFF", "PRE"};
        for (int mode = 0; mode < 4; mode++) {
            String m = bits(mode, 3), s = pairModes[mode];
            String st = mode == 0 ? "stnp" : "stp", ld = mode == 0 ? "ldnp" : "ldp";
            row(t, st.toUpperCase() + "_W_" + s, st, LDST_PAIR, "00 101 0 " + m + " 0 imm7:7 Rt2:5 Rn:5 Rt:5");
            row(t, ld.toUpperCase() + "_W_" + s, ld, LDST_PAIR, "00 101 0 " + m + " 1 imm7:7 Rt2:5 Rn:5 Rt:5");
            row(t, st.toUpperCase() + "_X_" + s, st, LDST_PAIR, "10 101 0 " + m + " 0 imm7:7 Rt2:5 Rn:5 Rt:5");
            row(t, ld.toUpperCase() + "_X_" + s, ld, LDST_PAIR, "10 101 0 " + m + " 1 imm7:7 Rt2:5 Rn:5 Rt:5");
            if (mode != 0) row(t, "LDPSW_" + s, "ldpsw", LDST_PAIR, "01 101 0 " + m + " 1 imm7:7 Rt2:5 Rn:5 Rt:5");
        }
        // Single register, by (size, opc): mnemonic stems for the post/pre/reg/uimm forms.
        String[][] single = { // size opc, id, mnemonic, unscaled mnemonic, unprivileged mnemonic
                {"0000", "STRB", "strb", "sturb", "sttrb"}, {"0001", "LDRB", "ldrb", "ldurb", "ldtrb"},
                {"0010", "LDRSB_X", "ldrsb", "ldursb", "ldtrsb"}, {"0011", "LDRSB_W", "ldrsb", "ldursb", "ldtrsb"},
                {"0100", "STRH", "strh", "sturh", "sttrh"}, {"0101", "LDRH", "ldrh", "ldurh", "ldtrh"},
                {"0110", "LDRSH_X", "ldrsh", "ldursh", "ldtrsh"}, {"0111", "LDRSH_W", "ldrsh", "ldursh", "ldtrsh"},
                {"1000", "STR_W", "str", "stur", "sttr"}, {"1001", "LDR_W", "ldr", "ldur", "ldtr"},
                {"1010", "LDRSW", "ldrsw", "ldursw", "ldtrsw"},
                {"1100", "STR_X", "str", "stur", "sttr"}, {"1101", "LDR_X", "ldr", "ldur", "ldtr"},
                {"1110", "PRFM", "prfm", "prfum", null}};
        for (String[] s : single) {
            String size = s[0].substring(0, 2), opc = s[0].substring(2);
            String head = size + " 111 0 00 " + opc + " 0 imm9:9 ";
            boolean prfm = s[1].equals("PRFM");
            row(t, s[1].replace("STR", "STUR").replace("LDR", "LDUR").replace("PRFM", "PRFUM"), s[3], LDST_IMM9, head + "00 Rn:5 Rt:5");
            if (!prfm) {
                row(t, s[1] + "_POST", s[2], LDST_IMM9, head + "01 Rn:5 Rt:5");
                row(t, s[1].replace("STR", "STTR").replace("LDR", "LDTR"), s[4], LDST_IMM9, head + "10 Rn:5 Rt:5");
                row(t, s[1] + "_PRE", s[2], LDST_IMM9, head + "11 Rn:5 Rt:5");
            }
            row(t, s[1] + "_REG", s[2], LDST_REG, size + " 111 0 00 " + opc + " 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5");
            row(t, s[1] + "_UIMM", s[2], LDST_UIMM, size + " 111 0 01 " + opc + " imm12:12 Rn:5 Rt:5");
        }

        // --- Data processing: register ---------------------------------------------------------
        String[][] logicReg = {{"AND", "and"}, {"BIC", "bic"}, {"ORR", "orr"}, {"ORN", "orn"},
                {"EOR", "eor"}, {"EON", "eon"}, {"ANDS", "ands"}, {"BICS", "bics"}};
        for (int i = 0; i < 8; i++)
            row(t, logicReg[i][0] + "_REG", logicReg[i][1], LOGICAL_SHIFTED,
                    "sf:1 " + bits(i >> 1, 2) + " 01010 shift:2 " + (i & 1) + " Rm:5 imm6:6 Rn:5 Rd:5");
        String[] addsub = {"add", "adds", "sub", "subs"};
        for (int i = 0; i < 4; i++) {
            String opS = (i >> 1) + " " + (i & 1);
            row(t, addsub[i].toUpperCase() + "_SHIFT", addsub[i], ADD_SUB_SHIFTED, "sf:1 " + opS + " 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5");
            row(t, addsub[i].toUpperCase() + "_EXT", addsub[i], ADD_SUB_EXT, "sf:1 " + opS + " 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5");
        }
        String[] adc = {"adc", "adcs", "sbc", "sbcs"};
        for (int i = 0; i < 4; i++)
            row(t, adc[i].toUpperCase(), adc[i], ADC_SBC, "sf:1 " + (i >> 1) + " " + (i & 1) + " 11010000 Rm:5 000000 Rn:5 Rd:5");
        row(t, "CCMN_REG", "ccmn", COND_COMPARE, "sf:1 0 1 11010010 Rm:5 cond:4 0 0 Rn:5 0 nzcv:4");
        row(t, "CCMP_REG", "ccmp", COND_COMPARE, "sf:1 1 1 11010010 Rm:5 cond:4 0 0 Rn:5 0 nzcv:4");
        row(t, "CCMN_IMM", "ccmn", COND_COMPARE, "sf:1 0 1 11010010 imm5:5 cond:4 1 0 Rn:5 0 nzcv:4");
        row(t, "CCMP_IMM", "ccmp", COND_COMPARE, "sf:1 1 1 11010010 imm5:5 cond:4 1 0 Rn:5 0 nzcv:4");
        row(t, "CSEL", "csel", COND_SELECT, "sf:1 0 0 11010100 Rm:5 cond:4 00 Rn:5 Rd:5");
        row(t, "CSINC", "csinc", COND_SELECT, "sf:1 0 0 11010100 Rm:5 cond:4 01 Rn:5 Rd:5");
        row(t, "CSINV", "csinv", COND_SELECT, "sf:1 1 0 11010100 Rm:5 cond:4 00 Rn:5 Rd:5");
        row(t, "CSNEG", "csneg", COND_SELECT, "sf:1 1 0 11010100 Rm:5 cond:4 01 Rn:5 Rd:5");
        row(t, "RBIT", "rbit", DP_1SRC, "sf:1 1 0 11010110 00000 000000 Rn:5 Rd:5");
        row(t, "REV16", "rev16", DP_1SRC, "sf:1 1 0 11010110 00000 000001 Rn:5 Rd:5");
        row(t, "REV_W", "rev", DP_1SRC, "0 1 0 11010110 00000 000010 Rn:5 Rd:5");
        row(t, "REV32", "rev32", DP_1SRC, "1 1 0 11010110 00000 000010 Rn:5 Rd:5");
        row(t, "REV_X", "rev", DP_1SRC, "1 1 0 11010110 00000 000011 Rn:5 Rd:5");
        row(t, "CLZ", "clz", DP_1SRC, "sf:1 1 0 11010110 00000 000100 Rn:5 Rd:5");
        row(t, "CLS", "cls", DP_1SRC, "sf:1 1 0 11010110 00000 000101 Rn:5 Rd:5");
        String[][] dp2 = {{"UDIV", "000010"}, {"SDIV", "000011"}, {"LSLV", "001000"}, {"LSRV", "001001"},
                {"ASRV", "001010"}, {"RORV", "001011"}};
        for (String[] d : dp2)
            row(t, d[0], d[0].toLowerCase(), DP_2SRC, "sf:1 0 0 11010110 Rm:5 " + d[1] + " Rn:5 Rd:5");
        left(t, "CRC32", "crc32", "sf:1 0 0 11010110 Rm:5 010 C:1 sz:2 Rn:5 Rd:5",
                "FEAT_CRC32 is optional in Armv8.0 and not implemented (ID_AA64ISAR0_EL1.CRC32 = 0)");
        row(t, "MADD", "madd", DP_3SRC, "sf:1 00 11011 000 Rm:5 0 Ra:5 Rn:5 Rd:5");
        row(t, "MSUB", "msub", DP_3SRC, "sf:1 00 11011 000 Rm:5 1 Ra:5 Rn:5 Rd:5");
        row(t, "SMADDL", "smaddl", DP_3SRC, "1 00 11011 001 Rm:5 0 Ra:5 Rn:5 Rd:5");
        row(t, "SMSUBL", "smsubl", DP_3SRC, "1 00 11011 001 Rm:5 1 Ra:5 Rn:5 Rd:5");
        row(t, "SMULH", "smulh", DP_3SRC, "1 00 11011 010 Rm:5 0 Ra:5 Rn:5 Rd:5");
        row(t, "UMADDL", "umaddl", DP_3SRC, "1 00 11011 101 Rm:5 0 Ra:5 Rn:5 Rd:5");
        row(t, "UMSUBL", "umsubl", DP_3SRC, "1 00 11011 101 Rm:5 1 Ra:5 Rn:5 Rd:5");
        row(t, "UMULH", "umulh", DP_3SRC, "1 00 11011 110 Rm:5 0 Ra:5 Rn:5 Rd:5");

        // --- Left out on purpose ------------------------------------------------------------------
        String noFp = "SIMD&FP is not implemented (ID_AA64PFR0_EL1.FP = AdvSIMD = 0xF): UNDEFINED";
        left(t, "FP_SIMD_DP", "(simd&fp)", "x:4 111 rest:25", noFp);
        left(t, "FP_SIMD_LDST", "(simd&fp ld/st)", "size:2 111 1 rest:26", noFp);
        left(t, "FP_SIMD_PAIR", "(simd&fp ldp/stp)", "opc:2 101 1 rest:26", noFp);
        left(t, "FP_SIMD_LIT", "(simd&fp ldr literal)", "opc:2 011 1 00 rest:24", noFp);
        left(t, "SIMD_LDST_STRUCT", "(simd ld/st structure)", "0 Q:1 0011 0 rest:25", noFp);
        left(t, "UDF", "udf", "0000000000000000 imm16:16", "permanently UNDEFINED");

        ROWS = Collections.unmodifiableList(t);
        checkTable();
    }

    /** The table checks itself at load: unique ids, 32-bit patterns (checked by {@link Encoding#of}). */
    private static void checkTable() {
        Set<String> ids = new HashSet<>();
        for (Encoding e : ROWS)
            if (!ids.add(e.id())) throw new IllegalStateException("duplicate encoding id " + e.id());
    }

    static String bits(int v, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = n - 1; i >= 0; i--) sb.append((v >> i) & 1);
        return sb.toString();
    }
}
