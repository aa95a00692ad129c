package dev.debuglab.emulator.differential;

import java.util.ArrayList;
import java.util.List;

/** A program and the cases it runs, in order: one boot of the reference and of DebugLab. */
final class Batch {
    final String name;
    final BareMetalProgram program;
    final List<DebugCase> cases = new ArrayList<>();

    Batch(String name, long base) {
        this.name = name;
        this.program = new BareMetalProgram(base);
    }

    void add(DebugCase c) {
        program.add(c.row());
        cases.add(c);
    }

    String source() {
        return program.source();
    }
}
