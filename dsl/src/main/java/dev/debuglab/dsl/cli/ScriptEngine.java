package dev.debuglab.dsl.cli;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Evaluates one script file statement by statement, handing each statement's value to {@code shown}. */
interface ScriptEngine {
    /**
     * Runs {@code source} (the text of {@code file}); every top-level expression that has a value (not void /
     * Unit, not null) is passed to {@code shown} in order, as a notebook would display it.
     *
     * @throws ScriptFailure at the first statement that does not compile or that throws
     */
    void run(Path file, String source, Consumer<Object> shown);

    /**
     * Stops a script that runs on {@code worker} (a timeout or Ctrl-C). The default stops the thread itself, which is
     * all a JSR-223 engine offers; JShell stops its own execution first.
     */
    @SuppressWarnings("removal")
    default void stop(Thread worker) {
        worker.stop();
    }
}
