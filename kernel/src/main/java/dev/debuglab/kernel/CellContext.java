package dev.debuglab.kernel;

/**
 * Where the code running for a session writes: the session's worker thread holds one in an inheritable thread
 * local, so the JShell execution thread, the Kotlin thread and any thread a cell starts inherit it. While a cell
 * runs, {@link #sink} is that cell's output sink; between cells it is null and output goes to the process's own
 * streams.
 */
final class CellContext {
    static final InheritableThreadLocal<CellContext> CURRENT = new InheritableThreadLocal<>();

    volatile OutputSink sink;
    /** The session's %kvm / %vmm defaults (null = bare metal). */
    volatile String kvm;
    volatile String vmm = "qemu";

    boolean inCell() {
        return sink != null;
    }

    /** The sink of the cell running on (or started from) this thread, or null. */
    static OutputSink currentSink() {
        CellContext c = CURRENT.get();
        return c == null ? null : c.sink;
    }
}
