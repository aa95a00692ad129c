guest().osLock(true).brk(0x42).build().kvm("6.1").qemu().run()
// BRK is never masked by the OS Lock (Arm ARM D2.8: software breakpoints are generated regardless of
// OSLSR_EL1.OSLK, KDE or PSTATE.D), so the guest takes it at its own EL1 vector: EC 0x3C, comment 0x42.
assertThat(guest().osLock(true).brk(0x42).build().kvm("6.1").qemu().run())
    .tookAt(EL1).withEc(0x3C).withEsr(0xF2000042L);
