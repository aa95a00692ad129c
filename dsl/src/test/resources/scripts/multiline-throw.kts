// a failure on line 9: after a multi-line lambda (lines 2-6) and a chain continued on the next line (7-8)
val g = guest {
    el1 {
        brk(1)
    }
}
val r = lab { guest(g) }
    .run()
val x = guest { el1 { brk(0x10000) } }
