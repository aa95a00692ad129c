package dev.debuglab.kernel;

import java.security.Permission;

/**
 * Refuses {@code System.exit} from a cell (a {@link SecurityException} the cell sees as its error) while letting
 * the kernel itself exit. Java 17 deprecates the SecurityManager but still honours it when the JVM starts with
 * {@code -Djava.security.manager=allow} (the kernelspec's argv and the tests do); without that flag the guard
 * is not installed and {@link #active()} says so. Every other permission is granted.
 */
final class ExitGuard extends SecurityManager {
    private static volatile boolean active;
    private static boolean tried;

    private ExitGuard() {
    }

    @SuppressWarnings("removal")
    static synchronized void install() {
        if (tried) return;
        tried = true;
        if (System.getSecurityManager() instanceof ExitGuard) {
            active = true;
            return;
        }
        try {
            System.setSecurityManager(new ExitGuard());
            active = true;
        } catch (UnsupportedOperationException | SecurityException e) {
            active = false;
        }
    }

    static boolean active() {
        return active;
    }

    @Override
    public void checkPermission(Permission perm) {
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
    }

    @Override
    public void checkExit(int status) {
        CellContext c = CellContext.CURRENT.get();
        if (c != null && c.inCell()) {
            throw new SecurityException("System.exit(" + status + ") was refused: a cell cannot end the kernel; "
                    + "use the notebook's Kernel > Shutdown or Restart instead");
        }
    }
}
