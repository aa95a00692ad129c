package dev.debuglab.kernel;

/**
 * An is_complete_reply's content: {@code status} is complete, incomplete, invalid or unknown; {@code indent}
 * is the indentation to continue an incomplete cell with.
 */
public record Completeness(String status, String indent) {
    public static final Completeness COMPLETE = new Completeness("complete", "");
    public static final Completeness INVALID = new Completeness("invalid", "");
    public static final Completeness UNKNOWN = new Completeness("unknown", "");

    public static Completeness incomplete(String indent) {
        return new Completeness("incomplete", indent);
    }
}
