// an instruction the assembler does not know, on line 4
val g = guest {
    el1 {
        asm("frobnicate x0, x1")
    }
}
