package dev.debuglab.emulator.isa;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the system-instruction operands, as GNU binutils spells them (lower case) and Arm's
 * register index (Arm ARM D17 "AArch64 System Register Descriptions") defines them.
 *
 * <ul>
 *   <li>System registers of MRS/MSR (register), by (op0, op1, CRn, CRm, op2). A register without a
 *       name is written in the generic form {@code s<op0>_<op1>_c<CRn>_c<CRm>_<op2>}, which the
 *       assembler also accepts.</li>
 *   <li>System instructions (the SYS aliases DC, IC, AT, TLBI), by (op1, CRn, CRm, op2), with
 *       whether they take a register (Arm ARM C5.3 "A64 System instructions for cache
 *       maintenance, address translation, TLB maintenance").</li>
 * </ul>
 */
public final class SysRegNames {
    private SysRegNames() {}

    /** A system register encoding (Arm ARM C5.1.2: op0, op1, CRn, CRm, op2). */
    public record SysReg(String name, int op0, int op1, int crn, int crm, int op2) {
        /** The 15-bit packed o0:op1:CRn:CRm:op2 value as it appears in bits [19:5] of MRS/MSR, op0 included. */
        public int packed() {
            return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
        }
    }

    /** A SYS alias: {@code dc civac, x0}, {@code tlbi vmalle1} ... */
    public record SysOp(String mnemonic, String name, int op1, int crn, int crm, int op2, boolean takesRegister) {}

    private static final Map<Integer, SysReg> BY_ENCODING = new LinkedHashMap<>();
    private static final Map<String, SysReg> BY_NAME = new LinkedHashMap<>();
    private static final List<SysOp> SYS_OPS;

    private static void reg(String name, int op0, int op1, int crn, int crm, int op2) {
        SysReg r = new SysReg(name, op0, op1, crn, crm, op2);
        if (BY_NAME.put(name, r) != null) throw new IllegalStateException("duplicate system register name " + name);
        if (BY_ENCODING.put(r.packed(), r) != null) throw new IllegalStateException("duplicate system register encoding " + name);
    }

    static {
        // Debug registers (op0 = 2), Arm ARM D19.3 and architecture.md §14.
        reg("osdtrrx_el1", 2, 0, 0, 0, 2);
        reg("mdccint_el1", 2, 0, 0, 2, 0);
        reg("mdscr_el1", 2, 0, 0, 2, 2);
        reg("osdtrtx_el1", 2, 0, 0, 3, 2);
        reg("oseccr_el1", 2, 0, 0, 6, 2);
        for (int n = 0; n < 16; n++) {
            reg("dbgbvr" + n + "_el1", 2, 0, 0, n, 4);
            reg("dbgbcr" + n + "_el1", 2, 0, 0, n, 5);
            reg("dbgwvr" + n + "_el1", 2, 0, 0, n, 6);
            reg("dbgwcr" + n + "_el1", 2, 0, 0, n, 7);
        }
        reg("mdrar_el1", 2, 0, 1, 0, 0);
        reg("oslar_el1", 2, 0, 1, 0, 4);
        reg("oslsr_el1", 2, 0, 1, 1, 4);
        reg("osdlr_el1", 2, 0, 1, 3, 4);
        reg("dbgprcr_el1", 2, 0, 1, 4, 4);
        reg("dbgclaimset_el1", 2, 0, 7, 8, 6);
        reg("dbgclaimclr_el1", 2, 0, 7, 9, 6);
        reg("dbgauthstatus_el1", 2, 0, 7, 14, 6);
        reg("mdccsr_el0", 2, 3, 0, 1, 0);
        reg("dbgdtr_el0", 2, 3, 0, 4, 0);
        reg("dbgvcr32_el2", 2, 4, 0, 7, 0);

        // Identification registers (op0 = 3, op1 = 0, CRn = 0).
        reg("midr_el1", 3, 0, 0, 0, 0);
        reg("mpidr_el1", 3, 0, 0, 0, 5);
        reg("revidr_el1", 3, 0, 0, 0, 6);
        reg("id_pfr0_el1", 3, 0, 0, 1, 0);
        reg("id_pfr1_el1", 3, 0, 0, 1, 1);
        reg("id_dfr0_el1", 3, 0, 0, 1, 2);
        reg("id_afr0_el1", 3, 0, 0, 1, 3);
        for (int i = 0; i < 4; i++) reg("id_mmfr" + i + "_el1", 3, 0, 0, 1, 4 + i);
        for (int i = 0; i < 6; i++) reg("id_isar" + i + "_el1", 3, 0, 0, 2, i);
        reg("id_mmfr4_el1", 3, 0, 0, 2, 6);
        for (int i = 0; i < 3; i++) reg("mvfr" + i + "_el1", 3, 0, 0, 3, i);
        reg("id_aa64pfr0_el1", 3, 0, 0, 4, 0);
        reg("id_aa64pfr1_el1", 3, 0, 0, 4, 1);
        reg("id_aa64dfr0_el1", 3, 0, 0, 5, 0);
        reg("id_aa64dfr1_el1", 3, 0, 0, 5, 1);
        reg("id_aa64afr0_el1", 3, 0, 0, 5, 4);
        reg("id_aa64afr1_el1", 3, 0, 0, 5, 5);
        reg("id_aa64isar0_el1", 3, 0, 0, 6, 0);
        reg("id_aa64isar1_el1", 3, 0, 0, 6, 1);
        reg("id_aa64mmfr0_el1", 3, 0, 0, 7, 0);
        reg("id_aa64mmfr1_el1", 3, 0, 0, 7, 1);
        reg("id_aa64mmfr2_el1", 3, 0, 0, 7, 2);
        reg("ccsidr_el1", 3, 1, 0, 0, 0);
        reg("clidr_el1", 3, 1, 0, 0, 1);
        reg("aidr_el1", 3, 1, 0, 0, 7);
        reg("csselr_el1", 3, 2, 0, 0, 0);
        reg("ctr_el0", 3, 3, 0, 0, 1);
        reg("dczid_el0", 3, 3, 0, 0, 7);
        reg("vpidr_el2", 3, 4, 0, 0, 0);
        reg("vmpidr_el2", 3, 4, 0, 0, 5);

        // EL1 system control, translation and exception registers.
        reg("sctlr_el1", 3, 0, 1, 0, 0);
        reg("actlr_el1", 3, 0, 1, 0, 1);
        reg("cpacr_el1", 3, 0, 1, 0, 2);
        reg("ttbr0_el1", 3, 0, 2, 0, 0);
        reg("ttbr1_el1", 3, 0, 2, 0, 1);
        reg("tcr_el1", 3, 0, 2, 0, 2);
        reg("spsr_el1", 3, 0, 4, 0, 0);
        reg("elr_el1", 3, 0, 4, 0, 1);
        reg("sp_el0", 3, 0, 4, 1, 0);
        reg("spsel", 3, 0, 4, 2, 0);
        reg("currentel", 3, 0, 4, 2, 2);
        reg("afsr0_el1", 3, 0, 5, 1, 0);
        reg("afsr1_el1", 3, 0, 5, 1, 1);
        reg("esr_el1", 3, 0, 5, 2, 0);
        reg("far_el1", 3, 0, 6, 0, 0);
        reg("par_el1", 3, 0, 7, 4, 0);
        reg("mair_el1", 3, 0, 10, 2, 0);
        reg("amair_el1", 3, 0, 10, 3, 0);
        reg("vbar_el1", 3, 0, 12, 0, 0);
        reg("rvbar_el1", 3, 0, 12, 0, 1);
        reg("rmr_el1", 3, 0, 12, 0, 2);
        reg("isr_el1", 3, 0, 12, 1, 0);
        reg("contextidr_el1", 3, 0, 13, 0, 1);
        reg("tpidr_el1", 3, 0, 13, 0, 4);
        reg("cntkctl_el1", 3, 0, 14, 1, 0);

        // EL0-accessible special-purpose, thread and timer registers.
        reg("nzcv", 3, 3, 4, 2, 0);
        reg("daif", 3, 3, 4, 2, 1);
        reg("fpcr", 3, 3, 4, 4, 0);
        reg("fpsr", 3, 3, 4, 4, 1);
        reg("dspsr_el0", 3, 3, 4, 5, 0);
        reg("dlr_el0", 3, 3, 4, 5, 1);
        reg("pmcr_el0", 3, 3, 9, 12, 0);
        reg("pmccntr_el0", 3, 3, 9, 13, 0);
        reg("pmuserenr_el0", 3, 3, 9, 14, 0);
        reg("tpidr_el0", 3, 3, 13, 0, 2);
        reg("tpidrro_el0", 3, 3, 13, 0, 3);
        reg("cntfrq_el0", 3, 3, 14, 0, 0);
        reg("cntpct_el0", 3, 3, 14, 0, 1);
        reg("cntvct_el0", 3, 3, 14, 0, 2);
        reg("cntp_tval_el0", 3, 3, 14, 2, 0);
        reg("cntp_ctl_el0", 3, 3, 14, 2, 1);
        reg("cntp_cval_el0", 3, 3, 14, 2, 2);
        reg("cntv_tval_el0", 3, 3, 14, 3, 0);
        reg("cntv_ctl_el0", 3, 3, 14, 3, 1);
        reg("cntv_cval_el0", 3, 3, 14, 3, 2);

        // EL2 registers.
        reg("sctlr_el2", 3, 4, 1, 0, 0);
        reg("actlr_el2", 3, 4, 1, 0, 1);
        reg("hcr_el2", 3, 4, 1, 1, 0);
        reg("mdcr_el2", 3, 4, 1, 1, 1);
        reg("cptr_el2", 3, 4, 1, 1, 2);
        reg("hstr_el2", 3, 4, 1, 1, 3);
        reg("hacr_el2", 3, 4, 1, 1, 7);
        reg("ttbr0_el2", 3, 4, 2, 0, 0);
        reg("tcr_el2", 3, 4, 2, 0, 2);
        reg("vttbr_el2", 3, 4, 2, 1, 0);
        reg("vtcr_el2", 3, 4, 2, 1, 2);
        reg("dacr32_el2", 3, 4, 3, 0, 0);
        reg("spsr_el2", 3, 4, 4, 0, 0);
        reg("elr_el2", 3, 4, 4, 0, 1);
        reg("sp_el1", 3, 4, 4, 1, 0);
        reg("spsr_irq", 3, 4, 4, 3, 0);
        reg("spsr_abt", 3, 4, 4, 3, 1);
        reg("spsr_und", 3, 4, 4, 3, 2);
        reg("spsr_fiq", 3, 4, 4, 3, 3);
        reg("ifsr32_el2", 3, 4, 5, 0, 1);
        reg("afsr0_el2", 3, 4, 5, 1, 0);
        reg("afsr1_el2", 3, 4, 5, 1, 1);
        reg("esr_el2", 3, 4, 5, 2, 0);
        reg("fpexc32_el2", 3, 4, 5, 3, 0);
        reg("far_el2", 3, 4, 6, 0, 0);
        reg("hpfar_el2", 3, 4, 6, 0, 4);
        reg("mair_el2", 3, 4, 10, 2, 0);
        reg("amair_el2", 3, 4, 10, 3, 0);
        reg("vbar_el2", 3, 4, 12, 0, 0);
        reg("rvbar_el2", 3, 4, 12, 0, 1);
        reg("rmr_el2", 3, 4, 12, 0, 2);
        reg("contextidr_el2", 3, 4, 13, 0, 1);
        reg("tpidr_el2", 3, 4, 13, 0, 2);
        reg("cntvoff_el2", 3, 4, 14, 0, 3);
        reg("cnthctl_el2", 3, 4, 14, 1, 0);
        reg("cnthp_tval_el2", 3, 4, 14, 2, 0);
        reg("cnthp_ctl_el2", 3, 4, 14, 2, 1);
        reg("cnthp_cval_el2", 3, 4, 14, 2, 2);
        reg("sp_el2", 3, 6, 4, 1, 0);

        SYS_OPS = List.of(
                // Instruction cache maintenance (Arm ARM C5.3 "IC").
                new SysOp("ic", "ialluis", 0, 7, 1, 0, false),
                new SysOp("ic", "iallu", 0, 7, 5, 0, false),
                new SysOp("ic", "ivau", 3, 7, 5, 1, true),
                // Data cache maintenance ("DC").
                new SysOp("dc", "ivac", 0, 7, 6, 1, true),
                new SysOp("dc", "isw", 0, 7, 6, 2, true),
                new SysOp("dc", "csw", 0, 7, 10, 2, true),
                new SysOp("dc", "cisw", 0, 7, 14, 2, true),
                new SysOp("dc", "zva", 3, 7, 4, 1, true),
                new SysOp("dc", "cvac", 3, 7, 10, 1, true),
                new SysOp("dc", "cvau", 3, 7, 11, 1, true),
                new SysOp("dc", "cvap", 3, 7, 12, 1, true),
                new SysOp("dc", "civac", 3, 7, 14, 1, true),
                // Address translation ("AT").
                new SysOp("at", "s1e1r", 0, 7, 8, 0, true),
                new SysOp("at", "s1e1w", 0, 7, 8, 1, true),
                new SysOp("at", "s1e0r", 0, 7, 8, 2, true),
                new SysOp("at", "s1e0w", 0, 7, 8, 3, true),
                new SysOp("at", "s1e2r", 4, 7, 8, 0, true),
                new SysOp("at", "s1e2w", 4, 7, 8, 1, true),
                new SysOp("at", "s12e1r", 4, 7, 8, 4, true),
                new SysOp("at", "s12e1w", 4, 7, 8, 5, true),
                new SysOp("at", "s12e0r", 4, 7, 8, 6, true),
                new SysOp("at", "s12e0w", 4, 7, 8, 7, true),
                new SysOp("at", "s1e3r", 6, 7, 8, 0, true),
                new SysOp("at", "s1e3w", 6, 7, 8, 1, true),
                // TLB maintenance ("TLBI"), Armv8.0 set.
                new SysOp("tlbi", "vmalle1is", 0, 8, 3, 0, false),
                new SysOp("tlbi", "vae1is", 0, 8, 3, 1, true),
                new SysOp("tlbi", "aside1is", 0, 8, 3, 2, true),
                new SysOp("tlbi", "vaae1is", 0, 8, 3, 3, true),
                new SysOp("tlbi", "vale1is", 0, 8, 3, 5, true),
                new SysOp("tlbi", "vaale1is", 0, 8, 3, 7, true),
                new SysOp("tlbi", "vmalle1", 0, 8, 7, 0, false),
                new SysOp("tlbi", "vae1", 0, 8, 7, 1, true),
                new SysOp("tlbi", "aside1", 0, 8, 7, 2, true),
                new SysOp("tlbi", "vaae1", 0, 8, 7, 3, true),
                new SysOp("tlbi", "vale1", 0, 8, 7, 5, true),
                new SysOp("tlbi", "vaale1", 0, 8, 7, 7, true),
                new SysOp("tlbi", "ipas2e1is", 4, 8, 0, 1, true),
                new SysOp("tlbi", "ipas2le1is", 4, 8, 0, 5, true),
                new SysOp("tlbi", "alle2is", 4, 8, 3, 0, false),
                new SysOp("tlbi", "vae2is", 4, 8, 3, 1, true),
                new SysOp("tlbi", "alle1is", 4, 8, 3, 4, false),
                new SysOp("tlbi", "vale2is", 4, 8, 3, 5, true),
                new SysOp("tlbi", "vmalls12e1is", 4, 8, 3, 6, false),
                new SysOp("tlbi", "ipas2e1", 4, 8, 4, 1, true),
                new SysOp("tlbi", "ipas2le1", 4, 8, 4, 5, true),
                new SysOp("tlbi", "alle2", 4, 8, 7, 0, false),
                new SysOp("tlbi", "vae2", 4, 8, 7, 1, true),
                new SysOp("tlbi", "alle1", 4, 8, 7, 4, false),
                new SysOp("tlbi", "vale2", 4, 8, 7, 5, true),
                new SysOp("tlbi", "vmalls12e1", 4, 8, 7, 6, false),
                new SysOp("tlbi", "alle3is", 6, 8, 3, 0, false),
                new SysOp("tlbi", "vae3is", 6, 8, 3, 1, true),
                new SysOp("tlbi", "vale3is", 6, 8, 3, 5, true),
                new SysOp("tlbi", "alle3", 6, 8, 7, 0, false),
                new SysOp("tlbi", "vae3", 6, 8, 7, 1, true),
                new SysOp("tlbi", "vale3", 6, 8, 7, 5, true));
    }

    /** Every named system register, in table order. */
    public static List<SysReg> registers() {
        return List.copyOf(BY_NAME.values());
    }

    /** Every named SYS alias (DC, IC, AT, TLBI). */
    public static List<SysOp> sysOps() {
        return Collections.unmodifiableList(SYS_OPS);
    }

    /** The register's name, or null when it has none (then use {@link #generic}). */
    public static String name(int op0, int op1, int crn, int crm, int op2) {
        SysReg r = BY_ENCODING.get(op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2);
        return r == null ? null : r.name();
    }

    /** The name binutils prints: the register's name, else the generic {@code s3_0_c15_c2_0} form. */
    public static String nameOrGeneric(int op0, int op1, int crn, int crm, int op2) {
        String n = name(op0, op1, crn, crm, op2);
        return n != null ? n : generic(op0, op1, crn, crm, op2);
    }

    public static String generic(int op0, int op1, int crn, int crm, int op2) {
        return "s" + op0 + "_" + op1 + "_c" + crn + "_c" + crm + "_" + op2;
    }

    private static final Pattern GENERIC = Pattern.compile("s([0-3])_([0-7])_c([0-9]+)_c([0-9]+)_([0-7])");

    /** A register by name (case-insensitive) or generic form, or null if neither. */
    public static SysReg lookup(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        SysReg r = BY_NAME.get(t);
        if (r != null) return r;
        Matcher m = GENERIC.matcher(t);
        if (!m.matches()) return null;
        int crn = Integer.parseInt(m.group(3)), crm = Integer.parseInt(m.group(4));
        if (crn > 15 || crm > 15) return null;
        return new SysReg(t, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), crn, crm, Integer.parseInt(m.group(5)));
    }
}
