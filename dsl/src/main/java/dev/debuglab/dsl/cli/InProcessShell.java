package dev.debuglab.dsl.cli;

import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** A JShell builder whose snippets run in this JVM through the given control (scripts and the kernel's Java cells). */
public final class InProcessShell {
    private InProcessShell() {}

    public static JShell.Builder builder(ExecutionControl control) {
        ExecutionControlProvider provider = new ExecutionControlProvider() {
            @Override
            public String name() {
                return "debuglab-local";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return control;
            }
        };
        return JShell.builder().executionEngine(provider, Map.of());
    }
}
