package dev.debuglab.emulator.differential;

import dev.debuglab.emulator.differential.ArchModel.Model;
import java.util.List;
import java.util.function.Function;

/**
 * One differential case: the row the harness programs, a readable name listing its inputs, and
 * its expected output lines computed from the architecture rules ({@link ArchModel}) for a given
 * reference {@link Model}. The first expected line is always the case header.
 */
record DebugCase(int id, String name, BareMetalProgram.Row row, Function<Model, List<String>> expectation) {

    List<String> expected(Model m) {
        return expectation.apply(m);
    }

    @Override
    public String toString() {
        return String.format("case %04X %s", id, name);
    }
}
