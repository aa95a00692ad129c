package dev.debuglab.emulator.sysreg;

import dev.debuglab.emulator.arch.DataAccess;
import dev.debuglab.emulator.arch.Debug;
import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.sysreg.RegisterFields.CNTKCTL_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.DBGBCR;
import dev.debuglab.emulator.sysreg.RegisterFields.DBGPRCR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.DBGWCR;
import dev.debuglab.emulator.sysreg.RegisterFields.DCZID_EL0;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSDLR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLAR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLSR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.SCTLR;
import dev.debuglab.emulator.sysreg.RegisterFields.SPSR;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The system register table: one {@link SysReg} row per register or system instruction this PE
 * implements (architecture.md §14 and the registers Linux and gcc-built code read). An encoding
 * with no row is UNDEFINED. Sorted by encoding, indexed for decode; it checks itself at load
 * (unique encodings and names, every stateful register has a reset value, reset values fit the
 * writable bits).
 *
 * <p>Project choices (where the Arm ARM leaves values UNKNOWN or IMPLEMENTATION DEFINED) are
 * stated on the rows: debug registers reset to 0 (§12.1, §14), MDCR_EL2/HCR_EL2 to 0 with
 * HCR_EL2.RW reading 1, SCTLR_ELx to their RES1 bits only (M = A = SA = 0), the generic counter
 * counts retired instructions (deterministic) at a nominal CNTFRQ_EL0 of 62.5 MHz, and EL0 access
 * to the counters and timers follows CNTKCTL_EL1 (reset 0: EL0 accesses trap to EL1 until the
 * kernel enables them).
 */
public final class SysRegTable {
    private SysRegTable() {}

    private static final List<SysReg> ROWS;
    private static final Map<Integer, SysReg> BY_KEY = new HashMap<>();
    private static final Map<String, SysReg> BY_NAME = new HashMap<>();
    private static int slots;

    /** CNTFRQ_EL0 reset: 62.5 MHz, the frequency QEMU's virt board reports. */
    public static final long CNTFRQ_RESET = 62_500_000L;
    /** CTR_EL0: IminLine = DminLine = 4 (64-byte lines), L1Ip = PIPT, CWG = ERG = 4 (as a Cortex-A57). */
    public static final long CTR_EL0_VALUE = 0x8444_C004L;
    /** DCZID_EL0.BS: DC ZVA zeroes 2^4 words = 64 bytes. */
    public static final int DCZID_BS = 4;

    public static List<SysReg> all() {
        return ROWS;
    }

    /** The row for an encoding, or null (UNDEFINED). */
    public static SysReg lookup(int op0, int op1, int crn, int crm, int op2) {
        return BY_KEY.get(SysReg.key(op0, op1, crn, crm, op2));
    }

    public static SysReg byName(String name) {
        SysReg r = BY_NAME.get(name);
        if (r == null) throw new IllegalArgumentException("no system register " + name);
        return r;
    }

    static int slotCount() {
        return slots;
    }

    /**
     * The registers exactly as {@link #resetByTable} leaves them; null while the table is being built. Every cold reset
     * copies it ({@link SystemRegisters#copyResetState}) instead of calling each row's storage: the same values
     * (SysRegResetTest compares both on random states), without a virtual call per row.
     */
    private static SystemRegisters template;

    static void reset(SystemRegisters s) {
        SystemRegisters t = template;
        if (t != null) s.copyResetState(t);
        else resetByTable(s);
    }

    /** The cold reset as the table states it: every slot 0, then each stateful row's storage set to its reset value. */
    static void resetByTable(SystemRegisters s) {
        Arrays.fill(s.slots, 0);
        for (SysReg r : ROWS) if (r.storage != null) r.storage.set(s, r.reset);
    }

    /** The generic counter: one tick per retired instruction (deterministic; project choice). */
    public static long physicalCount(Cpu cpu) {
        return cpu.instructionsRetired;
    }

    // --- row builder -----------------------------------------------------------------------------

    private static final class B {
        final String name;
        final int op0, op1, crn, crm, op2;
        int minEl = 1;
        boolean readable = true, writable = true;
        SysReg.Condition condition;
        Trap trap = Trap.NONE;
        Long reset;
        SysReg.Storage storage;
        SysReg.Reader reader;
        SysReg.Writer writer, after;
        long writeMask = -1L, res1;

        B(String name, int op0, int op1, int crn, int crm, int op2) {
            this.name = name;
            this.op0 = op0;
            this.op1 = op1;
            this.crn = crn;
            this.crm = crm;
            this.op2 = op2;
        }

        B el0() { minEl = 0; return this; }
        B el2() { minEl = 2; return this; }
        B ro() { writable = false; return this; }
        B wo() { readable = false; return this; }
        B cond(SysReg.Condition c) { condition = c; return this; }
        B trap(Trap t) { trap = t; return this; }
        B mask(long m) { writeMask = m; return this; }
        B res1(long m) { res1 = m; return this; }
        B reads(SysReg.Reader r) { reader = r; return this; }
        B writes(SysReg.Writer w) { writer = w; return this; }
        B then(SysReg.Writer w) { after = w; return this; }

