// an error on line 7, after a call that spans lines 2-5 (a lambda with a nested one)
val r = lab {
    kvm("6.1")
    guest { el1 { osLock(true); brk(0x42) } }
}.run()
val n = r.instructions()
val bad: Int = "seven"
