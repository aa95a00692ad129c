package dev.debuglab.emulator.cpu;

/**
 * A predecoded instruction: the encoding's fields already extracted. Contract: {@link #execute}
 * runs the instruction at {@code cpu.pc}. On normal completion it leaves {@code cpu.pc} at the
 * next instruction to execute; if the instruction raises an exception it calls
 * {@code Exceptions.take} (which sets {@code cpu.pc} to the vector and {@code cpu.exceptionTaken})
 * and returns. Nothing is thrown.
 */
@FunctionalInterface
public interface Op {
    void execute(Cpu cpu);
}
