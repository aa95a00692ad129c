package dev.debuglab.emulator.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kit itself, against the reference: programs build, run on QEMU, and report what they print. */
class TestKitQemuTest {

    @Test
    void assemblerProgramPrintsThroughTheLibraryAndExitsWithItsCode() {
        RunResult r = Qemu.run(Toolchain.asm("""
                        .text
                        .global main
                main:   mov     x5, #0x1234
                        DL_PRINT "hello\\n"
                        DL_SHOW  x5, x5
                        DL_SHOW_SYS CurrentEL
                        mov     w0, #7
                        ret
                """));
        assertEquals(RunResult.Status.EXITED, r.status(), r.detail());
        assertEquals("hello\nx5=0x0000000000001234\nCurrentEL=0x0000000000000008\n", r.uart());
        assertEquals(7, r.exitCode());
    }

    @Test
    void el1OptionStartsAtEl1() {
        RunResult r = Qemu.run(Toolchain.asm("""
                        .text
                        .global main
                main:   DL_SHOW_SYS CurrentEL
                        mov     w0, #0
                        ret
                """), RunOptions.DEFAULT.atEl1());
        assertEquals("CurrentEL=0x0000000000000004\n", r.uart());
    }

    @Test
    void cProgramAndSemihostingConsole() {
        RunResult r = Qemu.run(Toolchain.c("""
                #include "dl.h"
                int main(void) {
                    dl_print_dec(-12345); dl_newline();
                    dl_write0("to the semihosting console\\n");
                    return 3;
                }
                """, "-O2"));
        assertEquals("-12345\n", r.uart());
        assertEquals("to the semihosting console\n", r.semihosting());
        assertEquals(3, r.exitCode());
    }

    @Test
    void exceptionLogIsParsed() {
        RunResult r = Qemu.run(Toolchain.asmBare("""
                        .text
                        .global _start
                _start: adr     x0, vectors
                        msr     VBAR_EL2, x0
                b1:     brk     #0x42
                        mov     w0, #0
                        b       dl_exit
                        .balign 2048
                vectors: .space 0x200
                        mrs     x0, ELR_EL2
                        add     x0, x0, #4
                        msr     ELR_EL2, x0
                        eret
                """));
        assertEquals(RunResult.Status.EXITED, r.status());
        List<ExceptionEvent> e = r.exceptions();
        assertEquals(1, e.size(), e.toString());
        assertEquals(2, e.get(0).fromEl());
        assertEquals(2, e.get(0).toEl());
        assertEquals(0xF2000042L, e.get(0).esr());
        assertEquals(0x200, e.get(0).vector() & 0x7FF);
        assertEquals(0x40000008L, e.get(0).elr());
    }

    @Test
    void batchSplitsCasesAndKeepsTheirSymbolsApart() {
        Batch b = new Batch("kit")
                .asm("asm", """
                                .text
                                .global main
                        main:   DL_PRINT "one\\n"
                                mov     w0, #11
                                ret
                        """)
                .c("c", """
                        #include "dl.h"
                        int counter = 5;
                        int main(void) { dl_puts("two\\n"); return counter; }
                        """, "-O0")
                .c("c-same-globals", """
                        #include "dl.h"
                        int counter = 6;
                        int main(void) { dl_puts("three"); return counter; }
                        """, "-O2");
        RunResult r = Qemu.run(b.elf(), RunOptions.DEFAULT.withoutExceptions());
        Map<String, Batch.CaseResult> cases = b.split(r);
        assertEquals(new Batch.CaseResult("asm", "one\n", 11), cases.get("asm"));
        assertEquals(new Batch.CaseResult("c", "two\n", 5), cases.get("c"));
        assertEquals(new Batch.CaseResult("c-same-globals", "three", 6), cases.get("c-same-globals"));
        assertTrue(r.uart().endsWith("@@DL-END@@\n"));
    }

    @Test
    void ourAssemblersBytesRunTheSameOnBothEngines() {
        Differential.Comparison c = Differential.assertSame("ours", Toolchain.ours("""
                _start: movz x9, #0x900, lsl #16
                        mov  w10, #0x4f
                        strb w10, [x9]
                        mov  w10, #0x4b
                        strb w10, [x9]
                        mov  w10, #10
                        strb w10, [x9]
                        movz x1, #0x4000, lsl #16
                        add  x1, x1, #0x800
                        movz x2, #0x2, lsl #16
                        movk x2, #0x26
                        mov  x3, #5
                        stp  x2, x3, [x1]
                        mov  w0, #0x18
                        hlt  #0xf000
                """));
        assertEquals("OK\n", c.qemu().uart());
        assertEquals(5, c.qemu().exitCode());
    }

    @Test
    void missingToolFailsWithTheFix() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> Proc.require("aarch64-linux-gnu-no-such-tool"));
        assertTrue(e.getMessage().contains("apt-get install binutils-aarch64-linux-gnu"), e.getMessage());
    }
}
