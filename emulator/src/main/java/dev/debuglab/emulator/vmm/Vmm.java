package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.kvm.Kvm;
import dev.debuglab.emulator.kvm.KvmError;
import dev.debuglab.emulator.kvm.KvmRun;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.kvm.Vcpu;
import dev.debuglab.emulator.kvm.Vm;
import dev.debuglab.emulator.kvm.VmConfig;
import dev.debuglab.emulator.machine.ElfImage;
import dev.debuglab.emulator.machine.Pl011;
import dev.debuglab.emulator.mem.MmioDevice;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A userspace VMM over the KVM model: the {@code KVM_RUN} loop of QEMU's {@code kvm_cpu_exec} /
 * kvmtool's {@code kvm_cpu__start}. It creates the VM and one vCPU for a {@link KvmVersion}
 * (KVM_CREATE_VM, KVM_CREATE_VCPU, KVM_ARM_VCPU_INIT), loads a guest into RAM and sets its PC and
 * SP_EL1 through KVM_SET_ONE_REG, and runs:
 * <ul>
 *   <li>KVM_EXIT_MMIO goes to a device: the PL011 data register at {@link #PL011_BASE} (its bytes are
 *       the guest's console output) and the {@link GuestLog} port at {@link GuestLog#BASE}; an address
 *       with no device reads 0 and ignores writes (QEMU's unassigned memory);</li>
 *   <li>KVM_EXIT_SYSTEM_EVENT ends the run (PSCI SYSTEM_OFF);</li>
 *   <li>KVM_EXIT_INTR (the instruction budget ran out) ends it with {@link VmmRun.Outcome#BUDGET_EXHAUSTED};</li>
 *   <li>KVM_EXIT_DEBUG goes to the VMM's policy ({@link #handleDebugExit});</li>
 *   <li>KVM_EXIT_INTERNAL_ERROR ends the run and reports KVM's text.</li>
 * </ul>
 * A debug exit that repeats at the same PC with the same syndrome and far {@link #exitLoopLimit} times in
 * a row (MMIO exits in between do not count), ends the run with {@link VmmRun.Outcome#EXIT_LOOP}: a real VMM would
 * spin forever (kvmtool re-entering on a BRK, vmm.md §2).
 */
public abstract class Vmm {
    /** The PL011 UART of QEMU's virt board. */
    public static final long PL011_BASE = 0x0900_0000L;
    /** Default instruction budget of {@link #run()}. */
    public static final long DEFAULT_BUDGET = 10_000_000L;
    public static final int DEFAULT_EXIT_LOOP_LIMIT = 16;

    /** What the policy decides for a debug exit. */
    public enum Action {
        /** Write back dirty state and re-enter KVM_RUN. */
        RESUME,
        /** Stop the vCPU (the debugger has it); {@link #run} returns {@link VmmRun.Outcome#STOPPED}. */
        STOP
    }

    private record Device(long base, long size, MmioDevice device) {}

    protected final KvmVersion version;
    protected final Vm vm;
    protected final Vcpu vcpu;
    private final GuestLog guestLog = new GuestLog();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final TreeMap<Long, Device> devices = new TreeMap<>();
    private final List<VmmEvent> events = new ArrayList<>();
    private boolean traceKvm;
    /** Records KVM's events; attached to the vCPU only while tracing, so that an untraced run builds no event text. */
    private final java.util.function.Consumer<dev.debuglab.emulator.kvm.KvmEvent> tracer = e -> events.add(new VmmEvent.Kvm(e));
    private GuestImage guest;
    private int debugExits;
    private int exitLoopLimit = DEFAULT_EXIT_LOOP_LIMIT;
    private String stopMessage;

    /** The VM a VMM creates unless told otherwise: 8 MiB of RAM at 0x4000_0000 (QEMU {@code -m 8M}; small guests, fast VM creation), 6/4 comparators. */
    public static final VmConfig DEFAULT_CONFIG = VmConfig.defaults().withRamSize(8 << 20);

    protected Vmm(KvmVersion version) {
        this(version, DEFAULT_CONFIG);
    }

    protected Vmm(KvmVersion version, VmConfig config) {
        if (version == null) throw new IllegalArgumentException("no KVM version: pass one, e.g. KvmVersion.of(\"6.1\")");
        this.version = version;
        this.vm = Kvm.createVm(version, config);
        this.vcpu = vm.createVcpu();
        vcpu.init();
        addDevice(PL011_BASE, Pl011.SIZE, new Pl011(console));
        addDevice(GuestLog.BASE, GuestLog.SIZE, guestLog);
    }

    /** The VMM's name for traces, e.g. "QEMU" or "kvmtool --debug-single-step". */
    public abstract String name();

    /**
     * The policy for a KVM_EXIT_DEBUG: the VMM may read and write vCPU state through ONE_REG and
     * returns whether to resume the guest or stop the vCPU.
     */
    protected abstract Action handleDebugExit(DebugExit exit);

    /** Called before the first KVM_RUN of every {@link #run} (e.g. kvmtool's --debug-single-step ioctl). */
    protected void beforeRun() {}

    // --- set-up ------------------------------------------------------------------------------------

    public KvmVersion version() {
        return version;
    }

    public Vm vm() {
        return vm;
    }

    public Vcpu vcpu() {
        return vcpu;
    }

    public GuestImage guest() {
        return guest;
    }

    public GuestLog guestLog() {
        return guestLog;
    }

    public String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    /** Closes the VM ({@link Vm#release}): its RAM is reused by the next VMM of the thread. The VMM must not be used afterwards. */
    public void release() {
        vm.release();
    }

    /** Interleave KVM's routing trace ({@link VmmEvent.Kvm}) with the VMM's events. */
    public Vmm traceKvm(boolean on) {
        if (on && !traceKvm) vcpu.addListener(tracer);
        if (!on && traceKvm) vcpu.removeListener(tracer);
        traceKvm = on;
        return this;
    }

    /** How many identical consecutive debug exits end the run as an endless loop (default 16). */
    public Vmm exitLoopLimit(int n) {
        if (n < 2) throw new IllegalArgumentException("exit loop limit " + n + ": give at least 2 (identical exits in a row)");
        exitLoopLimit = n;
        return this;
    }

    /** Maps an MMIO device (QEMU's memory_region_add_subregion). */
    public Vmm addDevice(long base, long size, MmioDevice device) {
        Map.Entry<Long, Device> below = devices.floorEntry(base + size - 1);
        if (below != null && below.getValue().base + below.getValue().size > base)
            throw new IllegalArgumentException(String.format("a device is already mapped at [0x%X, 0x%X); choose a free address range",
                    below.getValue().base, below.getValue().base + below.getValue().size));
        devices.put(base, new Device(base, size, device));
        return this;
    }

    /**
     * Loads {@code g} into guest RAM and sets its registers as QEMU's boot code does through
     * KVM_SET_ONE_REG: PC = the entry, SP_EL1 = the image's stack pointer. PSTATE stays at KVM's
     * reset value (EL1h, D, A, I, F masked).
     */
    public Vmm load(GuestImage g) {
        if (g == null) throw new IllegalArgumentException("no guest image: pass GuestImage.of(program) or GuestImage.load(elfPath)");
        long ramBase = vm.config().ramBase(), ramEnd = ramBase + vm.config().ramSize();
        List<ElfImage.Segment> segments = new ArrayList<>();
        for (ElfImage.Segment s : g.image().segments()) {
            // ld -Ttext=0x40000000 maps the ELF header just below the text: drop it, as QEMU's loader does.
            int skip = 0;
            if (s.address() < ramBase && ramBase < s.end() && s.headerBytes() > 0) {
                skip = (int) (ramBase - s.address());
                for (int i = s.headerBytes(); i < skip; i++)
                    if (s.bytes()[i] != 0) skip = 0;
            }
            long from = s.address() + skip;
            if (from < ramBase || s.end() > ramEnd)
                throw new IllegalArgumentException(String.format(
                        "segment [0x%X, 0x%X) lies outside the VM's RAM [0x%X, 0x%X); link the guest at 0x%X or create the VMM with a larger VmConfig",
                        s.address(), s.end(), ramBase, ramEnd, ramBase));
            segments.add(skip == 0 ? s : new ElfImage.Segment(from, java.util.Arrays.copyOfRange(s.bytes(), skip, s.bytes().length)));
        }
        if (g.entry() < ramBase || g.entry() >= ramEnd)
            throw new IllegalArgumentException(String.format("entry point 0x%X is outside the VM's RAM [0x%X, 0x%X); set the ELF entry inside RAM",
                    g.entry(), ramBase, ramEnd));
        for (ElfImage.Segment s : segments) writeGuest(s.address(), s.bytes());
        setReg(RegId.PC, g.entry());
        setReg(RegId.SP_EL1, g.stackPointer());
        guest = g;
        return this;
    }

    public Vmm load(dev.debuglab.emulator.isa.Program p) {
        return load(GuestImage.of(p));
    }

    // --- guest memory and registers -----------------------------------------------------------------

    /** Reads {@code length} bytes of guest memory at IPA {@code address} (the VMM's mapping of the RAM slot). */
    public byte[] readGuest(long address, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) out[i] = (byte) vm.readMemory(address + i, 1);
        return out;
    }

    public int readGuestWord(long address) {
        return (int) vm.readMemory(address, 4);
    }

    public void writeGuest(long address, byte[] bytes) {
        vm.writeMemory(address, bytes);
    }

    public void writeGuestWord(long address, int word) {
        vm.writeMemory(address, 4, Integer.toUnsignedLong(word));
    }

    /** KVM_GET_ONE_REG. */
    public long reg(long id) {
        return vcpu.getOneReg(id);
    }

    /** KVM_SET_ONE_REG. */
    public void setReg(long id, long value) {
        vcpu.setOneReg(id, value);
    }

    /** The core registers through ONE_REG, named as {@link RegId#name}. */
    private static final String[] X_NAMES = java.util.stream.IntStream.rangeClosed(0, 30).mapToObj(n -> "X" + n).toArray(String[]::new);

    public Map<String, Long> coreRegisters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("PC", reg(RegId.PC));
        m.put("PSTATE", reg(RegId.PSTATE));
        for (int n = 0; n <= 30; n++) m.put(X_NAMES[n], reg(RegId.x(n)));
        m.put("SP", reg(RegId.SP));
        m.put("SP_EL1", reg(RegId.SP_EL1));
        m.put("ELR_EL1", reg(RegId.ELR_EL1));
        m.put("SPSR_EL1", reg(RegId.spsr(0)));
        return m;
    }

    protected void record(VmmEvent e) {
        events.add(e);
    }

    protected void log(String message) {
        events.add(new VmmEvent.Log(message));
    }

    /** Instructions the guest has executed so far. */
    protected long retired() {
        return vcpu.cpu().instructionsRetired;
    }

    // --- the run loop -----------------------------------------------------------------------------------

    /** Runs until the guest powers off, the VMM stops it, or {@link #DEFAULT_BUDGET} instructions. */
    public VmmRun run() {
        return run(DEFAULT_BUDGET);
    }

    /** Runs until the guest powers off, the VMM stops it, or {@code budget} instructions. */
    public VmmRun run(long budget) {
        return loop(budget, null);
    }

    /** Runs until {@code stop} (then {@link VmmRun.Outcome#PAUSED}) or any other end of the run. */
    public VmmRun runUntil(StopPoint stop) {
        return loop(DEFAULT_BUDGET, stop);
    }

    public VmmRun runUntil(StopPoint stop, long budget) {
        return loop(budget, stop);
    }

    /** Stops the run from inside a policy step: {@link #run} returns STOPPED with this text. */
    protected void stopWith(String message) {
        stopMessage = message;
    }

    private VmmRun loop(long budget, StopPoint stop) {
        if (guest == null) throw new IllegalStateException("no guest loaded: call load(GuestImage) or load(Program) before run()");
        if (budget <= 0) throw new IllegalArgumentException("budget " + budget + " is not positive; give the number of guest instructions to allow");
        int firstEvent = events.size();
        long start = retired();
        DebugExit previous = null;
        int repeats = 0;
        try {
            beforeRun();
            while (true) {
                long used = retired() - start;
                long slice = budget - used;
                if (stop != null) {
                    if (stop.address() != null) {
                        if (reg(RegId.PC) == stop.address()) return finish(VmmRun.Outcome.PAUSED, "paused " + stop, firstEvent, start);
                        slice = Math.min(slice, 1);
                    } else {
                        if (used >= stop.instructions()) return finish(VmmRun.Outcome.PAUSED, "paused " + stop, firstEvent, start);
                        slice = Math.min(slice, stop.instructions() - used);
                    }
                }
                if (slice <= 0)
                    return finish(VmmRun.Outcome.BUDGET_EXHAUSTED, String.format(
                            "instruction budget of %d exhausted at PC 0x%X (KVM_EXIT_INTR); the guest did not power off — raise the budget or check for a loop",
                            budget, reg(RegId.PC)), firstEvent, start);
                long before = retired();
                KvmRun r = vcpu.run(slice);
                switch (r.exitReason()) {
                    case KvmRun.KVM_EXIT_MMIO -> mmio(r);
                    case KvmRun.KVM_EXIT_SYSTEM_EVENT -> {
                        boolean off = r.systemEventType() == KvmRun.KVM_SYSTEM_EVENT_SHUTDOWN;
                        return finish(off ? VmmRun.Outcome.SYSTEM_OFF : VmmRun.Outcome.SYSTEM_EVENT, r.toString(), firstEvent, start);
                    }
                    case KvmRun.KVM_EXIT_INTR -> {
                        if (retired() == before && retired() - start < budget)
                            return finish(VmmRun.Outcome.BUDGET_EXHAUSTED, "KVM_RUN returned KVM_EXIT_INTR without progress: " + r.message(),
                                    firstEvent, start);
                    }
                    case KvmRun.KVM_EXIT_DEBUG -> {
                        DebugExit e = DebugExit.of(r, reg(RegId.PC), reg(RegId.PSTATE), ++debugExits);
                        if (previous != null && previous.pc() == e.pc() && previous.hsr() == e.hsr() && previous.far() == e.far()) repeats++;
                        else repeats = 1;
                        previous = e;
                        Action a = handleDebugExit(e);
                        if (stopMessage != null) {
                            String m = stopMessage;
                            stopMessage = null;
                            return finish(VmmRun.Outcome.VMM_ERROR, m, firstEvent, start);
                        }
                        if (a == Action.STOP)
                            return finish(VmmRun.Outcome.STOPPED, "vCPU stopped by the debugger at " + e, firstEvent, start);
                        if (repeats >= exitLoopLimit)
                            return finish(VmmRun.Outcome.EXIT_LOOP, String.format(
                                    "endless exit loop: %s repeated %d times in a row (no other debug exit in between): under %s the guest makes no progress past it; stopped by the model",
                                    e, repeats, name()), firstEvent, start);
                    }
                    case KvmRun.KVM_EXIT_INTERNAL_ERROR ->
                            {
                                return finish(VmmRun.Outcome.INTERNAL_ERROR, "KVM_EXIT_INTERNAL_ERROR: " + r.message(), firstEvent, start);
                            }
                    default -> {
                        return finish(VmmRun.Outcome.VMM_ERROR, name() + " cannot handle " + r, firstEvent, start);
                    }
                }
            }
        } catch (KvmError e) {
            return finish(VmmRun.Outcome.VMM_ERROR, "an ioctl of " + name() + " failed: " + e.getMessage(), firstEvent, start);
        } catch (VmmError e) {
            return finish(VmmRun.Outcome.VMM_ERROR, e.getMessage(), firstEvent, start);
        }
    }

    private void mmio(KvmRun r) {
        long addr = r.mmioPhysAddr();
        int len = r.mmioLen();
        Map.Entry<Long, Device> e = devices.floorEntry(addr);
        Device d = e == null || addr >= e.getValue().base + e.getValue().size ? null : e.getValue();
        if (r.mmioIsWrite()) {
            if (d != null) d.device.write(addr - d.base, len, r.mmioData());
            else record(new VmmEvent.UnassignedMmio(addr, len, true, r.mmioData()));
        } else {
            long v = 0;
            if (d != null) v = d.device.read(addr - d.base, len);
            else record(new VmmEvent.UnassignedMmio(addr, len, false, 0));
            r.setMmioData(v);
        }
    }

    /** The ONE_REG ids of {@link CoreRegisters#NAMES}, in that order. */
    private static final long[] CORE_IDS;

    static {
        CORE_IDS = new long[CoreRegisters.NAMES.length];
        CORE_IDS[0] = RegId.PC;
        CORE_IDS[1] = RegId.PSTATE;
        for (int n = 0; n <= 30; n++) CORE_IDS[2 + n] = RegId.x(n);
        CORE_IDS[33] = RegId.SP;
        CORE_IDS[34] = RegId.SP_EL1;
        CORE_IDS[35] = RegId.ELR_EL1;
        CORE_IDS[36] = RegId.spsr(0);
    }

    private VmmRun finish(VmmRun.Outcome outcome, String message, int firstEvent, long start) {
        Map<String, Long> regs;
        try {
            // the registers of coreRegisters(), through ONE_REG, into one array
            long[] v = new long[CORE_IDS.length];
            for (int i = 0; i < v.length; i++) v[i] = reg(CORE_IDS[i]);
            regs = new CoreRegisters(v);
        } catch (KvmError e) {
            regs = Map.of();
        }
        return new VmmRun(outcome, message, events.subList(firstEvent, events.size()), guestLog.entries(), console(), regs,
                retired() - start, version.name(), name(), guest);
    }

    // --- migration support ----------------------------------------------------------------------------

    /** Takes over the guest image and the device state of {@code source} after its state was migrated into this VMM. */
    void adoptDevicesOf(Vmm source) {
        guest = source.guest;
        for (GuestLog.Entry e : source.guestLog.entries()) {
            if (e instanceof GuestLog.Exception x) {
                guestLog.write(GuestLog.VECTOR, 8, x.vector());
                guestLog.write(GuestLog.ESR, 8, x.esr());
                guestLog.write(GuestLog.ELR, 8, x.elr());
                guestLog.write(GuestLog.FAR, 8, x.far());
                guestLog.write(GuestLog.SPSR, 8, x.spsr());
            } else if (e instanceof GuestLog.Value v) {
                guestLog.write(GuestLog.TAG, 8, v.tag());
                guestLog.write(GuestLog.VALUE, 8, v.value());
            }
        }
        console.writeBytes(source.console.toByteArray());
    }
}
