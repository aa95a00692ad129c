// BRK and a hardware breakpoint at EL1 with the OS Lock locked or not, on bare metal and three KVM versions.
// On hardware OSLK = 1 masks the breakpoint (Arm ARM D2.5); BRK is never masked (D2.8). KVM 5.15 makes the
// OS Lock RAZ/WI, so there the breakpoint still fires: those cells differ from the architecture.
sweep {
    oslk(false, true)
    events(Sweep.Event.BRK, Sweep.Event.HW_BREAKPOINT)
    versions("bare", V5_15, V5_18, V6_1)
}.run()
