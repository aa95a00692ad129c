package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.kvm.GuestDebug;
import dev.debuglab.emulator.kvm.KvmError;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.kvm.VmConfig;

/**
 * kvmtool ({@code lkvm run}, vmm.md §2; {@code kvm-cpu.c}, {@code arm/aarch64/kvm-cpu.c}): a KVM_EXIT_DEBUG gets
 * the generic treatment of {@code kvm_cpu__start} (unchanged since 65bab644, 2011) — print the registers (arm64: PC, PSTATE, SP_EL1, LR), dump 32 bytes of code
 * at PC and at LR, and re-enter KVM_RUN unchanged: no ownership test, no PC skip, no injection, no OS
 * Lock awareness. The only debug option is {@code --debug-single-step}, which issues
 * KVM_SET_GUEST_DEBUG with ENABLE|SINGLESTEP before the run loop (on failure it warns
 * "KVM_SET_GUEST_DEBUG failed"). A guest BRK or breakpoint is therefore hit again on every re-entry —
 * an endless exit loop, which the model ends after {@link #exitLoopLimit} identical exits
 * ({@link VmmRun.Outcome#EXIT_LOOP}). kvmtool has no migration.
 */
public class KvmtoolVmm extends Vmm {
    private final boolean debugSingleStep;
    private boolean configured;

    public KvmtoolVmm(KvmVersion version) {
        this(version, false);
    }

    public KvmtoolVmm(KvmVersion version, boolean debugSingleStep) {
        this(version, debugSingleStep, DEFAULT_CONFIG);
    }

    public KvmtoolVmm(KvmVersion version, boolean debugSingleStep, VmConfig config) {
        super(version, config);
        this.debugSingleStep = debugSingleStep;
    }

    @Override
    public KvmtoolVmm load(GuestImage g) {
        super.load(g);
        return this;
    }

    @Override
    public KvmtoolVmm load(dev.debuglab.emulator.isa.Program p) {
        super.load(p);
        return this;
    }

    @Override
    public String name() {
        return debugSingleStep ? "kvmtool --debug-single-step" : "kvmtool";
    }

    @Override
    protected void beforeRun() {
        if (debugSingleStep && !configured) {
            configured = true;
            try {
                vcpu.setGuestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.SINGLESTEP));
                log("KVM_SET_GUEST_DEBUG ENABLE|SINGLESTEP");
            } catch (KvmError e) {
                log("  Warning: KVM_SET_GUEST_DEBUG failed (" + e.getMessage() + ")");
            }
        }
    }

    @Override
    protected Action handleDebugExit(DebugExit exit) {
        record(new VmmEvent.Dumped(exit, showRegisters() + showCode()));
        return Action.RESUME;
    }

    /** kvm_cpu__show_registers (arm64). */
    private String showRegisters() {
        return String.format("""
                 Registers:
                 PC:    0x%x
                 PSTATE:    0x%x
                 SP_EL1:    0x%x
                 LR:    0x%x
                """, reg(RegId.PC), reg(RegId.PSTATE), reg(RegId.SP_EL1), reg(RegId.x(30)));
    }

    /** kvm_cpu__show_code (arm64): 32 bytes at PC and at LR. */
    private String showCode() {
        return " *pc:\n" + dump(reg(RegId.PC)) + " *lr:\n" + dump(reg(RegId.x(30)));
    }

    private String dump(long address) {
        StringBuilder b = new StringBuilder("  ");
        for (int i = 0; i < 32; i++) {
            long a = address + i;
            if (vm.memory().inRam(a, 1)) b.append(String.format("%02x ", vm.readMemory(a, 1)));
            else b.append("<unknown> ");
        }
        return b.toString().stripTrailing() + "\n";
    }
}
