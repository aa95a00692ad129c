package dev.debuglab.emulator.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reviewers' what-ifs: named immutable variants, overrides that call the original, and failure isolation. */
class OverrideUnitTest {

    @Test
    void versionsByRelease() {
        assertEquals(KvmVersion.Family.PRE, KvmVersion.of("5.15").family());
        assertEquals(KvmVersion.Family.PRE, KvmVersion.of("v5.17").family());
        assertEquals(KvmVersion.Family.V2, KvmVersion.of("v2").family());
        assertEquals(KvmVersion.Family.MERGED, KvmVersion.of("5.18").family());
        assertFalse(KvmVersion.of("5.18").hasHsrHigh());
        assertTrue(KvmVersion.of("5.19").hasHsrHigh());
        assertEquals(KvmVersion.Family.MERGED, KvmVersion.of("6.1.176").family());
        assertEquals(KvmVersion.Family.MERGED, KvmVersion.of("6.12").family());
        assertEquals(KvmVersion.Family.OWNER, KvmVersion.of("6.14").family());
        assertEquals(KvmVersion.Family.OWNER, KvmVersion.of("7.2").family());
        assertEquals("SingleStepFixes", KvmVersion.of("6.1").getClass().getSimpleName());
        assertEquals("EmulateOsLock", KvmVersion.of("6.0").getClass().getSimpleName());
        assertEquals(8, KvmVersion.all().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KvmVersion.of("4.19"));
        assertTrue(e.getMessage().contains("5.15"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KvmVersion.of("banana"));
        assertTrue(e.getMessage().contains("\"6.1\""), e.getMessage());
    }

    @Test
    void variantsAreNamedAndImmutable() {
        KvmVersion v2 = KvmVersion.of("v2");
        KvmVersion named = v2.variant("v2, if instead of else-if");
        KvmVersion over = named.override(Step.OSLSR_RESET, (ctx, original) -> 0x8L);
        assertNotSame(named, over);
        assertEquals("v2, if instead of else-if", over.name());
        assertEquals(List.of(), named.overriddenSteps());
        assertEquals(List.of(Step.OSLSR_RESET), over.overriddenSteps());
        assertFalse(v2.isVariant());
        assertEquals(KvmVersion.Family.V2, over.family());
        // The base and the first variant are unchanged: their vCPUs still reset OSLK to 1.
        Vcpu a = Kvm.createVm(named, VmConfig.defaults().withRamSize(1 << 20)).createVcpu();
        a.init();
        assertEquals(0xA, a.getOneReg(RegId.sys("OSLSR_EL1")));
        Vcpu b = Kvm.createVm(over, VmConfig.defaults().withRamSize(1 << 20)).createVcpu();
        b.init();
        assertEquals(0x8, b.getOneReg(RegId.sys("OSLSR_EL1")));
    }

    static final String USE_HW_GUEST = """
                    nop
            f:      nop
            """;

    @Test
    void anOverrideCanCallTheOriginal() {
        // The seed's what-if: "if" instead of "else if" in V2's kvm_arm_setup_debug would let the OS Lock clear MDE
        // even when the VMM uses hardware breakpoints, so the VMM's breakpoint would not fire.
        KvmVersion ifInsteadOfElseIf = KvmVersion.of("v2").variant("v2, if instead of else-if")
                .override(Step.KVM_ARM_SETUP_DEBUG, (ctx, original) -> {
                    DebugSetup s = original.call();
                    return ctx.osLocked() ? s.withHwMdscr(MDSCR_EL1.MDE.set(s.hwMdscr(), false)) : s;
                });
        GuestDebug hw = GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_HW);
        KvmTestKit base = KvmTestKit.boot("v2", USE_HW_GUEST);
        base.vcpu.setGuestDebug(hw.withBreakpoint(0, 0x1E7, base.sym("f")));
        KvmRun r = base.runToExit();
        assertEquals(KvmRun.KVM_EXIT_DEBUG, r.exitReason(), r.toString());
        assertEquals(0xC2000022L, r.debugHsr());

        KvmTestKit what = KvmTestKit.boot(ifInsteadOfElseIf, USE_HW_GUEST);
        what.vcpu.setGuestDebug(hw.withBreakpoint(0, 0x1E7, what.sym("f")));
        r = what.runToExit();
        assertEquals(KvmRun.KVM_EXIT_SYSTEM_EVENT, r.exitReason(), "the VMM's breakpoint never fires: " + r);
        assertTrue(what.events.stream().anyMatch(e -> e.version().equals("v2, if instead of else-if")), "the variant's name is in the trace");
    }

