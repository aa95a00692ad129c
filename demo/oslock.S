/*
 * DebugLab demo: the OS Lock suppresses a hardware breakpoint, but not BRK.
 * Runs at EL1 (./debuglab exec --trace --el1 oslock.elf).
 *
 * At Cold reset OSLSR_EL1.OSLK = 1 (OSLSR_EL1 reads 0xA). While the OS Lock is locked,
 * breakpoint, watchpoint and software-step debug exceptions are not generated (Arm ARM D2.5,
 * "Enabling debug exceptions": AArch64.GenerateDebugExceptionsFrom is FALSE while OSLK = 1),
 * whereas BRK is an instruction that always raises its exception. The program arms hardware
 * breakpoint 0 on `target`, calls it while locked, executes BRK #0x42, unlocks the OS Lock with
 * MSR OSLAR_EL1, XZR and calls `target` again. It prints the counts and exits with 0 when they
 * are what the architecture requires: 0 breakpoints while locked, 1 BRK, 1 breakpoint unlocked.
 * (QEMU TCG 7.2 reports 1 breakpoint while locked: it tests the wrong OSLSR_EL1 bit.)
 */
        .equ    UART, 0x09000000
        .equ    MDSCR_KDE, 1 << 13
        .equ    MDSCR_MDE, 1 << 15
        .equ    BCR_E_PMC_EL1_EL0_BAS_ALL, 0x1E7   // E = 1, PMC = 0b11, BAS = 0b1111
        .equ    EC_BREAKPOINT_SAME, 0x31
        .equ    EC_BRK64, 0x3C
        .equ    SPSR_D, 1 << 9

        .text
        .global _start
_start:
        adr     x0, stack_top
        mov     sp, x0
        adr     x0, vectors
        msr     VBAR_EL1, x0
        isb
        adr     x0, s_banner
        bl      puts
        adr     x0, s_oslsr
        mrs     x1, OSLSR_EL1
        bl      show

        // Arm breakpoint 0 on `target`; enable breakpoints (MDE) at EL1 (KDE); unmask PSTATE.D.
        adr     x0, target
        msr     DBGBVR0_EL1, x0
        mov     x0, #BCR_E_PMC_EL1_EL0_BAS_ALL
        msr     DBGBCR0_EL1, x0
        mov     x0, #(MDSCR_KDE | MDSCR_MDE)
        msr     MDSCR_EL1, x0
        isb
        msr     DAIFClr, #8

        adr     x0, s_call_locked
        bl      puts
        bl      target
        adr     x0, s_bp
        ldr     x1, bp_count
        mov     x20, x1                         // breakpoints while locked (architecture: 0)
        bl      show

        adr     x0, s_brk
        bl      puts
        brk     #0x42
        adr     x0, s_brkn
        ldr     x1, brk_count
        mov     x21, x1                         // BRKs (architecture: 1)
        bl      show

        adr     x0, s_unlock
        bl      puts
        msr     OSLAR_EL1, xzr
        isb
        adr     x0, s_oslsr
        mrs     x1, OSLSR_EL1
        bl      show
        msr     DAIFClr, #8
        adr     x0, s_call_unlocked
        bl      puts
        bl      target
        adr     x0, s_bp
        ldr     x1, bp_count
        sub     x22, x1, x20                    // breakpoints after unlocking (architecture: 1)
        mov     x1, x22
        bl      show

        cmp     x20, #0
        ccmp    x21, #1, #0, eq
        ccmp    x22, #1, #0, eq
        b.ne    1f
        adr     x0, s_ok
        bl      puts
        mov     w0, #0
        b       exit
1:      adr     x0, s_bad
        bl      puts
        mov     w0, #1
        b       exit

target: nop
        ret

/* Semihosting SYS_EXIT, reason ADP_Stopped_ApplicationExit, subcode W0. */
exit:   adr     x1, exit_block
        str     x0, [x1, #8]
        mov     w0, #0x18
        hlt     #0xf000
        b       .

/* puts(x0): NUL-terminated string to the PL011 data register. */
puts:   mov     x9, #UART
1:      ldrb    w10, [x0], #1
        cbz     w10, 2f
        strb    w10, [x9]
        b       1b
2:      ret

/* show(x0 = label, x1 = value): "label0x<hex>\n". */
show:   mov     x12, x30
        mov     x11, x1
        bl      puts
        mov     x9, #UART
        mov     w10, #'0'
        strb    w10, [x9]
        mov     w10, #'x'
        strb    w10, [x9]
        mov     x13, #60
1:      lsr     x10, x11, x13
        and     x10, x10, #0xf
        cmp     x10, #10
        add     x14, x10, #'0'
        add     x10, x10, #('a' - 10)
        csel    x10, x14, x10, lo
        strb    w10, [x9]
        subs    x13, x13, #4
        b.pl    1b
        mov     w10, #'\n'
        strb    w10, [x9]
        ret     x12

/*
 * EL1 vectors. Synchronous exceptions from the current EL with SP_EL1 (+0x200) count by class:
 * a Breakpoint returns with SPSR_EL1.D set, so the breakpointed instruction then runs with
 * debug exceptions masked; a BRK returns past itself (ELR is the BRK). Anything else stops.
 */
        .balign 2048
vectors:
        .space  0x200
        mrs     x9, ESR_EL1
        lsr     x9, x9, #26
        cmp     x9, #EC_BREAKPOINT_SAME
        b.eq    on_breakpoint
        cmp     x9, #EC_BRK64
        b.eq    on_brk
        adr     x0, s_unexpected
        bl      puts
        mov     w0, #3
        b       exit
on_breakpoint:
        adr     x9, bp_count
        ldr     x10, [x9]
        add     x10, x10, #1
        str     x10, [x9]
        mrs     x9, SPSR_EL1
        orr     x9, x9, #SPSR_D
        msr     SPSR_EL1, x9
        eret
on_brk:
        adr     x9, brk_count
        ldr     x10, [x9]
        add     x10, x10, #1
        str     x10, [x9]
        mrs     x9, ELR_EL1
        add     x9, x9, #4
        msr     ELR_EL1, x9
        eret

        .balign 8
bp_count:       .quad 0
brk_count:      .quad 0
exit_block:     .quad 0x20026, 0
s_banner:       .asciz "DebugLab demo: the OS Lock suppresses a hardware breakpoint, but not BRK (EL1)\n"
s_oslsr:        .asciz "OSLSR_EL1 = "
s_call_locked:  .asciz "breakpoint 0 armed on target; MDSCR_EL1.KDE = MDE = 1, PSTATE.D = 0; calling target with the OS Lock locked\n"
s_bp:           .asciz "  breakpoint exceptions: "
s_brk:          .asciz "BRK #0x42 with the OS Lock locked\n"
s_brkn:         .asciz "  BRK exceptions: "
s_unlock:       .asciz "unlocking the OS Lock: MSR OSLAR_EL1, XZR\n"
s_call_unlocked: .asciz "calling target with the OS Lock unlocked\n"
s_ok:           .asciz "as the architecture requires: locked 0 breakpoints, BRK 1, unlocked 1 breakpoint\n"
s_bad:          .asciz "NOT as the architecture requires (expected: locked 0, BRK 1, unlocked 1)\n"
s_unexpected:   .asciz "unexpected exception\n"
        .balign 16
        .space  4096
stack_top:
