package dev.debuglab.emulator.sysreg;

import dev.debuglab.emulator.sysreg.RegisterFields.ID_AA64DFR0_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLSR_EL1;

/**
 * System register state of one PE. The behaviour (encodings, access rules, traps, hooks) is the
 * data table {@link SysRegTable}; this class only holds values. The registers the exception and
 * debug pseudocode read on every instruction or exception are typed fields (the fast path);
 * every other stateful register lives in {@link #slots}, indexed by its table row.
 *
 * <p>Configuration that is not architectural state (the debug resources advertised by
 * ID_AA64DFR0_EL1, MIDR, MPIDR) is kept apart and survives {@link #reset()}.
 */
public final class SystemRegisters {
    /** Banked by EL (index 0 unused): VBAR, ESR, ELR, SPSR, FAR, SCTLR of EL1 and EL2. */
    public final long[] vbar = new long[3], esr = new long[3], elr = new long[3], spsr = new long[3],
            far = new long[3], sctlr = new long[3];
    public long hcrEl2, mdcrEl2, mdscrEl1;
    /** Cold reset 0xA: OSLM = 0b10, OSLK = 1 (architecture.md §11). */
    public long oslsrEl1 = OSLSR_EL1.OSLM_IMPLEMENTED | OSLSR_EL1.OSLK.of(1);
    public long osdlrEl1, dbgprcrEl1, contextidrEl1, vttbrEl2;
    /** HPFAR_EL2: the faulting IPA of the last stage 2 fault taken to EL2 (FIPA in bits [43:4]). */
    public long hpfarEl2;
    /** DBGBVR/DBGBCR/DBGWVR/DBGWCR&lt;n&gt;_EL1, n = 0..15 (only the configured ones are accessible). */
    public final long[] dbgbvr = new long[16], dbgbcr = new long[16], dbgwvr = new long[16], dbgwcr = new long[16];
    /** The claim tag bits (DBGCLAIMSET/DBGCLAIMCLR). */
    public long claimTags;
    /** VPIDR_EL2 / VMPIDR_EL2: what EL1 reads as MIDR_EL1 / MPIDR_EL1. */
    public long vpidrEl2, vmpidrEl2;
    /** Registers without a typed field, indexed by {@link SysRegTable} slot. */
    public final long[] slots = new long[SysRegTable.slotCount()];

    // --- configuration (not reset) -------------------------------------------------------------
    /** ID_AA64DFR0_EL1 as advertised; default 6 breakpoints, 4 watchpoints, 2 context-aware, DoubleLock implemented. */
    private long idAa64dfr0El1 = 0x1030_5006L;
    /** MIDR_EL1: Arm Cortex-A57 r1p0 (the core QEMU's virt board commonly models). */
    public long midr = 0x411F_D070L;
    /** MPIDR_EL1: bit 31 RES1, uniprocessor bit 0, affinity 0. */
    public long mpidr = 0x8000_0000L;

    public SystemRegisters() {
        reset();
    }

    /** Cold reset of every stateful register to its table reset value. */
    public void reset() {
        SysRegTable.reset(this);
    }

    /**
     * Copies every register a cold reset writes from {@code t}, a freshly reset instance: what
     * {@link SysRegTable#resetByTable} writes is every typed register, the EL1 and EL2 copies of the banked ones (index 0
     * of the banks is unused and kept), the debug comparators and every slot. The configuration is kept.
     */
    void copyResetState(SystemRegisters t) {
        System.arraycopy(t.vbar, 1, vbar, 1, 2);
        System.arraycopy(t.esr, 1, esr, 1, 2);
        System.arraycopy(t.elr, 1, elr, 1, 2);
        System.arraycopy(t.spsr, 1, spsr, 1, 2);
        System.arraycopy(t.far, 1, far, 1, 2);
        System.arraycopy(t.sctlr, 1, sctlr, 1, 2);
        hcrEl2 = t.hcrEl2;
        mdcrEl2 = t.mdcrEl2;
        mdscrEl1 = t.mdscrEl1;
        oslsrEl1 = t.oslsrEl1;
        osdlrEl1 = t.osdlrEl1;
        dbgprcrEl1 = t.dbgprcrEl1;
        contextidrEl1 = t.contextidrEl1;
        vttbrEl2 = t.vttbrEl2;
        hpfarEl2 = t.hpfarEl2;
        System.arraycopy(t.dbgbvr, 0, dbgbvr, 0, 16);
        System.arraycopy(t.dbgbcr, 0, dbgbcr, 0, 16);
        System.arraycopy(t.dbgwvr, 0, dbgwvr, 0, 16);
        System.arraycopy(t.dbgwcr, 0, dbgwcr, 0, 16);
        claimTags = t.claimTags;
        vpidrEl2 = t.vpidrEl2;
        vmpidrEl2 = t.vmpidrEl2;
        System.arraycopy(t.slots, 0, slots, 0, slots.length);
    }

