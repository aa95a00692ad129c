// The seed's question: a hardware breakpoint at EL1 with the OS Lock locked. On hardware the OS Lock
// masks breakpoint, watchpoint and step exceptions (Arm ARM D2.5: OSLSR_EL1.OSLK = 1 disables them);
// BRK still fires. Linux before 5.18 made the OS Lock RAZ/WI, so under KVM 5.15 the breakpoint fires.
compare {
    guest {
        el1 {
            mde(true); kde(true); clearD()
            hwBreakpoint(0, at = "target")
            osLock(true)
            label("target"); nop()
            brk(0x42)
        }
    }
    bareMetal()
    kvm(V5_15)
    kvm(V6_1)
}
