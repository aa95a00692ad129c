package dev.debuglab.emulator.sysreg;

/**
 * Field layouts of the system registers the pseudocode reads (Arm ARM D17 "AArch64 System
 * Register Descriptions"; architecture.md §2.2, §7.2, §8.1, §11, §12, §14.1). One nested class
 * per register, named as Arm names it, so behaviour reads as {@code MDSCR_EL1.KDE.isSet(v)}.
 * Bit positions marked UNVERIFIED in architecture.md are flagged here too.
 */
public final class RegisterFields {
    private RegisterFields() {}

    /** Monitor Debug System Control Register (architecture.md §12.1). */
    public static final class MDSCR_EL1 {
        public static final Field SS = new Field("SS", 0, 1);
        public static final Field ERR = new Field("ERR", 6, 1);
        public static final Field TDCC = new Field("TDCC", 12, 1);
        public static final Field KDE = new Field("KDE", 13, 1);
        public static final Field HDE = new Field("HDE", 14, 1);
        public static final Field MDE = new Field("MDE", 15, 1);
        /** Bits 35:32 (EMBWE, TTA, EnSPM, EHBWE) are RES0 here; everything in 31:0 is stored. */
        public static final long WRITABLE = 0xFFFF_FFFFL;
    }

    /** OS Lock Status Register (architecture.md §11). OSLM is split: bit 3 and bit 0. */
    public static final class OSLSR_EL1 {
        public static final Field OSLM0 = new Field("OSLM[0]", 0, 1);
        public static final Field OSLK = new Field("OSLK", 1, 1);
        public static final Field nTT = new Field("nTT", 2, 1);
        public static final Field OSLM1 = new Field("OSLM[1]", 3, 1);
        /** OSLM = 0b10: the OS Lock is implemented (AArch64, no DBGOSLAR key). */
        public static final long OSLM_IMPLEMENTED = OSLM1.of(1);
    }

    /** OS Lock Access Register: writing OSLK sets OSLSR_EL1.OSLK. */
    public static final class OSLAR_EL1 {
        public static final Field OSLK = new Field("OSLK", 0, 1);
    }

    /** OS Double Lock Register. */
    public static final class OSDLR_EL1 {
        public static final Field DLK = new Field("DLK", 0, 1);
    }

    /** Debug Power Control Register. */
    public static final class DBGPRCR_EL1 {
        public static final Field CORENPDRQ = new Field("CORENPDRQ", 0, 1);
    }

    /** Monitor Debug Configuration Register (EL2) (architecture.md §12.2). */
    public static final class MDCR_EL2 {
        public static final Field HPMN = new Field("HPMN", 0, 5);
        /** Trap PMCR_EL0 accesses (no PMU here: set by KVM, no effect). */
        public static final Field TPMCR = new Field("TPMCR", 5, 1);
        /** Trap Performance Monitors accesses (set by KVM, no effect here). */
        public static final Field TPM = new Field("TPM", 6, 1);
        /** Trap Profiling Buffer controls (set by KVM, no effect here). */
        public static final Field TPMS = new Field("TPMS", 14, 1);
        /** Trap Trace Filter controls (set by KVM, no effect here). */
        public static final Field TTRF = new Field("TTRF", 19, 1);
        public static final Field TDE = new Field("TDE", 8, 1);
        public static final Field TDA = new Field("TDA", 9, 1);
        public static final Field TDOSA = new Field("TDOSA", 10, 1);
        public static final Field TDRA = new Field("TDRA", 11, 1);
        public static final Field TDCC = new Field("TDCC", 27, 1);
        /** Bits 27:0 are stored (PMU/SPE/trace fields have no effect here); 63:28 RES0. */
        public static final long WRITABLE = 0x0FFF_FFFFL;
    }