        /** State in a generic slot. */
        B stored(long resetValue) {
            final int slot = slots++;
            return field(new SysReg.Storage() {
                public long get(SystemRegisters s) { return s.slots[slot]; }
                public void set(SystemRegisters s, long v) { s.slots[slot] = v; }
            }, resetValue);
        }

        /** State in a typed field. */
        B field(SysReg.Storage st, long resetValue) {
            storage = st;
            reset = resetValue;
            return this;
        }

        /** A read-only value computed from the PE. */
        B value(SysReg.Reader r) {
            writable = false;
            reader = r;
            return this;
        }

        SysReg build() {
            if (storage != null && reader == null) {
                SysReg.Storage st = storage;
                reader = cpu -> st.get(cpu.sys);
            }
            if (storage != null && writer == null && writable) {
                SysReg.Storage st = storage;
                long m = writeMask, one = res1;
                writer = (cpu, v) -> st.set(cpu.sys, (st.get(cpu.sys) & ~m) | (v & m) | one);
            }
            SysReg.Writer w = writer, a = after;
            if (a != null) writer = (cpu, v) -> { w.write(cpu, v); a.write(cpu, v); };
            if (!writable) writer = (cpu, v) -> { throw new IllegalStateException(name + " is read-only"); };
            if (!readable) reader = cpu -> { throw new IllegalStateException(name + " is write-only"); };
            if (reader == null || writer == null) throw new IllegalStateException(name + ": no read or write behaviour");
            return new SysReg(name, op0, op1, crn, crm, op2, minEl, readable, writable, condition, trap, reset,
                    storage, reader, writer);
        }
    }

    private static B reg(List<B> t, String name, int op0, int op1, int crn, int crm, int op2) {
        B b = new B(name, op0, op1, crn, crm, op2);
        t.add(b);
        return b;
    }

    /** Storage of one EL's copy of a banked register (VBAR/ESR/ELR/SPSR/FAR/SCTLR). */
    private interface Bank {
        long[] of(SystemRegisters s);
    }

    private static SysReg.Storage bank(Bank b, int el) {
        return new SysReg.Storage() {
            public long get(SystemRegisters s) { return b.of(s)[el]; }
            public void set(SystemRegisters s, long v) { b.of(s)[el] = v; }
        };
    }

    private static SysReg.Storage array(Bank b, int n) {
        return bank(b, n);
    }

    // --- conditions --------------------------------------------------------------------------------

    /** EL0 access allowed iff {@code enabled}; otherwise trapped to EL1 (EC 0x18). */
    private static SysReg.Condition el0Enable(java.util.function.Predicate<Cpu> enabled) {
        return (cpu, read) -> cpu.el != 0 || enabled.test(cpu) ? SysRegAccess.ALLOWED : SysRegAccess.TRAP_EL1;
    }

    private static final SysReg.Condition EL0_READ_ONLY =
            (cpu, read) -> cpu.el == 0 && !read ? SysRegAccess.UNDEFINED : SysRegAccess.ALLOWED;

    private static SysReg.Condition breakpointExists(int n) {
        return (cpu, read) -> n < cpu.sys.breakpoints() ? SysRegAccess.ALLOWED : SysRegAccess.UNDEFINED;
    }

    private static SysReg.Condition watchpointExists(int n) {
        return (cpu, read) -> n < cpu.sys.watchpoints() ? SysRegAccess.ALLOWED : SysRegAccess.UNDEFINED;
    }

    private static boolean el0CounterEnabled(Cpu cpu, Field f) {
        return f.isSet(cpu.sys.get("CNTKCTL_EL1"));
    }

    // --- hooks ---------------------------------------------------------------------------------------

    /** Writing SCTLR_ELx.M = 1 stops the PE: stage 1 translation is not modelled yet. */
    private static void checkMmuEnable(Cpu cpu, long v) {
        if (SCTLR.M.isSet(v)) {
            cpu.halted = true;
            cpu.stopReason = "MMU not supported yet: software set SCTLR_EL" + Math.max(cpu.el, 1)
                    + ".M = 1 (stage 1 translation is not modelled)";
        }
    }

    private static long counterTimerValue(Cpu cpu, boolean virtual) {
        long count = physicalCount(cpu);
        return virtual ? count - cpu.sys.get("CNTVOFF_EL2") : count;
    }

