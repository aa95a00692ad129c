package dev.debuglab.emulator.machine;

import dev.debuglab.emulator.arch.ExceptionClass;
import dev.debuglab.emulator.arch.Syndrome;
import dev.debuglab.emulator.sysreg.RegisterFields.ESR;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code debuglab} command line (the launcher script passes its arguments here).
 *
 * <pre>
 * debuglab exec [--trace] [--el1] [--budget N] [--ram MiB] FILE.elf
 * </pre>
 *
 * Exit status: the guest's own exit code when it exits through semihosting;
 * {@value #EXIT_USAGE} for a bad command line or file; {@value #EXIT_BUDGET} when the instruction
 * budget runs out; {@value #EXIT_STOPPED} when the machine stops the guest (an unsupported
 * semihosting call, an exception loop); {@value #EXIT_INTERNAL} for an internal error. Every
 * error is one line on stderr; no stack trace unless {@code DEBUGLAB_DEBUG} is set.
 */
public final class Main {
    public static final int EXIT_USAGE = 2, EXIT_INTERNAL = 70, EXIT_BUDGET = 124, EXIT_STOPPED = 125;

    static final String USAGE = """
            usage: debuglab exec [--trace] [--el1] [--budget N] [--ram MiB] FILE.elf
              Runs a bare-metal AArch64 ELF like qemu-system-aarch64 -M virt,virtualization=on -cpu max
              -semihosting-config enable=on,target=native -kernel FILE.elf: RAM at 0x40000000, PL011 UART
              at 0x09000000 (to stdout), semihosting through HLT #0xF000 (console to stderr), start at the
              ELF entry at EL2h with D, A, I, F masked.
              --trace       one line per exception taken (to stderr): class, from EL, to EL, ESR decoded, ELR, FAR
              --el1         start at EL1h instead (HCR_EL2.RW = 1; EL2 exists with VBAR_EL2 = 0)
              --budget N    stop after N instructions (default 5e9); exit status 124 when it runs out
              --ram MiB     RAM size (default 128)
            """;

    private Main() {}

    public static void main(String[] args) {
        PrintStream err = System.err;
        int status;
        try {
            status = run(args, new FileOutputStream(FileDescriptor.out), err);
        } catch (MachineException e) {
            err.println("debuglab: " + e.getMessage());
            status = EXIT_USAGE;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            err.println("debuglab: internal error: " + e + " (a bug in DebugLab; set DEBUGLAB_DEBUG=1 for the stack trace and report it)");
            if (System.getenv("DEBUGLAB_DEBUG") != null) e.printStackTrace();
            status = EXIT_INTERNAL;
        }
        System.out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs one command; returns the process exit status. Bad input is thrown as {@link MachineException}. */
    static int run(String[] args, OutputStream stdout, PrintStream stderr) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            stderr.print(USAGE);
            return args.length == 0 ? EXIT_USAGE : 0;
        }
        if (!args[0].equals("exec"))
            throw new MachineException("unknown command '" + args[0] + "'; the commands are: exec (see debuglab help)");
        boolean trace = false, el1 = false;
        long budget = VirtMachine.DEFAULT_BUDGET;
        int ramMiB = VirtMachine.DEFAULT_RAM_SIZE >> 20;
        List<String> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--trace": trace = true; break;
                case "--el1": el1 = true; break;
                case "--budget": budget = parseCount(value(args, ++i, a), a); break;
                case "--ram": {
                    long mib = parseCount(value(args, ++i, a), a);
                    if (mib < 1 || mib > 1024) throw new MachineException("--ram " + mib + " is out of range; give 1 to 1024 (MiB)");
                    ramMiB = (int) mib;
                    break;
                }
                default:
                    if (a.startsWith("--")) throw new MachineException("unknown option " + a + "; the options are --trace, --el1, --budget N, --ram MiB");
                    files.add(a);
            }
        }
        if (files.size() != 1)
            throw new MachineException(files.isEmpty() ? "exec needs an ELF file: debuglab exec [--trace] [--el1] FILE.elf"
                    : "exec runs one ELF file, got " + files.size() + ": " + String.join(" ", files));
        if (budget < 1) throw new MachineException("--budget must be at least 1 instruction");

        ElfImage image = ElfLoader.load(Path.of(files.get(0)));
        OutputStream uart = new BufferedOutputStream(stdout);
        VirtMachine m = new VirtMachine(ramMiB << 20, uart, new BufferedOutputStream(stderr));
        if (trace) m.addExceptionListener(new Tracer(stderr));
        m.load(image);
        m.reset(el1 ? VirtMachine.Start.EL1 : VirtMachine.Start.EL2);
        VirtMachine.Result r = m.run(budget);
        if (trace) stderr.printf("trace: %s after %d instructions%n", r.message(), r.instructions());
        switch (r.outcome()) {
            case EXITED: return r.exitCode() & 0xFF;
            case BUDGET_EXHAUSTED:
                stderr.println("debuglab: " + r.message());
                return EXIT_BUDGET;
            default:
                stderr.println("debuglab: stopped: " + r.message());
                return EXIT_STOPPED;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new MachineException(option + " needs a value");
        return args[i];
    }

    /** A count written as 5000000000, 5_000_000_000 or 5e9. */
    static long parseCount(String s, String option) {
        String t = s.replace("_", "");
        try {
            if (t.matches("[0-9]+[eE][0-9]+")) {
                String[] p = t.split("[eE]");
                long v = Long.parseLong(p[0]);
                for (int k = Integer.parseInt(p[1]); k > 0; k--) v = Math.multiplyExact(v, 10);
                return v;
            }
            return Long.parseLong(t);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new MachineException(option + " " + s + " is not a count; write e.g. 1000000, 1_000_000 or 1e6");
        }
    }

    /** The {@code --trace} printer: one line per exception entry. */
    static final class Tracer implements dev.debuglab.emulator.arch.ExceptionListener {
        private final PrintStream out;
        private long count;

        Tracer(PrintStream out) {
            this.out = out;
        }

        @Override
        public void taken(dev.debuglab.emulator.arch.ExceptionRecord r, int fromEl, int toEl, long esr, long elr, long vector) {
            ExceptionClass c = ExceptionClass.of((int) ESR.EC.get(esr));
            out.printf("trace: #%d %s EL%d -> EL%d ESR=0x%08X [%s] ELR=0x%X FAR=%s vector=0x%X%n", ++count,
                    c == null ? "?" : c.name(), fromEl, toEl, esr, Syndrome.describe(esr), elr,
                    r.hasFar() ? String.format("0x%X", r.far()) : "unchanged", vector);
        }
    }
}
