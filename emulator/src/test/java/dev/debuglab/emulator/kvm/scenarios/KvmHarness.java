package dev.debuglab.emulator.kvm.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debuglab.emulator.guest.GuestKit;
import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Program;
import dev.debuglab.emulator.kvm.Errno;
import dev.debuglab.emulator.kvm.GuestDebug;
import dev.debuglab.emulator.kvm.Kvm;
import dev.debuglab.emulator.kvm.KvmError;
import dev.debuglab.emulator.kvm.KvmEvent;
import dev.debuglab.emulator.kvm.KvmRun;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.kvm.Vcpu;
import dev.debuglab.emulator.kvm.Vm;
import dev.debuglab.emulator.kvm.VmConfig;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenario kit for section B: the observation harness of kvm.md §6 rebuilt on the model. A
 * bare-metal EL1 guest (MMU off, 2 MiB of RAM at IPA 0x4000_0000, code at the start of RAM, stack below
 * 0x4020_0000) with {@link StandardVectors} logging every exception it takes to the
 * {@link GuestLog} port at 0x0901_0000; a fresh VM and vCPU per scenario, driven through the
 * ioctl-shaped API only ({@code KVM_ARM_VCPU_INIT}, ONE_REG for the PC and arguments,
 * {@code KVM_SET_GUEST_DEBUG}, {@code KVM_RUN}); and a small userspace loop that completes MMIO
 * exits into the GuestLog, hands each {@code KVM_EXIT_DEBUG} to the scenario's policy, and ends at
 * PSCI SYSTEM_OFF ({@code KVM_EXIT_SYSTEM_EVENT}). Anything else ends the test with the exit and
 * the model's message.
 */
final class KvmHarness {
    static final long RAM = VmConfig.DEFAULT_RAM_BASE, STACK_TOP = 0x4020_0000L;
    /** 2 MiB of guest RAM, as the observation harness had (kvm.md §6); the stack starts at its end. */
    static final int RAM_SIZE = 2 << 20;
    /** The watched doubleword of KVM-WP-OSLK (guest watchpoint) and of KVM-USEHW-OSLK (VMM watchpoint). */
    static final long WATCHED = 0x4010_0000L, WATCHED_HW = 0x4010_0100L;
    /** scenarios.md conventions: BCR_A = E, PMC EL1+EL0, BAS 0xF; WCR_ST = E, PAC EL1+EL0, LSC store, BAS 0xFF. */
    static final long BCR_A = 0x1E7, WCR_ST = 0x1FF7;
    /** GuestLog value tags the observation guests use. */
    static final int TAG_PHASE = 0xF0, TAG_OSLSR = 1, TAG_MDSCR = 2, TAG_DAIF = 3, TAG_DFR0 = 4, TAG_MEM = 5,
            TAG_OSDLR = 6, TAG_DBGPRCR = 7, TAG_BCR0 = 8, TAG_TRIGGER = 0xE0, TAG_AFTER = 0xE1;
    /** Maximum KVM_RUN calls per scenario (the guests exit far earlier). */
    static final int MAX_RUNS = 2_000_000;

    /** One KVM_EXIT_DEBUG as userspace saw it, with the guest PC read through ONE_REG. */
    record DebugExit(long hsr, long hsrHigh, long far, int flags, long pc, long farBefore) {
        int ec() {
            return (int) (hsr >>> 26) & 0x3F;
        }

        @Override
        public String toString() {
            return String.format("KVM_EXIT_DEBUG hsr 0x%08X (EC 0x%02X) hsr_high 0x%X far 0x%X (before: 0x%X) flags 0x%X pc 0x%X",
                    hsr, ec(), hsrHigh, far, farBefore, flags, pc);
        }
    }

    /** What userspace does at a KVM_EXIT_DEBUG (the default fails the test: gd = 0 scenarios expect none). */
    @FunctionalInterface
    interface DebugPolicy {
        void onDebugExit(KvmHarness h, DebugExit exit);
    }

    /** Called after userspace completed a GuestLog write that finished a log entry. */
    @FunctionalInterface
    interface LogHook {
        void onEntry(KvmHarness h, GuestLog.Entry entry);
    }

    final String versionName;
    final KvmVersion version;
    final Vm vm;
    final Vcpu vcpu;
    final GuestLog log = new GuestLog();
    final List<DebugExit> debugExits = new ArrayList<>();
    /** The last {@link #EVENTS_KEPT} routing events (for failure messages). */
    final ArrayDeque<KvmEvent> events = new ArrayDeque<>();
    static final int EVENTS_KEPT = 60;
    /** Host warnings KVM emitted (V2's one-time warning, kvm.md §4.2 rule 5). */
    private int hostWarnings;
    Program program;
    int mmioExits, runs;
    boolean poweredOff;
    private DebugPolicy onDebug = (h, e) -> fail("[" + h.versionName + "] unexpected " + e + "\n" + h.describe());
    private LogHook onLog = (h, e) -> { };

    private KvmHarness(String versionName) {
        this.versionName = versionName;
        this.version = KvmVersion.of(versionName);
        this.vm = Kvm.createVm(version, VmConfig.defaults().withRamSize(RAM_SIZE));
        this.vcpu = vm.createVcpu();
        vcpu.init();
        vcpu.addListener(this::event);
    }

