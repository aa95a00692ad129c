System.out.println("looping");
long n = 0;
while (true) { n++; }
