package dev.debuglab.emulator.sysreg;

import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;

/**
 * The EL2 trap groups a system register or system instruction belongs to: which MDCR_EL2 or
 * HCR_EL2 control traps an EL1 (and, where the register is EL0-accessible, EL0) access to EL2
 * with EC 0x18 (architecture.md §12.4 rows 3-5; Arm ARM D13.2.3x HCR_EL2 and MDCR_EL2 field
 * descriptions). EL2 itself is never trapped (no EL3).
 */
public enum Trap {
    NONE,
    /** MDCR_EL2.TDA: MDSCR, DBGB/W*, DBGCLAIM*, DBGAUTHSTATUS, MDCCINT, DCC registers. TDE/TGE force it. */
    TDA,
    /** MDCR_EL2.TDOSA: OSLAR, OSLSR, OSDLR, DBGPRCR. TDE/TGE force it. */
    TDOSA,
    /** MDCR_EL2.TDRA: MDRAR_EL1. TDE/TGE force it. */
    TDRA,
    /** HCR_EL2.TVM (writes) and TRVM (reads): the EL1 virtual-memory controls. */
    TVM,
    /** HCR_EL2.TID1: REVIDR_EL1, AIDR_EL1. */
    TID1,
    /** HCR_EL2.TID2: CTR_EL0, CCSIDR_EL1, CLIDR_EL1, CSSELR_EL1. */
    TID2,
    /** HCR_EL2.TID3: the ID group 3 registers (op0 3, op1 0, CRn 0, CRm 1..7). */
    TID3,
    /** HCR_EL2.TACR: ACTLR_EL1. */
    TACR,
    /** HCR_EL2.TSW: data cache maintenance by set/way. */
    TSW,
    /** HCR_EL2.TPCP: data cache maintenance to the Point of Coherency. */
    TPCP,
    /** HCR_EL2.TPU: cache maintenance to the Point of Unification. */
    TPU,
    /** HCR_EL2.TTLB: EL1 TLB maintenance. */
    TTLB;

    /** True if an access from EL0/EL1 with the given direction is trapped to EL2. */
    public boolean trapsToEl2(SystemRegisters s, boolean read) {
        long hcr = s.hcrEl2, mdcr = s.mdcrEl2;
        boolean debugForced = MDCR_EL2.TDE.isSet(mdcr) || HCR_EL2.TGE.isSet(hcr);
        switch (this) {
            case TDA: return MDCR_EL2.TDA.isSet(mdcr) || debugForced;
            case TDOSA: return MDCR_EL2.TDOSA.isSet(mdcr) || debugForced;
            case TDRA: return MDCR_EL2.TDRA.isSet(mdcr) || debugForced;
            case TVM: return read ? HCR_EL2.TRVM.isSet(hcr) : HCR_EL2.TVM.isSet(hcr);
            case TID1: return HCR_EL2.TID1.isSet(hcr);
            case TID2: return HCR_EL2.TID2.isSet(hcr);
            case TID3: return HCR_EL2.TID3.isSet(hcr);
            case TACR: return HCR_EL2.TACR.isSet(hcr);
            case TSW: return HCR_EL2.TSW.isSet(hcr);
            case TPCP: return HCR_EL2.TPCP.isSet(hcr);
            case TPU: return HCR_EL2.TPU.isSet(hcr);
            case TTLB: return HCR_EL2.TTLB.isSet(hcr);
            default: return false;
        }
    }
}