    private void event(KvmEvent e) {
        if (e instanceof KvmEvent.Decision d && d.kind() == KvmEvent.DecisionKind.HOST_WARNING) hostWarnings++;
        events.addLast(e);
        if (events.size() > EVENTS_KEPT) events.removeFirst();
    }

    /** A fresh VM with one initialised vCPU of kernel {@code version} ("5.15", "v2", "6.1" ...). */
    static KvmHarness create(String version) {
        return new KvmHarness(version);
    }

    // --- guest programs ---------------------------------------------------------------------------

    /** Sets VBAR_EL1 and SP; the guest body follows. Clobbers X9. */
    static final String PROLOGUE = """
            start:
                adr     x9, vectors
                msr     vbar_el1, x9
                isb
                movz    x9, #0x4020, lsl #16
                mov     sp, x9
            """;

    /** The observation guest: {@link #PROLOGUE}, {@code body}, SYSTEM_OFF, then {@code functions} and the standard vectors. */
    KvmHarness load(String body, String functions) {
        return loadSource(PROLOGUE + body + StandardVectors.systemOff() + "    b       .\n" + functions
                + StandardVectors.source());
    }

    KvmHarness load(String body) {
        return load(body, "");
    }

    /** A complete guest image (it brings its own vectors) at the start of RAM, entered at {@code start}. */
    KvmHarness loadSource(String source) {
        program = Assembler.assemble(RAM, source);
        vm.writeMemory(RAM, program.bytes());
        vcpu.setOneReg(RegId.PC, program.symbols().containsKey("start") ? program.symbol("start") : RAM);
        return this;
    }

    long sym(String name) {
        return program.symbol(name);
    }

    /** vcpu_args_set: X{@code n} = value through KVM_SET_ONE_REG. */
    KvmHarness arg(int n, long value) {
        vcpu.setOneReg(RegId.x(n), value);
        return this;
    }

    KvmHarness guestDebug(GuestDebug gd) {
        vcpu.setGuestDebug(gd);
        return this;
    }

    KvmHarness onDebug(DebugPolicy policy) {
        onDebug = policy;
        return this;
    }

    KvmHarness onLog(LogHook hook) {
        onLog = hook;
        return this;
    }

    /** KVM_GET_REG_LIST as a list. */
    List<Long> regList() {
        return java.util.Arrays.stream(vcpu.getRegList()).boxed().toList();
    }

    long pc() {
        return vcpu.getOneReg(RegId.PC);
    }

    void setPc(long pc) {
        vcpu.setOneReg(RegId.PC, pc);
    }

    // --- the userspace loop -----------------------------------------------------------------------

    /** KVM_RUN until PSCI SYSTEM_OFF; fails the test on any other ending. */
    KvmHarness run() {
        while (!poweredOff) {
            if (++runs > MAX_RUNS) fail("[" + versionName + "] the guest did not power off within " + MAX_RUNS + " KVM_RUNs\n" + describe());
            KvmRun r = vcpu.run();
            switch (r.exitReason()) {
                case KvmRun.KVM_EXIT_MMIO -> mmio(r);
                case KvmRun.KVM_EXIT_SYSTEM_EVENT -> {
                    assertEquals(KvmRun.KVM_SYSTEM_EVENT_SHUTDOWN, r.systemEventType(), "[" + versionName + "] " + r);
                    poweredOff = true;
                }
                case KvmRun.KVM_EXIT_DEBUG -> {
                    DebugExit e = new DebugExit(r.debugHsr(), r.debugHsrHigh(), r.debugFar(), r.flags(), pc(), lastFar);
                    debugExits.add(e);
                    onDebug.onDebugExit(this, e);
                }
                default -> fail("[" + versionName + "] unexpected exit " + r + "\n" + describe());
            }
            // what the union's far bytes hold now: a later debug exit that does not write far must show this
            lastFar = r.debugFar();
        }
        return this;
    }

    private long lastFar;

    private void mmio(KvmRun r) {
        mmioExits++;
        long a = r.mmioPhysAddr();
        if (a < GuestLog.BASE || a >= GuestLog.BASE + GuestLog.SIZE)
            fail(String.format("[%s] MMIO %s at 0x%X: no device there\n%s", versionName, r.mmioIsWrite() ? "write" : "read", a, describe()));
        if (r.mmioIsWrite()) {
            int before = log.entries().size();
            log.write(a - GuestLog.BASE, r.mmioLen(), r.mmioData());
            List<GuestLog.Entry> all = log.entries();
            if (all.size() > before) onLog.onEntry(this, all.get(all.size() - 1));
        } else {
            r.setMmioData(log.read(a - GuestLog.BASE, r.mmioLen()));
        }
    }

    // --- what the guest observed ------------------------------------------------------------------

    List<GuestLog.Exception> exceptions() {
        return log.exceptions();
    }

    List<Long> values(int tag) {
        return log.values(tag);
    }

