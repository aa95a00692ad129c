package dev.debuglab.emulator.machine;

import dev.debuglab.emulator.testkit.Differential;
import dev.debuglab.emulator.testkit.RunOptions;
import dev.debuglab.emulator.testkit.Toolchain;
import org.junit.jupiter.api.Test;

/**
 * The state an ELF starts in, against QEMU's -kernel boot: general registers, every SP, PSTATE
 * (EL, SPSel, DAIF, NZCV), for the default EL2 start and for --el1 (QEMU: -M virt without
 * virtualization). HCR_EL2 and MDCR_EL2 are left out on purpose: QEMU's "max" CPU has AArch32 at
 * EL1 and a PMU, so its HCR_EL2.RW resets to 0 and MDCR_EL2.HPMN to 6, where the AArch64-only,
 * PMU-less DebugLab PE reads RW as 1 and HPMN as 0 (docs/reference-deviations.md, M5 and M6).
 */
class ResetStateQemuTest {
    static final String PROBE = """
                    .text
                    .global _start
            _start: mov     x28, sp             // SP before anyone sets it
                    mrs     x27, NZCV
                    mrs     x26, DAIF
                    mrs     x25, SPSel
                    mrs     x24, CurrentEL
                    mov     x23, x0
                    adr     x0, stack_top       // only now a stack for the printing macros
                    mov     sp, x0
                    DL_SHOW  sp, x28
                    DL_SHOW  nzcv, x27
                    DL_SHOW  daif, x26
                    DL_SHOW  spsel, x25
                    DL_SHOW  currentel, x24
                    DL_SHOW  x0, x23
                    DL_SHOW  x1, x1
                    DL_SHOW  x2, x2
                    DL_SHOW  x3, x3
                    DL_SHOW  x17, x17
                    DL_SHOW  x30, x30
                    DL_SHOW_SYS SP_EL0
                    DL_SHOW_SYS OSLSR_EL1
                    DL_SHOW_SYS MDSCR_EL1
            %EXTRA%
                    mov     w0, #0
                    b       dl_exit
                    .bss
                    .balign 16
                    .space  4096
            stack_top:
            """;

    @Test
    void el2StartMatchesQemu() {
        Differential.assertSame("reset-el2", Toolchain.asmBare(PROBE.replace("%EXTRA%", """
                        DL_SHOW_SYS SP_EL1
                """)));
    }

    @Test
    void el1StartMatchesQemuWithoutVirtualization() {
        Differential.assertSame("reset-el1", Toolchain.asmBare(PROBE.replace("%EXTRA%", "")), RunOptions.DEFAULT.atEl1());
    }
}