    private static void timer(List<B> t, String kind, int crm, boolean virtual) {
        Field el0Access = virtual ? EL0VTEN : EL0PTEN;
        SysReg.Condition c = el0Enable(cpu -> el0CounterEnabled(cpu, el0Access));
        B cval = reg(t, "CNT" + kind + "_CVAL_EL0", 3, 3, 14, crm, 2).el0().cond(c).stored(0);
        B ctl = reg(t, "CNT" + kind + "_CTL_EL0", 3, 3, 14, crm, 1).el0().cond(c).stored(0).mask(0b11);
        String cvalName = cval.name, ctlName = ctl.name;
        // ISTATUS (bit 2) is computed: the timer condition CVAL <= count, reported when enabled.
        ctl.reads(cpu -> {
            long v = cpu.sys.get(ctlName);
            boolean met = (v & 1) != 0 && counterTimerValue(cpu, virtual) - cpu.sys.get(cvalName) >= 0;
            return v | (met ? 0b100 : 0);
        });
        reg(t, "CNT" + kind + "_TVAL_EL0", 3, 3, 14, crm, 0).el0().cond(c)
                .reads(cpu -> (long) (int) (cpu.sys.get(cvalName) - counterTimerValue(cpu, virtual)) & 0xFFFF_FFFFL)
                .writes((cpu, v) -> cpu.sys.set(cvalName, counterTimerValue(cpu, virtual) + (int) v));
    }

    private static final Field EL0VTEN = new Field("EL0VTEN", 8, 1), EL0PTEN = new Field("EL0PTEN", 9, 1);