    long value(int tag) {
        List<Long> v = values(tag);
        assertEquals(1, v.size(), "[" + versionName + "] one value logged under tag " + tag + "\n" + describe());
        return v.get(0);
    }

    /** The guest's exceptions split at its phase markers ({@link #phase()}): element i = phase i. */
    List<List<GuestLog.Exception>> phases() {
        List<List<GuestLog.Exception>> p = new ArrayList<>();
        p.add(new ArrayList<>());
        for (GuestLog.Entry e : log.entries()) {
            if (e instanceof GuestLog.Value v && v.tag() == TAG_PHASE) p.add(new ArrayList<>());
            else if (e instanceof GuestLog.Exception x) p.get(p.size() - 1).add(x);
        }
        return p;
    }

    /** Number of host warnings KVM emitted (V2's one-time warning, kvm.md §4.2 rule 5). */
    int hostWarnings() {
        return hostWarnings;
    }

    String describe() {
        StringBuilder b = new StringBuilder("guest log:\n");
        for (GuestLog.Entry e : log.entries()) b.append("  ").append(e).append('\n');
        b.append("debug exits:\n");
        for (DebugExit e : debugExits) b.append("  ").append(e).append('\n');
        b.append("last KVM events:\n");
        for (KvmEvent e : events) b.append("  ").append(e).append('\n');
        return b.toString();
    }

    /** The ioctl fails with {@code errno}. */
    static KvmError expectErrno(Errno errno, Runnable ioctl) {
        KvmError e = assertThrows(KvmError.class, ioctl::run);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }

    // --- guest snippets ----------------------------------------------------------------------------

    /** Marks the start of the next phase in the guest's log. Clobbers X16, X17. */
    static String phase() {
        return StandardVectors.logValue(TAG_PHASE, "xzr");
    }

    /** Reads {@code sysreg} and logs it under {@code tag}. Clobbers X9, X16, X17. */
    static String logSysreg(int tag, String sysreg) {
        return "    mrs     x9, " + sysreg + "\n" + StandardVectors.logValue(tag, "x9");
    }

    /** "Reset debug state" (scenarios.md conventions), for 6 breakpoints and 4 watchpoints. */
    static final String RESET_DEBUG = GuestKit.resetDebug(6, 4);

    /** OSLAR_EL1 = 1 (lock). Clobbers X9. */
    static final String LOCK = "    mov     x9, #1\n    msr     oslar_el1, x9\n    isb\n";
    /** OSLAR_EL1 = 0 (unlock). */
    static final String UNLOCK = "    msr     oslar_el1, xzr\n    isb\n";
    /** "Enable debug": DAIFClr #8, MDSCR_EL1 |= KDE | MDE, ISB. Clobbers X9, X10. */
    static final String ENABLE_DEBUG = GuestKit.ENABLE_DEBUG;

    /** Breakpoint 0 on {@code label} with DBGBCR0_EL1 = {@code bcr}. Clobbers X9. */
    static String armBp0(String label, long bcr) {
        return "    adr     x9, " + label + "\n    msr     dbgbvr0_el1, x9\n    mov     x9, #0x" + Long.toHexString(bcr)
                + "\n    msr     dbgbcr0_el1, x9\n    isb\n";
    }

    /** Watchpoint 0 on {@code addr} with DBGWCR0_EL1 = {@code wcr}. Clobbers X9. */
    static String armWp0(long addr, long wcr) {
        return String.format("    movz    x9, #0x%x, lsl #16\n    movk    x9, #0x%x\n    msr     dbgwvr0_el1, x9\n"
                + "    mov     x9, #0x%x\n    msr     dbgwcr0_el1, x9\n    isb\n", addr >>> 16, addr & 0xFFFF, wcr);
    }

    /** X{@code reg} = the address {@code addr}. */
    static String address(String reg, long addr) {
        return String.format("    movz    %s, #0x%x, lsl #16\n    movk    %s, #0x%x\n", reg, addr >>> 16, reg, addr & 0xFFFF);
    }

    /** A breakpoint target function: {@code t: nop; ret}. */
    static final String TARGET_T = "t:\n    nop\n    ret\n";

    /**
     * ARCH-SS-ERET: MDSCR = SS | KDE (reads 0x2001), ERET with SPSR 0x2001C5 (EL1h, SS 1, D 0) into
     * {@code r: NOP ×4}; at {@code e} the guest masks debug again (so the standard step handler,
     * which keeps SPSR.SS set, sees exactly 4 steps), then clears MDSCR. Labels get {@code suffix}.
     * Clobbers X0, X9.
     */
    static String ssEret(String suffix) {
        return String.format("""
                    mov     x0, #0x2001
                    msr     mdscr_el1, x0
                    isb
                    adr     x0, r%1$s
                    msr     elr_el1, x0
                    movz    x0, #0x1c5
                    movk    x0, #0x20, lsl #16
                    msr     spsr_el1, x0
                    eret
                r%1$s:
                    nop
                    nop
                    nop
                    nop
                e%1$s:
                    msr     daifset, #8
                """, suffix);
    }

    static final String CLEAR_MDSCR = "    msr     mdscr_el1, xzr\n    isb\n";
}
