package dev.debuglab.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.testkit.Differential;
import dev.debuglab.emulator.testkit.ExceptionEvent;
import dev.debuglab.emulator.testkit.Toolchain;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exception entry and return against QEMU: SVC, HVC, BRK and UNDEFINED from EL0, EL1 and EL2,
 * ERET to each EL, the four vector groups (current EL with SP0 / SPx, lower EL), with HCR_EL2.TGE
 * routing, and a PC alignment fault. Handlers print the vector offset, ESR, ELR and SPSR (FAR for
 * the PC alignment fault); the kit also compares every exception entry QEMU logs with -d int.
 * SMC is left out on purpose: QEMU's virt board serves it as a PSCI call (machine difference M4).
 */
class ExceptionEntryQemuTest {

    /**
     * Vector tables for EL1 (vt1) and EL2 (vt2). Each entry puts its offset in X10 and joins a
     * common handler that prints the syndrome registers and returns: past the instruction for
     * BRK/UNDEFINED (ELR is the instruction itself), to ELR for SVC/HVC (already the next one).
     * SVC #0xFE at EL0/EL1 and HVC #0xFE climb to EL2 and resume at `back_in_el2` (EL2h).
     * A PC alignment fault resumes at X11. Programs keep X9..X11 free.
     */
    static final String VECTORS = """
                    .macro  VECTOR el, off
                    .balign 128
                    mov     x10, #\\off
                    b       handle_el\\el
                    .endm
                    .macro  TABLE el
                    .balign 2048
            vt\\el:
                    .irp    off, 0x000, 0x080, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0x400, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
                    VECTOR  \\el, \\off
                    .endr
                    .endm
                    .macro  HANDLER el
            handle_el\\el:
                    DL_PRINT "EL\\el"
                    DL_SHOW  " vector", x10
                    DL_SHOW_SYS ESR_EL\\el
                    DL_SHOW_SYS ELR_EL\\el
                    DL_SHOW_SYS SPSR_EL\\el
                    mrs     x9, ESR_EL\\el
                    ubfx    x10, x9, #26, #6
                    and     x9, x9, #0xffff
                    cmp     x10, #0x22
                    b.ne    1f
                    DL_SHOW_SYS FAR_EL\\el
                    msr     ELR_EL\\el, x11
                    eret
            1:      cmp     x10, #0x15
                    b.eq    2f
                    cmp     x10, #0x16
                    b.eq    3f
                    mrs     x9, ELR_EL\\el
                    add     x9, x9, #4
                    msr     ELR_EL\\el, x9
                    eret
            2:      cmp     x9, #0xfe
                    b.ne    4f
                    .if \\el == 1
                    hvc     #0xfe
                    .else
                    b       5f
                    .endif
            3:      cmp     x9, #0xfe
                    b.ne    4f
            5:      .if \\el == 2
                    adr     x9, back_in_el2
                    msr     ELR_EL2, x9
                    mov     x9, #0x3c9
                    msr     SPSR_EL2, x9
                    .endif
            4:      eret
                    .endm

                    .text
                    HANDLER 1
                    HANDLER 2
                    TABLE   1
                    TABLE   2
            """;

    static final String PROLOGUE = """
                    .text
                    .global main
            main:   adr     x0, vt2
                    msr     VBAR_EL2, x0
                    adr     x0, vt1
                    msr     VBAR_EL1, x0
                    isb
            """;

    private static void assertSameAsQemu(String name, String program, int expectedExceptions) {
        Differential.Comparison c = Differential.assertSame(name, Toolchain.asm(PROLOGUE + program + VECTORS));
        List<ExceptionEvent> events = c.qemu().exceptions();
        assertEquals(expectedExceptions, events.size(), "exceptions QEMU took\n" + c.report());
        assertEquals(0, c.emu().exitCode(), c.report());
        assertTrue(!c.emu().uart().contains("UNEXPECTED"), c.report());
    }

