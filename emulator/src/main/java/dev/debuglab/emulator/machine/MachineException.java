package dev.debuglab.emulator.machine;

/**
 * A problem with the user's input to the machine (a file that is not a loadable AArch64 ELF, a
 * segment outside RAM, a bad option). The message is one line that names the problem and the fix;
 * {@link Main} prints it as is, without a stack trace.
 */
public final class MachineException extends RuntimeException {
    public MachineException(String message) {
        super(message);
    }
}
