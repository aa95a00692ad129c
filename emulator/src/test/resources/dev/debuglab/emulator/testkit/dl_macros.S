/*
 * DebugLab guest macros, prepended to every assembler program the test kit builds. They keep all
 * general-purpose registers and NZCV, so they can be dropped anywhere a stack is valid (SP 16-byte
 * aligned with 192 bytes free below it).
 *   DL_PRINT "text"        the text, no newline added (escapes like \n work)
 *   DL_SHOW  name, xN      "name=0x%016x\n" with the value of xN
 *   DL_SHOW_SYS SYSREG     "SYSREG=0x%016x\n" with the value read by MRS
 *   DL_EXIT  code          semihosting exit with the code (does not return)
 */
        .macro  DL_SAVE
        sub     sp, sp, #176
        stp     x0, x1, [sp, #0]
        stp     x2, x3, [sp, #16]
        stp     x4, x5, [sp, #32]
        stp     x6, x7, [sp, #48]
        stp     x8, x9, [sp, #64]
        stp     x10, x11, [sp, #80]
        stp     x12, x13, [sp, #96]
        stp     x14, x15, [sp, #112]
        stp     x16, x17, [sp, #128]
        stp     x18, x30, [sp, #144]
        mrs     x0, NZCV
        str     x0, [sp, #160]
        .endm

        .macro  DL_RESTORE
        ldr     x0, [sp, #160]
        msr     NZCV, x0
        ldp     x0, x1, [sp, #0]
        ldp     x2, x3, [sp, #16]
        ldp     x4, x5, [sp, #32]
        ldp     x6, x7, [sp, #48]
        ldp     x8, x9, [sp, #64]
        ldp     x10, x11, [sp, #80]
        ldp     x12, x13, [sp, #96]
        ldp     x14, x15, [sp, #112]
        ldp     x16, x17, [sp, #128]
        ldp     x18, x30, [sp, #144]
        add     sp, sp, #176
        .endm

        .macro  DL_PRINT text:req
        DL_SAVE
        adrp    x0, .Ldl_str\@
        add     x0, x0, :lo12:.Ldl_str\@
        bl      dl_puts
        DL_RESTORE
        .pushsection .rodata
.Ldl_str\@:
        .asciz  "\text"
        .popsection
        .endm

        .macro  DL_SHOW name:req, reg:req
        str     \reg, [sp, #-16]!
        DL_PRINT "\name="
        DL_SAVE
        ldr     x0, [sp, #176]
        bl      dl_print_hex
        bl      dl_newline
        DL_RESTORE
        add     sp, sp, #16
        .endm

        .macro  DL_SHOW_SYS sysreg:req
        DL_PRINT "\sysreg="
        DL_SAVE
        mrs     x0, \sysreg
        bl      dl_print_hex
        bl      dl_newline
        DL_RESTORE
        .endm

        .macro  DL_EXIT code:req
        mov     w0, #\code
        b       dl_exit
        .endm
