package dev.debuglab.emulator.machine;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.SemihostingHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The Arm semihosting calls a bare-metal test program needs, as QEMU serves them with
 * {@code -semihosting-config enable=on,target=native} ("Semihosting for AArch32 and AArch64",
 * Arm IHI 0087). The operation number is in W0 and the parameter (a value or the address of a
 * parameter block of 64-bit fields, for AArch64) in X1; MMU off, so addresses are physical.
 *
 * <p>Console output goes to its own stream: QEMU 7.2 writes it to stderr when no semihosting
 * chardev is configured, and {@code debuglab exec} does the same, so stdout carries only the UART.
 *
 * <p>Exit codes follow QEMU: for an A64 caller both SYS_EXIT and SYS_EXIT_EXTENDED take a
 * parameter block {@code {reason, subcode}}; reason ADP_Stopped_ApplicationExit (0x20026) exits
 * with {@code subcode}, any other reason with 1 (checked against QEMU by {@code SemihostingQemuTest}).
 */
public final class Semihosting implements SemihostingHandler {
    public static final int SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20;
    public static final long ADP_Stopped_ApplicationExit = 0x20026;

    /** Longest string SYS_WRITE0 prints before giving up on a missing terminator. */
    static final int WRITE0_LIMIT = 1 << 20;

    private final OutputStream console;
    /** Set when the guest asked to exit. */
    public boolean exited;
    /** The exit status the guest asked for, when {@link #exited}. */
    public int exitCode;
    /** Set when the guest made a call this machine does not serve (the PE is then halted). */
    public String unsupported;

    public Semihosting(OutputStream console) {
        this.console = console;
    }

    @Override
    public void call(Cpu cpu) {
        int op = (int) cpu.x[0];
        long param = cpu.x[1];
        switch (op) {
            case SYS_WRITEC:
                emit((int) cpu.mem.read(param, 1));
                break;
            case SYS_WRITE0:
                for (int n = 0; n < WRITE0_LIMIT; n++) {
                    cpu.mem.fault = false;
                    int ch = (int) cpu.mem.read(param + n, 1);
                    if (ch == 0 || cpu.mem.fault) break;
                    emit(ch);
                }
                break;
            case SYS_EXIT:
            case SYS_EXIT_EXTENDED: {
                long reason = cpu.mem.read(param, 8);
                long subcode = cpu.mem.read(param + 8, 8);
                exit(cpu, reason == ADP_Stopped_ApplicationExit ? (int) subcode : 1,
                        String.format("semihosting exit (reason 0x%X, subcode %d)", reason, subcode));
                break;
            }
            default:
                unsupported = String.format("unsupported semihosting call 0x%02X (W0) at PC 0x%X; this machine serves "
                        + "SYS_WRITEC, SYS_WRITE0, SYS_EXIT and SYS_EXIT_EXTENDED", op, cpu.pc);
                cpu.halted = true;
                cpu.stopReason = unsupported;
                break;
        }
    }

    private void exit(Cpu cpu, int code, String reason) {
        exited = true;
        exitCode = code;
        cpu.halted = true;
        cpu.stopReason = reason;
        flush();
    }

    private void emit(int ch) {
        try {
            console.write(ch);
            if (ch == '\n') console.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() {
        try {
            console.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
