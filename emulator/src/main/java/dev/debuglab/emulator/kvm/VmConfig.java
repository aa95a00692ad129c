package dev.debuglab.emulator.kvm;

/**
 * What a VMM chooses when it creates a VM (KVM_CREATE_VM plus the memory slot it registers with
 * KVM_SET_USER_MEMORY_REGION): one RAM slot at {@link #ramBase} of {@link #ramSize} bytes, and the
 * host CPU's debug resources that KVM passes through (6 breakpoints, 4 watchpoints, 2 of the
 * breakpoints context-aware, as on the observed hosts, kvm.md §6.1). {@link #defaultBudget} is
 * the instruction budget of {@link Vcpu#run()} (a model device: a real KVM_RUN runs until an
 * exit or a signal).
 */
public record VmConfig(long ramBase, int ramSize, int breakpoints, int watchpoints, int contextAware, long defaultBudget) {
    /** Guest RAM at IPA 0x4000_0000, as QEMU's virt board places it. */
    public static final long DEFAULT_RAM_BASE = 0x4000_0000L;
    /** 128 MiB, QEMU's default. */
    public static final int DEFAULT_RAM_SIZE = 128 << 20;
    public static final long DEFAULT_BUDGET = 100_000_000L;

    public VmConfig {
        if (ramSize <= 0 || (ramSize & 0xFFF) != 0)
            throw new IllegalArgumentException("VmConfig: RAM size " + ramSize
                    + " must be a positive multiple of 4 KiB (e.g. 2 << 20 for 2 MiB)");
        if ((ramBase & 0xFFF) != 0 || ramBase < 0)
            throw new IllegalArgumentException(String.format("VmConfig: RAM base 0x%X must be 4 KiB aligned", ramBase));
        if (breakpoints < 2 || breakpoints > 16 || watchpoints < 2 || watchpoints > 16 || contextAware < 1
                || contextAware > breakpoints)
            throw new IllegalArgumentException("VmConfig: " + breakpoints + " breakpoints, " + watchpoints
                    + " watchpoints, " + contextAware + " context-aware: the architecture allows 2..16, 2..16 and 1..breakpoints");
        if (defaultBudget <= 0)
            throw new IllegalArgumentException("VmConfig: the run budget must be positive, not " + defaultBudget);
    }

    /** 128 MiB at 0x4000_0000, 6 breakpoints (2 context-aware), 4 watchpoints. */
    public static VmConfig defaults() {
        return new VmConfig(DEFAULT_RAM_BASE, DEFAULT_RAM_SIZE, 6, 4, 2, DEFAULT_BUDGET);
    }

    /** This configuration with another RAM size (bytes, a multiple of 4 KiB). */
    public VmConfig withRamSize(int bytes) {
        return new VmConfig(ramBase, bytes, breakpoints, watchpoints, contextAware, defaultBudget);
    }

    /** This configuration with the RAM slot at another IPA. */
    public VmConfig withRamBase(long base) {
        return new VmConfig(base, ramSize, breakpoints, watchpoints, contextAware, defaultBudget);
    }

    /** This configuration with other debug resources (the host CPU's ID_AA64DFR0_EL1). */
    public VmConfig withDebugResources(int bps, int wps, int ctx) {
        return new VmConfig(ramBase, ramSize, bps, wps, ctx, defaultBudget);
    }

    /** This configuration with another default run budget (instructions per KVM_RUN). */
    public VmConfig withBudget(long instructions) {
        return new VmConfig(ramBase, ramSize, breakpoints, watchpoints, contextAware, instructions);
    }
}
