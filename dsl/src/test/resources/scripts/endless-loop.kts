println("looping")
var n = 0L
while (true) { n++ }