    public long idAa64dfr0El1() {
        return idAa64dfr0El1;
    }

    /**
     * Sets the debug resources (architecture.md §7.1, §14.1): numbers of breakpoints (2..16),
     * watchpoints (2..16), context-aware breakpoints (1..breakpoints), and whether FEAT_DoubleLock
     * is implemented.
     */
    public void configureDebug(int breakpoints, int watchpoints, int contextAware, boolean doubleLock) {
        if (breakpoints < 2 || breakpoints > 16 || watchpoints < 2 || watchpoints > 16
                || contextAware < 1 || contextAware > breakpoints)
            throw new IllegalArgumentException("unsupported debug resources: " + breakpoints + " bp, "
                    + watchpoints + " wp, " + contextAware + " context-aware");
        long v = idAa64dfr0El1;
        v = ID_AA64DFR0_EL1.BRPs.set(v, breakpoints - 1);
        v = ID_AA64DFR0_EL1.WRPs.set(v, watchpoints - 1);
        v = ID_AA64DFR0_EL1.CTX_CMPs.set(v, contextAware - 1);
        v = ID_AA64DFR0_EL1.DoubleLock.set(v, doubleLock ? ID_AA64DFR0_EL1.DOUBLELOCK_IMPLEMENTED
                : ID_AA64DFR0_EL1.DOUBLELOCK_NOT_IMPLEMENTED);
        idAa64dfr0El1 = v;
        if (!doubleLock) osdlrEl1 = 0;
    }

    /** Number of breakpoints: BRPs + 1. */
    public int breakpoints() {
        return ID_AA64DFR0_EL1.BRPs.getInt(idAa64dfr0El1) + 1;
    }

    /** Number of watchpoints: WRPs + 1. */
    public int watchpoints() {
        return ID_AA64DFR0_EL1.WRPs.getInt(idAa64dfr0El1) + 1;
    }

    /** Breakpoint n is context-aware iff it is one of the highest-numbered CTX_CMPs + 1 (§7.1). */
    public boolean isContextAware(int n) {
        int ctx = ID_AA64DFR0_EL1.CTX_CMPs.getInt(idAa64dfr0El1) + 1;
        return n < breakpoints() && n >= breakpoints() - ctx;
    }

    /** FEAT_DoubleLock: ID_AA64DFR0_EL1.DoubleLock = 0b0000. */
    public boolean doubleLockImplemented() {
        return ID_AA64DFR0_EL1.DoubleLock.getInt(idAa64dfr0El1) == ID_AA64DFR0_EL1.DOUBLELOCK_IMPLEMENTED;
    }

    /** Raw value of a stateful register by name (no side effects; for the KVM model, migration, tests). */
    public long get(String name) {
        SysReg r = SysRegTable.byName(name);
        if (r.storage == null) throw new IllegalArgumentException(name + " has no state of its own");
        return r.storage.get(this);
    }

    /** Sets a stateful register's raw value by name (no side effects: call Debug.refresh afterwards). */
    public void set(String name, long value) {
        SysReg r = SysRegTable.byName(name);
        if (r.storage == null) throw new IllegalArgumentException(name + " has no state of its own");
        r.storage.set(this, value);
    }
}