    static {
        List<B> t = new ArrayList<>();

        // --- debug registers (op0 = 2), architecture.md §11, §12.1, §14 -------------------------------
        reg(t, "MDCCINT_EL1", 2, 0, 0, 2, 0).trap(Trap.TDA).stored(0).mask(0xFFFF_FFFFL);
        reg(t, "MDSCR_EL1", 2, 0, 0, 2, 2).trap(Trap.TDA)
                .field(st(s -> s.mdscrEl1, (s, v) -> s.mdscrEl1 = v), 0).mask(MDSCR_EL1.WRITABLE)
                .then((cpu, v) -> Debug.refresh(cpu));
        for (int n = 0; n < 16; n++) {
            // DBGBVR: VA[48:2] for address types, but ContextID in [31:0] (and VMID above) for
            // context types, so all bits are stored as written. Reset 0 (project choice).
            reg(t, "DBGBVR" + n + "_EL1", 2, 0, 0, n, 4).trap(Trap.TDA).cond(breakpointExists(n))
                    .field(array(s -> s.dbgbvr, n), 0);
            reg(t, "DBGBCR" + n + "_EL1", 2, 0, 0, n, 5).trap(Trap.TDA).cond(breakpointExists(n))
                    .field(array(s -> s.dbgbcr, n), 0).mask(DBGBCR.WRITABLE).then((cpu, v) -> Debug.refresh(cpu));
            reg(t, "DBGWVR" + n + "_EL1", 2, 0, 0, n, 6).trap(Trap.TDA).cond(watchpointExists(n))
                    .field(array(s -> s.dbgwvr, n), 0).mask(~0b11L);
            reg(t, "DBGWCR" + n + "_EL1", 2, 0, 0, n, 7).trap(Trap.TDA).cond(watchpointExists(n))
                    .field(array(s -> s.dbgwcr, n), 0).mask(DBGWCR.WRITABLE).then((cpu, v) -> Debug.refresh(cpu));
        }
        // MDRAR_EL1: no memory-mapped debug ROM table (ROMADDR not valid) ⇒ reads 0. MSR is UNDEFINED (§12.4 row 2).
        reg(t, "MDRAR_EL1", 2, 0, 1, 0, 0).trap(Trap.TDRA).value(cpu -> 0);
        // OSLAR_EL1: write-only; MRS is UNDEFINED (§11 rule 2). Writing bit 0 sets OSLSR_EL1.OSLK.
        reg(t, "OSLAR_EL1", 2, 0, 1, 0, 4).wo().trap(Trap.TDOSA).writes((cpu, v) -> {
            cpu.sys.oslsrEl1 = OSLSR_EL1.OSLK.set(cpu.sys.oslsrEl1, OSLAR_EL1.OSLK.get(v));
            Debug.refresh(cpu);
        });
        // OSLSR_EL1: read-only; cold reset 0xA (OSLM = 0b10, OSLK = 1). MSR is UNDEFINED.
        reg(t, "OSLSR_EL1", 2, 0, 1, 1, 4).ro().trap(Trap.TDOSA)
                .field(st(s -> s.oslsrEl1, (s, v) -> s.oslsrEl1 = v), OSLSR_EL1.OSLM_IMPLEMENTED | OSLSR_EL1.OSLK.of(1));
        // OSDLR_EL1: DLK; RAZ/WI when FEAT_DoubleLock is not implemented (§11). Reset 0 (UNVERIFIED).
        reg(t, "OSDLR_EL1", 2, 0, 1, 3, 4).trap(Trap.TDOSA)
                .field(st(s -> s.osdlrEl1, (s, v) -> s.osdlrEl1 = v), 0)
                .reads(cpu -> cpu.sys.doubleLockImplemented() ? cpu.sys.osdlrEl1 : 0)
                .writes((cpu, v) -> {
                    if (cpu.sys.doubleLockImplemented()) cpu.sys.osdlrEl1 = OSDLR_EL1.DLK.of(OSDLR_EL1.DLK.get(v));
                    Debug.refresh(cpu);
                });
        // DBGPRCR_EL1: CORENPDRQ only matters for DLKeff (§5.2). Reset 0 (UNVERIFIED).
        reg(t, "DBGPRCR_EL1", 2, 0, 1, 4, 4).trap(Trap.TDOSA)
                .field(st(s -> s.dbgprcrEl1, (s, v) -> s.dbgprcrEl1 = v), 0).mask(DBGPRCR_EL1.CORENPDRQ.mask())
                .then((cpu, v) -> Debug.refresh(cpu));
        // Claim tags: 8 implemented bits. DBGCLAIMSET reads which bits exist; DBGCLAIMCLR reads their values.
        reg(t, "DBGCLAIMSET_EL1", 2, 0, 7, 8, 6).trap(Trap.TDA).reads(cpu -> 0xFF)
                .writes((cpu, v) -> cpu.sys.claimTags |= v & 0xFF);
        reg(t, "DBGCLAIMCLR_EL1", 2, 0, 7, 9, 6).trap(Trap.TDA)
                .field(st(s -> s.claimTags, (s, v) -> s.claimTags = v), 0)
                .writes((cpu, v) -> cpu.sys.claimTags &= ~v & 0xFF);
        // DBGAUTHSTATUS_EL1: Non-secure invasive and non-invasive debug implemented and enabled (0b11
        // each), Secure state not implemented (0b00). Value encodings UNVERIFIED (architecture.md §18.5).
        reg(t, "DBGAUTHSTATUS_EL1", 2, 0, 7, 14, 6).trap(Trap.TDA).value(cpu -> 0x0F);
        // MDCCSR_EL0: DCC status; no DCC data transfer ⇒ 0. EL0 access trapped by MDSCR_EL1.TDCC.
        reg(t, "MDCCSR_EL0", 2, 3, 0, 1, 0).el0().trap(Trap.TDA)
                .cond(el0Enable(cpu -> !MDSCR_EL1.TDCC.isSet(cpu.sys.mdscrEl1))).value(cpu -> 0);

        // --- identification (op0 3, op1 0, CRn 0) ----------------------------------------------------
        // MIDR_EL1/MPIDR_EL1 read at EL1 return VPIDR_EL2/VMPIDR_EL2 (EL2 is implemented).
        reg(t, "MIDR_EL1", 3, 0, 0, 0, 0).value(cpu -> cpu.el == 2 ? cpu.sys.midr : cpu.sys.vpidrEl2);
        reg(t, "MPIDR_EL1", 3, 0, 0, 0, 5).value(cpu -> cpu.el == 2 ? cpu.sys.mpidr : cpu.sys.vmpidrEl2);
        reg(t, "REVIDR_EL1", 3, 0, 0, 0, 6).trap(Trap.TID1).value(cpu -> 0);
        Map<Integer, String> idNames = new HashMap<>();
        String[][] named = {
                {"1 0", "ID_PFR0_EL1"}, {"1 1", "ID_PFR1_EL1"}, {"1 2", "ID_DFR0_EL1"}, {"1 3", "ID_AFR0_EL1"},
                {"1 4", "ID_MMFR0_EL1"}, {"1 5", "ID_MMFR1_EL1"}, {"1 6", "ID_MMFR2_EL1"}, {"1 7", "ID_MMFR3_EL1"},
                {"2 0", "ID_ISAR0_EL1"}, {"2 1", "ID_ISAR1_EL1"}, {"2 2", "ID_ISAR2_EL1"}, {"2 3", "ID_ISAR3_EL1"},
                {"2 4", "ID_ISAR4_EL1"}, {"2 5", "ID_ISAR5_EL1"}, {"2 6", "ID_MMFR4_EL1"}, {"2 7", "ID_ISAR6_EL1"},
                {"3 0", "MVFR0_EL1"}, {"3 1", "MVFR1_EL1"}, {"3 2", "MVFR2_EL1"}, {"3 4", "ID_PFR2_EL1"},
                {"3 5", "ID_DFR1_EL1"}, {"3 6", "ID_MMFR5_EL1"},
                {"4 0", "ID_AA64PFR0_EL1"}, {"4 1", "ID_AA64PFR1_EL1"}, {"4 4", "ID_AA64ZFR0_EL1"},
                {"4 5", "ID_AA64SMFR0_EL1"}, {"5 0", "ID_AA64DFR0_EL1"}, {"5 1", "ID_AA64DFR1_EL1"},
                {"5 4", "ID_AA64AFR0_EL1"}, {"5 5", "ID_AA64AFR1_EL1"}, {"6 0", "ID_AA64ISAR0_EL1"},
                {"6 1", "ID_AA64ISAR1_EL1"}, {"6 2", "ID_AA64ISAR2_EL1"}, {"7 0", "ID_AA64MMFR0_EL1"},
                {"7 1", "ID_AA64MMFR1_EL1"}, {"7 2", "ID_AA64MMFR2_EL1"}};
        for (String[] n : named) {
            String[] cm = n[0].split(" ");
            idNames.put(Integer.parseInt(cm[0]) * 8 + Integer.parseInt(cm[1]), n[1]);
        }
        // Every encoding of the ID group 3 space (CRm 1..7) exists: the unnamed ones and the AArch32
        // ones (no AArch32 here) read as zero, as the Arm ARM requires for this space (D17.2).
        for (int crm = 1; crm <= 7; crm++)
            for (int op2 = 0; op2 < 8; op2++) {
                String name = idNames.getOrDefault(crm * 8 + op2, "ID_RAZ_" + crm + "_" + op2);
                SysReg.Reader r;
                switch (name) {
                    // EL0, EL1, EL2 AArch64 only (0b0001), EL3 not implemented, FP and AdvSIMD not
                    // implemented (0xF) — field layout UNVERIFIED in architecture.md §14.
                    case "ID_AA64PFR0_EL1": r = cpu -> 0x0000_0000_00FF_0111L; break;
                    case "ID_AA64DFR0_EL1": r = cpu -> cpu.sys.idAa64dfr0El1(); break;
                    // PARange 0b0001 (36 bits), 4 KB and 64 KB granules; no 16 KB granule.
                    case "ID_AA64MMFR0_EL1": r = cpu -> 0x0000_0000_0010_0001L; break;
                    default: r = cpu -> 0;
                }
                reg(t, name, 3, 0, 0, crm, op2).trap(Trap.TID3).value(r);
            }
        reg(t, "CCSIDR_EL1", 3, 1, 0, 0, 0).trap(Trap.TID2).value(cpu -> 0x700F_E01AL);
        reg(t, "CLIDR_EL1", 3, 1, 0, 0, 1).trap(Trap.TID2).value(cpu -> 0x0A20_0023L);
        reg(t, "AIDR_EL1", 3, 1, 0, 0, 7).trap(Trap.TID1).value(cpu -> 0);
        reg(t, "CSSELR_EL1", 3, 2, 0, 0, 0).trap(Trap.TID2).stored(0).mask(0xF);
        reg(t, "CTR_EL0", 3, 3, 0, 0, 1).el0().trap(Trap.TID2)
                .cond(el0Enable(cpu -> SCTLR.UCT.isSet(cpu.sys.sctlr[1]))).value(cpu -> CTR_EL0_VALUE);
        // DCZID_EL0.DZP reads 1 at EL0 when SCTLR_EL1.DZE = 0 (DC ZVA would trap).
        reg(t, "DCZID_EL0", 3, 3, 0, 0, 7).el0().value(cpu -> DCZID_EL0.BS.of(DCZID_BS)
                | DCZID_EL0.DZP.of(cpu.el == 0 && !SCTLR.DZE.isSet(cpu.sys.sctlr[1]) ? 1 : 0));

        // --- EL1 control -----------------------------------------------------------------------------
        reg(t, "SCTLR_EL1", 3, 0, 1, 0, 0).trap(Trap.TVM).field(bank(s -> s.sctlr, 1), SCTLR.EL1_RES1)
                .mask(0xFFFF_FFFFL).res1(SCTLR.EL1_RES1).then(SysRegTable::checkMmuEnable);
        reg(t, "ACTLR_EL1", 3, 0, 1, 0, 1).trap(Trap.TACR).stored(0);
        reg(t, "CPACR_EL1", 3, 0, 1, 0, 2).stored(0).mask(0xFFFF_FFFFL);
        reg(t, "TTBR0_EL1", 3, 0, 2, 0, 0).trap(Trap.TVM).stored(0);
        reg(t, "TTBR1_EL1", 3, 0, 2, 0, 1).trap(Trap.TVM).stored(0);
        reg(t, "TCR_EL1", 3, 0, 2, 0, 2).trap(Trap.TVM).stored(0);
        reg(t, "SPSR_EL1", 3, 0, 4, 0, 0).field(bank(s -> s.spsr, 1), 0).mask(0xFFFF_FFFFL);
        reg(t, "ELR_EL1", 3, 0, 4, 0, 1).field(bank(s -> s.elr, 1), 0);
        // SP_EL0 is accessible at EL1/EL2 only while SP_ELx is selected (PSTATE.SP = 1).
        reg(t, "SP_EL0", 3, 0, 4, 1, 0)
                .cond((cpu, read) -> cpu.spSel == 1 ? SysRegAccess.ALLOWED : SysRegAccess.UNDEFINED)
                .reads(cpu -> cpu.sp[0]).writes((cpu, v) -> cpu.sp[0] = v);
        reg(t, "SPSel", 3, 0, 4, 2, 0).reads(cpu -> cpu.spSel).writes((cpu, v) -> cpu.spSel = (int) (v & 1));
        reg(t, "CurrentEL", 3, 0, 4, 2, 2).value(cpu -> SPSR.M_EL.of(cpu.el));
        reg(t, "AFSR0_EL1", 3, 0, 5, 1, 0).trap(Trap.TVM).stored(0);
        reg(t, "AFSR1_EL1", 3, 0, 5, 1, 1).trap(Trap.TVM).stored(0);
        reg(t, "ESR_EL1", 3, 0, 5, 2, 0).trap(Trap.TVM).field(bank(s -> s.esr, 1), 0).mask(0xFFFF_FFFFL);
        reg(t, "FAR_EL1", 3, 0, 6, 0, 0).trap(Trap.TVM).field(bank(s -> s.far, 1), 0);
        reg(t, "PAR_EL1", 3, 0, 7, 4, 0).stored(0);
        reg(t, "MAIR_EL1", 3, 0, 10, 2, 0).trap(Trap.TVM).stored(0);
        reg(t, "AMAIR_EL1", 3, 0, 10, 3, 0).trap(Trap.TVM).stored(0);
        reg(t, "VBAR_EL1", 3, 0, 12, 0, 0).field(bank(s -> s.vbar, 1), 0).mask(~0x7FFL);
        reg(t, "CONTEXTIDR_EL1", 3, 0, 13, 0, 1).trap(Trap.TVM)
                .field(st(s -> s.contextidrEl1, (s, v) -> s.contextidrEl1 = v), 0).mask(0xFFFF_FFFFL);
        reg(t, "TPIDR_EL1", 3, 0, 13, 0, 4).stored(0);
        reg(t, "CNTKCTL_EL1", 3, 0, 14, 1, 0).stored(0).mask(0x3FF);

        // --- EL0-accessible ----------------------------------------------------------------------------
        reg(t, "NZCV", 3, 3, 4, 2, 0).el0().reads(cpu -> SPSR.NZCV.of(cpu.nzcv))
                .writes((cpu, v) -> cpu.nzcv = SPSR.NZCV.getInt(v));
        // DAIF at EL0 only with SCTLR_EL1.UMA = 1, otherwise trapped to EL1 (EC 0x18).
        reg(t, "DAIF", 3, 3, 4, 2, 1).el0().cond(el0Enable(cpu -> SCTLR.UMA.isSet(cpu.sys.sctlr[1])))
                .reads(Cpu::daif).writes((cpu, v) -> {
                    cpu.setDaif(v);
                    Debug.refresh(cpu);
                });
        reg(t, "TPIDR_EL0", 3, 3, 13, 0, 2).el0().stored(0);
        reg(t, "TPIDRRO_EL0", 3, 3, 13, 0, 3).el0().cond(EL0_READ_ONLY).stored(0);
        // CNTFRQ_EL0: writable only at the highest implemented EL (EL2 here); EL0 reads need EL0PCTEN or EL0VCTEN.
        reg(t, "CNTFRQ_EL0", 3, 3, 14, 0, 0).el0().stored(CNTFRQ_RESET).mask(0xFFFF_FFFFL)
                .cond((cpu, read) -> {
                    if (!read && cpu.el < 2) return SysRegAccess.UNDEFINED;
                    long k = cpu.sys.get("CNTKCTL_EL1");
                    return cpu.el == 0 && !CNTKCTL_EL1.EL0PCTEN.isSet(k) && !CNTKCTL_EL1.EL0VCTEN.isSet(k)
                            ? SysRegAccess.TRAP_EL1 : SysRegAccess.ALLOWED;
                });
        reg(t, "CNTPCT_EL0", 3, 3, 14, 0, 1).el0()
                .cond(el0Enable(cpu -> el0CounterEnabled(cpu, CNTKCTL_EL1.EL0PCTEN))).value(cpu -> counterTimerValue(cpu, false));
        reg(t, "CNTVCT_EL0", 3, 3, 14, 0, 2).el0()
                .cond(el0Enable(cpu -> el0CounterEnabled(cpu, CNTKCTL_EL1.EL0VCTEN))).value(cpu -> counterTimerValue(cpu, true));
        timer(t, "P", 2, false);
        timer(t, "V", 3, true);

        // --- EL2 ---------------------------------------------------------------------------------------
        reg(t, "VPIDR_EL2", 3, 4, 0, 0, 0).el2().field(st(s -> s.vpidrEl2, (s, v) -> s.vpidrEl2 = v), 0)
                .mask(0xFFFF_FFFFL);
        reg(t, "VMPIDR_EL2", 3, 4, 0, 0, 5).el2().field(st(s -> s.vmpidrEl2, (s, v) -> s.vmpidrEl2 = v), 0);
        reg(t, "SCTLR_EL2", 3, 4, 1, 0, 0).el2().field(bank(s -> s.sctlr, 2), SCTLR.EL2_RES1)
                .mask(0xFFFF_FFFFL).res1(SCTLR.EL2_RES1).then(SysRegTable::checkMmuEnable);
        reg(t, "ACTLR_EL2", 3, 4, 1, 0, 1).el2().stored(0);
        // HCR_EL2: reset 0 except RW, which reads 1 (EL1 is AArch64; UNVERIFIED RAO/WI, §12.3). E2H RES0 (no VHE).
        reg(t, "HCR_EL2", 3, 4, 1, 1, 0).el2()
                .field(st(s -> s.hcrEl2, (s, v) -> s.hcrEl2 = v), HCR_EL2.RW.of(1))
                .mask(HCR_EL2.WRITABLE & ~HCR_EL2.E2H.mask()).res1(HCR_EL2.RW.mask())
                .then((cpu, v) -> Debug.refresh(cpu));
        // MDCR_EL2: HPMN resets to PMCR_EL0.N, which is 0 (no PMU); everything else 0 (project choice).
        reg(t, "MDCR_EL2", 3, 4, 1, 1, 1).el2()
                .field(st(s -> s.mdcrEl2, (s, v) -> s.mdcrEl2 = v), 0).mask(MDCR_EL2.WRITABLE)
                .then((cpu, v) -> Debug.refresh(cpu));
        reg(t, "CPTR_EL2", 3, 4, 1, 1, 2).el2().stored(0x33FF).res1(0x33FF);
        reg(t, "HSTR_EL2", 3, 4, 1, 1, 3).el2().stored(0);
        reg(t, "HACR_EL2", 3, 4, 1, 1, 7).el2().stored(0);
        reg(t, "TTBR0_EL2", 3, 4, 2, 0, 0).el2().stored(0);
        reg(t, "TCR_EL2", 3, 4, 2, 0, 2).el2().stored(0);
        reg(t, "VTTBR_EL2", 3, 4, 2, 1, 0).el2().field(st(s -> s.vttbrEl2, (s, v) -> s.vttbrEl2 = v), 0);
        reg(t, "VTCR_EL2", 3, 4, 2, 1, 2).el2().stored(0);
        reg(t, "SPSR_EL2", 3, 4, 4, 0, 0).el2().field(bank(s -> s.spsr, 2), 0).mask(0xFFFF_FFFFL);
        reg(t, "ELR_EL2", 3, 4, 4, 0, 1).el2().field(bank(s -> s.elr, 2), 0);
        reg(t, "SP_EL1", 3, 4, 4, 1, 0).el2().reads(cpu -> cpu.sp[1]).writes((cpu, v) -> cpu.sp[1] = v);
        reg(t, "AFSR0_EL2", 3, 4, 5, 1, 0).el2().stored(0);
        reg(t, "AFSR1_EL2", 3, 4, 5, 1, 1).el2().stored(0);
        reg(t, "ESR_EL2", 3, 4, 5, 2, 0).el2().field(bank(s -> s.esr, 2), 0).mask(0xFFFF_FFFFL);
        reg(t, "FAR_EL2", 3, 4, 6, 0, 0).el2().field(bank(s -> s.far, 2), 0);
        reg(t, "HPFAR_EL2", 3, 4, 6, 0, 4).el2().field(st(s -> s.hpfarEl2, (s, v) -> s.hpfarEl2 = v), 0)
                .mask(0xFFF_FFFF_FFF0L);
        reg(t, "MAIR_EL2", 3, 4, 10, 2, 0).el2().stored(0);
        reg(t, "AMAIR_EL2", 3, 4, 10, 3, 0).el2().stored(0);
        reg(t, "VBAR_EL2", 3, 4, 12, 0, 0).el2().field(bank(s -> s.vbar, 2), 0).mask(~0x7FFL);
        reg(t, "TPIDR_EL2", 3, 4, 13, 0, 2).el2().stored(0);
        reg(t, "CNTVOFF_EL2", 3, 4, 14, 0, 3).el2().stored(0);
        reg(t, "CNTHCTL_EL2", 3, 4, 14, 1, 0).el2().stored(0b11).mask(0xFF);

        // --- system instructions (op0 = 1) ---------------------------------------------------------------
        SysReg.Writer nop = (cpu, v) -> {};
        SysReg.Condition uci = el0Enable(cpu -> SCTLR.UCI.isSet(cpu.sys.sctlr[1]));
        reg(t, "IC IALLUIS", 1, 0, 7, 1, 0).wo().trap(Trap.TPU).writes(nop);
        reg(t, "IC IALLU", 1, 0, 7, 5, 0).wo().trap(Trap.TPU).writes(nop);
        reg(t, "IC IVAU", 1, 3, 7, 5, 1).el0().wo().cond(uci).trap(Trap.TPU).writes(nop);
        // DC IVAC is the only DC operation checked against watchpoints, as a store with CM = 1 (§8.2).
        reg(t, "DC IVAC", 1, 0, 7, 6, 1).wo().trap(Trap.TPCP).writes(DataAccess::dataCacheInvalidate);
        reg(t, "DC ISW", 1, 0, 7, 6, 2).wo().trap(Trap.TSW).writes(nop);
        reg(t, "DC CSW", 1, 0, 7, 10, 2).wo().trap(Trap.TSW).writes(nop);
        reg(t, "DC CISW", 1, 0, 7, 14, 2).wo().trap(Trap.TSW).writes(nop);
        reg(t, "DC ZVA", 1, 3, 7, 4, 1).el0().wo().cond(el0Enable(cpu -> SCTLR.DZE.isSet(cpu.sys.sctlr[1])))
                .writes(DataAccess::dataCacheZero);
        reg(t, "DC CVAC", 1, 3, 7, 10, 1).el0().wo().cond(uci).trap(Trap.TPCP).writes(nop);
        reg(t, "DC CVAU", 1, 3, 7, 11, 1).el0().wo().cond(uci).trap(Trap.TPU).writes(nop);
        reg(t, "DC CIVAC", 1, 3, 7, 14, 1).el0().wo().cond(uci).trap(Trap.TPCP).writes(nop);
        // AT with stage 1 disabled: PAR_EL1 = the flat physical address, F = 0.
        String[] at1 = {"AT S1E1R", "AT S1E1W", "AT S1E0R", "AT S1E0W"};
        for (int op2 = 0; op2 < 4; op2++)
            reg(t, at1[op2], 1, 0, 7, 8, op2).wo().writes((cpu, v) -> cpu.sys.set("PAR_EL1", v & 0xFFFF_FFFF_F000L));
        String[] at2 = {"AT S1E2R", "AT S1E2W", null, null, "AT S12E1R", "AT S12E1W", "AT S12E0R", "AT S12E0W"};
        for (int op2 = 0; op2 < 8; op2++)
            if (at2[op2] != null)
                reg(t, at2[op2], 1, 4, 7, 8, op2).el2().wo().writes((cpu, v) -> cpu.sys.set("PAR_EL1", v & 0xFFFF_FFFF_F000L));
        // TLB maintenance: no TLB is modelled (MMU off) ⇒ no-ops, but still subject to EL and HCR_EL2.TTLB.
        String[][] tlbiEl1 = {{"3 0", "VMALLE1IS"}, {"3 1", "VAE1IS"}, {"3 2", "ASIDE1IS"}, {"3 3", "VAAE1IS"},
                {"3 5", "VALE1IS"}, {"3 7", "VAALE1IS"}, {"7 0", "VMALLE1"}, {"7 1", "VAE1"}, {"7 2", "ASIDE1"},
                {"7 3", "VAAE1"}, {"7 5", "VALE1"}, {"7 7", "VAALE1"}};
        for (String[] op : tlbiEl1) {
            String[] c = op[0].split(" ");
            reg(t, "TLBI " + op[1], 1, 0, 8, Integer.parseInt(c[0]), Integer.parseInt(c[1])).wo().trap(Trap.TTLB).writes(nop);
        }
        String[][] tlbiEl2 = {{"0 1", "IPAS2E1IS"}, {"0 5", "IPAS2LE1IS"}, {"3 0", "ALLE2IS"}, {"3 1", "VAE2IS"},
                {"3 4", "ALLE1IS"}, {"3 5", "VALE2IS"}, {"3 6", "VMALLS12E1IS"}, {"4 1", "IPAS2E1"}, {"4 5", "IPAS2LE1"},
                {"7 0", "ALLE2"}, {"7 1", "VAE2"}, {"7 4", "ALLE1"}, {"7 5", "VALE2"}, {"7 6", "VMALLS12E1"}};
        for (String[] op : tlbiEl2) {
            String[] c = op[0].split(" ");
            reg(t, "TLBI " + op[1], 1, 4, 8, Integer.parseInt(c[0]), Integer.parseInt(c[1])).el2().wo().writes(nop);
        }

        List<SysReg> rows = new ArrayList<>();
        for (B b : t) rows.add(b.build());
        rows.sort((a, b) -> Integer.compare(a.key(), b.key()));
        ROWS = Collections.unmodifiableList(rows);
        for (SysReg r : ROWS) {
            BY_KEY.put(r.key(), r);
            BY_NAME.put(r.name, r);
        }
        checkTable();
        template = new SystemRegisters(); // reset by the table (template still null)
    }

