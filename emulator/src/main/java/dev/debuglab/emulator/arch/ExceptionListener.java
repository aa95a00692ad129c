package dev.debuglab.emulator.arch;

/**
 * Observer of every exception entry (for {@code --trace}, the DSL's routing events, tests).
 * Called after the PE state has been updated.
 *
 * @param record what execution raised
 * @param fromEl the EL the exception was taken from
 * @param toEl   the EL it was taken to
 * @param esr    the ESR value written (with the final same-EL EC)
 * @param elr    the ELR value written
 * @param vector the handler address
 */
@FunctionalInterface
public interface ExceptionListener {
    void taken(ExceptionRecord record, int fromEl, int toEl, long esr, long elr, long vector);
}
