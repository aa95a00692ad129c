package dev.debuglab.emulator.kvm;

import dev.debuglab.emulator.arch.Debug;
import dev.debuglab.emulator.arch.ExceptionClass;
import dev.debuglab.emulator.arch.ExceptionRecord;
import dev.debuglab.emulator.arch.Exceptions;
import dev.debuglab.emulator.arch.Syndrome;
import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.Interpreter;
import dev.debuglab.emulator.kvm.KvmEvent.Comparators;
import dev.debuglab.emulator.kvm.KvmEvent.DecisionKind;
import dev.debuglab.emulator.sysreg.RegisterFields.ESR;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.HPFAR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLSR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.SPSR;
import dev.debuglab.emulator.sysreg.SysReg;
import dev.debuglab.emulator.sysreg.SysRegTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A vCPU (the KVM vCPU file descriptor) of the model: the ioctls a VMM calls, and behind
 * {@link #run} the kernel's run loop (kvm_arch_vcpu_ioctl_run): world switch into the guest with
 * the version's debug setup, the guest runs on the emulated PE at EL1/EL0 until an exception is
 * taken to EL2, then handle_exit either resumes the guest or returns an exit to userspace.
 *
 * <p>State is kept as KVM keeps it: the guest's saved context (MDSCR_EL1, the debug registers,
 * the shadow OSLSR_EL1 — what ONE_REG and trapped guest accesses see) is separate from the
 * hardware registers the PE holds while the guest runs (which the world switch computes from it).
 * The guest's general-purpose registers, PC, PSTATE and EL1 system registers live in the PE.
 */
public final class Vcpu {
    /** HCR_EL2 while the guest runs: stage 2 on, EL1 is AArch64, SMC trapped (KVM's HCR_GUEST_FLAGS, reduced to what this PE implements). */
    static final long HCR_GUEST_FLAGS = HCR_EL2.VM.of(1) | HCR_EL2.RW.of(1) | HCR_EL2.TSC.of(1);
    /** SCTLR_EL1 after KVM_ARM_VCPU_INIT (reset_val of the SCTLR_EL1 row in sys_regs.c). */
    static final long SCTLR_EL1_RESET = 0x00C5_0078L;
    /** PSTATE after KVM_ARM_VCPU_INIT: EL1h with D, A, I, F masked (VCPU_RESET_PSTATE_EL1). */
    public static final long RESET_PSTATE = 0x3C5;
    /** PSCI / SMCCC function ids (SMC32 convention) and return values. */
    static final long PSCI_VERSION = 0x8400_0000L, PSCI_FEATURES = 0x8400_000AL, PSCI_SYSTEM_OFF = 0x8400_0008L,
            PSCI_SYSTEM_RESET = 0x8400_0009L, SMCCC_VERSION = 0x8000_0000L, NOT_SUPPORTED = -1L;

    private final Vm vm;
    private final int index;
    private final Cpu cpu;
    private final KvmRun run = new KvmRun();
    private final List<Consumer<KvmEvent>> listeners = new CopyOnWriteArrayList<>();
    private boolean initialized;

    // --- KVM's per-vCPU debug state -------------------------------------------------------------------
    long guestDebug;
    final long[] extBcr = new long[16], extBvr = new long[16], extWcr = new long[16], extWvr = new long[16];
    long oslsr;
    long guestMdscr;
    final long[] gBcr = new long[16], gBvr = new long[16], gWcr = new long[16], gWvr = new long[16];
    long mdccint, dbgvcr32;
    /** The AArch32 banked SPSRs of struct kvm_regs (spsr[1..4]); never used by an AArch64 guest. */
    final long[] spsr32 = new long[5];
    boolean debugDirty, activePending, guestTouchedDebugRegs, reloadRequested, warnedOnce;
    boolean savedGuestSs;
    DebugSetup lastSetup;
    // --- pending work for the next KVM_RUN --------------------------------------------------------------
    boolean mmioNeeded, incrementPc;
    Syndrome.AccessSyndrome mmioSyndrome;
    // --- set by the exception listener ------------------------------------------------------------------
    private boolean exitedToEl2;

    Vcpu(Vm vm, int index) {
        this.vm = vm;
        this.index = index;
        this.cpu = new Cpu(vm.memory());
        VmConfig c = vm.config();
        cpu.sys.configureDebug(c.breakpoints(), c.watchpoints(), c.contextAware(), true);
        cpu.exceptionListener = this::taken;
        hostState();
    }

    /** The host left the hardware OS Lock unlocked and the Double Lock clear (it never changes them for the guest, kvm.md §2). */
    private void hostState() {
        cpu.sys.oslsrEl1 = OSLSR_EL1.OSLM_IMPLEMENTED;
        cpu.sys.osdlrEl1 = 0;
        cpu.sys.dbgprcrEl1 = 0;
        cpu.sys.mdcrEl2 = 0;
        cpu.sys.hcrEl2 = HCR_EL2.RW.of(1);
        Debug.refresh(cpu);
    }

    // --- observers --------------------------------------------------------------------------------------

    /**
     * The emulated PE (for observers and tests; a VMM uses ONE_REG). Its {@code exceptionListener}
     * is the model's exit path to EL2: do not replace it; subscribe with {@link #addListener}
     * (GuestException events report the exceptions the guest takes itself).
     */
    public Cpu cpu() {
        return cpu;
    }

    /** The VM this vCPU belongs to. */
    public Vm vm() {
        return vm;
    }

    /** The vCPU index (KVM_CREATE_VCPU's id). */
    public int index() {
        return index;
    }

    /** The VM's kernel version (or variant). */
    public KvmVersion version() {
        return vm.version();
    }

    /** The mmap'd kvm_run of this vCPU (the same object every run returns). */
    public KvmRun kvmRun() {
        return run;
    }

    /** {@code vcpu->guest_debug}: the control word of the last KVM_SET_GUEST_DEBUG with ENABLE, else 0. */
    public long guestDebug() {
        return guestDebug;
    }

    /** The debug setup applied at the last guest entry (null before the first KVM_RUN). */
    public DebugSetup lastSetup() {
        return lastSetup;
    }

    /** Subscribes to the routing trace ({@link KvmEvent}). */
    public void addListener(Consumer<KvmEvent> listener) {
        listeners.add(listener);
    }

    /** Unsubscribes a trace listener. */
    public void removeListener(Consumer<KvmEvent> listener) {
        listeners.remove(listener);
    }

    private void emit(KvmEvent e) {
        for (Consumer<KvmEvent> l : listeners) l.accept(e);
    }

