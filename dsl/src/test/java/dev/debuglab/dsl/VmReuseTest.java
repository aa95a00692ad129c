package dev.debuglab.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.vmm.QemuVmm;
import dev.debuglab.emulator.vmm.Vmm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Runs reuse their thread's VM memory (released RAM goes back to a per-thread pool, the pages written are zeroed) and
 * their decoded instructions: a run on a reused VM must be the same {@link LabRun} (events, guest log, registers,
 * verdict) as on a freshly created one, whatever ran before it — no OS Lock, breakpoint, debug register or memory
 * written by one guest may show in the next.
 */
class VmReuseTest {
    /** RAM a guest scribbles on (inside the 1 MiB VM, clear of the code, the runtime at +64 KiB and the stacks). */
    static final long SCRATCH = Guest.BASE + 0x8_0000L;

    /** Locks the OS Lock, programs breakpoint 0 and watchpoint 1, writes the scratch word, ends without unlocking. */
    static Guest dirtyEverything() {
        return Lab.guest().mde(true).kde(true).clearD().osLock(false).hwBreakpoint(0).at("t").watchpoint(1).on("buf").store()
                .mov("x1", 0x1234_5678L).mov("x2", SCRATCH).asm("str x1, [x2]").store("x1", "buf").label("t").nop()
                .osLock(true).data("buf", 0).build();
    }

    /** Logs what a fresh VM holds: the scratch word (0), OSLSR_EL1 and the breakpoint/watchpoint controls KVM reset; a BRK. */
    static Guest readBack() {
        return Lab.guest().mov("x2", SCRATCH).asm("ldr x3, [x2]").logValue(1, "x3").logSysreg(2, "OSLSR_EL1").logSysreg(3, "DBGBCR0_EL1")
                .logSysreg(4, "DBGWCR1_EL1").logSysreg(5, "MDSCR_EL1").label("r").brk(7).build();
    }

    /** Single-steps a few instructions with the lock open. */
    static Guest stepper() {
        return Lab.guest().osLock(false).mde(true).kde(true).clearD().singleStep().nop().nop().nop().build();
    }

    /** Rewrites its own code (a `mov x0, #1` becomes `mov x0, #5` before it runs) and logs x0: a reused VM must run the loaded word again. */
    static Guest selfModifying() {
        return Lab.guest().asm("adr x1, patch").mov("x2", 0xD28000A0L).asm("str w2, [x1]", "dsb sy", "isb").label("patch").asm("mov x0, #1")
                .logValue(6, "x0").brk(1).build();
    }

    /** DslBench's scenario: breakpoint 0 armed ahead of 80 instructions of work (run in blocks up to it), then taken. */
    static Guest work(boolean doubleLock) {
        GuestCode g = Lab.guest().osLock(false).mde(true).kde(true).clearD();
        if (doubleLock) g = g.doubleLock(true);
        g = g.hwBreakpoint(0).at("t");
        for (int i = 0; i < 40; i++) g = g.asm("add x1, x1, #1").asm("eor x2, x2, x1");
        return g.label("t").nop().logValue(7, "x2").build();
    }

    record Scenario(String name, Supplier<LabRun> run) {}

    static List<Scenario> scenarios() {
        Guest dirty = dirtyEverything(), read = readBack(), step = stepper(), smc = selfModifying(), work = work(false),
                locked = work(true);
        return List.of(
                new Scenario("self-modifying 6.1/QEMU", () -> smc.kvm("6.1").qemu().run()),
                new Scenario("work 6.1/QEMU quiet", () -> work.kvm("6.1").qemu().runQuiet()),
                new Scenario("self-modifying 5.15/QEMU quiet", () -> smc.kvm("5.15").qemu().runQuiet()),
                new Scenario("work 5.15/QEMU", () -> work.kvm("5.15").qemu().run()),
                new Scenario("work, double lock, 6.1/QEMU", () -> locked.kvm("6.1").qemu().run()),
                new Scenario("work 6.1/QEMU, software breakpoint at t", () -> work.kvm("6.1").qemu().swBreakpoint("t").run()),
                new Scenario("work 6.1/QEMU again", () -> work.kvm("6.1").qemu().run()),
                new Scenario("work 6.1 variant", () -> work.kvm("6.1").override("6.1, setup as is", dev.debuglab.emulator.kvm.Step.KVM_ARM_SETUP_DEBUG,
                        (ctx, original) -> original.call()).qemu().run()),
                new Scenario("self-modifying v2/kvmtool", () -> smc.kvm("v2").kvmtool().run()),
                new Scenario("dirty 6.1/QEMU", () -> dirty.kvm("6.1").qemu().run()),
                new Scenario("read-back 6.1/QEMU", () -> read.kvm("6.1").qemu().run()),
                new Scenario("step 5.15/kvmtool", () -> step.kvm("5.15").kvmtool().run()),
                new Scenario("dirty 5.15/QEMU migrated to 6.1", () -> dirty.kvm("5.15").qemu().migrateTo("6.1").atLabel("t").run()),
                new Scenario("read-back 5.15/QEMU, userspace breakpoint", () -> read.kvm("5.15").qemu().hwBreakpoint("r").run()),
                new Scenario("read-back 6.1/QEMU quiet", () -> read.kvm("6.1").qemu().runQuiet()),
                new Scenario("dirty v2/kvmtool", () -> dirty.kvm("v2").kvmtool().run()),
                new Scenario("read-back v2/kvmtool", () -> read.kvm("v2").kvmtool().run()),
                new Scenario("read-back 6.1/QEMU again", () -> read.kvm("6.1").qemu().run()));
    }

