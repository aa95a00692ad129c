package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.kvm.KvmError;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.sysreg.RegisterFields.SPSR;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The vCPU state QEMU works on while it handles one KVM_EXIT_DEBUG (vmm.md §1.2 step 2): the debug
 * exit, the core registers and the whole cpreg list as read through KVM_GET_ONE_REG, and the
 * registers the handling changed (written back with KVM_SET_ONE_REG before the next KVM_RUN, §1.4).
 * Policy steps read and write it; {@link #oneReg} reads a register live from KVM (what a correct
 * VMM does for OSLSR_EL1, vmm.md §4.1 rule 5).
 */
public final class DebugContext {
    private final DebugExit exit;
    private final QemuVmm vmm;
    private final Map<Long, Long> core = new LinkedHashMap<>();
    private final Map<Long, Long> cpregs = new LinkedHashMap<>();
    private final Set<Long> dirty = new LinkedHashSet<>();

    DebugContext(DebugExit exit, QemuVmm vmm, Map<Long, Long> core, Map<Long, Long> cpregs) {
        this.exit = exit;
        this.vmm = vmm;
        this.core.putAll(core);
        this.cpregs.putAll(cpregs);
    }

    public DebugExit exit() {
        return exit;
    }

    public QemuVmm vmm() {
        return vmm;
    }

    /** EC of the exit (hsr[31:26]). */
    public int ec() {
        return exit.ec();
    }

    public long pc() {
        return core(RegId.PC);
    }

    public long pstate() {
        return core(RegId.PSTATE);
    }

    /** The EL the guest was at (PSTATE.M[3:2]). */
    public int guestEl() {
        return SPSR.M_EL.getInt(pstate());
    }

    /** The guest's PSTATE.D at the exit. */
    public boolean debugMasked() {
        return SPSR.D.isSet(pstate());
    }

    /** A synchronised core register. */
    public long core(long id) {
        Long v = core.get(id);
        if (v == null) throw new IllegalArgumentException(RegId.name(id) + " is not a core register QEMU synchronises");
        return v;
    }

    /** True if KVM listed the system register (KVM_GET_REG_LIST) and QEMU therefore synchronised it. */
    public boolean hasSysreg(String name) {
        return cpregs.containsKey(RegId.sys(name));
    }

    /** A synchronised system register from the cpreg list, by Arm name ("MDSCR_EL1"). */
    public long sysreg(String name) {
        Long v = cpregs.get(RegId.sys(name));
        if (v == null)
            throw new IllegalArgumentException(name + " is not in this kernel's KVM_GET_REG_LIST, so QEMU has no copy of it; read it with oneReg() or check hasSysreg()");
        return v;
    }

    /** A system register read live through KVM_GET_ONE_REG; null when KVM answers -ENOENT. */
    public Long oneReg(String name) {
        try {
            return vmm.reg(RegId.sys(name));
        } catch (KvmError e) {
            if (e.errno() == dev.debuglab.emulator.kvm.Errno.ENOENT) return null;
            throw e;
        }
    }

    public void setCore(long id, long value) {
        core(id);
        core.put(id, value);
        dirty.add(id);
    }

    public void setSysreg(String name, long value) {
        long id = RegId.sys(name);
        if (!cpregs.containsKey(id))
            throw new IllegalArgumentException(name + " is not in this kernel's KVM_GET_REG_LIST; QEMU cannot write it back");
        cpregs.put(id, value);
        dirty.add(id);
    }

    /** The registers changed by the handling, in the order they were changed. */
    public Set<Long> dirty() {
        return Collections.unmodifiableSet(dirty);
    }

    long value(long id) {
        Long v = core.containsKey(id) ? core.get(id) : cpregs.get(id);
        return v == null ? 0 : v;
    }

    /** The synchronised cpreg list (id to value), sorted as QEMU keeps it. */
    public Map<Long, Long> cpregs() {
        return Collections.unmodifiableMap(cpregs);
    }
}