    private String vname() {
        return vm.version().name();
    }

    // --- steps -------------------------------------------------------------------------------------------

    StepContext ctx() {
        return new StepContext(this, vm.version());
    }

    <R> R invoke(Step<R> step, StepContext ctx) {
        return ctx.version().call(step, ctx);
    }

    /** Thrown out of {@link #guarded} after an override failed and the state was restored. */
    private static final class StepFailed extends RuntimeException {
        StepFailed(OverrideFailure cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Runs a top-level step; if an override throws, restores the vCPU as it was before the step. */
    private <R> R guarded(Step<R> step, StepContext ctx) {
        if (!ctx.version().isVariant()) return invoke(step, ctx);
        State before = new State(this);
        try {
            return invoke(step, ctx);
        } catch (OverrideFailure f) {
            before.restore(this);
            emit(new KvmEvent.OverrideFailed(vname(), f.step.name(), f.getMessage()));
            throw new StepFailed(f);
        }
    }

    private void requireInit(String ioctl) {
        if (!initialized)
            throw new KvmError(Errno.ENOEXEC, ioctl, "vCPU " + index + " is not initialised: call init() (KVM_ARM_VCPU_INIT) first");
    }

    // --- KVM_ARM_VCPU_INIT ---------------------------------------------------------------------------------

    /**
     * KVM_ARM_VCPU_INIT (kvm_arch_vcpu_ioctl_vcpu_init → kvm_reset_vcpu, reset_sys_reg_descs):
     * X0..X30, SP, PC = 0; PSTATE = 0x3C5 (EL1h, DAIF masked); EL1 system registers to KVM's
     * reset values; the guest's MDSCR_EL1 and debug registers 0; OSLSR_EL1 to the version's reset
     * value (Step.OSLSR_RESET: 0x8, or 0xA for V2). Every further call resets again ("as for a warm
     * reset"). guest_debug is left as it was.
     */
    public void init() {
        // Only a variant's override can fail the reset step (guarded): snapshot for the rollback only then.
        State before = vm.version().isVariant() ? new State(this) : null;
        Arrays.fill(cpu.x, 0);
        Arrays.fill(cpu.sp, 0);
        cpu.pc = 0;
        cpu.sys.reset();
        hostState();
        cpu.sys.sctlr[1] = SCTLR_EL1_RESET;
        cpu.sys.vpidrEl2 = cpu.sys.midr;
        cpu.sys.vmpidrEl2 = cpu.sys.mpidr | index;
        setPstate(RESET_PSTATE);
        guestMdscr = 0;
        mdccint = 0;
        dbgvcr32 = 0;
        for (long[] a : List.of(gBcr, gBvr, gWcr, gWvr)) Arrays.fill(a, 0);
        Arrays.fill(spsr32, 0);
        debugDirty = activePending = guestTouchedDebugRegs = reloadRequested = false;
        mmioNeeded = incrementPc = false;
        lastSetup = null;
        try {
            oslsr = guarded(Step.OSLSR_RESET, ctx());
        } catch (StepFailed f) {
            before.restore(this);
            throw new KvmError(Errno.EFAULT, "KVM_ARM_VCPU_INIT", f.getMessage() + "; the vCPU is unchanged");
        }
        initialized = true;
        Debug.refresh(cpu);
        emit(new KvmEvent.VcpuReset(vname(), oslsr));
    }

    // --- KVM_GET_REG_LIST, KVM_GET/SET_ONE_REG ------------------------------------------------------------

    /** The system registers KVM keeps a value for or has a userspace accessor for (candidates of the list). */
    private static final List<Long> SYSREG_CANDIDATES;
    /** Read-only (invariant) registers: SET must give the current value. */
    private static final java.util.Set<Long> INVARIANT = new java.util.HashSet<>();
    static final long OSLSR_ID = RegId.sys(2, 0, 1, 1, 4);

    static {
        TreeMap<Long, Boolean> ids = new TreeMap<>(Long::compareUnsigned);
        ids.put(RegId.sys("MDCCINT_EL1"), true);
        ids.put(RegId.sys("MDSCR_EL1"), true);
        for (int n = 0; n < 16; n++)
            for (String k : new String[]{"DBGBVR", "DBGBCR", "DBGWVR", "DBGWCR"}) ids.put(RegId.sys(k + n + "_EL1"), true);
        ids.put(RegId.DBGVCR32_EL2, true);
        ids.put(OSLSR_ID, true);
        for (String n : new String[]{"SCTLR_EL1", "ACTLR_EL1", "CPACR_EL1", "TTBR0_EL1", "TTBR1_EL1", "TCR_EL1", "AFSR0_EL1",
                "AFSR1_EL1", "ESR_EL1", "FAR_EL1", "PAR_EL1", "MAIR_EL1", "AMAIR_EL1", "VBAR_EL1", "CONTEXTIDR_EL1",
                "TPIDR_EL1", "CNTKCTL_EL1", "CSSELR_EL1", "TPIDR_EL0", "TPIDRRO_EL0", "MPIDR_EL1"})
            ids.put(RegId.sys(n), true);
        for (String n : new String[]{"MIDR_EL1", "REVIDR_EL1", "AIDR_EL1", "CTR_EL0", "CLIDR_EL1"}) {
            ids.put(RegId.sys(n), true);
            INVARIANT.add(RegId.sys(n));
        }
        for (SysReg r : SysRegTable.all())
            if (r.op0 == 3 && r.op1 == 0 && r.crn == 0 && r.crm >= 1 && r.crm <= 7) {
                ids.put(r.kvmId(), true);
                INVARIANT.add(r.kvmId());
            }
        SYSREG_CANDIDATES = List.copyOf(ids.keySet());
    }

    /** The core register ids in struct kvm_regs order. */
    private static List<Long> coreIds() {
        List<Long> l = new ArrayList<>();
        for (int n = 0; n <= 30; n++) l.add(RegId.x(n));
        l.add(RegId.SP);
        l.add(RegId.PC);
        l.add(RegId.PSTATE);
        l.add(RegId.SP_EL1);
        l.add(RegId.ELR_EL1);
        for (int i = 0; i < 5; i++) l.add(RegId.spsr(i));
        return l;
    }

    /**
     * KVM_GET_REG_LIST (kvm_arm_copy_reg_indices): the core registers, then every system
     * register the version lists (Step.REG_LIST_MEMBERSHIP over the registers KVM keeps a value
     * or a userspace accessor for, kvm.md §1.3), sorted by id. Trap-only registers (OSLAR_EL1,
     * OSDLR_EL1, DBGPRCR_EL1) are never listed; OSLSR_EL1 is listed from v5.18 and in V2.
     */
    public long[] getRegList() {
        requireInit("KVM_GET_REG_LIST");
        List<Long> l = coreIds();
        try {
            for (long id : SYSREG_CANDIDATES) if (listed(id)) l.add(id);
        } catch (StepFailed f) {
            throw new KvmError(Errno.EFAULT, "KVM_GET_REG_LIST", f.getMessage() + "; the vCPU is unchanged");
        }
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    private boolean listed(long id) {
        StepContext c = ctx();
        c.regId = id;
        return Boolean.TRUE.equals(guarded(Step.REG_LIST_MEMBERSHIP, c));
    }

    private boolean accessible(long id) {
        return SYSREG_CANDIDATES.contains(id) && listed(id);
    }

    /** True for the registers KVM treats as invariant (ID registers, MIDR, CTR ...): SET must give the current value. */
    public static boolean isInvariant(long id) {
        return INVARIANT.contains(id);
    }

    /**
     * KVM_GET_ONE_REG: a core register (kvm_arm_get_reg → get_core_reg) or a listed system register
     * (its get_user, Step.GET_USER). An id that is not in KVM_GET_REG_LIST gives -ENOENT.
     */
    public long getOneReg(long id) {
        requireInit("KVM_GET_ONE_REG");
        if (RegId.isCore(id)) return getCore(id);
        try {
            if (!RegId.isSysReg(id) || !accessible(id)) throw notListed("KVM_GET_ONE_REG", id);
            StepContext c = ctx();
            c.regId = id;
            c.value = storedValue(id);
            return guarded(Step.GET_USER, c);
        } catch (StepFailed f) {
            throw new KvmError(Errno.EFAULT, "KVM_GET_ONE_REG", f.getMessage() + "; the vCPU is unchanged");
        }
    }

    /**
     * KVM_SET_ONE_REG: a core register (set_core_reg: PSTATE must be an AArch64 EL0t/EL1t/EL1h
     * mode, else -EINVAL) or a listed system register (its set_user, Step.SET_USER: e.g. OSLSR_EL1
     * accepts only 0x8 and 0xA, else -EINVAL and the register is unchanged). Unlisted ids give -ENOENT.
     */
    public void setOneReg(long id, long value) {
        requireInit("KVM_SET_ONE_REG");
        if (RegId.isCore(id)) {
            setCore(id, value);
            return;
        }
        try {
            if (!RegId.isSysReg(id) || !accessible(id)) throw notListed("KVM_SET_ONE_REG", id);
            StepContext c = ctx();
            c.regId = id;
            c.value = value;
            long v = guarded(Step.SET_USER, c);
            storeValue(id, v);
            Debug.refresh(cpu);
        } catch (StepFailed f) {
            throw new KvmError(Errno.EFAULT, "KVM_SET_ONE_REG", f.getMessage() + "; the vCPU is unchanged");
        }
    }

    private KvmError notListed(String ioctl, long id) {
        String why;
        if (!RegId.isSysReg(id) && !RegId.isCore(id))
            why = "not an arm64 core or system register id (core ids are RegId.x(n), RegId.PC ...; system registers "
                    + "0x6030000000130000 | op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2, e.g. RegId.sys(\"MDSCR_EL1\"))";
        else if (SYSREG_CANDIDATES.contains(id))
            why = "not in KVM_GET_REG_LIST on " + vname() + " (" + vm.version().family() + ": KVM keeps no value for it)";
        else
            why = "not in KVM_GET_REG_LIST: KVM keeps no value for it (trap-only or unknown register); use getRegList() for the valid ids";
        return new KvmError(Errno.ENOENT, ioctl, "register " + RegId.name(id) + " is " + why);
    }

    private long getCore(long id) {
        int off = RegId.coreOffset(id);
        if (off < RegId.CORE_SP) return cpu.x[off / 2];
        if (off == RegId.CORE_SP) return cpu.sp[0];
        if (off == RegId.CORE_PC) return cpu.pc;
        if (off == RegId.CORE_PSTATE) return cpu.packPstate();
        if (off == RegId.CORE_SP_EL1) return cpu.sp[1];
        if (off == RegId.CORE_ELR_EL1) return cpu.sys.elr[1];
        int i = (off - RegId.CORE_SPSR0) / 2;
        return i == 0 ? cpu.sys.spsr[1] : spsr32[i];
    }

    private void setCore(long id, long v) {
        int off = RegId.coreOffset(id);
        if (off < RegId.CORE_SP) cpu.x[off / 2] = v;
        else if (off == RegId.CORE_SP) cpu.sp[0] = v;
        else if (off == RegId.CORE_PC) cpu.pc = v;
        else if (off == RegId.CORE_PSTATE) {
            int mode = SPSR.M.getInt(v);
            if (SPSR.M4.isSet(v) || (mode != 0b0000 && mode != 0b0100 && mode != 0b0101))
                throw new KvmError(Errno.EINVAL, "KVM_SET_ONE_REG", String.format("PSTATE 0x%X has mode M[4:0] = 0x%X: this vCPU "
                        + "accepts only AArch64 EL0t (0x0), EL1t (0x4) and EL1h (0x5), e.g. 0x3C5", v, v & 0x1F));
            setPstate(v);
        } else if (off == RegId.CORE_SP_EL1) cpu.sp[1] = v;
        else if (off == RegId.CORE_ELR_EL1) cpu.sys.elr[1] = v;
        else {
            int i = (off - RegId.CORE_SPSR0) / 2;
            if (i == 0) cpu.sys.spsr[1] = v;
            else spsr32[i] = v;
        }
        Debug.refresh(cpu);
    }

    /** The value KVM holds for a listed system register (the guest's saved context). */
    long storedValue(long id) {
        if (id == OSLSR_ID) return oslsr;
        if (id == RegId.DBGVCR32_EL2) return dbgvcr32;
        String name = sysName(id);
        if (isGuestDebugReg(name)) return guestDebugReg(name);
        if (name.equals("MPIDR_EL1")) return cpu.sys.vmpidrEl2;
        if (name.equals("MIDR_EL1")) return cpu.sys.vpidrEl2;
        SysReg r = RegId.lookup(id);
        if (r.storage != null) return r.storage.get(cpu.sys);
        return r.read(cpu);
    }

    void storeValue(long id, long v) {
        if (id == OSLSR_ID) {
            oslsr = v;
            return;
        }
        if (id == RegId.DBGVCR32_EL2) {
            dbgvcr32 = v;
            return;
        }
        String name = sysName(id);
        if (isGuestDebugReg(name)) {
            setGuestDebugReg(name, v);
            return;
        }
        if (name.equals("MPIDR_EL1")) {
            cpu.sys.vmpidrEl2 = v;
            return;
        }
        if (INVARIANT.contains(id)) return;    // validated equal by set_user
        SysReg r = RegId.lookup(id);
        r.storage.set(cpu.sys, v);
    }

    private static String sysName(long id) {
        if (id == RegId.DBGVCR32_EL2) return "DBGVCR32_EL2";
        SysReg r = RegId.lookup(id);
        return r == null ? RegId.name(id) : r.name;
    }

    static boolean isGuestDebugReg(String name) {
        return GUEST_DEBUG_REGS.containsKey(name) || name.matches("DBG[BW][CV]R\\d+_EL1");
    }

    /**
     * The guest's debug registers by name: MDSCR_EL1 → -1, MDCCINT_EL1 → -2, DBGBVR/DBGBCR/DBGWVR/DBGWCR n_EL1 → kind * 16 + n
     * (kind 0..3 in that order). Trapped accesses and ONE_REG name them on every access; other names take the slow path.
     */
    private static final Map<String, Integer> GUEST_DEBUG_REGS;

    static {
        Map<String, Integer> m = new java.util.HashMap<>();
        m.put("MDSCR_EL1", -1);
        m.put("MDCCINT_EL1", -2);
        String[] kinds = {"DBGBVR", "DBGBCR", "DBGWVR", "DBGWCR"};
        for (int k = 0; k < 4; k++) for (int n = 0; n < 16; n++) m.put(kinds[k] + n + "_EL1", k * 16 + n);
        GUEST_DEBUG_REGS = Map.copyOf(m);
    }

    /** The guest's saved debug register (MDSCR_EL1, MDCCINT_EL1, DBGBVR/BCR/WVR/WCRn_EL1). */
    long guestDebugReg(String name) {
        Integer code = GUEST_DEBUG_REGS.get(name);
        if (code == null) return debugArray(name)[debugIndex(name)]; // not a debug register: the slow path's message
        if (code == -1) return guestMdscr;
        if (code == -2) return mdccint;
        return debugArray(code >> 4)[code & 15];
    }

    void setGuestDebugReg(String name, long v) {
        Integer code = GUEST_DEBUG_REGS.get(name);
        if (code == null) debugArray(name)[debugIndex(name)] = v;
        else if (code == -1) guestMdscr = v;
        else if (code == -2) mdccint = v;
        else debugArray(code >> 4)[code & 15] = v;
    }

    private long[] debugArray(int kind) {
        return switch (kind) {
            case 0 -> gBvr;
            case 1 -> gBcr;
            case 2 -> gWvr;
            default -> gWcr;
        };
    }

    private long[] debugArray(String name) {
        if (!name.matches("DBG[BW][CV]R\\d+_EL1"))
            throw new IllegalArgumentException(name + " is not a guest debug register (MDSCR_EL1, MDCCINT_EL1, DBGBVR<n>_EL1 ...)");
        return switch (name.substring(0, 6)) {
            case "DBGBVR" -> gBvr;
            case "DBGBCR" -> gBcr;
            case "DBGWVR" -> gWvr;
            default -> gWcr;
        };
    }

    private static int debugIndex(String name) {
        int n = Integer.parseInt(name.substring(6, name.indexOf('_')));
        if (n > 15) throw new IllegalArgumentException(name + ": debug registers are numbered 0..15");
        return n;
    }

    // --- KVM_SET_GUEST_DEBUG ------------------------------------------------------------------------------

    /**
     * KVM_SET_GUEST_DEBUG (kvm_arch_vcpu_ioctl_set_guest_debug; kvm.md §1.1). Control bits other
     * than ENABLE, SINGLESTEP, USE_SW_BP, USE_HW give -EINVAL. Without ENABLE, guest_debug = 0 and
     * the pending single-step bookkeeping is cleared; with ENABLE, guest_debug = control and, with
     * USE_HW, the 16 × bcr/bvr/wcr/wvr are copied as the "external" debug state. Missing arrays or
     * arrays not of 16 entries give -EINVAL (the C struct cannot express them).
     */
    public void setGuestDebug(GuestDebug dbg) {
        String ioctl = "KVM_SET_GUEST_DEBUG";
        if (dbg == null) throw new KvmError(Errno.EINVAL, ioctl, "no struct kvm_guest_debug given: pass GuestDebug.of(control) or GuestDebug.disabled()");
        long unknown = dbg.control() & ~GuestDebug.VALID_MASK;
        if (unknown != 0)
            throw new KvmError(Errno.EINVAL, ioctl, String.format("control 0x%X has unknown bits 0x%X; arm64 accepts only ENABLE 0x1, "
                    + "SINGLESTEP 0x2, USE_SW_BP 0x10000, USE_HW 0x20000 (KVM_CAP_SET_GUEST_DEBUG2 = 0x30003)", dbg.control(), unknown));
        String[] names = {"bcr", "bvr", "wcr", "wvr"};
        long[][] arrays = {dbg.bcr(), dbg.bvr(), dbg.wcr(), dbg.wvr()};
        for (int i = 0; i < 4; i++) {
            if (arrays[i] == null)
                throw new KvmError(Errno.EINVAL, ioctl, "the " + names[i] + " array is missing: struct kvm_guest_debug_arch has 16 "
                        + names[i] + " values (use GuestDebug.of(control), which fills zeros)");
            if (arrays[i].length != GuestDebug.MAX_DBG_REGS)
                throw new KvmError(Errno.EINVAL, ioctl, "the " + names[i] + " array has " + arrays[i].length
                        + " entries; struct kvm_guest_debug_arch has exactly 16 (KVM_ARM_MAX_DBG_REGS)");
        }
        if ((dbg.control() & GuestDebug.ENABLE) == 0) {
            guestDebug = 0;
            activePending = false;
            return;
        }
        guestDebug = dbg.control();
        if ((guestDebug & GuestDebug.USE_HW) != 0) {
            System.arraycopy(arrays[0], 0, extBcr, 0, 16);
            System.arraycopy(arrays[1], 0, extBvr, 0, 16);
            System.arraycopy(arrays[2], 0, extWcr, 0, 16);
            System.arraycopy(arrays[3], 0, extWvr, 0, 16);
        }
    }

    // --- KVM_RUN ------------------------------------------------------------------------------------------

    /** KVM_RUN with the VM's default instruction budget ({@link VmConfig#defaultBudget()}). */
    public KvmRun run() {
        return run(vm.config().defaultBudget());
    }

    /**
     * KVM_RUN (kvm_arch_vcpu_ioctl_run): completes a pending MMIO access (kvm_handle_mmio_return),
     * then loops: kvm_arm_setup_debug, world switch in (ERET with SPSR_EL2.SS as the version
     * decides), the guest runs until an exception is taken to EL2, kvm_arm_clear_debug,
     * handle_exit. Returns the kvm_run at the first exit to userspace. If {@code budget}
     * instructions pass without one, returns KVM_EXIT_INTR (as a signal interrupting KVM_RUN would).
     */
    public KvmRun run(long budget) {
        requireInit("KVM_RUN");
        if (budget <= 0) throw new KvmError(Errno.EINVAL, "KVM_RUN", "the instruction budget must be positive, not " + budget);
        run.beginRun();
        if (mmioNeeded) kvmHandleMmioReturn();
        guestTouchedDebugRegs = false;
        long remaining = budget;
        try {
            while (true) {
                if (remaining <= 0) return exitIntr(budget);
                StepContext ctx = ctx();
                DebugSetup setup = guarded(Step.KVM_ARM_SETUP_DEBUG, ctx);
                enterGuest(setup);
                long n = Interpreter.run(cpu, remaining);
                remaining -= n;
                boolean exited = exitedToEl2, halted = cpu.halted;
                exitedToEl2 = false;
                cpu.halted = false;
                long esr = cpu.sys.esr[2], far = cpu.sys.far[2];
                if (exited) saveGuestFromEl2();
                StepContext clear = ctx();
                clear.setup = setup;
                guarded(Step.KVM_ARM_CLEAR_DEBUG, clear);
                if (!exited) {
                    if (halted) return internalError("the guest stopped the emulated PE: " + cpu.stopReason);
                    return exitIntr(budget);
                }
                if (!listeners.isEmpty()) emit(new KvmEvent.ExitToEl2(vname(), esr, cpu.pc, far, cpu.sys.spsr[2]));
                if (!handleExit(esr, far)) {
                    if (!listeners.isEmpty()) emit(new KvmEvent.ExitToUserspace(vname(), run.exitReason(), run.toString()));
                    return run;
                }
            }
        } catch (StepFailed f) {
            return internalError(f.getMessage() + "; the vCPU state is as it was before that step");
        }
    }

    private KvmRun exitIntr(long budget) {
        run.interrupted(String.format("the instruction budget of %d ran out at PC 0x%X before any exit to userspace "
                + "(a guest that never stops); call run() again to continue, or run(budget) with a larger budget", budget, cpu.pc));
        emit(new KvmEvent.ExitToUserspace(vname(), run.exitReason(), run.toString()));
        return run;
    }

    private KvmRun internalError(String text) {
        run.internalError(text);
        emit(new KvmEvent.Decision(vname(), "handle_exit", DecisionKind.INTERNAL_ERROR, text));
        emit(new KvmEvent.ExitToUserspace(vname(), run.exitReason(), run.toString()));
        return run;
    }

    /** The exception listener: an exception taken to EL2 stops the guest (the world switch back to the host). */
    private void taken(ExceptionRecord r, int from, int to, long esr, long elr, long vector) {
        if (to == 2) {
            exitedToEl2 = true;
            cpu.halted = true;
        } else if (!listeners.isEmpty()) {
            emit(new KvmEvent.GuestException(vname(), from, to, esr, elr, vector));
        }
    }

    /** __kvm_vcpu_run's entry half: load the hardware debug state, __kvm_adjust_pc, ERET into the guest. */
    private void enterGuest(DebugSetup s) {
        long spsr = cpu.packPstate();
        if (s.restoreGuestSs()) savedGuestSs = cpu.ss;
        if (s.pstateSs() != null) spsr = SPSR.SS.set(spsr, s.pstateSs());
        if (incrementPc) {
            // kvm_skip_instr: PC += 4 and "advance the singlestep state machine" (PSTATE.SS = 0), after the setup.
            cpu.pc += 4;
            spsr = SPSR.SS.set(spsr, false);
            incrementPc = false;
        }
        cpu.sys.hcrEl2 = HCR_GUEST_FLAGS;
        cpu.sys.mdcrEl2 = s.mdcrEl2();
        cpu.sys.mdscrEl1 = s.hwMdscr();
        switch (s.comparators()) {
            case GUEST -> loadComparators(gBcr, gBvr, gWcr, gWvr);
            case VMM -> loadComparators(extBcr, extBvr, extWcr, extWvr);
            default -> loadComparators(NO_COMPARATORS, NO_COMPARATORS, NO_COMPARATORS, NO_COMPARATORS);
        }
        cpu.sys.elr[2] = cpu.pc;
        cpu.sys.spsr[2] = spsr;
        cpu.el = 2;
        cpu.spSel = 1;
        cpu.d = cpu.a = cpu.i = cpu.f = true;
        cpu.ss = false;
        cpu.il = false;
        Debug.refresh(cpu);
        Exceptions.exceptionReturn(cpu);
        lastSetup = s;
        if (!listeners.isEmpty())
            emit(new KvmEvent.GuestEntry(vname(), s.row(), s.mdcrEl2(), cpu.sys.hcrEl2, s.hwMdscr(), guestMdscr,
                    SPSR.SS.isSet(spsr), s.comparators(), OSLSR_EL1.OSLK.isSet(oslsr), guestDebug, cpu.pc));
    }

    /** Sixteen disabled comparator values (only ever read). */
    private static final long[] NO_COMPARATORS = new long[16];

    private void loadComparators(long[] bcr, long[] bvr, long[] wcr, long[] wvr) {
        System.arraycopy(bcr, 0, cpu.sys.dbgbcr, 0, 16);
        System.arraycopy(bvr, 0, cpu.sys.dbgbvr, 0, 16);
        System.arraycopy(wcr, 0, cpu.sys.dbgwcr, 0, 16);
        System.arraycopy(wvr, 0, cpu.sys.dbgwvr, 0, 16);
    }

    /** Saves the hardware comparators into the guest's context (__debug_save_state when the guest's were loaded). */
    void saveGuestComparators() {
        System.arraycopy(cpu.sys.dbgbcr, 0, gBcr, 0, 16);
        System.arraycopy(cpu.sys.dbgbvr, 0, gBvr, 0, 16);
        System.arraycopy(cpu.sys.dbgwcr, 0, gWcr, 0, 16);
        System.arraycopy(cpu.sys.dbgwvr, 0, gWvr, 0, 16);
    }

    /** The exit half: the guest's PC and PSTATE come from ELR_EL2 and SPSR_EL2. */
    private void saveGuestFromEl2() {
        cpu.pc = cpu.sys.elr[2];
        setPstate(cpu.sys.spsr[2]);
    }

    /** Writes the guest PSTATE from an SPSR-format value. */
    private void setPstate(long v) {
        cpu.nzcv = SPSR.NZCV.getInt(v);
        cpu.d = SPSR.D.isSet(v);
        cpu.a = SPSR.A.isSet(v);
        cpu.i = SPSR.I.isSet(v);
        cpu.f = SPSR.F.isSet(v);
        cpu.ss = SPSR.SS.isSet(v);
        cpu.il = SPSR.IL.isSet(v);
        cpu.el = SPSR.M_EL.getInt(v);
        cpu.spSel = SPSR.M_SP.getInt(v);
        Debug.refresh(cpu);
    }

    // --- handle_exit --------------------------------------------------------------------------------------

    /** handle_exit: true to resume the guest, false when the kvm_run holds an exit for userspace. */
    private boolean handleExit(long esr, long far) {
        ExceptionClass ec = ExceptionClass.of((int) ESR.EC.get(esr));
        if (ec == null) {
            internalError(String.format("unhandled exit to EL2, ESR_EL2 0x%08X (%s)", esr, Syndrome.describe(esr)));
            return false;
        }
        switch (ec) {
            case SYS64:
                return kvmHandleSysReg(esr);
            case HVC64:
                return handleHvc();
            case SMC64:
                // handle_smc: no SMC services; return NOT_SUPPORTED in X0 and skip the SMC.
                cpu.x[0] = NOT_SUPPORTED;
                incrementPc = true;
                decision("handle_smc", DecisionKind.PSCI, () -> "SMC #" + (esr & 0xFFFF) + ": X0 = -1 (NOT_SUPPORTED), PC += 4");
                return true;
            case BREAKPOINT_LOWER:
            case SOFTWARE_STEP_LOWER:
            case WATCHPOINT_LOWER:
            case BRK64:
                return handleGuestDebug(esr, far);
            case DABT_LOWER:
                return ioMemAbort(esr, far);
            default:
                internalError(String.format("unhandled exit to EL2 at PC 0x%X: ESR_EL2 0x%08X (%s); the model handles "
                        + "system register traps, HVC/SMC, debug exceptions and stage 2 faults outside RAM", cpu.pc, esr, Syndrome.describe(esr)));
                return false;
        }
    }

    /** A host warning in the trace (once per vCPU when {@code once}). */
    void hostWarning(String text, boolean once) {
        if (once && warnedOnce) return;
        if (once) warnedOnce = true;
        emit(new KvmEvent.Decision(vname(), "host", DecisionKind.HOST_WARNING, text));
    }

    private void decision(String handler, DecisionKind kind, java.util.function.Supplier<String> text) {
        if (!listeners.isEmpty()) emit(new KvmEvent.Decision(vname(), handler, kind, text.get()));
    }

    /** kvm_handle_sys_reg → emulate_sys_reg through the version's sys_regs table. */
    private boolean kvmHandleSysReg(long esr) {
        Syndrome.SysRegTrap t = Syndrome.decodeSysRegTrap(esr);
        SysReg row = SysRegTable.lookup(t.op0(), t.op1(), t.crn(), t.crm(), t.op2());
        String name = row != null ? row.name : String.format("S%d_%d_C%d_C%d_%d", t.op0(), t.op1(), t.crn(), t.crm(), t.op2());
        long regval = t.read() ? 0 : cpu.xreg(t.rt());
        StepContext ctx = ctx();
        ctx.access = new StepContext.TrappedAccess(name, t.op0(), t.op1(), t.crn(), t.crm(), t.op2(), t.rt(), !t.read(), regval);
        Step<SysRegResult> handler = SYS_REGS.get(name);
        SysRegResult r;
        String fn;
        if (handler != null) {
            r = guarded(handler, ctx);
            fn = handler.name();
        } else if (RAZ_WI.contains(name)) {
            r = SysRegResult.razWi("trap_raz_wi");
            fn = "trap_raz_wi";
        } else if (name.equals("DBGAUTHSTATUS_EL1") && t.read()) {
            r = SysRegResult.read(row.read(cpu), "trap_dbgauthstatus_el1: the host's value");
            fn = "trap_dbgauthstatus_el1";
        } else {
            r = SysRegResult.undefined("unsupported guest sys_reg access: " + ctx.access);
            fn = "emulate_sys_reg";
        }
        switch (r.kind()) {
            case READ, RAZ_WI, WRITTEN -> {
                if (t.read()) cpu.setXreg(t.rt(), r.kind() == SysRegResult.Kind.RAZ_WI ? 0 : r.value());
                incrementPc = true;
                decision(fn, r.kind() == SysRegResult.Kind.RAZ_WI ? DecisionKind.TRAP_RAZ_WI : DecisionKind.TRAP_EMULATED, () ->
                        ctx.access + (t.read() ? String.format(" -> 0x%X", r.kind() == SysRegResult.Kind.RAZ_WI ? 0 : r.value()) : "")
                                + (r.note() == null || r.note().isEmpty() ? "" : " (" + r.note() + ")"));
            }
            case UNDEFINED -> {
                decision(fn, DecisionKind.UNDEF_INJECTED, () -> ctx.access + ": " + r.note());
                injectUndefined();
            }
        }
        if (reloadRequested) {
            reloadRequested = false;
            decision("kvm_vcpu_reload_pmu/debug", DecisionKind.TRAP_EMULATED, () -> "OSLAR write: vcpu put + load, debug ownership re-evaluated");
        }
        return true;
    }

    /** The sys_regs rows with per-version handlers. */
    private static final Map<String, Step<SysRegResult>> SYS_REGS;
    /** Rows handled by trap_raz_wi in every version. */
    private static final java.util.Set<String> RAZ_WI = java.util.Set.of("MDRAR_EL1", "DBGCLAIMSET_EL1", "DBGCLAIMCLR_EL1", "MDCCSR_EL0");

    static {
        Map<String, Step<SysRegResult>> m = new java.util.HashMap<>();
        m.put("OSLAR_EL1", Step.HANDLE_OSLAR);
        m.put("OSLSR_EL1", Step.HANDLE_OSLSR);
        m.put("OSDLR_EL1", Step.HANDLE_OSDLR);
        m.put("DBGPRCR_EL1", Step.HANDLE_DBGPRCR);
        m.put("MDSCR_EL1", Step.TRAP_DEBUG_REGS);
        m.put("MDCCINT_EL1", Step.TRAP_DEBUG_REGS);
        for (int n = 0; n < 16; n++)
            for (String k : new String[]{"DBGBVR", "DBGBCR", "DBGWVR", "DBGWCR"}) m.put(k + n + "_EL1", Step.TRAP_DEBUG_REGS);
        SYS_REGS = Map.copyOf(m);
    }

    /** The rows of the sys_regs table, sorted by register name (for KvmVersion.sysRegTable()). */
    static List<KvmVersion.SysRegRow> sysRegRows() {
        TreeMap<String, String> rows = new TreeMap<>();
        SYS_REGS.forEach((reg, step) -> rows.put(reg, step.name()));
        RAZ_WI.forEach(reg -> rows.put(reg, "trap_raz_wi"));
        rows.put("DBGAUTHSTATUS_EL1", "trap_dbgauthstatus_el1");
        return rows.entrySet().stream().map(e -> new KvmVersion.SysRegRow(e.getKey(), e.getValue())).toList();
    }

    /**
     * kvm_inject_undefined (inject_undef64): an architectural exception entry at EL1 — ESR_EL1 =
     * 0x02000000 (EC 0x00, IL 1), ELR_EL1 = the instruction, SPSR_EL1 = the guest's PSTATE,
     * PSTATE = EL1h with DAIF masked, PC = VBAR_EL1 + 0x000/0x200/0x400 by the source.
     */
    void injectUndefined() {
        Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.UNKNOWN, 0, cpu.pc).to(1));
        cpu.exceptionTaken = false;
    }

