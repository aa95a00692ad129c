// an unknown mnemonic on line 5, inside a call that spans lines 2-7
val r = lab {
    kvm("6.1")
    guest {
        el1 { asm("mov x0, #1"); asm("frobnicate x1") }
    }
}.run()
