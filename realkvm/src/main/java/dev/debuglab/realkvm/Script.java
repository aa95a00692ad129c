package dev.debuglab.realkvm;

import dev.debuglab.emulator.isa.Program;
import dev.debuglab.emulator.kvm.GuestDebug;
import dev.debuglab.emulator.kvm.RegId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What the VMM does in a scenario, as the text the C driver {@code dlkvm} reads and
 * {@link ModelDriver} interprets with the same meaning: one operation per line (the format is
 * described at the top of {@code dlkvm.c}). A script is a value; the builder methods return a new
 * script.
 */
public final class Script {
    /** Guest RAM of every scenario VM: 2 MiB at IPA 0x4000_0000, as the observation harness had (kvm.md §6). */
    public static final long RAM = 0x4000_0000L;
    public static final int RAM_SIZE = 2 << 20;

    private final List<String> lines;

    private Script(List<String> lines) {
        this.lines = List.copyOf(lines);
    }

    public static Script empty() {
        return new Script(List.of());
    }

    public List<String> lines() {
        return lines;
    }

    /** One raw line of the driver's script language (see dlkvm.c). */
    Script line(String line) {
        return with(line);
    }

    private Script with(String line) {
        List<String> l = new ArrayList<>(lines);
        l.add(line);
        return new Script(l);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** A fresh VM and vCPU (KVM_CREATE_VM, memory slot, KVM_CREATE_VCPU, KVM_ARM_VCPU_INIT with PSCI 0.2). */
    public Script vm() {
        return with("VM");
    }

    /** Loads the program into guest RAM and points the PC at {@code start} (or its base). */
    public Script load(Program p) {
        Script s = this;
        byte[] b = p.bytes();
        for (int off = 0; off < b.length; off += 4096) {
            int n = Math.min(4096, b.length - off);
            byte[] chunk = java.util.Arrays.copyOfRange(b, off, off + n);
            s = s.with("L " + hex(p.base() + off) + " " + HexFormat.of().formatHex(chunk));
        }
        long entry = p.symbols().containsKey("start") ? p.symbol("start") : p.base();
        return s.with("SETQ " + hex(RegId.PC) + " " + hex(entry));
    }

    /**
     * Loads a guest image as a VMM's {@code -kernel} path would: every segment into RAM, PC = its
     * entry, SP_EL1 = its initial stack (a DSL guest's {@code Guest.image()}, an ELF, an assembled program).
     */
    public Script load(dev.debuglab.emulator.vmm.GuestImage image) {
        Script s = this;
        for (dev.debuglab.emulator.machine.ElfImage.Segment seg : image.image().segments()) {
            byte[] b = seg.bytes();
            if (seg.address() < RAM || seg.address() + b.length > RAM + RAM_SIZE)
                throw new RealKvmException(String.format("the guest's segment at 0x%X..0x%X is outside the 2 MiB of RAM at 0x%X "
                        + "that the real-KVM driver gives each VM", seg.address(), seg.address() + b.length, RAM));
            for (int off = 0; off < b.length; off += 4096) {
                byte[] chunk = java.util.Arrays.copyOfRange(b, off, Math.min(b.length, off + 4096));
                s = s.with("L " + hex(seg.address() + off) + " " + HexFormat.of().formatHex(chunk));
            }
        }
        return s.with("SETQ " + hex(RegId.SP_EL1) + " " + hex(image.stackPointer())).with("SETQ " + hex(RegId.PC) + " " + hex(image.entry()));
    }

    /** KVM_SET_ONE_REG, the result observed. */
    public Script set(long id, long value) {
        return with("SET " + hex(id) + " " + hex(value));
    }

    /** KVM_GET_ONE_REG, result and value observed. */
    public Script get(long id) {
        return with("GET " + hex(id));
    }

    /** Whether KVM_GET_REG_LIST contains {@code id}. */
    public Script listed(long id) {
        return with("HAS " + hex(id));
    }

    /** KVM_CHECK_EXTENSION on the VM. */
    public Script cap(int cap) {
        return with("CAP " + cap);
    }

    /** KVM_ARM_VCPU_INIT again (a vCPU reset). */
    public Script reinit() {
        return with("INIT");
    }

    /** The get-reg-list selftest's check: GET then SET the same value for every listed register. */
    public Script setSame() {
        return with("SAME");
    }

    private static String gd(GuestDebug g) {
        return hex(g.control()) + " " + hex(g.bcr()[0]) + " " + hex(g.bvr()[0]) + " " + hex(g.wcr()[0]) + " " + hex(g.wvr()[0]);
    }

    /** KVM_SET_GUEST_DEBUG now (only comparator 0 of each kind is used by the scenarios). */
    public Script guestDebug(GuestDebug g) {
        return with("GD " + gd(g));
    }

    /** At a KVM_EXIT_DEBUG with this EC (-1: any): skip the instruction (PC += 4). */
    public Script onDebugSkip(int ec) {
        return with("RD " + ec + " 0x0 SKIP");
    }

    /** At a KVM_EXIT_DEBUG with this EC (-1: any) and PC ≥ {@code minPc}: KVM_SET_GUEST_DEBUG {@code g}. */
    public Script onDebugSet(int ec, long minPc, GuestDebug g) {
        return with("RD " + ec + " " + hex(minPc) + " GD " + gd(g));
    }

    /** At a KVM_EXIT_DEBUG with this EC (-1: any) and PC ≥ {@code minPc}: resume unchanged (rules are tried in order). */
    public Script onDebugContinue(int ec, long minPc) {
        return with("RD " + ec + " " + hex(minPc) + " CONT");
    }

    /** When the guest logs a value under {@code tag} (during that MMIO exit): KVM_SET_GUEST_DEBUG {@code g}. */
    public Script onLogTag(int tag, GuestDebug g) {
        return with("RT " + tag + " GD " + gd(g));
    }

    /** KVM_RUN until PSCI SYSTEM_OFF, completing guest-log MMIO and applying the rules. */
    public Script run() {
        return with("RUN");
    }

    /** The script framed as scenario {@code id} (S ... END). */
    public List<String> framed(String id) {
        List<String> l = new ArrayList<>();
        l.add("S " + id);
        l.addAll(lines);
        l.add("END " + id);
        return l;
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }
}
