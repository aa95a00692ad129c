package dev.debuglab.dsl.render;

/** The MIME types a DSL result renders to (the keys of a Jupyter display_data bundle). */
public enum Mime {
    TEXT("text/plain"),
    HTML("text/html"),
    SVG("image/svg+xml"),
    JSON("application/json");

    public final String type;

    Mime(String type) {
        this.type = type;
    }

    /** The constant for a MIME type string, e.g. "image/svg+xml". */
    public static Mime of(String type) {
        for (Mime m : values()) if (m.type.equalsIgnoreCase(type)) return m;
        throw new IllegalArgumentException("no renderer produces \"" + type + "\"; use one of text/plain, text/html, image/svg+xml, application/json");
    }

    @Override
    public String toString() {
        return type;
    }
}
