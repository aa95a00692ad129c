/*
 * DebugLab guest startup: entered at EL2 (QEMU -M virt,virtualization=on) or EL1 (--el1, or QEMU
 * without virtualization) with interrupts masked and SP = 0. Gives each EL its own stack, installs
 * the library's default vectors, calls main() and exits through semihosting with its result.
 */
        .section .text.dl_start, "ax"
        .global _start
        .type   _start, %function
_start:
        adrp    x1, dl_vectors
        add     x1, x1, :lo12:dl_vectors
        adrp    x2, dl_stack_el0_top
        add     x2, x2, :lo12:dl_stack_el0_top
        msr     SP_EL0, x2
        mrs     x0, CurrentEL
        cmp     x0, #8
        b.ne    1f
        msr     VBAR_EL2, x1
        adrp    x2, dl_stack_el1_top
        add     x2, x2, :lo12:dl_stack_el1_top
        msr     SP_EL1, x2
        adrp    x2, dl_stack_el2_top
        add     x2, x2, :lo12:dl_stack_el2_top
        mov     sp, x2
        b       2f
1:      adrp    x2, dl_stack_el1_top
        add     x2, x2, :lo12:dl_stack_el1_top
        mov     sp, x2
2:      msr     VBAR_EL1, x1
        isb
        bl      main
        b       dl_exit

        .bss
        .balign 16
        .global dl_stack_el0_top, dl_stack_el1_top, dl_stack_el2_top
        .space  16384
dl_stack_el0_top:
        .space  16384
dl_stack_el1_top:
        .space  16384
dl_stack_el2_top:
