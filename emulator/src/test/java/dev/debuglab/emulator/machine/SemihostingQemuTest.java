package dev.debuglab.emulator.machine;

import dev.debuglab.emulator.testkit.Differential;
import dev.debuglab.emulator.testkit.Toolchain;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Semihosting calls and exit statuses, against QEMU's: SYS_EXIT and SYS_EXIT_EXTENDED with several reasons and subcodes. */
class SemihostingQemuTest {
    @ParameterizedTest(name = "op {0} reason {1} subcode {2}")
    @CsvSource({
            "0x18, 0x20026, 0", "0x18, 0x20026, 1", "0x18, 0x20026, 255", "0x18, 0x20026, 256", "0x18, 0x20026, -1",
            "0x18, 0x20023, 5", "0x18, 0x20024, 0", "0x20, 0x20026, 77", "0x20, 0x20022, 77"})
    void exitStatusMatchesQemu(String op, String reason, String subcode) {
        Differential.assertSame("exit " + op + " " + reason + " " + subcode, Toolchain.asmBare("""
                        .text
                        .global _start
                _start: adr     x1, msg
                        mov     w0, #0x04       // SYS_WRITE0
                        hlt     #0xf000
                        adr     x1, ch
                        mov     w0, #0x03       // SYS_WRITEC
                        hlt     #0xf000
                        adr     x1, block
                        ldr     x0, =%s
                        hlt     #0xf000
                        b       .
                        .ltorg
                        .balign 8
                block:  .quad   %s, %s
                msg:    .asciz  "semihosting console\\n"
                ch:     .ascii  "!"
                """.formatted(op, reason, subcode)));
    }
}