    @Test
    void el2SameElVectorsForSpxAndSp0() {
        assertSameAsQemu("el2", """
                        svc     #0x11           // EL2h -> VBAR_EL2 + 0x200, ELR = next
                        hvc     #0x22           // same EL, same group
                        brk     #0x33           // ELR = the BRK
                        .inst   0x00000000      // UDF #0: UNDEFINED, EC 0
                        hlt     #0              // HLT other than the semihosting immediate: UNDEFINED
                        msr     SPSel, #0       // EL2t: current EL with SP0 -> VBAR_EL2 + 0x000
                        svc     #0x44
                        brk     #0x45
                        msr     SPSel, #1
                        mov     w0, #0
                        b       dl_exit
                back_in_el2:
                        mov     w0, #1
                        b       dl_exit
                """, 7);
    }

    @Test
    void el2ToEl1ToEl0AndBack() {
        assertSameAsQemu("el2-el1-el0", """
                        mov     x0, #(1 << 31)  // HCR_EL2.RW: EL1 is AArch64
                        msr     HCR_EL2, x0
                        mov     x0, #0x3c5      // EL1h, DAIF masked
                        msr     SPSR_EL2, x0
                        adr     x0, el1_code
                        msr     ELR_EL2, x0
                        isb
                        eret
                el1_code:
                        DL_SHOW_SYS CurrentEL
                        svc     #1              // EL1 -> EL1 + 0x200
                        brk     #2              // EL1 -> EL1 + 0x200
                        hvc     #3              // EL1 -> EL2 + 0x400
                        msr     SPSel, #0
                        svc     #4              // EL1t -> EL1 + 0x000
                        msr     SPSel, #1
                        mov     x0, #0x3c0      // EL0t, DAIF masked
                        msr     SPSR_EL1, x0
                        adr     x0, el0_code
                        msr     ELR_EL1, x0
                        eret
                el0_code:
                        DL_SHOW  "x19 at EL0", x19
                        svc     #5              // EL0 -> EL1 + 0x400
                        brk     #6              // EL0 -> EL1 + 0x400
                        hvc     #7              // UNDEFINED at EL0
                        .inst   0x00000000
                        eret                    // UNDEFINED at EL0
                        svc     #0xfe           // back to EL2 through EL1 and HVC
                back_in_el2:
                        DL_SHOW_SYS CurrentEL
                        msr     HCR_EL2, xzr
                        mov     w0, #0
                        b       dl_exit
                """, 11);
    }

    @Test
    void tgeRoutesEl0ExceptionsToEl2() {
        assertSameAsQemu("tge", """
                        mov     x0, #(1 << 31)
                        orr     x0, x0, #(1 << 27) // HCR_EL2.TGE
                        msr     HCR_EL2, x0
                        mov     x0, #0x3c0      // EL0t
                        msr     SPSR_EL2, x0
                        adr     x0, el0_code
                        msr     ELR_EL2, x0
                        isb
                        eret
                el0_code:
                        svc     #1              // EL0 -> EL2 + 0x400 (TGE)
                        brk     #2              // debug exceptions routed to EL2 too
                        .inst   0x00000000      // UNDEFINED -> EL2
                        svc     #0xfe
                back_in_el2:
                        msr     HCR_EL2, xzr
                        mov     w0, #0
                        b       dl_exit
                """, 4);
    }

    @Test
    void pcAlignmentFaultReportsTheMisalignedPcInFar() {
        assertSameAsQemu("pc-align", """
                        adr     x11, resume
                        adr     x0, resume
                        add     x0, x0, #2
                        ret     x0              // PC alignment fault on the fetch at resume + 2
                                                // (RET, not BR: BR sets PSTATE.BTYPE on QEMU's FEAT_BTI CPU, M7)
                resume: DL_PRINT "resumed\\n"
                        mov     w0, #0
                        b       dl_exit
                back_in_el2:
                        mov     w0, #1
                        b       dl_exit
                """, 1);
    }
}
