package dev.debuglab.emulator.cpu;

/**
 * Arm semihosting, invoked by {@code HLT #0xF000} when a machine installs a handler (as
 * {@code qemu -semihosting} does). Without a handler HLT is UNDEFINED (no halting debug).
 * The handler reads the operation from W0 and the parameter from X1 and writes the result to X0.
 */
@FunctionalInterface
public interface SemihostingHandler {
    void call(Cpu cpu);
}
