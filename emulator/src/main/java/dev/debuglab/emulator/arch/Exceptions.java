package dev.debuglab.emulator.arch;

import dev.debuglab.emulator.cpu.Cpu;

/**
 * Exception entry and return (AArch64.TakeException, AArch64.ExceptionReturn). FIRST CUT: entry
 * without the debug/step rules; to be completed by the pseudocode library.
 */
public final class Exceptions {
    private Exceptions() {}

    /** AArch64.TakeException: routes {@code r} and enters the handler. Sets cpu.exceptionTaken. */
    public static void take(Cpu cpu, ExceptionRecord r) {
        int from = cpu.el;
        int target = r.targetEl() != ExceptionRecord.ROUTE_DEFAULT ? r.targetEl() : Math.max(from, 1);
        ExceptionClass ec = target == from ? r.ec().sameEl() : r.ec();
        long vectorOffset = target == from ? (cpu.spSel == 0 ? 0x000 : 0x200) : 0x400;
        cpu.sys.spsr[target] = cpu.packPstate();
        cpu.sys.elr[target] = r.returnAddr();
        cpu.sys.esr[target] = ((long) ec.ec << 26) | (1L << 25) | (r.iss() & 0x1FFFFFF);
        if (r.hasFar()) cpu.sys.far[target] = r.far();
        cpu.el = target;
        cpu.spSel = 1;
        cpu.d = cpu.a = cpu.i = cpu.f = true;
        cpu.ss = false;
        cpu.il = false;
        cpu.pc = (cpu.sys.vbar[target] & ~0x7FFL) + vectorOffset;
        cpu.exceptionTaken = true;
        cpu.lastException = r;
        if (cpu.exceptionListener != null)
            cpu.exceptionListener.taken(r, from, target, cpu.sys.esr[target], cpu.sys.elr[target], cpu.pc);
    }

    /** UNDEFINED at the current PC. */
    public static void undefined(Cpu cpu) {
        take(cpu, ExceptionRecord.of(ExceptionClass.UNKNOWN, 0, cpu.pc));
    }
}
