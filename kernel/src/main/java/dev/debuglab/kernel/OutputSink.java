package dev.debuglab.kernel;

/** Receives a cell's outputs while it runs (the wire kernel publishes each one on IOPub at once). */
@FunctionalInterface
public interface OutputSink {
    OutputSink NONE = o -> {};

    void emit(Output output);
}
