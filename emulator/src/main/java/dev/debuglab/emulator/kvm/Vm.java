package dev.debuglab.emulator.kvm;

import dev.debuglab.emulator.mem.PhysicalMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * A VM (the KVM VM file descriptor): guest RAM (one memslot, identity-mapped at stage 2) and its
 * vCPUs. Guest accesses outside RAM become KVM_EXIT_MMIO.
 */
public final class Vm {
    private final KvmVersion version;
    private final VmConfig config;
    private final PhysicalMemory memory;
    private final List<Vcpu> vcpus = new ArrayList<>();

    Vm(KvmVersion version, VmConfig config) {
        this.version = version;
        this.config = config;
        this.memory = PhysicalMemory.pooled(config.ramBase(), config.ramSize());
    }

    /** The kernel version (or variant) this VM runs under. */
    public KvmVersion version() {
        return version;
    }

    /** The RAM slot and debug resources chosen at KVM_CREATE_VM. */
    public VmConfig config() {
        return config;
    }

    /** Guest RAM (guest-physical = IPA addresses). */
    public PhysicalMemory memory() {
        return memory;
    }

    /**
     * Closes the VM (the VMM's close of the VM fd): its RAM goes back to this thread's pool, zeroed, for the next VM
     * of the same size. Neither the VM nor its vCPUs may be used afterwards. Optional: an unreleased VM is collected.
     */
    public void release() {
        memory.release();
    }

    /** KVM_CREATE_VCPU. The vCPU must be initialised with {@link Vcpu#init()} before use. */
    public Vcpu createVcpu() {
        Vcpu v = new Vcpu(this, vcpus.size());
        vcpus.add(v);
        return v;
    }

    /** The vCPUs created so far (KVM_CREATE_VCPU order). */
    public List<Vcpu> vcpus() {
        return List.copyOf(vcpus);
    }

    /**
     * KVM_CHECK_EXTENSION (on the VM fd): SET_GUEST_DEBUG 1, GUEST_DEBUG_HW_BPS / _WPS the
     * comparator counts (6 / 4 by default), SET_GUEST_DEBUG2 the valid control mask 0x30003,
     * ONE_REG 1, ARM_PSCI / ARM_PSCI_0_2 1; anything else 0 (kvm_vm_ioctl_check_extension).
     */
    public long checkExtension(int cap) {
        return switch (cap) {
            case Kvm.KVM_CAP_SET_GUEST_DEBUG, Kvm.KVM_CAP_ONE_REG, Kvm.KVM_CAP_ARM_PSCI, Kvm.KVM_CAP_ARM_PSCI_0_2 -> 1;
            case Kvm.KVM_CAP_GUEST_DEBUG_HW_BPS -> config.breakpoints();
            case Kvm.KVM_CAP_GUEST_DEBUG_HW_WPS -> config.watchpoints();
            case Kvm.KVM_CAP_SET_GUEST_DEBUG2 -> GuestDebug.VALID_MASK;
            default -> 0;
        };
    }

    /** Copies {@code bytes} into guest RAM at {@code ipa} (as a VMM writes its mmap of the memslot). */
    public void writeMemory(long ipa, byte[] bytes) {
        if (!memory.inRam(ipa, bytes.length))
            throw new IllegalArgumentException(String.format("writeMemory: [0x%X, 0x%X) is outside guest RAM [0x%X, 0x%X)",
                    ipa, ipa + bytes.length, config.ramBase(), config.ramBase() + config.ramSize()));
        memory.load(ipa, bytes);
    }

    /** Reads {@code size} (1, 2, 4, 8) bytes of guest RAM at {@code ipa}, little-endian. */
    public long readMemory(long ipa, int size) {
        if (!memory.inRam(ipa, size))
            throw new IllegalArgumentException(String.format("readMemory: 0x%X (+%d) is outside guest RAM", ipa, size));
        return memory.read(ipa, size);
    }

    /** Writes {@code size} (1, 2, 4, 8) bytes of guest RAM at {@code ipa}, little-endian. */
    public void writeMemory(long ipa, int size, long value) {
        if (!memory.inRam(ipa, size))
            throw new IllegalArgumentException(String.format("writeMemory: 0x%X (+%d) is outside guest RAM", ipa, size));
        memory.write(ipa, size, value);
    }
}
