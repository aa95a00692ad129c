package dev.debuglab.bench;

import dev.debuglab.dsl.Guest;
import dev.debuglab.dsl.GuestCode;
import dev.debuglab.dsl.Lab;
import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.Stages;
import dev.debuglab.emulator.machine.ElfWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The DSL's speed (issue 4): one 100-instruction debug scenario under a KVM model, warm, in process (median
 * of many runs, with and without KVM's routing trace); N such scenarios across a configuration space on all
 * cores; and the scenario's ELF for a QEMU bare-metal process (bench/run.sh times that one).
 *
 * <pre>java -cp ... dev.debuglab.bench.DslBench [scenarios=100000] [elf-out]</pre>
 */
public final class DslBench {
    private DslBench() {}

    /** The scenario: unlock, MDE/KDE on, D clear, breakpoint 0 at `t`, ~80 instructions of work, the breakpoint taken, off. */
    static GuestCode scenario(boolean oslk, int bp) {
        return scenario(Lab.guest(), oslk, bp);
    }

    static GuestCode scenario(GuestCode start, boolean oslk, int bp) {
        GuestCode g = start.osLock(oslk).mde(true).kde(true).clearD().hwBreakpoint(bp % 6).at("t");
        for (int i = 0; i < 40; i++) g = g.asm("add x1, x1, #1").asm("eor x2, x2, x1");
        return g.label("t").nop();
    }

    /**
     * Runs {@code r} for at least {@code ms} milliseconds and until it is warm: the median of a batch of 500 runs within
     * 5% of the batch before (the JIT has finished with it), or 15 s at most.
     */
    static void warmUp(Runnable r, long ms) {
        long start = System.nanoTime(), min = start + ms * 1_000_000L, max = start + 15_000_000_000L;
        double last = Double.MAX_VALUE;
        long[] batch = new long[500];
        while (true) {
            for (int i = 0; i < batch.length; i++) {
                long t0 = System.nanoTime();
                r.run();
                batch[i] = System.nanoTime() - t0;
            }
            double m = median(batch);
            long now = System.nanoTime();
            if (now > max || now > min && Math.abs(m - last) <= 0.05 * last) return;
            last = m;
        }
    }

    static double median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e3;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Guest g = scenario(false, 0).build();
        LabRun probe = g.kvm("6.1").qemu().run();
        System.out.printf("scenario: %d guest instructions under KVM 6.1 + QEMU, outcome %s, %s%n", probe.instructions(), probe.outcome(),
                probe.summary());
        Stages.QemuStage stage = g.kvm("6.1").qemu();
        // JIT warm-up by time, not by a count: on a loaded machine the compiler threads get little CPU, and a few thousand
        // runs (tens of milliseconds) left the run path partly interpreted.
        warmUp(stage::runQuiet, 2_000);
        long[] quiet = new long[2000], traced = new long[2000], quietCpu = new long[2000];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < quiet.length; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            stage.runQuiet();
            quiet[i] = System.nanoTime() - t0;
            quietCpu[i] = mx.getCurrentThreadCpuTime() - c0;
        }
        warmUp(stage::run, 1_000); // after the quiet runs: its other type profiles would otherwise recompile the quiet path
        long[] tracedCpu = new long[traced.length];
        for (int i = 0; i < traced.length; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            stage.run();
            traced[i] = System.nanoTime() - t0;
            tracedCpu[i] = mx.getCurrentThreadCpuTime() - c0;
        }
        int[] built = {0};
        warmUp(() -> scenario(built[0] % 2 == 0, built[0]++).build(), 1_000);
        long[] build = new long[2000];
        for (int i = 0; i < build.length; i++) {
            long t0 = System.nanoTime();
            scenario(i % 2 == 0, i).build();
            build[i] = System.nanoTime() - t0;
        }
        System.out.printf("one scenario, warm: %.1f us median without the KVM trace (%.1f us of thread CPU time), %.1f us with the routing trace"
                + " (%.1f us CPU); guest build %.1f us%n", median(quiet), median(quietCpu), median(traced), median(tracedCpu), median(build));

        // N scenarios over a configuration space (OSLK x breakpoint number x version), all cores.
        String[] versions = {"5.15", "v2", "6.1", "6.14"};
        Guest[] guests = new Guest[12];
        for (int i = 0; i < guests.length; i++) guests[i] = scenario(i % 2 == 1, i / 2).build();
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong(), delivered = new AtomicLong(), cpu = new AtomicLong();
        long t0 = System.nanoTime();
        Future<?>[] fs = new Future<?>[threads];
        for (int t = 0; t < threads; t++)
            fs[t] = pool.submit(() -> {
                long c0 = mx.getCurrentThreadCpuTime();
                for (long i; (i = next.getAndIncrement()) < n; ) {
                    LabRun r = guests[(int) (i % guests.length)].kvm(versions[(int) (i / guests.length % versions.length)]).qemu().runQuiet();
                    if (!r.guestExceptions().isEmpty()) delivered.incrementAndGet();
                }
                cpu.addAndGet(mx.getCurrentThreadCpuTime() - c0);
            });
        for (Future<?> f : fs) f.get();
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        System.out.printf("sweep: %d scenarios on %d threads in %.2f s (%.1f us each; %d delivered a breakpoint); %.2f CPU-seconds in the workers"
                + " (%.2f s on %d otherwise idle cores)%n", n, threads, secs, secs * 1e6 / n, delivered.get(), cpu.get() / 1e9,
                cpu.get() / 1e9 / threads, threads);

        if (args.length > 1) {
            // The same scenario for QEMU TCG bare metal (EL1, no EL2): it ends with a semihosting SYS_EXIT.
            // QEMU's -kernel boot leaves SP_EL1 = 0 (a VMM sets it through ONE_REG): the guest sets it first.
            Guest q = scenario(Lab.guest().mov("x16", Guest.STACK).asm("mov sp, x16"), false, 0).asm("adr x1, qemu_exit", "mov x0, #0x18", "hlt #0xf000").data("qemu_exit", 0x20026, 0).build();
            long base = Guest.BASE, end = 0;
            for (var s : q.image().image().segments()) end = Math.max(end, s.address() + s.bytes().length);
            byte[] flat = new byte[(int) (end - base)];
            for (var s : q.image().image().segments()) System.arraycopy(s.bytes(), 0, flat, (int) (s.address() - base), s.bytes().length);
            ElfWriter.write(Path.of(args[1]), flat, base, q.image().entry());
            System.out.println("elf: " + args[1]);
        }
    }
}
