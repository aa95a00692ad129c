package dev.debuglab.dsl;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.isa.AsmException;
import dev.debuglab.emulator.isa.Assembler;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Guest code at one exception level: raw assembler lines ({@link #asm}) and typed helpers. Immutable:
 * every call returns a new value. Shared by {@link GuestCode} (EL1, with the debug macros) and
 * {@link El0Code}. Macros clobber X16 and X17 only.
 *
 * @param <S> the concrete code type each call returns
 */
public abstract class Code<S extends Code<S>> {
    static final Pattern XREG = Pattern.compile("x([0-9]|[12][0-9]|30)");
    static final Pattern LABEL = Pattern.compile("[A-Za-z_.$][A-Za-z0-9_.$]*");

    /** One emitted piece: the DSL call that made it (for messages) and its assembler source. */
    interface Item {
        String origin();

        String source();
    }

    record Line(String origin, String source) implements Item {}

    /** A label definition. */
    record LabelItem(String name) implements Item {
        public String origin() {
            return "label(\"" + name + "\")";
        }

        public String source() {
            return name + ":\n";
        }
    }

    final List<Item> items;
    final int el;

    Code(List<Item> items, int el) {
        this.items = List.copyOf(items);
        this.el = el;
    }

    abstract S with(List<Item> items);

    S add(Item i) {
        List<Item> l = new ArrayList<>(items);
        l.add(i);
        return with(l);
    }

    S add(String origin, String source) {
        return add(new Line(origin, source.endsWith("\n") ? source : source + "\n"));
    }

    /**
     * One assembler line, any mnemonic the emulator supports, as objdump writes it: {@code asm("ldr x0, [x1, #8]")}.
     * Checked now (unknown mnemonic, bad operands, out-of-range immediates); labels are resolved when the guest is built.
     */
    public S asm(String line) {
        if (line == null || line.isBlank()) throw new DslException("asm(\"\"): an empty guest line; give one instruction, e.g. asm(\"nop\")");
        for (String l : line.split("\n")) check(l);
        return add("asm(\"" + line.strip() + "\")", line.strip());
    }

    /** Several assembler lines, one call. */
    public S asm(String... lines) {
        S s = self();
        for (String l : lines) s = s.asm(l);
        return s;
    }

    @SuppressWarnings("unchecked")
    S self() {
        return (S) this;
    }

    static void check(String line) {
        String t = line.strip();
        if (t.isEmpty() || t.endsWith(":")) return;
        try {
            Assembler.assemble(0x4000_0000L, t);
        } catch (AsmException e) {
            if (e.problem().startsWith("undefined symbol")) return; // resolved at build()
            throw new DslException("guest line `" + t + "`: " + e.problem());
        }
    }

    /** Defines a label here (for breakpoints, watchpoints, branches, migration points). */
    public S label(String name) {
        if (name == null || !LABEL.matcher(name).matches())
            throw new DslException("label(\"" + name + "\"): not a label name; use letters, digits and _ (not starting with a digit)");
        if (name.startsWith("dl_")) throw new DslException("label(\"" + name + "\"): names starting with dl_ belong to the DSL's runtime; choose another name");
        return add(new LabelItem(name));
    }

    public S nop() {
        return add("nop()", "nop");
    }

    /** Loads any 64-bit value into {@code xn} (MOVZ + MOVKs). */
    public S mov(String xn, long value) {
        reg(xn, "mov");
        return add("mov(\"" + xn + "\", 0x" + Long.toHexString(value) + ")", movImm(xn, value));
    }

    /** BRK #imm16: a Breakpoint Instruction exception (EC 0x3C), whatever the debug enables say. */
    public S brk(int imm16) {
        imm16("brk", imm16);
        return add("brk(0x" + Integer.toHexString(imm16) + ")", String.format("brk #0x%x", imm16));
    }

    /** SVC #imm16 (from EL0 to EL1; at EL1 to EL1). */
    public S svc(int imm16) {
        imm16("svc", imm16);
        if (el == 0 && imm16 == 0xFFFF) throw new DslException("svc(0xffff) at EL0 is the DSL's return to EL1; use another immediate");
        return add("svc(0x" + Integer.toHexString(imm16) + ")", String.format("svc #0x%x", imm16));
    }

    /** LDR xn from the 8 bytes at {@code label} (a load a watchpoint can see). */
    public S load(String xn, String label) {
        reg(xn, "load");
        labelName(label, "load");
        return add("load(\"" + xn + "\", \"" + label + "\")", "adr x17, " + label + "\nldr " + xn + ", [x17]");
    }

    /** STR xn to the 8 bytes at {@code label} (a store a watchpoint can see). */
    public S store(String xn, String label) {
        reg(xn, "store");
        labelName(label, "store");
        return add("store(\"" + xn + "\", \"" + label + "\")", "adr x17, " + label + "\nstr " + xn + ", [x17]");
    }

    /** Logs register {@code xn} under {@code tag} to the guest log (a value the run reports). */
    public S logValue(int tag, String xn) {
        reg(xn, "logValue");
        if (xn.equals("x16") || xn.equals("x17")) throw new DslException("logValue(" + tag + ", \"" + xn + "\"): X16/X17 are the macros' scratch registers; move the value to another register first");
        tag(tag);
        return add("logValue(" + tag + ", \"" + xn + "\")", dev.debuglab.emulator.guest.StandardVectors.logValue(tag, xn));
    }

    static void tag(int tag) {
        if (tag < 0 || tag > 0xFFFF) throw new DslException("log tag " + tag + " is out of range; use 0..65535");
    }

    static void imm16(String what, int imm) {
        if (imm < 0 || imm > 0xFFFF) throw new DslException(what + "(0x" + Integer.toHexString(imm) + "): the immediate is 16 bits; use 0..0xffff");
    }

    static void reg(String xn, String call) {
        if (xn == null || !XREG.matcher(xn).matches())
            throw new DslException(call + "(\"" + xn + "\"): not a general-purpose register; use x0..x30");
    }

    static void labelName(String label, String call) {
        if (label == null || !LABEL.matcher(label).matches())
            throw new DslException(call + "(..., \"" + label + "\"): not a label name; define it with label(\"name\") and use that name");
    }

    /** MOVZ/MOVK sequence for any 64-bit value. */
    static String movImm(String xn, long v) {
        StringBuilder b = new StringBuilder(String.format("movz %s, #0x%x", xn, v & 0xFFFF));
        for (int s = 16; s < 64; s += 16) {
            long h = (v >>> s) & 0xFFFF;
            if (h != 0) b.append(String.format("\nmovk %s, #0x%x, lsl #%d", xn, h, s));
        }
        return b.toString();
    }

    /** The source of the items, in order. */
    String source() {
        StringBuilder b = new StringBuilder();
        for (Item i : items) b.append(i.source().endsWith("\n") ? i.source() : i.source() + "\n");
        return b.toString();
    }
}
