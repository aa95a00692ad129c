package dev.debuglab.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The floor under the Java cell round trip: JShell's own evaluation of a cell, in this JVM, with no Jupyter transport.
 * Two engines configured as the kernel's (class path, compiler options, imports, warm-up) evaluate the same cell in
 * turn: one straight through {@code JShell.eval} (the floor), one through the kernel's cell path
 * ({@link JavaEngine#eval}: splitting into snippets, the value read back). kernel/bench/kernel_bench.py runs it with
 * the kernelspec's JVM options next to the kernels, so the three figures come from the same run:
 *
 * <pre>java [kernel.json's JVM options] -cp debuglab-kernel.jar dev.debuglab.kernel.JShellFloor [--cells 30] [--warmup 2] [--code 1+1]</pre>
 *
 * Prints one JSON object: per timed cell, wall and thread-CPU milliseconds of both paths.
 */
public final class JShellFloor {
    private JShellFloor() {
    }

    public static void main(String[] args) throws Exception {
        int cells = 30, warmup = 2;
        String code = "1+1";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            if (a.equals("--cells") && hasValue) cells = positive(a, args[++i]);
            else if (a.equals("--warmup") && hasValue) warmup = positive(a, args[++i]);
            else if (a.equals("--code") && hasValue) code = args[++i];
            else {
                System.err.println("JShellFloor: unknown or incomplete option " + a + "; the options are --cells N, --warmup N, --code CELL");
                System.exit(2);
            }
        }
        if (cells < 1) {
            System.err.println("JShellFloor: --cells needs at least 1");
            System.exit(2);
        }
        final String cell = code;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<double[]> raw = new ArrayList<>(), kernel = new ArrayList<>();
        try (JavaEngine floor = new JavaEngine().warm(); JavaEngine path = new JavaEngine().warm()) {
            for (int i = 0; i < warmup + cells; i++) {
                double[] r = time(mx, () -> floor.evalSource(cell));
                double[] k = time(mx, () -> path.eval(cell));
                if (i >= warmup) {
                    raw.add(r);
                    kernel.add(k);
                }
            }
        }
        StringBuilder out = new StringBuilder("{\"code\": \"").append(code.replace("\\", "\\\\").replace("\"", "\\\"")).append("\", \"cells\": ").append(cells)
                .append(", \"warmup\": ").append(warmup);
        out.append(", \"jshell_eval_ms\": ").append(column(raw, 0)).append(", \"jshell_eval_cpu_ms\": ").append(column(raw, 1));
        out.append(", \"kernel_cell_path_ms\": ").append(column(kernel, 0)).append(", \"kernel_cell_path_cpu_ms\": ").append(column(kernel, 1)).append('}');
        System.out.println(out);
        System.exit(0);
    }

    private interface Body {
        void run() throws Exception;
    }

    private static double[] time(ThreadMXBean mx, Body body) throws Exception {
        long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        body.run();
        return new double[] {(System.nanoTime() - t0) / 1e6, (mx.getCurrentThreadCpuTime() - c0) / 1e6};
    }

    private static String column(List<double[]> rows, int k) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", rows.get(i)[k]));
        return b.append(']').toString();
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // below
        }
        System.err.println("JShellFloor: " + option + " needs a whole number (got " + value + ")");
        System.exit(2);
        return 0;
    }
}
