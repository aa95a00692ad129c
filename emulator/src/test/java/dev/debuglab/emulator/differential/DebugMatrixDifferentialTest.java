package dev.debuglab.emulator.differential;

import org.junit.jupiter.api.Test;

/**
 * QEMU differential test of the debug-exception matrix ({@link DebugMatrix}): BRK, hardware
 * breakpoint, watchpoint (load, store) and software step × OSLK × OSDLR.DLK × KDE × PSTATE.D × MDE
 * × routing (none, MDCR_EL2.TDE, HCR_EL2.TGE) × EL0/EL1/EL2, 1280 cases in five boots.
 *
 * <p>DebugLab must produce exactly the architecture's output in every case. QEMU 7.2 must too,
 * except where a listed deviation explains the difference: Q1 (QEMU's OS Lock check tests
 * OSLSR_EL1 bit 0 instead of OSLK, so breakpoints, watchpoints and step still fire with OSLK = 1;
 * scenario ARCH-QEMU-Q1). Those cases are reported as "known reference deviation Q1".
 */
class DebugMatrixDifferentialTest {

    @Test
    void everyDebugExceptionKindAgainstTheArchitectureAndQemu() {
        DifferentialCheck check = new DifferentialCheck();
        for (Batch b : DebugMatrix.batches(BareMetalProgram.DEFAULT_BASE)) check.run(b);
        System.out.print(check.summary("debug matrix"));
        System.out.print(check.evidenceReport());
        check.assertPassed("debug matrix");
    }
}
