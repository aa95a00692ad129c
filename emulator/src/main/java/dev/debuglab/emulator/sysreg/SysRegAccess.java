package dev.debuglab.emulator.sysreg;

/** The answer of a system-register access check, in the order the Arm pseudocode decides it. */
public enum SysRegAccess {
    /** The access is performed. */
    ALLOWED,
    /** UNDEFINED: EC 0x00 to EL1 (to EL2 from EL0 when HCR_EL2.TGE = 1). */
    UNDEFINED,
    /** Trapped with EC 0x18 by an EL1 control (e.g. SCTLR_EL1.UMA for EL0): to EL1, or EL2 when TGE = 1. */
    TRAP_EL1,
    /** Trapped with EC 0x18 to EL2 by an MDCR_EL2 or HCR_EL2 control. */
    TRAP_EL2
}
