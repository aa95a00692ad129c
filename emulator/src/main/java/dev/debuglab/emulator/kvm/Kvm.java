package dev.debuglab.emulator.kvm;

/**
 * /dev/kvm: creates VMs (KVM_CREATE_VM) for one kernel version. The capability numbers are those
 * of include/uapi/linux/kvm.h.
 */
public final class Kvm {
    private Kvm() {}

    public static final int KVM_CAP_SET_GUEST_DEBUG = 23, KVM_CAP_ONE_REG = 70, KVM_CAP_ARM_PSCI = 87,
            KVM_CAP_ARM_PSCI_0_2 = 102, KVM_CAP_GUEST_DEBUG_HW_BPS = 119, KVM_CAP_GUEST_DEBUG_HW_WPS = 120,
            KVM_CAP_SET_GUEST_DEBUG2 = 195;

    /** KVM_CREATE_VM: a VM with one RAM slot as {@code config} says; everything outside RAM is MMIO to userspace. */
    public static Vm createVm(KvmVersion version, VmConfig config) {
        if (version == null) throw new IllegalArgumentException("createVm: give a KvmVersion, e.g. KvmVersion.of(\"6.1\")");
        if (config == null) throw new IllegalArgumentException("createVm: give a VmConfig, e.g. VmConfig.defaults()");
        return new Vm(version, config);
    }

    /** KVM_CREATE_VM with {@link VmConfig#defaults()} (128 MiB at 0x4000_0000). */
    public static Vm createVm(KvmVersion version) {
        return createVm(version, VmConfig.defaults());
    }
}
