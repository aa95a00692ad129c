// a missing closing parenthesis on line 3
val g = guest { el1 { brk(1) } }
val r = lab { guest(g) }.run(
