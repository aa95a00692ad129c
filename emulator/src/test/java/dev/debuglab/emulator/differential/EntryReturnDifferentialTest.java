package dev.debuglab.emulator.differential;

import org.junit.jupiter.api.Test;

/**
 * QEMU differential test of exception entry and return and of ERET with software step
 * ({@link EntryReturnCases}): vector offsets, SPSR/ELR, UNDEFINED instructions, illegal
 * exception returns, ERET to each EL with SPSR.SS set and clear, ISV/EX, SVC/HVC/BRK under step,
 * step on entry to a handler, a stepped ERET, and PSTATE.D written while stepping. DebugLab must
 * match the architecture exactly; QEMU 7.2 must match it or differ only by a listed deviation
 * (Q2, Q8, Q12).
 */
class EntryReturnDifferentialTest {

    @Test
    void exceptionEntryReturnAndEretWithStep() {
        DifferentialCheck check = new DifferentialCheck();
        check.run(EntryReturnCases.batch(BareMetalProgram.DEFAULT_BASE));
        System.out.print(check.summary("entry/return"));
        System.out.print(check.evidenceReport());
        check.assertPassed("entry/return");
    }
}
