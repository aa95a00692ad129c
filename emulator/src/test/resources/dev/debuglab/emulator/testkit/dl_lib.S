/*
 * DebugLab guest library: console output through the PL011 UART of the virt board, semihosting
 * exit, a few C support routines, and a default vector table that reports any unexpected
 * exception. Runs the same on QEMU (-M virt, -semihosting) and on the DebugLab VirtMachine.
 * Every routine follows the AAPCS64 and touches only X0-X17 and the flags.
 */
        .equ    DL_UART, 0x09000000             // PL011 base on the virt board
        .equ    DL_UARTFR, 0x18                 // flag register
        .equ    DL_FR_TXFF, 5                   // transmit FIFO full
        .equ    DL_SYS_WRITE0, 0x04
        .equ    DL_SYS_EXIT, 0x18
        .equ    DL_ADP_Stopped_ApplicationExit, 0x20026

        .text
        .balign 4

/* void dl_putc(int c): one byte to the UART, waiting while its transmit FIFO is full. */
        .global dl_putc
        .type   dl_putc, %function
dl_putc:
        mov     x9, #DL_UART
1:      ldr     w10, [x9, #DL_UARTFR]
        tbnz    w10, #DL_FR_TXFF, 1b
        strb    w0, [x9]
        ret

/* void dl_puts(const char *s): a NUL-terminated string, no newline added. */
        .global dl_puts
        .type   dl_puts, %function
dl_puts:
        mov     x11, x0
        mov     x12, x30
1:      ldrb    w0, [x11], #1
        cbz     w0, 2f
        bl      dl_putc
        b       1b
2:      ret     x12

/* void dl_newline(void) */
        .global dl_newline
        .type   dl_newline, %function
dl_newline:
        mov     w0, #'\n'
        b       dl_putc

/* void dl_print_hex(unsigned long v): "0x" and 16 lower-case hex digits. */
        .global dl_print_hex
        .type   dl_print_hex, %function
dl_print_hex:
        mov     x13, x0
        mov     x14, x30
        mov     w0, #'0'
        bl      dl_putc
        mov     w0, #'x'
        bl      dl_putc
        mov     x15, #60
1:      lsr     x0, x13, x15
        and     x0, x0, #0xf
        cmp     x0, #10
        add     x16, x0, #'0'
        add     x0, x0, #('a' - 10)
        csel    x0, x16, x0, lo
        bl      dl_putc
        subs    x15, x15, #4
        b.pl    1b
        ret     x14

/* void dl_print_udec(unsigned long v) */
        .global dl_print_udec
        .type   dl_print_udec, %function
dl_print_udec:
        mov     x14, x30
        sub     sp, sp, #32
        add     x13, sp, #31
        strb    wzr, [x13]
        mov     x15, x0
        mov     x16, #10
1:      udiv    x17, x15, x16
        msub    x0, x17, x16, x15
        add     w0, w0, #'0'
        strb    w0, [x13, #-1]!
        mov     x15, x17
        cbnz    x15, 1b
        mov     x0, x13
        bl      dl_puts
        add     sp, sp, #32
        ret     x14

/* void dl_print_dec(long v) */
        .global dl_print_dec
        .type   dl_print_dec, %function
dl_print_dec:
        tbz     x0, #63, dl_print_udec
        mov     x13, x0
        mov     x14, x30
        mov     w0, #'-'
        bl      dl_putc
        neg     x0, x13
        mov     x30, x14
        b       dl_print_udec

/* void dl_write0(const char *s): the string through semihosting SYS_WRITE0. */
        .global dl_write0
        .type   dl_write0, %function
dl_write0:
        mov     x1, x0
        mov     w0, #DL_SYS_WRITE0
        hlt     #0xf000
        ret

/* void dl_exit(int code): semihosting SYS_EXIT, ADP_Stopped_ApplicationExit with subcode = code. */
        .global dl_exit
        .type   dl_exit, %function
dl_exit:
        sxtw    x0, w0
        adrp    x1, dl_exit_block
        add     x1, x1, :lo12:dl_exit_block
        mov     x2, #(DL_ADP_Stopped_ApplicationExit & 0xffff)
        movk    x2, #(DL_ADP_Stopped_ApplicationExit >> 16), lsl #16
        stp     x2, x0, [x1]
        mov     w0, #DL_SYS_EXIT
        hlt     #0xf000
        b       .

/* C support: gcc may call these even with -ffreestanding. Weak, so a program may replace them. */
        .weak   memcpy, memmove, memset, memcmp, strlen
        .type   memcpy, %function
memcpy:
        .type   memmove, %function
memmove:
        mov     x3, x0
        cmp     x0, x1
        b.hi    2f
1:      cbz     x2, 9f
        ldrb    w4, [x1], #1
        strb    w4, [x3], #1
        sub     x2, x2, #1
        b       1b
2:      add     x1, x1, x2
        add     x3, x3, x2
3:      cbz     x2, 9f
        ldrb    w4, [x1, #-1]!
        strb    w4, [x3, #-1]!
        sub     x2, x2, #1
        b       3b
9:      ret
        .type   memset, %function
memset:
        mov     x3, x0
1:      cbz     x2, 9f
        strb    w1, [x3], #1
        sub     x2, x2, #1
        b       1b
9:      ret
        .type   memcmp, %function
memcmp:
1:      cbz     x2, 8f
        ldrb    w3, [x0], #1
        ldrb    w4, [x1], #1
        subs    w3, w3, w4
        b.ne    9f
        sub     x2, x2, #1
        b       1b
8:      mov     w3, #0
9:      mov     w0, w3
        ret
        .type   strlen, %function
strlen:
        mov     x1, x0
1:      ldrb    w2, [x1], #1
        cbnz    w2, 1b
        sub     x0, x1, x0
        sub     x0, x0, #1
        ret

/*
 * Default vector table (installed at VBAR_EL2 and VBAR_EL1 by the startup): any exception a
 * program did not plan for prints "DL UNEXPECTED EXCEPTION", the vector offset, ESR and ELR of
 * the current EL, and exits with code 99.
 */
        .balign 2048
        .global dl_vectors
dl_vectors:
        .irp    off, 0x000, 0x080, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0x400, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
        .balign 128
        mov     x19, #\off
        b       dl_unexpected
        .endr

dl_unexpected:
        adrp    x0, dl_msg_unexpected
        add     x0, x0, :lo12:dl_msg_unexpected
        bl      dl_puts
        mov     x0, x19
        bl      dl_print_hex
        mrs     x20, CurrentEL
        cmp     x20, #8
        b.eq    1f
        mrs     x21, ESR_EL1
        mrs     x22, ELR_EL1
        b       2f
1:      mrs     x21, ESR_EL2
        mrs     x22, ELR_EL2
2:      adrp    x0, dl_msg_esr
        add     x0, x0, :lo12:dl_msg_esr
        bl      dl_puts
        mov     x0, x21
        bl      dl_print_hex
        adrp    x0, dl_msg_elr
        add     x0, x0, :lo12:dl_msg_elr
        bl      dl_puts
        mov     x0, x22
        bl      dl_print_hex
        bl      dl_newline
        mov     w0, #99
        b       dl_exit

        .section .rodata
dl_msg_unexpected:
        .asciz  "DL UNEXPECTED EXCEPTION vector offset "
dl_msg_esr:
        .asciz  " ESR "
dl_msg_elr:
        .asciz  " ELR "

        .bss
        .balign 16
dl_exit_block:
        .space  16
