package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.arch.Syndrome;
import dev.debuglab.emulator.kvm.KvmEvent;

/**
 * What the VMM did, in order, with the exit that caused it: the evidence of a run. KVM's own routing
 * trace is interleaved as {@link Kvm} entries when the run subscribes to it.
 */
public sealed interface VmmEvent {

    /** The VMM re-injected a debug exception into the guest at EL1 (vmm.md §1.3). */
    record Injected(DebugExit exit, String policy, long esr, long elr, long spsr, long pstate, long pc, boolean farWritten,
                    long far) implements VmmEvent {
        @Override
        public String toString() {
            return String.format("%s: inject (%s): ESR_EL1 0x%08X (%s), ELR_EL1 0x%X, SPSR_EL1 0x%X, PSTATE 0x%X, PC 0x%X, %s",
                    exit, policy, esr, Syndrome.describe(esr), elr, spsr, pstate, pc,
                    farWritten ? String.format("FAR_EL1 0x%X", far) : "FAR_EL1 not written");
        }
    }

    /** The VMM's own debug event: the vCPU stopped and the debugger front was told. */
    record Stopped(DebugExit exit, String reason) implements VmmEvent {
        @Override
        public String toString() {
            return exit + ": own event, vCPU stopped — " + reason;
        }
    }

    /** A debug exit the VMM neither owns nor injects: it logs and resumes the guest. */
    record Ignored(DebugExit exit, String message) implements VmmEvent {
        @Override
        public String toString() {
            return exit + ": not injected — " + message;
        }
    }

    /** kvmtool's answer to a debug exit: registers and code dumped, KVM_RUN re-entered unchanged. */
    record Dumped(DebugExit exit, String dump) implements VmmEvent {
        @Override
        public String toString() {
            return exit + ": dumped, re-entering KVM_RUN unchanged\n" + dump.indent(4).stripTrailing();
        }
    }

    /** A line the VMM logs (QEMU's "unhandled debug exit", kvmtool's warnings, gdb requests). */
    record Log(String message) implements VmmEvent {
        @Override
        public String toString() {
            return message;
        }
    }

    /** An MMIO access to an address with no device: writes ignored, reads return 0 (as QEMU's unassigned memory). */
    record UnassignedMmio(long address, int length, boolean write, long data) implements VmmEvent {
        @Override
        public String toString() {
            return String.format("MMIO %s of %d bytes at 0x%X: no device there (%s)", write ? "write" : "read", length, address,
                    write ? String.format("data 0x%X ignored", data) : "reads 0");
        }
    }

    /** An entry of KVM's routing trace. */
    record Kvm(KvmEvent event) implements VmmEvent {
        @Override
        public String toString() {
            return "  kvm: " + event;
        }
    }
}
