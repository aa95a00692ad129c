// The seed's question in Java: a hardware breakpoint at EL1 with the OS Lock locked, on bare metal,
// KVM 5.15 (OS Lock RAZ/WI: the breakpoint fires) and KVM 6.1 (the OS Lock emulated: it does not).
var g = guest()
    .mde(true).kde(true).clearD()
    .hwBreakpoint(0).at("target")
    .osLock(true)
    .label("target").nop()
    .brk(0x42)
    .build();
compare(g.bareMetal(), g.kvm("5.15").qemu(), g.kvm("6.1").qemu())
