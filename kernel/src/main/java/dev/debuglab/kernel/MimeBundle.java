package dev.debuglab.kernel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Jupyter MIME bundle: MIME type → content, text/plain first (the {@code data} of display_data and
 * execute_result). Immutable.
 */
public final class MimeBundle {
    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String SVG = "image/svg+xml";
    public static final String JSON = "application/json";
    public static final String MARKDOWN = "text/markdown";

    private final Map<String, String> data;

    private MimeBundle(Map<String, String> data) {
        this.data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** A bundle of the given entries, in their order. */
    public static MimeBundle of(Map<String, String> data) {
        return new MimeBundle(data);
    }

    /** A text/plain only bundle. */
    public static MimeBundle text(String text) {
        return new MimeBundle(Map.of(TEXT, text));
    }

    /** This bundle with {@code mime} → {@code content} added (or replaced). */
    public MimeBundle with(String mime, String content) {
        Map<String, String> m = new LinkedHashMap<>(data);
        m.put(mime, content);
        return new MimeBundle(m);
    }

    public Map<String, String> data() {
        return data;
    }

    public Optional<String> get(String mime) {
        return Optional.ofNullable(data.get(mime));
    }

    public boolean has(String mime) {
        return data.containsKey(mime);
    }

    /** The text/plain rendering ("" when absent). */
    public String text() {
        return data.getOrDefault(TEXT, "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MimeBundle b && b.data.equals(data);
    }

    @Override
    public int hashCode() {
        return data.hashCode();
    }

    @Override
    public String toString() {
        return "MimeBundle" + data.keySet();
    }
}
