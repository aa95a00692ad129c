// a missing closing parenthesis on line 3
var g = guest().brk(1).build();
var r = g.bareMetal().run(;