    /** handle_hvc → kvm_hvc_call_handler: PSCI (SYSTEM_OFF, SYSTEM_RESET, VERSION), everything else NOT_SUPPORTED. */
    private boolean handleHvc() {
        long fn = cpu.x[0] & 0xFFFF_FFFFL;
        if (fn == PSCI_SYSTEM_OFF) {
            run.systemEvent(KvmRun.KVM_SYSTEM_EVENT_SHUTDOWN, "PSCI SYSTEM_OFF");
            decision("kvm_psci_call", DecisionKind.PSCI, () -> "SYSTEM_OFF: KVM_EXIT_SYSTEM_EVENT (SHUTDOWN)");
            return false;
        }
        if (fn == PSCI_SYSTEM_RESET) {
            run.systemEvent(KvmRun.KVM_SYSTEM_EVENT_RESET, "PSCI SYSTEM_RESET");
            decision("kvm_psci_call", DecisionKind.PSCI, () -> "SYSTEM_RESET: KVM_EXIT_SYSTEM_EVENT (RESET)");
            return false;
        }
        long ret;
        String what;
        if (fn == PSCI_VERSION) {
            ret = vm.version().psciVersion();
            what = String.format("PSCI_VERSION -> 0x%X", ret);
        } else if (fn == SMCCC_VERSION) {
            ret = 0x10001;
            what = "SMCCC_VERSION -> 0x10001 (1.1)";
        } else {
            ret = NOT_SUPPORTED;
            what = String.format("function 0x%X -> NOT_SUPPORTED (-1)", fn);
        }
        cpu.x[0] = ret;
        decision("kvm_hvc_call_handler", DecisionKind.PSCI, () -> what);
        return true;
    }