    /**
     * Hypervisor Configuration Register. TGE = 27 is confirmed by two sources (architecture.md
     * §12.3); the other positions follow the Arm ARM and are UNVERIFIED in the spec.
     */
    public static final class HCR_EL2 {
        public static final Field VM = new Field("VM", 0, 1);
        public static final Field DC = new Field("DC", 12, 1);
        /** Traps EL0/EL1 WFI to EL2. */
        public static final Field TWI = new Field("TWI", 13, 1);
        /** Traps EL0/EL1 WFE to EL2. */
        public static final Field TWE = new Field("TWE", 14, 1);
        public static final Field TID1 = new Field("TID1", 16, 1);
        public static final Field TID2 = new Field("TID2", 17, 1);
        public static final Field TID3 = new Field("TID3", 18, 1);
        public static final Field TSC = new Field("TSC", 19, 1);
        public static final Field TACR = new Field("TACR", 21, 1);
        public static final Field TSW = new Field("TSW", 22, 1);
        public static final Field TPCP = new Field("TPCP", 23, 1);
        public static final Field TPU = new Field("TPU", 24, 1);
        public static final Field TTLB = new Field("TTLB", 25, 1);
        public static final Field TVM = new Field("TVM", 26, 1);
        public static final Field TGE = new Field("TGE", 27, 1);
        public static final Field HCD = new Field("HCD", 29, 1);
        public static final Field TRVM = new Field("TRVM", 30, 1);
        public static final Field RW = new Field("RW", 31, 1);
        public static final Field E2H = new Field("E2H", 34, 1);
        /** Without FEAT_VHE E2H is RES0; bits 33:0 are stored (RW is forced to 1, see the table). */
        public static final long WRITABLE = 0x3_FFFF_FFFFL;
    }

    /** Breakpoint Control Registers DBGBCR&lt;n&gt;_EL1 (architecture.md §7.2). */
    public static final class DBGBCR {
        public static final Field E = new Field("E", 0, 1);
        public static final Field PMC = new Field("PMC", 1, 2);
        public static final Field BAS = new Field("BAS", 5, 4);
        public static final Field HMC = new Field("HMC", 13, 1);
        public static final Field SSC = new Field("SSC", 14, 2);
        public static final Field LBN = new Field("LBN", 16, 4);
        public static final Field BT = new Field("BT", 20, 4);
        /** Bits 31:0 are stored as written (project choice, §7.2: RES0 bits read back). */
        public static final long WRITABLE = 0xFFFF_FFFFL;
    }

    /** Watchpoint Control Registers DBGWCR&lt;n&gt;_EL1 (architecture.md §8.1). */
    public static final class DBGWCR {
        public static final Field E = new Field("E", 0, 1);
        public static final Field PAC = new Field("PAC", 1, 2);
        public static final Field LSC = new Field("LSC", 3, 2);
        public static final Field BAS = new Field("BAS", 5, 8);
        public static final Field HMC = new Field("HMC", 13, 1);
        public static final Field SSC = new Field("SSC", 14, 2);
        public static final Field LBN = new Field("LBN", 16, 4);
        public static final Field WT = new Field("WT", 20, 1);
        public static final Field MASK = new Field("MASK", 24, 5);
        public static final long WRITABLE = 0xFFFF_FFFFL;
    }

    /** DBGBVR/DBGWVR address bits: VA[48:2] (no FEAT_LVA). */
    public static final class DBGxVR {
        public static final Field VA = new Field("VA", 2, 47);
        /** BT 0b0011 context compare: DBGBVR[31:0] = CONTEXTIDR_EL1. */
        public static final Field CONTEXTID = new Field("ContextID", 0, 32);
        /** BT 0b1000 VMID compare: DBGBVR[39:32] = VTTBR_EL2.VMID (8-bit VMIDs). */
        public static final Field VMID = new Field("VMID", 32, 8);
    }

    /** Debug Feature Register 0 (architecture.md §14.1). */
    public static final class ID_AA64DFR0_EL1 {
        public static final Field DebugVer = new Field("DebugVer", 0, 4);
        public static final Field TraceVer = new Field("TraceVer", 4, 4);
        public static final Field PMUVer = new Field("PMUVer", 8, 4);
        public static final Field BRPs = new Field("BRPs", 12, 4);
        public static final Field WRPs = new Field("WRPs", 20, 4);
        public static final Field CTX_CMPs = new Field("CTX_CMPs", 28, 4);
        public static final Field DoubleLock = new Field("DoubleLock", 36, 4);
        public static final int DOUBLELOCK_IMPLEMENTED = 0b0000, DOUBLELOCK_NOT_IMPLEMENTED = 0b1111;
    }

