package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.arch.Debug;
import dev.debuglab.emulator.arch.ExceptionClass;
import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.mem.PhysicalMemory;
import dev.debuglab.emulator.sysreg.RegisterFields.ESR;
import dev.debuglab.emulator.sysreg.RegisterFields.MDSCR_EL1;
import dev.debuglab.emulator.sysreg.RegisterFields.OSLSR_EL1;
import dev.debuglab.emulator.sysreg.SystemRegisters;
import dev.debuglab.emulator.vmm.QemuPolicy.Decision;
import dev.debuglab.emulator.vmm.QemuPolicy.Injection;

/**
 * The rule a correct VMM must apply before injecting a debug exception (vmm.md §4.1, a what-if: no
 * known VMM does this). The guest's debug state is evaluated with the architecture's own functions
 * ({@link Debug#generateDebugExceptionsFrom}, {@link Debug#breakpointMatch}, {@link Debug#watchpointMatch})
 * on a scratch PE holding the guest's registers, with MDCR_EL2 = HCR_EL2 = 0 so that ELd = EL1 — the
 * guest alone, as if no hypervisor were debugging it.
 */
final class CorrectInjection {
    private CorrectInjection() {}

    static Decision shouldInject(DebugContext ctx) {
        int ec = ctx.ec();
        if (ec == ExceptionClass.BRK64.ec) return Decision.inject("rule 1: BRK is never gated (OS Lock irrelevant)");
        if (ec == ExceptionClass.SOFTWARE_STEP_LOWER.ec)
            return Decision.drop("rule 2: a software step the VMM did not request (KVM already suppresses the guest's own): dropped");
        if (ec != ExceptionClass.BREAKPOINT_LOWER.ec && ec != ExceptionClass.WATCHPOINT_LOWER.ec)
            return Decision.drop(String.format("EC 0x%02X is not a debug event the guest could own: dropped", ec));
        // Rule 5: OSLK from KVM_GET_ONE_REG(OSLSR_EL1); -ENOENT (before v5.18) means RAZ/WI, OSLK = 0.
        Long oslsr = ctx.oneReg("OSLSR_EL1");
        Cpu pe = guestAlone(ctx, oslsr == null ? OSLSR_EL1.OSLM_IMPLEMENTED : oslsr);
        int el = ctx.guestEl();
        String lock = oslsr == null ? "OSLSR_EL1 -ENOENT (RAZ/WI, OSLK 0)" : String.format("OSLSR_EL1 0x%X", oslsr);
        if (!Debug.generateDebugExceptionsFrom(pe.sys, el, ctx.debugMasked()))
            return Decision.dropAndStepOver(String.format("rule 3: debug exceptions are disabled for the guest alone at EL%d (%s, MDSCR_EL1 0x%X, PSTATE.D %d): dropped",
                    el, lock, pe.sys.mdscrEl1, ctx.debugMasked() ? 1 : 0));
        if (!MDSCR_EL1.MDE.isSet(pe.sys.mdscrEl1))
            return Decision.dropAndStepOver(String.format("rule 3: the guest's MDSCR_EL1.MDE is 0 (MDSCR_EL1 0x%X): dropped", pe.sys.mdscrEl1));
        if (ec == ExceptionClass.BREAKPOINT_LOWER.ec) {
            for (int n = 0; n < pe.sys.breakpoints(); n++)
                if (Debug.breakpointMatch(pe, n, ctx.pc(), el))
                    return Decision.inject(String.format("rule 3: the guest's breakpoint %d matches PC 0x%X with debug enabled (%s)", n, ctx.pc(), lock));
            return Decision.dropAndStepOver(String.format("rule 3: none of the guest's breakpoints matches PC 0x%X: dropped", ctx.pc()));
        }
        boolean write = dev.debuglab.emulator.arch.Syndrome.accessSyndrome(ctx.exit().hsr()).write();
        for (int n = 0; n < pe.sys.watchpoints(); n++)
            if (Debug.watchpointMatch(pe, n, ctx.exit().far(), !write, write, el))
                return Decision.inject(String.format("rule 3: the guest's watchpoint %d matches 0x%X with debug enabled (%s)", n, ctx.exit().far(), lock));
        return Decision.dropAndStepOver(String.format("rule 3: none of the guest's watchpoints matches 0x%X: dropped", ctx.exit().far()));
    }

    /** Rule 4: the same-EL EC when the guest was at EL1; FAR_EL1 = the address for a watchpoint. */
    static Injection fixSyndrome(DebugContext ctx, Injection qemu) {
        Injection out = qemu;
        ExceptionClass c = ExceptionClass.of(ctx.ec());
        if (c != null && c.hasSameElVariant() && ctx.guestEl() == 1)
            out = out.withEsr(ESR.EC.set(out.esr(), c.sameEl().ec));
        if (ctx.ec() == ExceptionClass.WATCHPOINT_LOWER.ec) out = out.withFar(ctx.exit().far());
        return out;
    }

    /** A scratch PE with the guest's debug registers (from the cpreg list), ELd = EL1. */
    private static Cpu guestAlone(DebugContext ctx, long oslsr) {
        Cpu pe = new Cpu(new PhysicalMemory(GuestImage.RAM_BASE, 4096));
        SystemRegisters s = pe.sys;
        s.hcrEl2 = 0;
        s.mdcrEl2 = 0;
        s.oslsrEl1 = oslsr;
        s.osdlrEl1 = 0;   // OSDLR_EL1 is RAZ/WI under KVM: never double-locked
        s.mdscrEl1 = ctx.hasSysreg("MDSCR_EL1") ? ctx.sysreg("MDSCR_EL1") : 0;
        if (ctx.hasSysreg("CONTEXTIDR_EL1")) s.contextidrEl1 = ctx.sysreg("CONTEXTIDR_EL1");
        for (int n = 0; n < 16; n++) {
            if (ctx.hasSysreg("DBGBCR" + n + "_EL1")) s.dbgbcr[n] = ctx.sysreg("DBGBCR" + n + "_EL1");
            if (ctx.hasSysreg("DBGBVR" + n + "_EL1")) s.dbgbvr[n] = ctx.sysreg("DBGBVR" + n + "_EL1");
            if (ctx.hasSysreg("DBGWCR" + n + "_EL1")) s.dbgwcr[n] = ctx.sysreg("DBGWCR" + n + "_EL1");
            if (ctx.hasSysreg("DBGWVR" + n + "_EL1")) s.dbgwvr[n] = ctx.sysreg("DBGWVR" + n + "_EL1");
        }
        Long dfr0 = ctx.hasSysreg("ID_AA64DFR0_EL1") ? ctx.sysreg("ID_AA64DFR0_EL1") : null;
        if (dfr0 != null) {
            int bps = (int) dev.debuglab.emulator.sysreg.RegisterFields.ID_AA64DFR0_EL1.BRPs.get(dfr0) + 1;
            int wps = (int) dev.debuglab.emulator.sysreg.RegisterFields.ID_AA64DFR0_EL1.WRPs.get(dfr0) + 1;
            int ctxs = (int) dev.debuglab.emulator.sysreg.RegisterFields.ID_AA64DFR0_EL1.CTX_CMPs.get(dfr0) + 1;
            if (bps >= 2 && wps >= 2 && ctxs >= 1 && ctxs <= bps) s.configureDebug(bps, wps, ctxs, false);
        }
        pe.el = ctx.guestEl();
        return pe;
    }
}