    /** kvm_handle_guest_debug through the version's step. */
    private boolean handleGuestDebug(long esr, long far) {
        StepContext ctx = ctx();
        ctx.esr = esr;
        ctx.far = far;
        DebugExitDecision d = guarded(Step.KVM_HANDLE_GUEST_DEBUG, ctx);
        switch (d.action()) {
            case EXIT_TO_USERSPACE -> {
                if (d.setGuestPstateSs()) cpu.ss = true;
                run.debugExit(d.hsr(), d.hsrHigh(), d.flags(), d.writeFar(), d.far(), d.note());
                decision("kvm_handle_guest_debug", DecisionKind.DEBUG_EXIT, () -> String.format("KVM_EXIT_DEBUG hsr 0x%08X%s: %s",
                        d.hsr(), d.writeFar() ? String.format(" far 0x%X", d.far()) : " (far not written)", d.note()));
                return false;
            }
            case SKIP_INSTRUCTION_AND_RESUME -> {
                incrementPc = true;
                decision("kvm_handle_guest_debug", DecisionKind.INSTRUCTION_SKIPPED, () -> d.note());
                return true;
            }
            default -> {
                decision("kvm_handle_guest_debug", DecisionKind.TRAP_EMULATED, () -> "resume: " + d.note());
                return true;
            }
        }
    }

