// BRK under the OS Lock is taken at EL1; this script claims EC 0x30 and must fail on line 3
var run = guest().osLock(true).brk(0x42).build().kvm("6.1").qemu().run();
assertThat(run).tookAt(EL1).withEc(0x30);
