package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.arch.Syndrome;
import dev.debuglab.emulator.kvm.KvmRun;

/**
 * A KVM_EXIT_DEBUG as userspace read it: the {@code kvm_run} debug fields copied out (the mmap'd
 * structure is overwritten by the next KVM_RUN) and the guest PC from ONE_REG.
 *
 * @param hsr     {@code run->debug.arch.hsr} (ESR_EL2[31:0], always a lower-EL EC)
 * @param hsrHigh {@code run->debug.arch.hsr_high}
 * @param far     {@code run->debug.arch.far}: meaningful only for EC 0x34 (else stale union bytes)
 * @param flags   {@code run->flags}
 * @param pc      the guest PC at the exit
 * @param pstate  the guest PSTATE at the exit
 * @param number  1 for the first debug exit of the VMM, 2 for the next, …
 */
public record DebugExit(long hsr, long hsrHigh, long far, int flags, long pc, long pstate, int number) {
    public static DebugExit of(KvmRun run, long pc, long pstate, int number) {
        return new DebugExit(run.debugHsr(), run.debugHsrHigh(), run.debugFar(), run.flags(), pc, pstate, number);
    }

    /** EC = hsr[31:26]. */
    public int ec() {
        return (int) (hsr >>> 26) & 0x3F;
    }

    @Override
    public String toString() {
        return String.format("KVM_EXIT_DEBUG #%d hsr 0x%08X (%s) at PC 0x%X%s", number, hsr, Syndrome.describe(hsr), pc,
                ec() == 0x34 ? String.format(", far 0x%X", far) : "");
    }
}
