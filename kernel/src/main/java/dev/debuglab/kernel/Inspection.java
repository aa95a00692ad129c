package dev.debuglab.kernel;

/** An inspect_reply's content (shift-tab): the documentation of what is under the cursor. */
public record Inspection(boolean found, MimeBundle data) {
    public static final Inspection NOT_FOUND = new Inspection(false, MimeBundle.of(java.util.Map.of()));
}
