package dev.debuglab.dsl.render;

/** Renders a value of type {@code T} to one MIME type. */
@FunctionalInterface
public interface Renderer<T> {
    String render(T value);
}
