package dev.debuglab.emulator.machine;

import dev.debuglab.emulator.arch.ExceptionListener;
import dev.debuglab.emulator.arch.ExceptionRecord;
import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.Interpreter;
import dev.debuglab.emulator.mem.PhysicalMemory;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of QEMU's {@code virt} board a bare-metal debug test needs, started the way
 * {@code qemu-system-aarch64 -M virt,virtualization=on -cpu max -nographic
 * -semihosting-config enable=on,target=native -kernel FILE.elf} starts an ELF:
 * <ul>
 * <li>RAM at {@link #RAM_BASE} (128 MiB unless told otherwise), the PL011 UART at
 * {@link #UART_BASE}, Arm semihosting through {@code HLT #0xF000}; nothing else (no GIC, timer,
 * flash: an access there is an external abort).</li>
 * <li>Reset state for an ELF given to {@code -kernel} (QEMU loads it and jumps straight to
 * {@code e_entry}, no boot stub): PC = entry, PSTATE = EL2h with D, A, I, F set, NZCV = Z,
 * X0..X30 = 0, SP_EL0 = SP_EL1 = SP_EL2 = 0 (the program sets its own stack), system registers
 * at their reset values. Checked against QEMU 7.2 by {@code ResetStateQemuTest}.</li>
 * <li>{@link Start#EL1} (our {@code --el1}; QEMU's analogue is {@code -M virt} without
 * {@code virtualization=on}, which has no EL2): HCR_EL2.RW = 1 so EL1 is AArch64, then PSTATE =
 * EL1h with D, A, I, F set at the entry. EL2 still exists, with VBAR_EL2 = 0: an HVC or a routed
 * exception goes there.</li>
 * </ul>
 */
public final class VirtMachine {
    public static final long RAM_BASE = 0x4000_0000L;
    public static final int DEFAULT_RAM_SIZE = 128 << 20;
    public static final long UART_BASE = 0x0900_0000L;
    /** Default instruction budget of a run: generous, about a minute of guest time. */
    public static final long DEFAULT_BUDGET = 5_000_000_000L;

    /** HCR_EL2.RW, bit 31: the Execution state of EL1 is AArch64 (Arm ARM D19.2.48). */
    static final long HCR_EL2_RW = 1L << 31;

    /** PSTATE.Z in {@link Cpu#nzcv}. */
    static final int NZCV_Z = 4;

    /** Where execution starts. */
    public enum Start { EL2, EL1 }

    /** How a run ended. */
    public enum Outcome {
        /** The guest called SYS_EXIT / SYS_EXIT_EXTENDED. */
        EXITED,
        /** The instruction budget ran out. */
        BUDGET_EXHAUSTED,
        /** The machine stopped the PE (unsupported semihosting call, an exception loop that cannot progress). */
        STOPPED
    }

    /**
     * The result of {@link #run}.
     *
     * @param outcome      how the run ended
     * @param exitCode     the guest's exit status when {@link Outcome#EXITED}
     * @param instructions instructions retired during this run
     * @param message      one line for the user: why it stopped
     */
    public record Result(Outcome outcome, int exitCode, long instructions, String message) {}

    public final PhysicalMemory mem;
    public final Cpu cpu;
    public final Pl011 uart;
    public final Semihosting semihosting;
    private final List<ExceptionListener> listeners = new ArrayList<>();
    private long entry = RAM_BASE;
    private long lastVector = -1;
    private int sameVectorRepeats;

    /**
     * @param ramSize        RAM bytes from {@link #RAM_BASE}
     * @param uartOut        where the PL011's transmitted bytes go (stdout for {@code exec})
     * @param semihostingOut where semihosting console output goes (stderr for {@code exec}, as QEMU)
     */
    public VirtMachine(int ramSize, OutputStream uartOut, OutputStream semihostingOut) {
        mem = new PhysicalMemory(RAM_BASE, ramSize);
        uart = new Pl011(uartOut);
        mem.map(UART_BASE, Pl011.SIZE, uart);
        semihosting = new Semihosting(semihostingOut);
        cpu = new Cpu(mem);
        cpu.semihosting = semihosting;
        cpu.exceptionListener = this::exceptionTaken;
    }

    public VirtMachine(OutputStream uartOut, OutputStream semihostingOut) {
        this(DEFAULT_RAM_SIZE, uartOut, semihostingOut);
    }

    /** Adds an observer of exception entries (e.g. the {@code --trace} printer). */
    public void addExceptionListener(ExceptionListener l) {
        listeners.add(l);
    }

    /**
     * Copies the segments into RAM and sets the reset PC to the entry. A segment must lie in RAM;
     * the only bytes allowed outside are a leading ELF header and program header table with the
     * zero padding after them, which {@code ld -Ttext=0x40000000} maps just below the text and
     * which QEMU drops as well.
     */
    public void load(ElfImage image) {
        long ramEnd = RAM_BASE + mem.ram.length;
        for (ElfImage.Segment s : image.segments()) {
            long start = s.address();
            int skip = 0;
            if (start < RAM_BASE && RAM_BASE < s.end()) {
                int below = (int) (RAM_BASE - start);
                if (onlyHeaderAndPadding(s, below)) skip = below;
            }
            long from = start + skip;
            if (from < RAM_BASE || s.end() > ramEnd || s.end() < start)
                throw new MachineException(String.format(
                        "segment [0x%X, 0x%X) lies outside RAM [0x%X, 0x%X); link the program at 0x%X (e.g. ld -Ttext=0x%X)%s",
                        start, s.end(), RAM_BASE, ramEnd, RAM_BASE, RAM_BASE,
                        s.end() > ramEnd && start >= RAM_BASE ? " or give more RAM" : ""));
            byte[] bytes = skip == 0 ? s.bytes() : java.util.Arrays.copyOfRange(s.bytes(), skip, s.bytes().length);
            mem.load(from, bytes);
        }
        if (!mem.inRam(image.entry(), 4))
            throw new MachineException(String.format("entry point 0x%X is outside RAM [0x%X, 0x%X); set the ELF entry (_start) inside RAM",
                    image.entry(), RAM_BASE, ramEnd));
        entry = image.entry();
    }

    private static boolean onlyHeaderAndPadding(ElfImage.Segment s, int count) {
        for (int i = s.headerBytes(); i < count; i++)
            if (s.bytes()[i] != 0) return false;
        return true;
    }

    /** Puts the PE in the state QEMU gives a {@code -kernel} ELF (see the class comment). */
    public void reset(Start start) {
        java.util.Arrays.fill(cpu.x, 0);
        java.util.Arrays.fill(cpu.sp, 0);
        // NZCV is UNKNOWN after reset (Arm ARM, PE reset state); QEMU's reset reads back as Z = 1,
        // N = C = V = 0, and we give programs the same flags.
        cpu.nzcv = NZCV_Z;
        cpu.d = cpu.a = cpu.i = cpu.f = true;
        cpu.ss = cpu.il = false;
        cpu.spSel = 1;
        cpu.halted = false;
        cpu.stopReason = null;
        cpu.pc = entry;
        if (start == Start.EL1) {
            cpu.sys.hcrEl2 |= HCR_EL2_RW;
            cpu.el = 1;
        } else {
            cpu.el = 2;
        }
    }

    /**
     * Runs until the guest exits, the machine stops the PE, or {@code budget} instructions have
     * retired.
     */
    public Result run(long budget) {
        long startCount = cpu.instructionsRetired;
        long limit = startCount + budget;
        while (!cpu.halted && cpu.instructionsRetired < limit) {
            long before = cpu.instructionsRetired;
            Interpreter.run(cpu, limit - cpu.instructionsRetired);
            if (cpu.instructionsRetired == before && !cpu.halted) break; // defensive: no progress
        }
        uart.flush();
        semihosting.flush();
        long executed = cpu.instructionsRetired - startCount;
        if (semihosting.exited)
            return new Result(Outcome.EXITED, semihosting.exitCode, executed, cpu.stopReason);
        if (cpu.halted)
            return new Result(Outcome.STOPPED, 0, executed, cpu.stopReason);
        return new Result(Outcome.BUDGET_EXHAUSTED, 0, executed, String.format(
                "instruction budget of %d exhausted at PC 0x%X (%s); the program did not exit through semihosting — raise the budget or check for a loop",
                budget, cpu.pc, cpu.pstateString()));
    }

    private void exceptionTaken(ExceptionRecord r, int fromEl, int toEl, long esr, long elr, long vector) {
        // A handler whose first instruction raises the exception again, with the same state, can
        // never make progress (typically VBAR_ELx unset, so the vector is outside RAM): stop.
        if (elr == vector && lastVector == vector) {
            if (++sameVectorRepeats >= 2) {
                cpu.halted = true;
                cpu.stopReason = String.format(
                        "exception loop: the handler at 0x%X (EL%d) raises ESR 0x%08X at its own first instruction; set VBAR_EL%d to a vector table in RAM",
                        vector, toEl, esr, toEl);
            }
        } else {
            sameVectorRepeats = 0;
        }
        lastVector = vector;
        for (ExceptionListener l : listeners) l.taken(r, fromEl, toEl, esr, elr, vector);
    }
}
