package dev.debuglab.emulator.verdict;

import dev.debuglab.emulator.arch.Syndrome;
import dev.debuglab.emulator.guest.GuestLog;

/**
 * One way in which what the guest observed under KVM and a VMM differs from what the same guest
 * observes on bare hardware.
 *
 * @param kind     what kind of difference
 * @param index    position in the bare-metal log (for {@link Kind#EXTRA_EXCEPTION} / {@link Kind#EXTRA_VALUE}:
 *                 in the log under KVM)
 * @param field    for {@link Kind#DIFFERENT_FIELD}: "vector", "ESR", "ELR", "FAR" or "SPSR"; for
 *                 {@link Kind#DIFFERENT_VALUE}: "value"; otherwise null
 * @param expected the bare-metal entry (null when the entry is extra)
 * @param actual   the entry under KVM (null when the entry is missing)
 */
public record Difference(Kind kind, int index, String field, GuestLog.Entry expected, GuestLog.Entry actual) {

    public enum Kind {
        /** The architecture delivers this exception; under KVM the guest never saw it. */
        MISSING_EXCEPTION,
        /** The guest saw an exception the architecture does not deliver. */
        EXTRA_EXCEPTION,
        /** The same exception (same ELR), with a field that differs. */
        DIFFERENT_FIELD,
        /** A value the guest logged on bare metal and not under KVM. */
        MISSING_VALUE,
        /** A value the guest logged only under KVM. */
        EXTRA_VALUE,
        /** The guest read a different value. */
        DIFFERENT_VALUE
    }

    /** The bare-metal value of {@link #field}. */
    public long expectedValue() {
        return valueOf(expected);
    }

    /** The value of {@link #field} under KVM. */
    public long actualValue() {
        return valueOf(actual);
    }

    private long valueOf(GuestLog.Entry e) {
        if (e instanceof GuestLog.Value v) return v.value();
        GuestLog.Exception x = (GuestLog.Exception) e;
        return switch (field) {
            case "vector" -> x.vector();
            case "ESR" -> x.esr();
            case "ELR" -> x.elr();
            case "FAR" -> x.far();
            case "SPSR" -> x.spsr();
            default -> throw new IllegalStateException("no field " + field);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case MISSING_EXCEPTION -> "missing exception (bare metal #" + index + "): " + expected
                    + " — the architecture delivers it, the guest under KVM never saw it";
            case EXTRA_EXCEPTION -> "extra exception (under KVM #" + index + "): " + actual
                    + " — the architecture delivers nothing here";
            case DIFFERENT_FIELD -> {
                String what = field.equals("ESR")
                        ? String.format("bare metal 0x%08X (%s), under KVM 0x%08X (%s)", expectedValue(),
                        Syndrome.describe(expectedValue()), actualValue(), Syndrome.describe(actualValue()))
                        : String.format("bare metal 0x%X, under KVM 0x%X", expectedValue(), actualValue());
                yield String.format("%s differs for the exception at ELR 0x%X (bare metal #%d): %s",
                        field, ((GuestLog.Exception) expected).elr(), index, what);
            }
            case MISSING_VALUE -> "missing value (bare metal #" + index + "): " + expected + " — not logged under KVM";
            case EXTRA_VALUE -> "extra value (under KVM #" + index + "): " + actual;
            case DIFFERENT_VALUE -> String.format("value #%d read differently (bare metal #%d): bare metal 0x%X, under KVM 0x%X",
                    ((GuestLog.Value) expected).tag(), index, expectedValue(), actualValue());
        };
    }
}