    /** Runs {@code s} on a new thread: its pool is empty, so the VM's RAM is a new array. */
    static LabRun fresh(Scenario s) throws InterruptedException {
        AtomicReference<LabRun> r = new AtomicReference<>();
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                r.set(s.run().get());
            } catch (Throwable e) {
                err.set(e);
            }
        });
        t.start();
        t.join();
        if (err.get() != null) throw new AssertionError(s.name() + " failed on a fresh thread", err.get());
        return r.get();
    }

    @Test
    void scenariosBackToBackOnReusedVmsEqualFreshRuns() throws InterruptedException {
        List<Scenario> all = scenarios();
        List<LabRun> reused = new ArrayList<>();
        // Twice round on this thread: from the second scenario on, every VM reuses RAM a previous guest wrote.
        for (int round = 0; round < 2; round++) for (Scenario s : all) reused.add(s.run().get());
        for (int i = 0; i < reused.size(); i++) {
            Scenario s = all.get(i % all.size());
            LabRun f = fresh(s);
            assertEquals(f.toString(), reused.get(i).toString(), s.name());
            assertEquals(f, reused.get(i), s.name() + ": events, log, registers and verdict");
        }
    }

    @Test
    void aFreshVmShowsNothingOfThePreviousGuest() {
        dirtyEverything().kvm("6.1").qemu().run();
        LabRun r = readBack().kvm("6.1").qemu().run();
        // KVM_CREATE_VM: RAM is zero-filled anonymous memory; kvm_reset_vcpu: the guest's debug registers reset to 0
        // (sys_regs.c: reset_val 0 for DBGBCRn/DBGWCRn/MDSCR_EL1).
        assertEquals(List.of(0L), r.values(1), "scratch RAM the previous guest wrote");
        assertEquals(List.of(0L), r.values(3), "DBGBCR0_EL1");
        assertEquals(List.of(0L), r.values(4), "DBGWCR1_EL1");
        assertEquals(List.of(0L), r.values(5), "MDSCR_EL1");
    }

    @Test
    void aReusedVmRunsTheLoadedCodeNotThePreviousGuestsRewrite() {
        Guest smc = selfModifying();
        for (int i = 0; i < 3; i++) {
            LabRun r = smc.kvm("6.1").qemu().run();
            assertEquals(List.of(5L), r.values(6), "run " + i + ": the patched instruction ran, once patched: " + r);
        }
        LabRun w = work(false).kvm("6.1").qemu().runQuiet();
        assertEquals(1, w.guestExceptions().size(), "the breakpoint at t: " + w);
    }

    @Test
    void releasedRamIsReusedZeroed() {
        Vmm a = new QemuVmm(KvmVersion.of("6.1"), dev.debuglab.emulator.vmm.QemuPolicy.QEMU, Vmm.DEFAULT_CONFIG.withRamSize(1 << 20));
        byte[] ram = a.vm().memory().ram;
        a.vm().writeMemory(SCRATCH, 8, -1L);
        a.vm().writeMemory(Guest.BASE + (1 << 20) - 8, 8, -1L);
        a.release();
        Vmm b = new QemuVmm(KvmVersion.of("6.1"), dev.debuglab.emulator.vmm.QemuPolicy.QEMU, Vmm.DEFAULT_CONFIG.withRamSize(1 << 20));
        assertSame(ram, b.vm().memory().ram, "the released array is reused");
        assertEquals(0L, b.vm().readMemory(SCRATCH, 8));
        assertEquals(0L, b.vm().readMemory(Guest.BASE + (1 << 20) - 8, 8));
        for (byte x : ram) if (x != 0) throw new AssertionError("a released page was not zeroed");
        b.release();
        assertTrue(true);
    }
}