    /** kvm_handle_guest_abort → io_mem_abort: a stage 2 fault outside RAM becomes KVM_EXIT_MMIO. */
    private boolean ioMemAbort(long esr, long far) {
        long ipa = HPFAR_EL2.FIPA.get(cpu.sys.hpfarEl2) << 12 | (far & 0xFFF);
        Syndrome.AccessSyndrome s = Syndrome.accessSyndrome(esr);
        if (!s.valid()) {
            internalError(String.format("data abort outside memslots with no valid syndrome info (ISV = 0) at PC 0x%X, IPA 0x%X: "
                    + "KVM cannot emulate this access (the real KVM_RUN fails with -ENOSYS); use a single-register load/store "
                    + "without writeback for MMIO", cpu.pc, ipa));
            return false;
        }
        int len = 1 << s.sizeLog2();
        long data = s.write() ? cpu.xreg(s.rt()) : 0;
        run.mmioExit(ipa, len, s.write(), data, "");
        mmioNeeded = true;
        mmioSyndrome = s;
        decision("io_mem_abort", DecisionKind.MMIO_EXIT, () -> String.format("%s of %d bytes at IPA 0x%X%s", s.write() ? "write" : "read",
                len, ipa, s.write() ? String.format(" data 0x%X", run.mmioData()) : ", X" + s.rt() + " loaded on the next KVM_RUN"));
        return false;
    }