    @Test
    void aFailingOverrideDuringKvmRunIsAnInternalErrorWithTheStateIntact() {
        // An exception inside an override: KVM_EXIT_INTERNAL_ERROR naming the override; the vCPU as before the step.
        KvmVersion broken = KvmVersion.of("6.1").variant("broken OSLAR")
                .override(Step.HANDLE_OSLAR, (ctx, original) -> {
                    ctx.setOslsr(0xA);                                  // a half-done change, undone on failure
                    throw new IllegalStateException("reviewer bug");
                });
        KvmTestKit k = KvmTestKit.boot(broken, """
                        mov     x5, #5
                        mov     x0, #1
                msr1:   msr     oslar_el1, x0
                """);
        KvmRun r = k.runToExit();
        assertEquals(KvmRun.KVM_EXIT_INTERNAL_ERROR, r.exitReason());
        assertTrue(r.message().contains("broken OSLAR") && r.message().contains("handleOslar") && r.message().contains("reviewer bug"),
                r.message());
        assertEquals(k.sym("msr1"), k.vcpu.getOneReg(RegId.PC), "the MSR was not completed");
        assertEquals(0x8, k.vcpu.getOneReg(RegId.sys("OSLSR_EL1")));
        assertEquals(5, k.vcpu.getOneReg(RegId.x(5)));
        assertEquals(0x3C5, k.vcpu.getOneReg(RegId.PSTATE));
        assertTrue(k.events.stream().anyMatch(e -> e instanceof KvmEvent.OverrideFailed f && f.step().equals("handleOslar")));
    }

    @Test
    void aFailingEntryOverrideLeavesTheGuestWhereItWas() {
        KvmVersion broken = KvmVersion.of("6.14").variant("broken setup")
                .override(Step.KVM_ARM_SETUP_DEBUG, (ctx, original) -> {
                    ctx.setGuestMdscr(0x1234);
                    throw new ArithmeticException("/ by zero");
                });
        KvmTestKit k = KvmTestKit.boot(broken, "        nop\n");
        k.vcpu.setOneReg(RegId.sys("MDSCR_EL1"), 0xA000);
        KvmRun r = k.vcpu.run();
        assertEquals(KvmRun.KVM_EXIT_INTERNAL_ERROR, r.exitReason());
        assertTrue(r.message().contains("kvmArmSetupDebug") && r.message().contains("broken setup"), r.message());
        assertEquals(KvmTestKit.RAM, k.vcpu.getOneReg(RegId.PC));
        assertEquals(0xA000, k.vcpu.getOneReg(RegId.sys("MDSCR_EL1")));
    }

    @Test
    void overridesOfOneRegSteps() {
        // A deliberate KvmError (a stricter validation) passes through; any other exception is EFAULT naming the override.
        KvmVersion strict = KvmVersion.of("6.1").variant("only 0x8")
                .override(Step.SET_USER, (ctx, original) -> {
                    long v = original.call();
                    if (StepContext.isOslsr(ctx.regId()) && v != 0x8) throw new KvmError(Errno.EINVAL, "KVM_SET_ONE_REG", "only 0x8 here");
                    return v;
                })
                .override(Step.GET_USER, (ctx, original) -> {
                    if (ctx.regId() == RegId.sys("MDSCR_EL1")) throw new UnsupportedOperationException("oops");
                    return original.call();
                });
        Vcpu v = Kvm.createVm(strict, VmConfig.defaults().withRamSize(1 << 20)).createVcpu();
        v.init();
        KvmError e = assertThrows(KvmError.class, () -> v.setOneReg(RegId.sys("OSLSR_EL1"), 0xA));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("KVM_SET_ONE_REG failed with -EINVAL (22): only 0x8 here", e.getMessage());
        e = assertThrows(KvmError.class, () -> v.getOneReg(RegId.sys("MDSCR_EL1")));
        assertEquals(Errno.EFAULT, e.errno());
        assertTrue(e.getMessage().contains("getUser") && e.getMessage().contains("only 0x8") && e.getMessage().contains("oops"), e.getMessage());
        assertEquals(0x8, v.getOneReg(RegId.sys("OSLSR_EL1")));
    }

    @Test
    void anOverrideCanInjectUndefined() {
        // A what-if "OSDLR_EL1 is UNDEFINED" (as observed under QEMU for DBGPRCR, N3): inject_undef64 at EL1.
        KvmVersion undef = KvmVersion.of("6.1").variant("OSDLR undefined")
                .override(Step.HANDLE_OSDLR, (ctx, original) -> SysRegResult.undefined("what-if"));
        KvmTestKit k = KvmTestKit.boot(undef, """
                        mov     x0, #1
                m1:     msr     osdlr_el1, x0
                """);
        k.runToOff();
        assertEquals(1, k.guestExceptions().size());
        assertEquals(0x02000000L, k.guestExceptions().get(0).esr());
        assertEquals(k.sym("m1"), k.guestExceptions().get(0).elr());
        assertEquals(0x200, k.guestExceptions().get(0).vector());
        assertEquals(0x3C5, k.guestExceptions().get(0).spsr() & 0x3FF);
    }
    @Test
    void anOverrideReturningNullIsReportedAsItsFailure() {
        KvmVersion v = KvmVersion.of("6.1").variant("forgot to return").override(Step.KVM_ARM_SETUP_DEBUG, (ctx, original) -> null);
        KvmTestKit k = KvmTestKit.boot(v, "        nop\n");
        KvmRun r = k.vcpu.run();
        assertEquals(KvmRun.KVM_EXIT_INTERNAL_ERROR, r.exitReason());
        assertTrue(r.message().contains("returned null") && r.message().contains("forgot to return"), r.message());
    }
}
