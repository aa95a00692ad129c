package dev.debuglab.dsl;

/**
 * What a notebook kernel lends the DSL for the cells of one session: the session's default KVM version and VMM (the
 * kernel's {@code %kvm} / {@code %vmm} magics, used by {@link Guest#run()}) and a live progress display for sweeps.
 * The kernel attaches its session on the thread that runs cells; threads a cell starts inherit it. Outside a notebook
 * nothing is attached and the DSL behaves as everywhere else (bare metal, no progress).
 */
public final class NotebookHooks {
    private NotebookHooks() {
    }

    /** The kernel's side. */
    public interface Session {
        /** The KVM version ("6.1", "v2", ...) for runs that do not choose; null = bare metal. */
        String defaultKvm();

        /** "qemu" or "kvmtool": the VMM under {@link #defaultKvm()}. */
        String defaultVmm();

        /** A progress callback for a long operation described by {@code what} (shown live), or null. */
        Sweep.Progress progress(String what);
    }

    private static final InheritableThreadLocal<Session> CURRENT = new InheritableThreadLocal<>();

    /** Attaches {@code session} to this thread and the threads it starts from now on (null detaches). */
    public static void attach(Session session) {
        CURRENT.set(session);
    }

    /** The attached session, or null outside a notebook. */
    public static Session current() {
        return CURRENT.get();
    }

    static Sweep.Progress progress(String what) {
        Session s = CURRENT.get();
        return s == null ? null : s.progress(what);
    }
}