    /** kvm_handle_mmio_return: a read loads mmio.data into Rt (sign-extended per SSE, 32-bit unless SF); PC += 4 at entry. */
    private void kvmHandleMmioReturn() {
        Syndrome.AccessSyndrome s = mmioSyndrome;
        int len = 1 << s.sizeLog2();
        String what = "write";
        if (!s.write()) {
            long data = run.rawMmioData();
            if (len < 8) {
                data &= (1L << (8 * len)) - 1;
                if (s.signExtend()) {
                    long sign = 1L << (8 * len - 1);
                    data = (data ^ sign) - sign;
                }
            }
            if (!s.sixtyFour()) data &= 0xFFFF_FFFFL;
            cpu.setXreg(s.rt(), data);
            what = listeners.isEmpty() ? "" : String.format("read: X%d = 0x%X", s.rt(), data);
        }
        mmioNeeded = false;
        incrementPc = true;
        String done = what;
        decision("kvm_handle_mmio_return", DecisionKind.MMIO_COMPLETED, () -> done + ", PC += 4");
    }

    // --- snapshot for override failures ---------------------------------------------------------------------

    /** Everything a step can change: the PE's registers and KVM's per-vCPU state. */
    private static final class State {
        final long[] x, sp, sys, vcpuArrays;
        final long pc, guestDebug, oslsr, guestMdscr, mdccint, dbgvcr32;
        final int nzcv, el, spSel;
        final boolean d, a, i, f, ss, il, debugDirty, activePending, touched, mmioNeeded, incrementPc, savedGuestSs;
        final DebugSetup lastSetup;
        final Syndrome.AccessSyndrome mmioSyndrome;
        final long hpfar, claim, dbgprcr, osdlr, oslsrHw;
        final long[][] banks;

