package dev.debuglab.emulator.arch;

import dev.debuglab.emulator.cpu.Op;
import dev.debuglab.emulator.isa.Encoding;

/**
 * Execute routines of the system-level kinds: ERET, EXCEPTION_GEN (SVC/HVC/SMC/BRK/HLT),
 * MSR_IMM, SYS, SYSL, MSR_REG, MRS. FIRST CUT: everything UNDEFINED until implemented.
 */
public final class SystemOps {
    private SystemOps() {}

    /** The predecoded op for a row of one of the system kinds. */
    public static Op predecode(Encoding e, int word) {
        return Exceptions::undefined;
    }
}
