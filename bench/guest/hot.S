/*
 * Hot integer loop: 4 instructions per iteration, N iterations (assemble with --defsym N=...),
 * then semihosting exit. Starts at EL2 as QEMU -kernel starts an ELF.
 */
        .text
        .global _start
_start: ldr     x0, n_iter
        mov     x1, #0
        mov     x2, #0
        cbz     x0, done
loop:   add     x1, x1, x0
        eor     x2, x2, x1
        subs    x0, x0, #1
        b.ne    loop
done:   adr     x1, exit_block
        mov     w0, #0x18               // SYS_EXIT, ADP_Stopped_ApplicationExit, 0
        hlt     #0xf000
        b       .
        .balign 8
n_iter: .quad   N
exit_block: .quad 0x20026, 0
