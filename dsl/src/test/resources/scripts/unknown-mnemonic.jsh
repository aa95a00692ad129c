// an instruction the assembler does not know, on line 3
var g = guest()
    .asm("frobnicate x0, x1")
    .build();
