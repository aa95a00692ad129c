lab { kvm(V6_1); guest { el1 { osLock(true); brk(0x42) } } }.run()
// BRK is never masked by the OS Lock (Arm ARM D2.8), so the guest takes it at its own EL1 vector.
    .expect { tookAt(EL1) { withEc(0x3C); withEsr(0xF2000042L) } }
