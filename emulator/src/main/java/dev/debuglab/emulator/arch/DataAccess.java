package dev.debuglab.emulator.arch;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.isa.Decoder;
import dev.debuglab.emulator.sysreg.RegisterFields.CTR_EL0;
import dev.debuglab.emulator.sysreg.RegisterFields.HCR_EL2;
import dev.debuglab.emulator.sysreg.RegisterFields.SCTLR;
import dev.debuglab.emulator.sysreg.SysRegTable;

/**
 * Explicit data accesses of load/store instructions with the MMU off (VA = PA). The single path
 * through which execute routines touch memory, so alignment, watchpoints (architecture.md §8)
 * and external aborts apply to every access, in the priority of §9 row 7: alignment fault, then
 * watchpoint, then the access (which may take a synchronous External abort).
 *
 * <p><b>Memory type with stage 1 disabled.</b> With SCTLR_ELx.M = 0 every data access is to
 * Device-nGnRnE memory (Arm ARM D8.2.x "Behavior when stage 1 address translation is disabled"),
 * except at EL1/EL0 with HCR_EL2.DC = 1 (Normal, Write-Back). An unaligned access to Device memory
 * takes an Alignment fault whatever SCTLR_ELx.A says, and DC ZVA to Device memory takes an
 * Alignment fault too. QEMU 7.2 does not implement this rule (it checks alignment with the MMU off
 * only when SCTLR.A = 1; the architectural check arrived in QEMU 8.0); the architecture wins. So
 * bare-metal code for this model must be built with {@code -mstrict-align} until the MMU exists.
 * Exclusives, acquire/release and atomic read-modify-writes require natural alignment always.
 *
 * <p>Contract: on a fault or debug event the routine takes the exception (cpu.exceptionTaken) and
 * returns 0 / false; the caller must then return without further side effects. Instructions that
 * make several accesses (pairs) call {@link #check} for the whole footprint first, so that a
 * watchpoint or abort leaves memory and registers unchanged.
 */
public final class DataAccess {
    private DataAccess() {}

    public static final int LOAD = 1, STORE = 2, ATOMIC = LOAD | STORE, UNPRIVILEGED = 4, EXCLUSIVE = 8,
            ACQUIRE_RELEASE = 16;

    /**
     * Checks an access of {@code size} bytes (a whole pair's footprint) without performing it:
     * alignment of the footprint for exclusives/atomics/acquire-release, watchpoints, and that
     * every byte is backed by RAM or a device. False if an exception was taken. Per-element
     * alignment is checked by {@link #read}/{@link #write}, before any element is performed.
     */
    public static boolean check(Cpu cpu, long va, int size, int flags) {
        if (needsNaturalAlignment(flags) && !isAligned(va, size)) {
            alignmentFault(cpu, va, flags, false);
            return false;
        }
        if (cpu.watchpointsArmed && watchpoint(cpu, va, size, flags)) return false;
        int chunk = Math.min(size, 8);
        for (int off = 0; off < size; off += chunk) {
            if (!cpu.mem.isMapped(va + off, chunk)) {
                unmapped(cpu, va + off, flags);
                return false;
            }
        }
        return true;
    }

    /** Reads 1, 2, 4 or 8 bytes, zero-extended; 0 if an exception was taken. */
    public static long read(Cpu cpu, long va, int size, int flags) {
        if (!alignmentOk(cpu, va, size, flags)) {
            alignmentFault(cpu, va, flags, false);
            return 0;
        }
        if (cpu.watchpointsArmed && watchpoint(cpu, va, size, flags | LOAD)) return 0;
        cpu.mem.fault = false;
        long v = cpu.mem.read(va, size);
        if (cpu.mem.fault) {
            cpu.mem.fault = false;
            unmapped(cpu, va, flags);
            return 0;
        }
        return v;
    }

    /** Writes 1, 2, 4 or 8 bytes; false if an exception was taken (memory unchanged then). */
    public static boolean write(Cpu cpu, long va, int size, long value, int flags) {
        if (!alignmentOk(cpu, va, size, flags)) {
            alignmentFault(cpu, va, flags | STORE, false);
            return false;
        }
        if (cpu.watchpointsArmed && watchpoint(cpu, va, size, flags | STORE)) return false;
        cpu.mem.fault = false;
        cpu.mem.write(va, size, value);
        if (cpu.mem.fault) {
            cpu.mem.fault = false;
            unmapped(cpu, va, flags | STORE);
            return false;
        }
        return true;
    }

