package dev.debuglab.dsl;

/**
 * Bad input to the DSL, raised at the call that caused it and before anything runs: one message that
 * names the problem and the fix ("breakpoint 7: this PE has 6 (ID_AA64DFR0_EL1.BRPs = 5); use 0..5").
 */
public class DslException extends IllegalArgumentException {
    public DslException(String message) {
        super(message);
    }

    public DslException(String message, Throwable cause) {
        super(message, cause);
    }
}
