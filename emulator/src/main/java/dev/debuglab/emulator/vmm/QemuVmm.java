package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.arch.ExceptionClass;
import dev.debuglab.emulator.kvm.GuestDebug;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.kvm.VmConfig;
import dev.debuglab.emulator.sysreg.RegisterFields.SPSR;
import dev.debuglab.emulator.vmm.QemuPolicy.Decision;
import dev.debuglab.emulator.vmm.QemuPolicy.Injection;
import dev.debuglab.emulator.vmm.QemuPolicy.Ownership;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * QEMU with KVM on arm64 (vmm.md §1; {@code target/arm/kvm.c} {@code kvm_arm_handle_debug},
 * {@code kvm_arch_update_guest_debug}, {@code target/arm/hyp_gdbstub.c}; re-injection since "target-arm:
 * kvm - re-inject guest debug exceptions", 34c45d53, 2015): the gdbstub's software breakpoints, hardware breakpoints and
 * watchpoints and single-step through KVM_SET_GUEST_DEBUG, and {@code kvm_arm_handle_debug} for
 * every KVM_EXIT_DEBUG.
 * <ul>
 *   <li>§1.1 The control word is recomputed from QEMU's state whenever it changes
 *       ({@code kvm_arch_update_guest_debug}): stepping ⇒ ENABLE|SINGLESTEP; a software breakpoint ⇒
 *       ENABLE|USE_SW_BP; a hardware breakpoint or watchpoint ⇒ ENABLE|USE_HW with the pool in the
 *       first slots; nothing ⇒ 0. A software breakpoint plants {@code BRK #0} (0xD4200000) and saves
 *       the original word; removal fails with EINVAL if the word there is no longer 0xD4200000.</li>
 *   <li>§1.2 On a debug exit QEMU synchronises the vCPU (core registers and the cpreg list),
 *       decides ownership by EC ({@link QemuPolicy#IS_OWN_DEBUG_EVENT}); its own events stop the vCPU
 *       and go to the gdb-like front; others are injected ({@link QemuPolicy#SHOULD_INJECT},
 *       {@link QemuPolicy#INJECT_DEBUG_EXCEPTION}) except a software step QEMU did not request,
 *       which is logged ("guest single-step while debugging unsupported") and resumed.</li>
 *   <li>§1.3 Injection: ESR_EL1 = hsr unchanged, ELR_EL1 = PC, SPSR_EL1 = PSTATE, PSTATE = EL1h with
 *       D, A, I, F set (SS = IL = 0; NZCV cleared, as QEMU's {@code pstate_write(PSTATE_DAIF | mode)}),
 *       PC = VBAR_EL1 + 0x200 / 0x000 / 0x400 / 0x600 by the guest's EL and SP; FAR_EL1 not written;
 *       no OS Lock, MDE, KDE or PSTATE.D check.</li>
 *   <li>§1.4 Write-back with KVM_SET_ONE_REG before the next KVM_RUN: the core registers and cpregs
 *       the handling changed (QEMU puts every runtime register; the others carry the values just read,
 *       so writing them would change nothing).</li>
 * </ul>
 * The gdb-like front is a script of {@link GdbRequest}s ({@link #gdb(String...)}): the requests up to
 * the first {@code continue}/{@code stepi} run before the guest starts, the next ones at each stop.
 * As gdb does, {@code continue} from a breakpoint or watchpoint first steps over it with everything
 * removed. When the script has nothing left at a stop, {@link #run} returns
 * {@link VmmRun.Outcome#STOPPED}; add requests and call {@code run()} again to go on.
 */
public class QemuVmm extends Vmm {
    /** BRK #0: what QEMU plants for a software breakpoint (kvm_arch_insert_sw_breakpoint). */
    public static final int BRK_INSN = 0xD420_0000;

    private final QemuPolicy policy;
    private final HwDebugPool pool;
    /** Inserted software breakpoints: address → the original word. */
    private final Map<Long, Integer> swBreakpoints = new LinkedHashMap<>();
    private final Deque<GdbRequest> script = new ArrayDeque<>();
    private boolean singleStepping;
    private int stepsLeft;
    private boolean internalStep;
    private Map<Long, Long> guestComparators;
    private Map<Long, Integer> removedSw;
    private List<HwDebugPool.HwBreakpoint> removedHwBp;
    private List<HwDebugPool.HwWatchpoint> removedHwWp;
    private boolean frontStarted;
    private GuestDebug lastGuestDebug = GuestDebug.disabled();
    private HwDebugPool.HwWatchpoint watchpointHit;

    public QemuVmm(KvmVersion version) {
        this(version, QemuPolicy.QEMU);
    }

    public QemuVmm(KvmVersion version, QemuPolicy policy) {
        this(version, policy, DEFAULT_CONFIG);
    }

    public QemuVmm(KvmVersion version, QemuPolicy policy, VmConfig config) {
        super(version, config);
        if (policy == null) throw new IllegalArgumentException("no policy: pass QemuPolicy.QEMU, QemuPolicy.CORRECT or a variant");
        this.policy = policy;
        // kvm_arm_init_debug: the capabilities, probed once.
        this.pool = new HwDebugPool(hwBreakpointCapability(), hwWatchpointCapability());
    }

    private int hwBreakpointCapability() {
        return (int) vm.checkExtension(dev.debuglab.emulator.kvm.Kvm.KVM_CAP_GUEST_DEBUG_HW_BPS);
    }

    private int hwWatchpointCapability() {
        return (int) vm.checkExtension(dev.debuglab.emulator.kvm.Kvm.KVM_CAP_GUEST_DEBUG_HW_WPS);
    }

    @Override
    public String name() {
        return policy == QemuPolicy.QEMU ? "QEMU" : "QEMU [" + policy.name() + "]";
    }

    public QemuPolicy policy() {
        return policy;
    }

    /** The last KVM_SET_GUEST_DEBUG argument QEMU sent. */
    public GuestDebug guestDebug() {
        return lastGuestDebug;
    }

    public HwDebugPool hwPool() {
        return pool;
    }

    /** Addresses of the inserted software breakpoints. */
    public List<Long> swBreakpoints() {
        return List.copyOf(swBreakpoints.keySet());
    }

    public boolean singleStepping() {
        return singleStepping;
    }

    @Override
    public QemuVmm load(GuestImage g) {
        super.load(g);
        return this;
    }

    @Override
    public QemuVmm load(dev.debuglab.emulator.isa.Program p) {
        super.load(p);
        return this;
    }

    // --- the gdb-like front ----------------------------------------------------------------------------

    /** Appends the requests and runs: {@code new QemuVmm(v).load(g).gdbRun("break x", "continue")}. */
    public VmmRun gdbRun(String... requests) {
        gdb(requests);
        return run();
    }

    /** Appends requests to the gdb script (see {@link GdbRequest} for the forms). */
    public QemuVmm gdb(String... requests) {
        script.addAll(GdbRequest.parseAll(requests));
        return this;
    }

    public QemuVmm gdb(List<GdbRequest> requests) {
        script.addAll(requests);
        return this;
    }

    @Override
    protected void beforeRun() {
        if (!frontStarted || script.peek() != null) {
            frontStarted = true;
            if (!script.isEmpty()) processRequests();
        }
    }

    /** Executes requests until one resumes the guest; true if the guest resumes. */
    private boolean processRequests() {
        while (!script.isEmpty()) {
            GdbRequest r = script.poll();
            log("(gdb) " + describe(r));
            if (r instanceof GdbRequest.Break b) {
                insertSwBreakpoint(resolve(b.location()));
            } else if (r instanceof GdbRequest.HBreak h) {
                insertHwBreakpoint(resolve(h.location()));
            } else if (r instanceof GdbRequest.Watch w) {
                insertHwWatchpoint(resolve(w.location()), w.length(), w.type());
            } else if (r instanceof GdbRequest.Delete d) {
                if (d.location() == null) deleteAll();
                else delete(resolve(d.location()));
            } else if (r instanceof GdbRequest.StepI s) {
                if (s.count() <= 0) throw new VmmError("EINVAL", "stepi " + s.count() + ": give a positive count");
                if (atBreakpointOrWatchpoint()) removeAllForStep();
                stepsLeft = s.count();
                internalStep = false;
                setSingleStep(true);
                return true;
            } else if (r instanceof GdbRequest.Continue) {
                if (atBreakpointOrWatchpoint()) {
                    // gdb steps over the breakpoint with everything removed, then continues.
                    removeAllForStep();
                    stepsLeft = 1;
                    internalStep = true;
                    setSingleStep(true);
                } else {
                    setSingleStep(false);
                }
                return true;
            }
        }
        return false;
    }

    private static String describe(GdbRequest r) {
        if (r instanceof GdbRequest.Break b) return "break " + b.location();
        if (r instanceof GdbRequest.HBreak h) return "hbreak " + h.location();
        if (r instanceof GdbRequest.Watch w)
            return (w.type() == HwDebugPool.WatchType.WRITE ? "watch " : w.type() == HwDebugPool.WatchType.READ ? "rwatch " : "awatch ")
                    + w.location() + " " + w.length();
        if (r instanceof GdbRequest.Delete d) return d.location() == null ? "delete" : "delete " + d.location();
        if (r instanceof GdbRequest.StepI s) return "stepi " + s.count();
        return "continue";
    }

    private long resolve(String location) {
        String l = location.startsWith("*") ? location.substring(1) : location;
        if (l.matches("(0[xX][0-9a-fA-F]+|[0-9]+)")) return Long.decode(l);
        if (guest() == null) throw new VmmError("EINVAL", "location '" + location + "' is a label but no guest is loaded; give *0xADDRESS");
        try {
            return guest().symbol(l);
        } catch (IllegalArgumentException e) {
            throw new VmmError("EINVAL", e.getMessage());
        }
    }

    private boolean atBreakpointOrWatchpoint() {
        if (watchpointHit != null) return true;
        long pc = reg(RegId.PC);
        return swBreakpoints.containsKey(pc) || pool.findBreakpoint(pc);
    }

    /** gdb's step over a breakpoint: everything removed for one step, put back at the step's stop. */
    private void removeAllForStep() {
        removedSw = new LinkedHashMap<>(swBreakpoints);
        for (Long a : List.copyOf(swBreakpoints.keySet())) removeSwBreakpoint(a);
        removedHwBp = pool.breakpoints();
        removedHwWp = pool.watchpoints();
        for (HwDebugPool.HwBreakpoint b : removedHwBp) pool.deleteBreakpoint(b.bvr());
        for (HwDebugPool.HwWatchpoint w : removedHwWp) pool.deleteWatchpoint(w.address());
        watchpointHit = null;
        updateGuestDebug();
    }

    /**
     * For a dropped breakpoint/watchpoint: disable every enabled guest comparator (KVM_SET_ONE_REG of
     * DBGBCRn/DBGWCRn with E = 0) and QEMU's own, single-step the instruction, then put everything back.
     */
    private void stepOverGuestEvent() {
        guestComparators = new LinkedHashMap<>();
        for (int n = 0; n < 16; n++)
            for (String k : new String[] {"DBGBCR", "DBGWCR"}) {
                long id = RegId.sys(k + n + "_EL1");
                long v = reg(id);
                if ((v & 1) != 0) {
                    guestComparators.put(id, v);
                    setReg(id, v & ~1L);
                }
            }
        removeAllForStep();
        stepsLeft = 1;
        internalStep = true;
        setSingleStep(true);
    }

    private void restoreAfterStep() {
        if (guestComparators != null) {
            guestComparators.forEach(this::setReg);
            guestComparators = null;
        }
        if (removedSw == null) return;
        for (Long a : removedSw.keySet()) insertSwBreakpoint(a);
        for (HwDebugPool.HwBreakpoint b : removedHwBp) pool.insertBreakpoint(b.bvr());
        for (HwDebugPool.HwWatchpoint w : removedHwWp) pool.insertWatchpoint(w.address(), w.length(), w.type());
        removedSw = null;
        removedHwBp = null;
        removedHwWp = null;
        updateGuestDebug();
    }

    // --- breakpoints, watchpoints, stepping (vmm.md §1.1) ---------------------------------------------

    /** gdb {@code break *addr}: kvm_arch_insert_sw_breakpoint. */
    public QemuVmm insertSwBreakpoint(long address) {
        if (!swBreakpoints.containsKey(address)) {
            int original = readGuestWord(address);
            writeGuestWord(address, BRK_INSN);
            swBreakpoints.put(address, original);
        }
        updateGuestDebug();
        return this;
    }

    /** kvm_arch_remove_sw_breakpoint: EINVAL unless the word is still BRK #0. */
    public QemuVmm removeSwBreakpoint(long address) {
        Integer original = swBreakpoints.get(address);
        if (original == null) throw new VmmError("ENOENT", String.format("no software breakpoint at 0x%X; inserted: %s", address, hex(swBreakpoints.keySet())));
        int now = readGuestWord(address);
        if (now != BRK_INSN)
            throw new VmmError("EINVAL", String.format(
                    "cannot remove the software breakpoint at 0x%X: the word there is 0x%08X, no longer BRK #0 (0x%08X) — the guest overwrote it; QEMU refuses to restore the saved 0x%08X",
                    address, now, BRK_INSN, original));
        writeGuestWord(address, original);
        swBreakpoints.remove(address);
        updateGuestDebug();
        return this;
    }

    /** gdb {@code hbreak *addr}. */
    public QemuVmm insertHwBreakpoint(long address) {
        pool.insertBreakpoint(address);
        updateGuestDebug();
        return this;
    }

    /** gdb {@code watch}/{@code rwatch}/{@code awatch}. */
    public QemuVmm insertHwWatchpoint(long address, long length, HwDebugPool.WatchType type) {
        pool.insertWatchpoint(address, length, type);
        updateGuestDebug();
        return this;
    }

    /** gdb {@code delete} of whatever is at {@code address}. */
    public QemuVmm delete(long address) {
        if (swBreakpoints.containsKey(address)) return removeSwBreakpoint(address);
        if (pool.findBreakpoint(HwDebugPool.encodeBreakpoint(address).bvr())) {
            pool.deleteBreakpoint(HwDebugPool.encodeBreakpoint(address).bvr());
        } else {
            pool.deleteWatchpoint(address);
        }
        updateGuestDebug();
        return this;
    }

    /** gdb {@code delete}: everything. */
    public QemuVmm deleteAll() {
        for (Long a : List.copyOf(swBreakpoints.keySet())) removeSwBreakpoint(a);
        for (HwDebugPool.HwBreakpoint b : pool.breakpoints()) pool.deleteBreakpoint(b.bvr());
        for (HwDebugPool.HwWatchpoint w : pool.watchpoints()) pool.deleteWatchpoint(w.address());
        updateGuestDebug();
        return this;
    }

    /** gdb's stepping switch (cpu_single_step). */
    public QemuVmm setSingleStep(boolean on) {
        if (singleStepping != on) {
            singleStepping = on;
            updateGuestDebug();
        }
        return this;
    }

    /** kvm_update_guest_debug + kvm_arch_update_guest_debug: the control word from QEMU's state (vmm.md §1.1). */
    public GuestDebug computeGuestDebug() {
        long control = 0;
        if (singleStepping) control |= GuestDebug.ENABLE | GuestDebug.SINGLESTEP;
        if (!swBreakpoints.isEmpty()) control |= GuestDebug.ENABLE | GuestDebug.USE_SW_BP;
        long[][] arch = {new long[16], new long[16], new long[16], new long[16]};
        if (!pool.isEmpty()) {
            control |= GuestDebug.ENABLE | GuestDebug.USE_HW;
            arch = pool.archArrays();
        }
        return new GuestDebug(control, arch[0], arch[1], arch[2], arch[3]);
    }

    private void updateGuestDebug() {
        GuestDebug d = computeGuestDebug();
        vcpu.setGuestDebug(d);
        lastGuestDebug = d;
    }

    // --- kvm_arm_handle_debug (vmm.md §1.2-§1.4) -------------------------------------------------------

    @Override
    protected Action handleDebugExit(DebugExit exit) {
        DebugContext ctx = synchronize(exit);
        Ownership o = policy.apply(QemuPolicy.IS_OWN_DEBUG_EVENT, ctx, () -> isOwnDebugEvent(ctx));
        if (o.own()) return ownEvent(ctx, o);
        Decision d = policy.apply(QemuPolicy.SHOULD_INJECT, ctx, () -> shouldInject(ctx));
        if (!d.inject()) {
            record(new VmmEvent.Ignored(exit, d.reason()));
            if (d.stepOver()) stepOverGuestEvent();
            return Action.RESUME;
        }
        Injection inj = policy.apply(QemuPolicy.INJECT_DEBUG_EXCEPTION, ctx, () -> injectDebugException(ctx));
        apply(ctx, inj);
        writeBack(ctx);
        record(new VmmEvent.Injected(exit, policy.name() + ": " + d.reason(), inj.esr(), inj.elr(), inj.spsr(), inj.pstate(),
                inj.pc(), inj.farWritten(), inj.far()));
        return Action.RESUME;
    }

    /** Step 2: the core registers and the whole cpreg list, read through KVM_GET_ONE_REG. */
    private DebugContext synchronize(DebugExit exit) {
        Map<Long, Long> core = new LinkedHashMap<>();
        core.put(RegId.PC, reg(RegId.PC));
        core.put(RegId.PSTATE, reg(RegId.PSTATE));
        for (int n = 0; n <= 30; n++) core.put(RegId.x(n), reg(RegId.x(n)));
        core.put(RegId.SP, reg(RegId.SP));
        core.put(RegId.SP_EL1, reg(RegId.SP_EL1));
        core.put(RegId.ELR_EL1, reg(RegId.ELR_EL1));
        core.put(RegId.spsr(0), reg(RegId.spsr(0)));
        Map<Long, Long> cpregs = new LinkedHashMap<>();
        for (long id : Migration.cpregList(vcpu)) cpregs.put(id, reg(id));
        return new DebugContext(exit, this, core, cpregs);
    }

    /**
     * QEMU's ownership test (vmm.md §1.2 table): EC 0x32 iff QEMU is single-stepping; 0x3C iff a QEMU
     * software breakpoint is at PC; 0x30 iff a QEMU hardware breakpoint's bvr equals PC; 0x34 iff far
     * lies in a QEMU watchpoint's range; anything else never.
     */
    public Ownership isOwnDebugEvent(DebugContext ctx) {
        long pc = ctx.pc();
        int ec = ctx.ec();
        if (ec == ExceptionClass.SOFTWARE_STEP_LOWER.ec)
            return singleStepping ? Ownership.own("single-step requested by gdb") : Ownership.foreign("QEMU is not single-stepping");
        if (ec == ExceptionClass.BRK64.ec)
            return swBreakpoints.containsKey(pc) ? Ownership.own(String.format("QEMU's software breakpoint at 0x%X", pc))
                    : Ownership.foreign(String.format("no QEMU software breakpoint at 0x%X", pc));
        if (ec == ExceptionClass.BREAKPOINT_LOWER.ec)
            return pool.findBreakpoint(pc) ? Ownership.own(String.format("QEMU's hardware breakpoint at 0x%X", pc))
                    : Ownership.foreign(String.format("no QEMU hardware breakpoint has bvr 0x%X", pc));
        if (ec == ExceptionClass.WATCHPOINT_LOWER.ec) {
            HwDebugPool.HwWatchpoint w = pool.findWatchpoint(ctx.exit().far());
            if (w != null) {
                watchpointHit = w;
                return Ownership.own(String.format("QEMU's %s, hit at 0x%X", w, ctx.exit().far()));
            }
            return Ownership.foreign(String.format("far 0x%X is in no QEMU watchpoint's range", ctx.exit().far()));
        }
        return Ownership.foreign(String.format("EC 0x%02X is never QEMU's", ec));
    }

    /**
     * QEMU's choice for an event that is not its own: a software step is logged and not injected;
     * everything else is injected (an unknown EC after logging "unhandled debug exit").
     */
    public Decision shouldInject(DebugContext ctx) {
        int ec = ctx.ec();
        if (ec == ExceptionClass.SOFTWARE_STEP_LOWER.ec)
            return Decision.drop(String.format("kvm_arm_handle_debug: guest single-step while debugging unsupported (0x%X, 0x%X)",
                    ctx.pc(), ctx.exit().hsr()));
        if (ec != ExceptionClass.BRK64.ec && ec != ExceptionClass.BREAKPOINT_LOWER.ec && ec != ExceptionClass.WATCHPOINT_LOWER.ec) {
            log(String.format("kvm_arm_handle_debug: unhandled debug exit (0x%X, 0x%X)", ctx.exit().hsr(), ctx.pc()));
            return Decision.inject("unhandled debug exit: injected");
        }
        return Decision.inject("not QEMU's own: re-injected without any check");
    }

    /** QEMU's synthetic EL1 exception entry (vmm.md §1.3; arm_cpu_do_interrupt_aarch64). */
    public Injection injectDebugException(DebugContext ctx) {
        long pstate = ctx.pstate();
        long offset;
        if (SPSR.M4.isSet(pstate)) offset = 0x600;                       // from AArch32 EL0
        else if (SPSR.M_EL.getInt(pstate) == 0) offset = 0x400;          // from AArch64 EL0
        else offset = SPSR.M_SP.isSet(pstate) ? 0x200 : 0x000;           // EL1 using SP_EL1 / SP_EL0
        long vbar = ctx.hasSysreg("VBAR_EL1") ? ctx.sysreg("VBAR_EL1") : 0;
        long newPstate = SPSR.DAIF.of(0xF) | SPSR.M_EL.of(1) | SPSR.M_SP.of(1);
        return new Injection(ctx.exit().hsr(), ctx.pc(), pstate, newPstate, vbar + offset, false, 0);
    }

    private void apply(DebugContext ctx, Injection inj) {
        ctx.setSysreg("ESR_EL1", inj.esr());
        ctx.setCore(RegId.ELR_EL1, inj.elr());
        ctx.setCore(RegId.spsr(0), inj.spsr());
        ctx.setCore(RegId.PSTATE, inj.pstate());
        ctx.setCore(RegId.PC, inj.pc());
        if (inj.farWritten()) ctx.setSysreg("FAR_EL1", inj.far());
    }

    /** §1.4: KVM_SET_ONE_REG of every register the handling changed. */
    private void writeBack(DebugContext ctx) {
        for (long id : ctx.dirty()) setReg(id, ctx.value(id));
    }

    private Action ownEvent(DebugContext ctx, Ownership o) {
        DebugExit exit = ctx.exit();
        if (exit.ec() != ExceptionClass.WATCHPOINT_LOWER.ec) watchpointHit = null;
        if (exit.ec() == ExceptionClass.SOFTWARE_STEP_LOWER.ec) {
            restoreAfterStep();
            if (internalStep) {
                internalStep = false;
                record(new VmmEvent.Stopped(exit, "stepped over the previous event (internal stop) and put everything back; continuing"));
                setSingleStep(false);
                return Action.RESUME;
            }
            stepsLeft--;
            record(new VmmEvent.Stopped(exit, o.reason() + (stepsLeft > 0 ? " (" + stepsLeft + " more)" : "")));
            if (stepsLeft > 0) return Action.RESUME;
        } else {
            record(new VmmEvent.Stopped(exit, o.reason()));
        }
        return processRequests() ? Action.RESUME : Action.STOP;
    }

    private static String hex(java.util.Collection<Long> addresses) {
        return addresses.stream().map(a -> String.format("0x%X", a)).toList().toString();
    }
}
