package dev.debuglab.kernel;

/** The language of a notebook's cells: Java (JShell) with {@code %%kotlin} cells, or Kotlin for every cell. */
public enum Language {
    /** The "DebugLab (Java)" kernelspec: cells are JShell snippets; a {@code %%kotlin} cell is Kotlin. */
    JAVA("java", "debuglab-java", "DebugLab (Java)"),
    /** The "DebugLab (Kotlin)" kernelspec: every cell is Kotlin (kotlin-scripting-jsr223). */
    KOTLIN("kotlin", "debuglab-kotlin", "DebugLab (Kotlin)");

    /** The language name of kernel.json and {@code language_info.name}. */
    public final String id;
    /** The kernelspec's folder name. */
    public final String kernelName;
    /** The kernelspec's display name. */
    public final String displayName;

    Language(String id, String kernelName, String displayName) {
        this.id = id;
        this.kernelName = kernelName;
        this.displayName = displayName;
    }

    /** "java" or "kotlin" (case-insensitive). */
    public static Language of(String name) {
        for (Language l : values()) if (l.id.equalsIgnoreCase(name)) return l;
        throw new IllegalArgumentException("unknown language '" + name + "'; use java or kotlin");
    }
}
