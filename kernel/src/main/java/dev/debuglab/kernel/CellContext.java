package dev.debuglab.kernel;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.debuglab.dsl.NotebookHooks;
import dev.debuglab.dsl.Sweep;

/**
 * Where the code running for a session writes, and what the session lends the DSL: the session's worker thread holds
 * one in an inheritable thread local (and attaches it to the DSL's {@link NotebookHooks}), so the JShell execution
 * thread, the Kotlin thread and any thread a cell starts inherit it. While a cell runs, {@link #sink} is that cell's
 * output sink; between cells it is null and output goes to the process's own streams.
 */
final class CellContext implements NotebookHooks.Session {
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

    @Override
    public String defaultKvm() {
        return kvm;
    }

    @Override
    public String defaultVmm() {
        return vmm;
    }

    /**
     * A live progress display: shown at once with a display_id, updated at most every 100 ms (and at the end) from the
     * sweep's worker threads.
     */
    @Override
    public Sweep.Progress progress(String what) {
        OutputSink s = sink;
        if (s == null) return null;
        String id = "debuglab-progress-" + UUID.randomUUID();
        s.emit(new Output.Display(bundle(what, 0, -1), id));
        AtomicLong last = new AtomicLong(System.nanoTime());
        return (done, total) -> {
            long now = System.nanoTime();
            long prev = last.get();
            if (done < total && now - prev < 100_000_000L) return;
            if (done < total && !last.compareAndSet(prev, now)) return;
            s.emit(new Output.DisplayUpdate(bundle(what, done, total), id));
        };
    }

    static MimeBundle bundle(String what, int done, int total) {
        if (total < 0) return MimeBundle.text(what + ": starting").with(MimeBundle.HTML, "<div>" + Magics.escape(what) + ": starting</div>");
        int pct = total == 0 ? 100 : (int) (100L * done / total);
        String text = what + ": " + done + "/" + total + " (" + pct + "%)" + (done == total ? " done" : "");
        String html = "<div>" + Magics.escape(what) + ": <progress value=\"" + done + "\" max=\"" + total + "\"></progress> " + done + "/"
                + total + (done == total ? " done" : "") + "</div>";
        return MimeBundle.text(text).with(MimeBundle.HTML, html);
    }
}