        State(Vcpu v) {
            Cpu c = v.cpu;
            x = c.x.clone();
            sp = c.sp.clone();
            pc = c.pc;
            nzcv = c.nzcv;
            el = c.el;
            spSel = c.spSel;
            d = c.d;
            a = c.a;
            i = c.i;
            f = c.f;
            ss = c.ss;
            il = c.il;
            List<SysReg> rows = SysRegTable.all();
            sys = new long[rows.size()];
            for (int k = 0; k < rows.size(); k++) if (rows.get(k).storage != null) sys[k] = rows.get(k).storage.get(c.sys);
            hpfar = c.sys.hpfarEl2;
            claim = c.sys.claimTags;
            dbgprcr = c.sys.dbgprcrEl1;
            osdlr = c.sys.osdlrEl1;
            oslsrHw = c.sys.oslsrEl1;
            long[][] live = banksOf(c);
            banks = new long[live.length][];
            for (int k = 0; k < live.length; k++) banks[k] = live[k].clone();
            guestDebug = v.guestDebug;
            oslsr = v.oslsr;
            guestMdscr = v.guestMdscr;
            mdccint = v.mdccint;
            dbgvcr32 = v.dbgvcr32;
            vcpuArrays = concat(vcpuArraysOf(v));
            debugDirty = v.debugDirty;
            activePending = v.activePending;
            touched = v.guestTouchedDebugRegs;
            mmioNeeded = v.mmioNeeded;
            incrementPc = v.incrementPc;
            savedGuestSs = v.savedGuestSs;
            lastSetup = v.lastSetup;
            mmioSyndrome = v.mmioSyndrome;
        }

