package dev.debuglab.emulator.sysreg;

import dev.debuglab.emulator.cpu.Cpu;

/**
 * One row of the system register table, in the shape of QEMU's {@code ARMCPRegInfo} and KVM's
 * {@code sys_reg_desc}: name, encoding (op0, op1, CRn, CRm, op2), which ELs may access it and in
 * which direction, the EL0 rule for EL0-accessible registers, the EL2 trap group, the reset value
 * (for registers with state of their own) and the read/write hooks. System instructions (op0 = 1:
 * DC, IC, AT, TLBI) are rows too; their "write" is the operation, with Xt as the argument.
 *
 * <p>Access is decided by {@link #access} in the Arm ARM's order (D13.2 / the register's
 * "Accessibility" pseudocode): EL too low ⇒ UNDEFINED; direction not provided ⇒ UNDEFINED (§12.4
 * row 2); register-specific condition; EL0 enable controls ⇒ trap to EL1; EL2 controls ⇒ trap to
 * EL2 (§12.4 rows 3-5).
 */
public final class SysReg {
    /** Read hook: the value MRS returns. */
    @FunctionalInterface
    public interface Reader {
        long read(Cpu cpu);
    }

    /** Write hook: MSR's effect, or a system instruction's operation. */
    @FunctionalInterface
    public interface Writer {
        void write(Cpu cpu, long value);
    }

    /** Raw state of a stateful register (no side effects): used by reset, migration and tests. */
    public interface Storage {
        long get(SystemRegisters s);

        void set(SystemRegisters s, long v);
    }

    /** An access condition evaluated before the trap checks (EL0 enables, SPSel, comparator count). */
    @FunctionalInterface
    public interface Condition {
        SysRegAccess check(Cpu cpu, boolean read);
    }

    public final String name;
    public final int op0, op1, crn, crm, op2;
    /** Lowest EL that may access the register (0, 1 or 2). */
    public final int minEl;
    public final boolean readable, writable;
    /** Extra rule (null = none): e.g. SCTLR_EL1.UMA for DAIF at EL0, SPSel for SP_EL0. */
    public final Condition condition;
    public final Trap trap;
    /** Reset value for registers with state of their own; null for constants, views and operations. */
    public final Long reset;
    public final Storage storage;
    public final Reader reader;
    public final Writer writer;
    /** True for system instructions (op0 = 1). */
    public final boolean isInstruction;

    SysReg(String name, int op0, int op1, int crn, int crm, int op2, int minEl, boolean readable, boolean writable,
           Condition condition, Trap trap, Long reset, Storage storage, Reader reader, Writer writer) {
        this.name = name;
        this.op0 = op0;
        this.op1 = op1;
        this.crn = crn;
        this.crm = crm;
        this.op2 = op2;
        this.minEl = minEl;
        this.readable = readable;
        this.writable = writable;
        this.condition = condition;
        this.trap = trap;
        this.reset = reset;
        this.storage = storage;
        this.reader = reader;
        this.writer = writer;
        this.isInstruction = op0 == 1;
    }

    /** The encoding packed as KVM packs it in ONE_REG ids: op0:op1:CRn:CRm:op2 (16 bits). */
    public int key() {
        return key(op0, op1, crn, crm, op2);
    }

    public static int key(int op0, int op1, int crn, int crm, int op2) {
        return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
    }

    /** KVM's ONE_REG id for this register: {@code 0x6030000000130000 | key} (architecture.md §14). */
    public long kvmId() {
        return 0x6030_0000_0013_0000L | key();
    }

    /** The access check for an MRS ({@code read}) or MSR/SYS at the current EL. */
    public SysRegAccess access(Cpu cpu, boolean read) {
        if (cpu.el < minEl) return SysRegAccess.UNDEFINED;
        if (read ? !readable : !writable) return SysRegAccess.UNDEFINED;
        if (condition != null) {
            SysRegAccess a = condition.check(cpu, read);
            if (a != SysRegAccess.ALLOWED) return a;
        }
        if (cpu.el < 2 && trap.trapsToEl2(cpu.sys, read)) return SysRegAccess.TRAP_EL2;
        return SysRegAccess.ALLOWED;
    }

    public long read(Cpu cpu) {
        return reader.read(cpu);
    }

    public void write(Cpu cpu, long value) {
        writer.write(cpu, value);
    }

    /** op0 op1 CRn CRm op2, as architecture.md §14 writes encodings. */
    public String encoding() {
        return op0 + " " + op1 + " " + crn + " " + crm + " " + op2;
    }

    @Override
    public String toString() {
        return name + " (" + encoding() + ")";
    }
}