    /**
     * The table checks itself: sorted by encoding, unique encodings and names, op0 1..3, every
     * stateful register has a reset value and read/write behaviour.
     */
    public static void checkTable() {
        Set<Integer> keys = new HashSet<>();
        Set<String> names = new HashSet<>();
        int last = -1;
        for (SysReg r : ROWS) {
            if (r.key() <= last) throw new IllegalStateException("table not sorted/unique at " + r);
            last = r.key();
            if (!keys.add(r.key())) throw new IllegalStateException("duplicate encoding " + r);
            if (!names.add(r.name)) throw new IllegalStateException("duplicate name " + r);
            if (r.op0 < 1 || r.op0 > 3 || r.op1 > 7 || r.crn > 15 || r.crm > 15 || r.op2 > 7)
                throw new IllegalStateException("bad encoding " + r);
            if (r.storage != null && r.reset == null) throw new IllegalStateException(r + " has state but no reset value");
            if (r.isInstruction && r.readable) throw new IllegalStateException(r + ": system instructions are write-only");
        }
    }

    private interface Getter {
        long get(SystemRegisters s);
    }

    private interface Setter {
        void set(SystemRegisters s, long v);
    }

    private static SysReg.Storage st(Getter g, Setter s) {
        return new SysReg.Storage() {
            public long get(SystemRegisters r) { return g.get(r); }
            public void set(SystemRegisters r, long v) { s.set(r, v); }
        };
    }
}