    /** System Control Register (EL1 and EL2; the fields used here sit at the same bits). */
    public static final class SCTLR {
        public static final Field M = new Field("M", 0, 1);
        public static final Field A = new Field("A", 1, 1);
        public static final Field C = new Field("C", 2, 1);
        public static final Field SA = new Field("SA", 3, 1);
        /** SCTLR_EL1 only: SP alignment check at EL0. */
        public static final Field SA0 = new Field("SA0", 4, 1);
        public static final Field I = new Field("I", 12, 1);
        /** SCTLR_EL1 only: EL0 may execute DC ZVA. */
        public static final Field DZE = new Field("DZE", 14, 1);
        /** SCTLR_EL1 only: EL0 may read CTR_EL0. */
        public static final Field UCT = new Field("UCT", 15, 1);
        /** SCTLR_EL1 only: EL0 may execute DC CVAU, DC CIVAC, DC CVAC, IC IVAU. */
        public static final Field UCI = new Field("UCI", 26, 1);
        /** SCTLR_EL1 only: EL0 may access DAIF (MRS/MSR DAIF, MSR DAIFSet/DAIFClr). */
        public static final Field UMA = new Field("UMA", 9, 1);
        /** SCTLR_EL1 only: 0 traps EL0's WFI to EL1 (RES1 in SCTLR_EL2). */
        public static final Field nTWI = new Field("nTWI", 16, 1);
        /** SCTLR_EL1 only: 0 traps EL0's WFE to EL1 (RES1 in SCTLR_EL2). */
        public static final Field nTWE = new Field("nTWE", 18, 1);
        public static final Field EE = new Field("EE", 25, 1);
        /** RES1 bits of SCTLR_EL1 in Armv8.0 (11, 20, 22, 23, 28, 29). */
        public static final long EL1_RES1 = 0x30D0_0800L;
        /** RES1 bits of SCTLR_EL2 in Armv8.0 without VHE (4, 5, 11, 16, 18, 22, 23, 28, 29). */
        public static final long EL2_RES1 = 0x30C5_0830L;
    }

    /** SPSR_ELx for an AArch64 source (architecture.md §2.2). */
    public static final class SPSR {
        public static final Field M = new Field("M[3:0]", 0, 4);
        public static final Field M_SP = new Field("M[0]", 0, 1);
        public static final Field M1 = new Field("M[1]", 1, 1);
        public static final Field M_EL = new Field("M[3:2]", 2, 2);
        public static final Field M4 = new Field("M[4]", 4, 1);
        public static final Field F = new Field("F", 6, 1);
        public static final Field I = new Field("I", 7, 1);
        public static final Field A = new Field("A", 8, 1);
        public static final Field D = new Field("D", 9, 1);
        public static final Field DAIF = new Field("DAIF", 6, 4);
        public static final Field IL = new Field("IL", 20, 1);
        public static final Field SS = new Field("SS", 21, 1);
        public static final Field NZCV = new Field("NZCV", 28, 4);
        /** The bits an ERET restores in this model (no optional PSTATE features). */
        public static final long IMPLEMENTED = NZCV.mask() | SS.mask() | IL.mask() | DAIF.mask() | M4.mask() | M.mask();
    }

    /** Counter-timer Kernel Control Register: EL0 access to the counters. */
    public static final class CNTKCTL_EL1 {
        public static final Field EL0PCTEN = new Field("EL0PCTEN", 0, 1);
        public static final Field EL0VCTEN = new Field("EL0VCTEN", 1, 1);
    }

    /** Data Cache Zero ID register. */
    public static final class DCZID_EL0 {
        /** log2 of the block size in words. */
        public static final Field BS = new Field("BS", 0, 4);
        /** 1 = DC ZVA prohibited (reads SCTLR_EL1.DZE inverted at EL0). */
        public static final Field DZP = new Field("DZP", 4, 1);
    }

    /** Cache Type Register. */
    public static final class CTR_EL0 {
        /** log2 of the smallest data cache line in words. */
        public static final Field DminLine = new Field("DminLine", 16, 4);
        public static final Field IminLine = new Field("IminLine", 0, 4);
    }

    /** Exception Syndrome Register (architecture.md §13.1). */
    public static final class ESR {
        public static final Field ISS = new Field("ISS", 0, 25);
        public static final Field IL = new Field("IL", 25, 1);
        public static final Field EC = new Field("EC", 26, 6);
    }

    /** HPFAR_EL2: FIPA = IPA[51:12] of the last stage 2 fault (Arm ARM D17.2.60). */
    public static final class HPFAR_EL2 {
        public static final Field FIPA = new Field("FIPA", 4, 40);
    }

    /** VTTBR_EL2: the VMID used by VMID-match breakpoints. */
    public static final class VTTBR_EL2 {
        public static final Field VMID = new Field("VMID", 48, 8);
    }
}