    /**
     * SP alignment check (Arm ARM D1.8.2): when SP is the base register of a load/store and
     * SCTLR_ELx.SA (SCTLR_EL1.SA0 at EL0) is 1, SP must be 16-byte aligned, else an SP alignment
     * fault (EC 0x26) is taken. The execute layer calls this before the access; false if taken.
     */
    public static boolean checkSpAlignment(Cpu cpu, long sp) {
        boolean enabled = cpu.el == 0 ? SCTLR.SA0.isSet(cpu.sys.sctlr[1]) : SCTLR.SA.isSet(cpu.sys.sctlr[cpu.el]);
        if (!enabled || (sp & 0xF) == 0) return true;
        Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.SP_ALIGN, 0, cpu.pc));
        return false;
    }

    /** The data cache line size: 4 << CTR_EL0.DminLine bytes. */
    public static int dataCacheLineSize() {
        return 4 << CTR_EL0.DminLine.getInt(SysRegTable.CTR_EL0_VALUE);
    }

    /**
     * DC IVAC Xt: no cache is modelled, but the operation is checked against watchpoints as a
     * store of the whole line with CM = 1 (architecture.md §8.2; ESR ISS.CM = 1, WnR = 1).
     */
    public static void dataCacheInvalidate(Cpu cpu, long xt) {
        int line = dataCacheLineSize();
        long base = xt & -(long) line;
        if (cpu.watchpointsArmed)
            Debug.checkWatchpoint(cpu, base, line, false, true, false, true);
    }

    /**
     * DC ZVA Xt: zeroes the DCZID_EL0-sized block containing Xt. To Device memory (always, with
     * the MMU off, unless HCR_EL2.DC applies) it takes an Alignment fault (Arm ARM C5.3 DC ZVA).
     * Otherwise it is a store for watchpoints (architecture.md §8.2; UNVERIFIED).
     */
    public static void dataCacheZero(Cpu cpu, long xt) {
        int block = 4 << SysRegTable.DCZID_BS;
        long base = xt & -(long) block;
        if (!isNormalMemory(cpu)) {
            alignmentFault(cpu, xt, STORE, false);
            return;
        }
        if (cpu.watchpointsArmed && Debug.checkWatchpoint(cpu, base, block, false, true, false, false)) return;
        if (!cpu.mem.isMapped(base, block)) {
            unmapped(cpu, xt, STORE);
            return;
        }
        for (int off = 0; off < block; off += 8) cpu.mem.write(base + off, 8, 0);
    }

    // --- rules ---------------------------------------------------------------------------------------

    /** Stage 1 is off, so data accesses are Device-nGnRnE unless HCR_EL2.DC makes EL1&0 ones Normal. */
    static boolean isNormalMemory(Cpu cpu) {
        return cpu.el < 2 && HCR_EL2.DC.isSet(cpu.sys.hcrEl2);
    }

    static boolean needsNaturalAlignment(int flags) {
        return (flags & (EXCLUSIVE | ACQUIRE_RELEASE)) != 0 || (flags & ATOMIC) == ATOMIC;
    }

    static boolean isAligned(long va, int size) {
        return (va & (size - 1)) == 0;
    }

    /** Alignment rule for one element: Device memory, SCTLR_ELx.A, or an instruction that always needs it. */
    static boolean alignmentOk(Cpu cpu, long va, int size, int flags) {
        if (isAligned(va, size)) return true;
        if (needsNaturalAlignment(flags) || !isNormalMemory(cpu)) return false;
        int regime = Math.max(cpu.el, 1);
        return !SCTLR.A.isSet(cpu.sys.sctlr[regime]);
    }

    private static boolean watchpoint(Cpu cpu, long va, int size, int flags) {
        boolean read = (flags & LOAD) != 0, write = (flags & STORE) != 0;
        return Debug.checkWatchpoint(cpu, va, size, read, write, (flags & UNPRIVILEGED) != 0, false);
    }

    private static boolean reportsWrite(int flags) {
        return (flags & STORE) != 0 && (flags & LOAD) == 0;
    }

    /** Data Abort, Alignment fault (DFSC 0b100001), FAR = the VA. */
    static void alignmentFault(Cpu cpu, long va, int flags, boolean cm) {
        Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.DABT_LOWER,
                Syndrome.dataAbort(Syndrome.FSC_ALIGNMENT, reportsWrite(flags), cm), cpu.pc).withFar(va));
    }

    /**
     * An access to a physical address with nothing behind it. Without a hypervisor that is a
     * synchronous External abort. At EL1/EL0 with stage 2 enabled (HCR_EL2.VM = 1) the model's
     * stage 2 is an identity map of RAM and nothing else (devices mapped into the memory count as
     * RAM), so the access takes a stage 2 Translation fault to EL2 instead: EC 0x24, DFSC level 3
     * (project choice: the level at which a walk of a sparse table ends is not modelled), the
     * instruction syndrome when the instruction has one, FAR_EL2 = the VA and HPFAR_EL2 = the IPA.
     * That is the exit a hypervisor turns into MMIO emulation (Arm ARM D8.3 stage 2, D17.2.37).
     */
    static void unmapped(Cpu cpu, long va, int flags) {
        if (cpu.el < 2 && HCR_EL2.VM.isSet(cpu.sys.hcrEl2)) stage2TranslationFault(cpu, va, flags);
        else externalAbort(cpu, va, flags);
    }

    static void stage2TranslationFault(Cpu cpu, long va, int flags) {
        int word = cpu.mem.inRam(cpu.pc, 4) ? cpu.mem.fetch(cpu.pc) : 0;
        var row = Decoder.decode(word);
        int iss = row == null ? Syndrome.dataAbort(Syndrome.FSC_TRANSLATION_L3, reportsWrite(flags), false)
                : Syndrome.dataAbort(Syndrome.FSC_TRANSLATION_L3, reportsWrite(flags), false, word, row.kind());
        cpu.sys.hpfarEl2 = (va >>> 12) << 4;    // MMU off: IPA = VA; HPFAR_EL2.FIPA = IPA[51:12] in bits [43:4]
        Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.DABT_LOWER, iss, cpu.pc).withFar(va).to(2));
    }

    /** Synchronous External abort on a data access (DFSC 0b010000), FAR = the VA. */
    static void externalAbort(Cpu cpu, long va, int flags) {
        Exceptions.take(cpu, ExceptionRecord.of(ExceptionClass.DABT_LOWER,
                Syndrome.dataAbort(Syndrome.FSC_SYNC_EXTERNAL, reportsWrite(flags), false), cpu.pc).withFar(va));
    }
}
