package dev.debuglab.emulator.kvm;

import dev.debuglab.emulator.sysreg.Field;
import dev.debuglab.emulator.sysreg.SysReg;
import dev.debuglab.emulator.sysreg.SysRegTable;

import java.util.Map;

/**
 * KVM_GET/SET_ONE_REG register ids for arm64 (arch/arm64/include/uapi/asm/kvm.h; kvm.md §1.3).
 *
 * <p>Core registers: {@code KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | offset/4}, the
 * offset into {@code struct kvm_regs} = {@code struct user_pt_regs regs} (x[31], sp, pc, pstate),
 * then sp_el1, elr_el1, spsr[5]. System registers: {@code 0x6030000000130000 | op0<<14 | op1<<11
 * | CRn<<7 | CRm<<3 | op2} (KVM_REG_ARM64_SYSREG), e.g. OSLSR_EL1 = 0x603000000013808C.
 */
public final class RegId {
    private RegId() {}

    public static final long KVM_REG_ARM64 = 0x6000_0000_0000_0000L;
    public static final long KVM_REG_SIZE_U64 = 0x0030_0000_0000_0000L;
    public static final long KVM_REG_SIZE_MASK = 0x00F0_0000_0000_0000L;
    public static final long KVM_REG_ARM_COPROC_MASK = 0x0000_0000_0FFF_0000L;
    public static final long KVM_REG_ARM_CORE = 0x0010L << 16;
    public static final long KVM_REG_ARM64_SYSREG = 0x0013L << 16;
    private static final long CORE_BASE = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE;
    private static final long SYSREG_BASE = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG;

    /** The encoding fields of a system register id (KVM_REG_ARM64_SYSREG_OP0_MASK ... OP2_MASK). */
    public static final Field SYSREG_OP0 = new Field("Op0", 14, 2), SYSREG_OP1 = new Field("Op1", 11, 3),
            SYSREG_CRN = new Field("CRn", 7, 4), SYSREG_CRM = new Field("CRm", 3, 4), SYSREG_OP2 = new Field("Op2", 0, 3);

    /** Offsets (in 32-bit words) into struct kvm_regs. */
    static final int CORE_X0 = 0, CORE_SP = 62, CORE_PC = 64, CORE_PSTATE = 66, CORE_SP_EL1 = 68, CORE_ELR_EL1 = 70,
            CORE_SPSR0 = 72, CORE_END = 82;

    /** X0..X30: {@code regs.regs[n]}. */
    public static long x(int n) {
        if (n < 0 || n > 30) throw new IllegalArgumentException("X" + n + ": core registers are X0..X30 (SP is RegId.SP)");
        return CORE_BASE | (CORE_X0 + 2L * n);
    }

    /** SP_EL0 ({@code regs.sp}). */
    public static final long SP = CORE_BASE | CORE_SP;
    /** The guest PC ({@code regs.pc}). */
    public static final long PC = CORE_BASE | CORE_PC;
    /** The guest PSTATE in SPSR format ({@code regs.pstate}). */
    public static final long PSTATE = CORE_BASE | CORE_PSTATE;
    public static final long SP_EL1 = CORE_BASE | CORE_SP_EL1;
    public static final long ELR_EL1 = CORE_BASE | CORE_ELR_EL1;

    /** {@code spsr[i]}: 0 = SPSR_EL1 (KVM_SPSR_EL1), 1..4 the AArch32 banked SPSRs (abt, und, irq, fiq). */
    public static long spsr(int i) {
        if (i < 0 || i > 4) throw new IllegalArgumentException("spsr[" + i + "]: struct kvm_regs has spsr[0..4]");
        return CORE_BASE | (CORE_SPSR0 + 2L * i);
    }

    /** A system register id: KVM_REG_ARM64_SYSREG with op0:op1:CRn:CRm:op2. */
    public static long sys(int op0, int op1, int crn, int crm, int op2) {
        return SYSREG_BASE | SysReg.key(op0, op1, crn, crm, op2);
    }

    /** The id of a system register by its Arm name ("OSLSR_EL1"), or a KVM-only one ("DBGVCR32_EL2"). */
    public static long sys(String name) {
        Long special = SPECIAL_IDS.get(name);
        if (special != null) return special;
        try {
            return SysRegTable.byName(name).kvmId();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no system register named " + name
                    + " (use Arm names such as OSLSR_EL1, MDSCR_EL1, DBGBCR0_EL1)");
        }
    }

    /** DBGVCR32_EL2 (op0 2, op1 4, CRn 0, CRm 7, op2 0): KVM keeps it for AArch32 guests; AArch64 cannot access it. */
    public static final long DBGVCR32_EL2 = sys(2, 4, 0, 7, 0);
    private static final Map<String, Long> SPECIAL_IDS = Map.of("DBGVCR32_EL2", DBGVCR32_EL2);

    /** True for a KVM_REG_ARM_CORE id inside struct kvm_regs (without the FP/SIMD part). */
    public static boolean isCore(long id) {
        return (id & ~0xFFFFL) == CORE_BASE && (id & 0xFFFF) < CORE_END && (id & 1) == 0;
    }

    /** True for a KVM_REG_ARM64_SYSREG id of 64 bits. */
    public static boolean isSysReg(long id) {
        return (id & ~0xFFFFL) == SYSREG_BASE;
    }

    /** The core-register offset (in 32-bit words into struct kvm_regs) of a core id. */
    static int coreOffset(long id) {
        return (int) (id & 0xFFFF);
    }

    /** op0:op1:CRn:CRm:op2 of a system register id. */
    static int sysKey(long id) {
        return (int) (id & 0xFFFF);
    }

    /** The emulated PE's table row for a system register id, or null. */
    static SysReg lookup(long id) {
        return SysRegTable.lookup(SYSREG_OP0.getInt(id), SYSREG_OP1.getInt(id), SYSREG_CRN.getInt(id), SYSREG_CRM.getInt(id),
                SYSREG_OP2.getInt(id));
    }

    /** A readable name for messages: "X5", "PC", "OSLSR_EL1 (0x603000000013808C)", or the raw id. */
    public static String name(long id) {
        if (isCore(id)) {
            int off = coreOffset(id);
            if (off < CORE_SP) return "X" + off / 2;
            if (off == CORE_SP) return "SP";
            if (off == CORE_PC) return "PC";
            if (off == CORE_PSTATE) return "PSTATE";
            if (off == CORE_SP_EL1) return "SP_EL1";
            if (off == CORE_ELR_EL1) return "ELR_EL1";
            return "SPSR[" + (off - CORE_SPSR0) / 2 + "]";
        }
        if (isSysReg(id)) {
            String n = id == DBGVCR32_EL2 ? "DBGVCR32_EL2" : null;
            if (n == null) {
                SysReg r = lookup(id);
                n = r != null ? r.name : String.format("S%d_%d_C%d_C%d_%d", SYSREG_OP0.get(id), SYSREG_OP1.get(id),
                        SYSREG_CRN.get(id), SYSREG_CRM.get(id), SYSREG_OP2.get(id));
            }
            return String.format("%s (0x%016X)", n, id);
        }
        return String.format("0x%016X", id);
    }
}
