package dev.debuglab.bench;

import dev.debuglab.emulator.machine.ElfLoader;
import dev.debuglab.emulator.machine.VirtMachine;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Throughput of the interpreter on a guest loop (bench/guest/*.S assembled with a huge N): runs
 * the ELF in slices of a fixed instruction budget, discards the warm-up slices (JIT), and reports
 * the median of the measured ones as guest instructions per second (every instruction boundary
 * counts, exception entries included) and loop iterations per second (the loop counter is X0),
 * and the median guest instructions per second of the thread's CPU time.
 *
 * <pre>java -cp ... dev.debuglab.bench.LoopBench FILE.elf [warmupSeconds] [measureSeconds]</pre>
 */
public final class LoopBench {
    private LoopBench() {}

    static final long SLICE = 20_000_000L;

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: LoopBench FILE.elf [warmupSeconds] [measureSeconds]");
            System.exit(2);
        }
        double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        double measure = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        VirtMachine m = new VirtMachine(OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        m.load(ElfLoader.load(Path.of(args[0])));
        m.reset(VirtMachine.Start.EL2);
        m.run(100_000); // through the set-up code, into the loop
        runFor(m, warmup);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] ips = new double[1000], iters = new double[1000], cpuIps = new double[1000];
        int n = 0;
        long end = System.nanoTime() + (long) (measure * 1e9);
        while (System.nanoTime() < end && n < ips.length) {
            long x0 = m.cpu.x[0], c0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            VirtMachine.Result r = m.run(SLICE);
            double s = (System.nanoTime() - t0) / 1e9, cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
            if (r.outcome() != VirtMachine.Outcome.BUDGET_EXHAUSTED) throw new IllegalStateException("loop ended: " + r.message());
            ips[n] = r.instructions() / s;
            iters[n] = (x0 - m.cpu.x[0]) / s;
            cpuIps[n] = r.instructions() / cpu;
            n++;
        }
        Arrays.sort(ips, 0, n);
        Arrays.sort(iters, 0, n);
        Arrays.sort(cpuIps, 0, n);
        // The thread-CPU-time rate leaves out the time the thread waited for a core: on a machine
        // shared with other work it stays near the idle machine's wall-clock rate.
        System.out.printf("%s: %.1f M guest instructions/s, %.2f M loop iterations/s (median of %d slices of %d instructions;"
                        + " %.1f M per second of thread CPU time)%n",
                Path.of(args[0]).getFileName(), ips[n / 2] / 1e6, iters[n / 2] / 1e6, n, SLICE, cpuIps[n / 2] / 1e6);
    }

    private static void runFor(VirtMachine m, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) m.run(SLICE);
    }
}
