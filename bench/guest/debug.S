/*
 * Debug-heavy loop at EL1: every iteration executes BRK #0 (handler steps past it) and runs
 * single-stepped (MDSCR_EL1.SS = KDE = 1, PSTATE.D = 0, OS Lock unlocked), so each loop
 * instruction is followed by a Software Step exception whose handler re-arms SPSR_EL1.SS.
 * N iterations (assemble with --defsym N=...), then semihosting exit. Starts at EL2.
 */
        .equ    MDSCR_SS_KDE, (1 << 0) | (1 << 13)
        .text
        .global _start
_start: mov     x0, #(1 << 31)                  // HCR_EL2.RW
        msr     HCR_EL2, x0
        adr     x0, vectors
        msr     VBAR_EL1, x0
        adr     x0, stack_top
        msr     SP_EL1, x0
        mov     x0, #0x3c5                      // EL1h, masked
        msr     SPSR_EL2, x0
        adr     x0, el1
        msr     ELR_EL2, x0
        eret
el1:    msr     OSLAR_EL1, xzr
        mov     x0, #MDSCR_SS_KDE
        msr     MDSCR_EL1, x0
        isb
        ldr     x0, n_iter
        cbz     x0, done
        mov     x1, #0x5                        // EL1h, D = A = I = F = 0
        orr     x1, x1, #(1 << 21)              // SS = 1
        msr     SPSR_EL1, x1
        adr     x1, loop
        msr     ELR_EL1, x1
        eret                                    // into the loop, stepping
loop:   brk     #0
        subs    x0, x0, #1
        b.ne    loop
        msr     DAIFSet, #8                     // stop stepping
done:   msr     MDSCR_EL1, xzr
        adr     x1, exit_block
        mov     w0, #0x18
        hlt     #0xf000
        b       .

        .balign 2048
vectors:
        .space  0x200
        mrs     x9, ESR_EL1
        lsr     x9, x9, #26
        cmp     x9, #0x3c                       // BRK: continue after it
        b.ne    1f
        mrs     x9, ELR_EL1
        add     x9, x9, #4
        msr     ELR_EL1, x9
1:      mrs     x9, SPSR_EL1                    // keep stepping
        orr     x9, x9, #(1 << 21)
        msr     SPSR_EL1, x9
        eret

        .balign 8
n_iter: .quad   N
exit_block: .quad 0x20026, 0
        .balign 16
        .space  1024
stack_top:
