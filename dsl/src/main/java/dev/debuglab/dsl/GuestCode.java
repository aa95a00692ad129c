package dev.debuglab.dsl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Guest code at EL1 with the domain macros of the self-hosted debug architecture. Start with
 * {@link Lab#guest()}, end with {@link #build()}. Immutable: every call returns a new value.
 *
 * <pre>{@code
 * Guest g = Lab.guest().osLock(false).mde(true).kde(true).clearD()
 *         .hwBreakpoint(0).at("target")
 *         .label("target").nop()
 *         .build();
 * }</pre>
 */
public class GuestCode extends Code<GuestCode> {
    /** ID_AA64DFR0_EL1 of the emulated PE: BRPs = 5 (6 breakpoints), WRPs = 3 (4 watchpoints). */
    public static final int BREAKPOINTS = 6, WATCHPOINTS = 4;

    /** A change of the routing inputs (OS Lock, Double Lock, KDE, MDE, PSTATE.D) made by a macro. */
    record StateItem(String origin, String source, String input, boolean value) implements Item {}

    /** Hardware breakpoint n at a label. */
    record BreakpointItem(int n, String label, int pmc, int bas, boolean hmc, int linkedTo) implements Item {
        public String origin() {
            return "hwBreakpoint(" + n + ").at(\"" + label + "\")";
        }

        long bcr() {
            long v = 1 | (long) pmc << 1 | (long) bas << 5 | (hmc ? 1L << 13 : 0);
            if (linkedTo >= 0) v |= 1L << 20 | (long) linkedTo << 16;
            return v;
        }

        public String source() {
            return String.format("adr x16, %s\nmsr dbgbvr%d_el1, x16\n%s\nmsr dbgbcr%d_el1, x16\nisb\n", label, n, movImm("x16", bcr()), n);
        }
    }

    /** Watchpoint n on a label. */
    record WatchpointItem(int n, String label, int length, int lsc) implements Item {
        public String origin() {
            return "watchpoint(" + n + ").on(\"" + label + "\")";
        }

        long wcr() {
            long v = 1 | 0b11L << 1 | (long) lsc << 3;
            if (length <= 8) v |= (long) ((1 << length) - 1) << 5;
            else v |= 0xFFL << 5 | (long) Integer.numberOfTrailingZeros(length) << 24;
            return v;
        }

        public String source() {
            return String.format("adr x16, %s\nmsr dbgwvr%d_el1, x16\n%s\nmsr dbgwcr%d_el1, x16\nisb\n", label, n, movImm("x16", wcr()), n);
        }
    }

    /** Software step armed: MDSCR_EL1.SS = 1 and an ERET with SPSR.SS = 1 to the next instruction. */
    record StepItem(int id, boolean d) implements Item {
        public String origin() {
            return "singleStep()";
        }

        public String source() {
            long spsr = 0x5 | 0x1C0 | (d ? 0x200 : 0) | 1L << 21;
            // PSTATE.D masked until the ERET: with MDSCR_EL1.SS = 1 and PSTATE.SS = 0 the PE would otherwise be
            // Active-pending and take a step exception here, overwriting the ELR_EL1/SPSR_EL1 being prepared.
            return String.format("msr daifset, #8\nmrs x16, mdscr_el1\norr x16, x16, #1\nmsr mdscr_el1, x16\nisb\nadr x16, dl_step_%d\nmsr elr_el1, x16\n%s\n"
                    + "msr spsr_el1, x17\neret\ndl_step_%d:\n", id, movImm("x17", spsr), id);
        }
    }

    /** A drop to EL0 running {@code code}, back at EL1 (PSTATE = EL1h, DAIF masked) after it. */
    record El0Item(int id, El0Code code) implements Item {
        public String origin() {
            return "el0(...)";
        }

        public String source() {
            return String.format("adr x16, dl_el0_%d\nmsr elr_el1, x16\nmov x16, #0x3c0\nmsr spsr_el1, x16\neret\ndl_el0_%d:\n%ssvc #0xffff\n",
                    id, id, code.source());
        }
    }

    /** 8-byte data words at a label (placed after the code, 8-byte aligned). */
    record DataItem(String label, long[] values) implements Item {
        public String origin() {
            return "data(\"" + label + "\", ...)";
        }

        public String source() {
            StringBuilder b = new StringBuilder(".balign 8\n" + label + ":\n");
            for (long v : values) b.append(String.format(".8byte 0x%x\n", v));
            return b.toString();
        }
    }

    final String vectors; // null = the standard vector table
    final int counter;

    GuestCode(List<Item> items, String vectors, int counter) {
        super(items, 1);
        this.vectors = vectors;
        this.counter = counter;
    }

    @Override
    GuestCode with(List<Item> items) {
        return new GuestCode(items, vectors, counter + 1);
    }

    // --- the OS Lock, Double Lock, MDSCR_EL1, PSTATE.D ---------------------------------------------------

    /** Locks (OSLAR_EL1 = 1) or unlocks (OSLAR_EL1 = 0) the OS Lock. While locked, breakpoints, watchpoints and steps are not generated. */
    public GuestCode osLock(boolean lock) {
        return add(new StateItem("osLock(" + lock + ")", (lock ? "mov x16, #1\n" : "mov x16, #0\n") + "msr oslar_el1, x16\nisb\n", "OSLK", lock));
    }

    /** Sets (OSDLR_EL1.DLK = 1) or clears the OS Double Lock (effective while DBGPRCR_EL1.CORENPDRQ = 0). */
    public GuestCode doubleLock(boolean lock) {
        return add(new StateItem("doubleLock(" + lock + ")", (lock ? "mov x16, #1\n" : "mov x16, #0\n") + "msr osdlr_el1, x16\nisb\n", "DLK", lock));
    }

    /** MDSCR_EL1.KDE: debug exceptions at the debug target EL itself (EL1 here), with PSTATE.D = 0. */
    public GuestCode kde(boolean on) {
        return add(new StateItem("kde(" + on + ")", mdscr(13, on), "KDE", on));
    }

    /** MDSCR_EL1.MDE: breakpoints and watchpoints enabled. */
    public GuestCode mde(boolean on) {
        return add(new StateItem("mde(" + on + ")", mdscr(15, on), "MDE", on));
    }

    private static String mdscr(int bit, boolean on) {
        return "mrs x16, mdscr_el1\n" + (on ? String.format("orr x16, x16, #0x%x\n", 1L << bit)
                : String.format("and x16, x16, #0x%x\n", ~(1L << bit))) + "msr mdscr_el1, x16\nisb\n";
    }

    /** PSTATE.D = 0 (MSR DAIFClr, #8): debug exceptions unmasked at EL1 (with KDE). */
    public GuestCode clearD() {
        return add(new StateItem("clearD()", "msr daifclr, #8\n", "D", false));
    }

    /** PSTATE.D = 1 (MSR DAIFSet, #8): debug exceptions masked at the debug target EL. */
    public GuestCode setD() {
        return add(new StateItem("setD()", "msr daifset, #8\n", "D", true));
    }

    // --- comparators and step ------------------------------------------------------------------------------

    /** Hardware breakpoint {@code n} (0..5): say where with {@code .at(label)}. */
    public BreakpointAt hwBreakpoint(int n) {
        if (n < 0 || n >= BREAKPOINTS)
            throw new DslException("hwBreakpoint(" + n + "): this PE has " + BREAKPOINTS + " breakpoints (ID_AA64DFR0_EL1.BRPs = "
                    + (BREAKPOINTS - 1) + "); use 0.." + (BREAKPOINTS - 1));
        return label -> {
            labelName(label, "hwBreakpoint(" + n + ").at");
            return new BreakpointOptions(add(new BreakpointItem(n, label, 0b11, 0b1111, false, -1)));
        };
    }

    /** The step after {@code hwBreakpoint(n)}: where. */
    @FunctionalInterface
    public interface BreakpointAt {
        /** Programs DBGBVRn_EL1 = the label's address, DBGBCRn_EL1 = E, PMC = 0b11 (EL1 and EL0), BAS = 0b1111. */
        BreakpointOptions at(String label);
    }

    /** Watchpoint {@code n} (0..3): say where with {@code .on(label)}. */
    public WatchpointOn watchpoint(int n) {
        if (n < 0 || n >= WATCHPOINTS)
            throw new DslException("watchpoint(" + n + "): this PE has " + WATCHPOINTS + " watchpoints (ID_AA64DFR0_EL1.WRPs = "
                    + (WATCHPOINTS - 1) + "); use 0.." + (WATCHPOINTS - 1));
        return label -> {
            labelName(label, "watchpoint(" + n + ").on");
            return new WatchpointOptions(add(new WatchpointItem(n, label, 8, 0b11)));
        };
    }

    /** The step after {@code watchpoint(n)}: on what. */
    @FunctionalInterface
    public interface WatchpointOn {
        /** DBGWVRn_EL1 = the label's address (8-byte aligned data), 8 bytes, loads and stores, EL1 and EL0. */
        WatchpointOptions on(String label);
    }

    /**
     * Arms a software step of the next instruction: PSTATE.D masked, MDSCR_EL1.SS = 1, then ERET to it with SPSR.SS = 1
     * (and SPSR.D as the code left it). The standard handler keeps stepping until the code clears MDSCR_EL1.SS.
     */
    public GuestCode singleStep() {
        return add(new StepItem(counter, trackedD()));
    }

    /** HVC #imm16: under KVM a hypercall (PSCI for #0 with a function id in X0); on bare metal the EL2 stub ends the run. */
    public GuestCode hvc(int imm16) {
        imm16("hvc", imm16);
        return add("hvc(0x" + Integer.toHexString(imm16) + ")", String.format("hvc #0x%x", imm16));
    }

    /** Reads a system register and logs it under {@code tag}: {@code logSysreg(1, "oslsr_el1")}. */
    public GuestCode logSysreg(int tag, String sysreg) {
        tag(tag);
        String src = "mrs x16, " + sysreg;
        check(src);
        return add("logSysreg(" + tag + ", \"" + sysreg + "\")", String.format("movz x17, #0x%x, lsl #16\n"
                + "movz x16, #0x%x\nstr x16, [x17, #0x%x]\n%s\nstr x16, [x17, #0x%x]\n", dev.debuglab.emulator.guest.GuestLog.BASE >>> 16,
                tag, dev.debuglab.emulator.guest.GuestLog.TAG, src, dev.debuglab.emulator.guest.GuestLog.VALUE));
    }

    /** Drops to EL0 (ERET, SPSR = EL0t), runs {@code code}, and comes back to EL1 with PSTATE.D = 1. */
    public GuestCode el0(UnaryOperator<El0Code> code) {
        if (code == null) throw new DslException("el0(null): give the EL0 code, e.g. el0(c -> c.brk(1))");
        return add(new El0Item(counter, code.apply(El0Code.empty())));
    }

    /** 8-byte words at {@code label}, after the code (for watchpoints, loads, stores). */
    public GuestCode data(String label, long... values) {
        label(label); // checks the name
        if (values.length == 0) values = new long[] {0};
        return add(new DataItem(label, values.clone()));
    }

    /** Use the standard vector table ({@code guest.StandardVectors}: log each exception, return sensibly). The default. */
    public GuestCode standardVectors() {
        return new GuestCode(items, null, counter);
    }

    /**
     * Use the user's own vector table: assembler source that defines the label {@code vectors} (2 KiB aligned).
     * The DSL's run ends through PSCI SYSTEM_OFF as usual; a drop to EL0 needs the standard table.
     */
    public GuestCode vectors(String source) {
        if (source == null || !source.matches("(?s).*(^|\\n)\\s*vectors:.*"))
            throw new DslException("vectors(source): the source must define the label `vectors:` (with .balign 2048 before it); or use standardVectors()");
        return new GuestCode(items, source, counter);
    }

    boolean trackedD() {
        boolean d = true;
        for (Item i : items) {
            if (i instanceof StateItem s && s.input().equals("D")) d = s.value();
            if (i instanceof El0Item) d = true;
        }
        return d;
    }

    /** Assembles the guest: prologue, this code, PSCI SYSTEM_OFF, data, the vector table, the bare-metal EL2 stub. */
    public Guest build() {
        return Guest.assemble(this);
    }

    /** A guest from an ELF file (no labels; entry at e_entry). */
    public static Guest elf(Path file) {
        return Guest.elf(file);
    }

    /** This code with its last item (the breakpoint or watchpoint just programmed) replaced by {@code item}. */
    GuestCode withLastItem(Item item) {
        List<Item> l = new ArrayList<>(items.subList(0, items.size() - 1));
        l.add(item);
        return new GuestCode(l, vectors, counter);
    }

    /** The options of the breakpoint just programmed; everything else of {@link GuestCode} continues the code. */
    public static final class BreakpointOptions extends GuestCode {
        BreakpointOptions(GuestCode c) {
            super(c.items, c.vectors, c.counter);
        }

        private BreakpointItem last() {
            return (BreakpointItem) items.get(items.size() - 1);
        }

        private BreakpointOptions replace(BreakpointItem b) {
            return new BreakpointOptions(withLastItem(b));
        }

        /** DBGBCR.PMC (0..3): bit 0 = match at EL1, bit 1 = match at EL0. */
        public BreakpointOptions pmc(int pmc) {
            if (pmc < 0 || pmc > 3) throw new DslException("pmc(" + pmc + "): PMC is 2 bits; use 0..3 (0b01 EL1, 0b10 EL0, 0b11 both)");
            BreakpointItem b = last();
            return replace(new BreakpointItem(b.n(), b.label(), pmc, b.bas(), b.hmc(), b.linkedTo()));
        }

        /** DBGBCR.BAS (0..15); A64 instructions need 0b1111 (other values are CONSTRAINED UNPREDICTABLE). */
        public BreakpointOptions bas(int bas) {
            if (bas < 0 || bas > 15) throw new DslException("bas(" + bas + "): BAS is 4 bits; use 0..15 (0b1111 for A64)");
            BreakpointItem b = last();
            return replace(new BreakpointItem(b.n(), b.label(), b.pmc(), bas, b.hmc(), b.linkedTo()));
        }

        /** DBGBCR.HMC: also match at EL2 (with PMC, SSC). */
        public BreakpointOptions hmc(boolean hmc) {
            BreakpointItem b = last();
            return replace(new BreakpointItem(b.n(), b.label(), b.pmc(), b.bas(), hmc, b.linkedTo()));
        }

        /** Linked address match (BT = 0b0001) with context breakpoint {@code lbn}. */
        public BreakpointOptions linkedTo(int lbn) {
            if (lbn < 0 || lbn >= BREAKPOINTS)
                throw new DslException("linkedTo(" + lbn + "): LBN names a breakpoint; use 0.." + (BREAKPOINTS - 1));
            BreakpointItem b = last();
            if (lbn == b.n()) throw new DslException("linkedTo(" + lbn + "): a breakpoint cannot link to itself; link to a context breakpoint");
            return replace(new BreakpointItem(b.n(), b.label(), b.pmc(), b.bas(), b.hmc(), lbn));
        }
    }

    /** The options of the watchpoint just programmed. */
    public static final class WatchpointOptions extends GuestCode {
        WatchpointOptions(GuestCode c) {
            super(c.items, c.vectors, c.counter);
        }

        private WatchpointItem last() {
            return (WatchpointItem) items.get(items.size() - 1);
        }

        private WatchpointOptions replace(WatchpointItem w) {
            return new WatchpointOptions(withLastItem(w));
        }

        /** Bytes watched from the label: 1..8 (BAS), or a power of two from 8 to 2 GiB (MASK). */
        public WatchpointOptions length(int bytes) {
            boolean ok = bytes >= 1 && bytes <= 8 || bytes > 8 && Integer.bitCount(bytes) == 1;
            if (!ok) throw new DslException("length(" + bytes + "): a watchpoint covers 1..8 bytes (BAS) or a power of two up to 2 GiB (MASK); use e.g. 4, 8 or 64");
            WatchpointItem w = last();
            return replace(new WatchpointItem(w.n(), w.label(), bytes, w.lsc()));
        }

        /** Loads only (LSC = 0b01). */
        public WatchpointOptions load() {
            WatchpointItem w = last();
            return replace(new WatchpointItem(w.n(), w.label(), w.length(), 0b01));
        }

        /** Stores only (LSC = 0b10). */
        public WatchpointOptions store() {
            WatchpointItem w = last();
            return replace(new WatchpointItem(w.n(), w.label(), w.length(), 0b10));
        }

        /** Loads and stores (LSC = 0b11, the default). */
        public WatchpointOptions loadStore() {
            WatchpointItem w = last();
            return replace(new WatchpointItem(w.n(), w.label(), w.length(), 0b11));
        }
    }
}