        void restore(Vcpu v) {
            Cpu c = v.cpu;
            System.arraycopy(x, 0, c.x, 0, x.length);
            System.arraycopy(sp, 0, c.sp, 0, sp.length);
            c.pc = pc;
            c.nzcv = nzcv;
            c.el = el;
            c.spSel = spSel;
            c.d = d;
            c.a = a;
            c.i = i;
            c.f = f;
            c.ss = ss;
            c.il = il;
            List<SysReg> rows = SysRegTable.all();
            for (int k = 0; k < rows.size(); k++) if (rows.get(k).storage != null) rows.get(k).storage.set(c.sys, sys[k]);
            long[][] to = banksOf(c);
            for (int k = 0; k < to.length; k++) System.arraycopy(banks[k], 0, to[k], 0, to[k].length);
            c.sys.hpfarEl2 = hpfar;
            c.sys.claimTags = claim;
            c.sys.dbgprcrEl1 = dbgprcr;
            c.sys.osdlrEl1 = osdlr;
            c.sys.oslsrEl1 = oslsrHw;
            v.guestDebug = guestDebug;
            v.oslsr = oslsr;
            v.guestMdscr = guestMdscr;
            v.mdccint = mdccint;
            v.dbgvcr32 = dbgvcr32;
            int p = 0;
            for (long[] arr : vcpuArraysOf(v)) {
                System.arraycopy(vcpuArrays, p, arr, 0, arr.length);
                p += arr.length;
            }
            v.debugDirty = debugDirty;
            v.activePending = activePending;
            v.guestTouchedDebugRegs = touched;
            v.mmioNeeded = mmioNeeded;
            v.incrementPc = incrementPc;
            v.savedGuestSs = savedGuestSs;
            v.lastSetup = lastSetup;
            v.mmioSyndrome = mmioSyndrome;
            v.reloadRequested = false;
            Debug.refresh(c);
        }

        /** The PE's banked and indexed system-register arrays, in the order they are saved and restored. */
        private static long[][] banksOf(Cpu c) {
            return new long[][]{c.sys.vbar, c.sys.esr, c.sys.elr, c.sys.spsr, c.sys.far, c.sys.sctlr, c.sys.dbgbcr, c.sys.dbgbvr,
                    c.sys.dbgwcr, c.sys.dbgwvr, c.sys.slots};
        }

        /** KVM's per-vCPU arrays (external and guest comparators, AArch32 SPSRs), in the order they are saved and restored. */
        private static long[][] vcpuArraysOf(Vcpu v) {
            return new long[][]{v.extBcr, v.extBvr, v.extWcr, v.extWvr, v.gBcr, v.gBvr, v.gWcr, v.gWvr, v.spsr32};
        }

        private static long[] concat(long[]... arrays) {
            int n = 0;
            for (long[] a : arrays) n += a.length;
            long[] r = new long[n];
            int p = 0;
            for (long[] a : arrays) {
                System.arraycopy(a, 0, r, p, a.length);
                p += a.length;
            }
            return r;
        }
    }

    @Override
    public String toString() {
        return String.format("vCPU %d of %s: PC 0x%X, PSTATE 0x%X, OSLSR_EL1 0x%X, guest_debug %s", index, vname(), cpu.pc,
                cpu.packPstate(), oslsr, GuestDebug.controlString(guestDebug));
    }
}
