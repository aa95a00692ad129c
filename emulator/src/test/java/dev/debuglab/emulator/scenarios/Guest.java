package dev.debuglab.emulator.scenarios;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.arch.Debug;
import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.Interpreter;
import dev.debuglab.emulator.guest.GuestKit;
import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Program;
import dev.debuglab.emulator.mem.PhysicalMemory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenario kit: a bare-metal guest in the shape of KVM's debug-exceptions selftest. RAM at
 * 0x4000_0000; the code is assembled with {@link Assembler} at {@link #CODE}; the vector tables
 * of EL1 ({@link #VBAR_EL1}) and EL2 ({@link #VBAR_EL2}) hold an {@code ERET} in every entry, and
 * the "handler body" is a Java {@link Handler} run at exception entry (it sees ESR/ELR/FAR/SPSR
 * exactly as a handler's first instruction would, and may edit ELR/SPSR or system registers as
 * handler code would before its ERET). The program ends with {@code hlt #0xf000}, which the kit's
 * semihosting handler turns into a stop.
 */
final class Guest {
    static final long RAM = 0x4000_0000L, VBAR_EL1 = 0x4000_1000L, VBAR_EL2 = 0x4000_2000L, CODE = 0x4000_4000L,
            DATA = 0x4010_0000L, STACK_TOP = 0x4020_0000L;
    static final int RAM_SIZE = 2 << 20;
    static final int ERET = 0xD69F03E0;

    /** One exception as the handler saw it. */
    record Taken(int ec, long esr, long elr, long far, long spsr, int from, int to, long vector) {
        @Override
        public String toString() {
            return String.format("EL%d->EL%d EC 0x%02X ESR 0x%08X ELR 0x%X FAR 0x%X SPSR 0x%X vector 0x%X",
                    from, to, ec, esr, elr, far, spsr, vector);
        }
    }

    /** The Java body of an exception handler. */
    @FunctionalInterface
    interface Handler {
        void handle(Guest g, Taken t);
    }

    final Cpu cpu;
    final List<Taken> taken = new ArrayList<>();
    private final Map<Integer, Handler> handlers = new HashMap<>();
    Program program;
    boolean exited;

    /** A PE at cold reset, at {@code el} (h: SP_ELx), with D, A, I, F masked and the OS Lock locked. */
    Guest(int el) {
        cpu = new Cpu(new PhysicalMemory(RAM, RAM_SIZE));
        cpu.el = el;
        cpu.spSel = el == 0 ? 0 : 1;
        cpu.sp[0] = STACK_TOP - 0x10000;
        cpu.sp[1] = STACK_TOP - 0x8000;
        cpu.sp[2] = STACK_TOP;
        cpu.sys.vbar[1] = VBAR_EL1;
        cpu.sys.vbar[2] = VBAR_EL2;
        for (long v = VBAR_EL1; v < VBAR_EL1 + 0x800; v += 0x80) cpu.mem.write(v, 4, ERET);
        for (long v = VBAR_EL2; v < VBAR_EL2 + 0x800; v += 0x80) cpu.mem.write(v, 4, ERET);
        cpu.semihosting = c -> {
            exited = true;
            c.halted = true;
            c.stopReason = "guest exit";
        };
        cpu.exceptionListener = (r, from, to, esr, elr, vector) -> {
            Taken t = new Taken((int) (esr >>> 26) & 0x3F, esr, elr, cpu.sys.far[to], cpu.sys.spsr[to], from, to, vector);
            taken.add(t);
            handlers.getOrDefault(t.ec, Guest::defaultHandler).handle(this, t);
        };
        Debug.refresh(cpu);
    }

    /**
     * Default handler bodies: BRK, UNDEFINED, traps and illegal state skip the instruction (ELR += 4;
     * illegal state also clears SPSR.IL); breakpoints and watchpoints return with SPSR.D set
     * (debug masked); software step sets SPSR.SS (keep stepping); SVC/HVC just return.
     */
    static void defaultHandler(Guest g, Taken t) {
        switch (t.ec) {
            case 0x3C: case 0x00: case 0x18: case 0x17:
                g.cpu.sys.elr[t.to] += 4;
                break;
            case 0x0E:
                g.cpu.sys.spsr[t.to] &= ~(1L << 20);
                break;
            case 0x30: case 0x31: case 0x34: case 0x35:
                g.setSpsrD(t);
                break;
            case 0x32: case 0x33:
                g.cpu.sys.spsr[t.to] |= 1L << 21;
                break;
            default:
                break;
        }
    }

    void setSpsrD(Taken t) {
        cpu.sys.spsr[t.to] |= 1L << 9;
    }

    Guest on(int ec, Handler h) {
        handlers.put(ec, h);
        return this;
    }

    /** Assembles the guest at {@link #CODE} (starting at label {@code start} if present) and loads it. */
    Guest load(String source) {
        program = Assembler.assemble(CODE, source);
        cpu.mem.load(CODE, program.bytes());
        cpu.pc = program.symbols().containsKey("start") ? program.symbol("start") : CODE;
        return this;
    }

    long sym(String name) {
        return program.symbol(name);
    }

    /** Runs until the guest exits; fails if it does not within the budget. */
    Guest run() {
        Interpreter.run(cpu, 200_000);
        assertTrue(exited, "guest did not reach its exit: pc=0x" + Long.toHexString(cpu.pc) + " " + cpu.pstateString()
                + " stop=" + cpu.stopReason + "\n" + describe());
        return this;
    }

    List<Taken> ofEc(int... ecs) {
        List<Taken> l = new ArrayList<>();
        for (Taken t : taken) for (int ec : ecs) if (t.ec == ec) l.add(t);
        return l;
    }

    long esr(int i) {
        return taken.get(i).esr;
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        for (Taken t : taken) sb.append("  ").append(t).append('\n');
        return sb.toString();
    }

    long read64(long addr) {
        return cpu.mem.read(addr, 8);
    }

    // --- assembler snippets of the selftest ---------------------------------------------------------

    /** "Reset debug state" (scenarios.md conventions). Clobbers nothing. */
    static String resetDebug(int breakpoints, int watchpoints) {
        return GuestKit.resetDebug(breakpoints, watchpoints);
    }

    static String resetDebug() {
        return resetDebug(6, 4);
    }

    /** "Enable debug": DAIFClr #8, MDSCR_EL1 |= KDE | MDE, ISB. Clobbers x9, x10. */
    static final String ENABLE_DEBUG = GuestKit.ENABLE_DEBUG;

    /** The program's end. */
    static final String EXIT = "    hlt #0xf000\n";

    /** Drop from EL1 to EL0 at {@code label} with DAIF clear. Clobbers x9. */
    static String toEl0(String label) {
        return "    msr spsr_el1, xzr\n    adr x9, " + label + "\n    msr elr_el1, x9\n    eret\n";
    }

    /** Drop from EL2 to EL1h at {@code label} with SPSR = {@code spsr}. Clobbers x9. */
    static String toEl1(String label, int spsr) {
        return "    mov x9, #" + spsr + "\n    msr spsr_el2, x9\n    adr x9, " + label + "\n    msr elr_el2, x9\n    eret\n";
    }
}
