package dev.debuglab.emulator.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Disassembler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The differential programs assembled by the project's own {@link Assembler} must be the very
 * bytes GNU {@code as}/{@code ld} produce (the reference toolchain, binutils 2.40), so that a
 * program built either way runs identically on QEMU and DebugLab. One batch is then run from the
 * project assembler's bytes, to show the whole path (assemble, wrap with ElfWriter, run on both).
 */
class OwnAssemblerDifferentialTest {

    private static List<Batch> programs() {
        List<Batch> all = new ArrayList<>(DebugMatrix.batches(BareMetalProgram.DEFAULT_BASE));
        all.add(EntryReturnCases.batch(BareMetalProgram.DEFAULT_BASE));
        return all;
    }

    @Test
    void everyDifferentialProgramAssemblesToTheSameBytesAsGnuAs() {
        for (Batch b : programs()) {
            long base = b.program.base;
            String source = b.source();
            byte[] gnu = GnuBytes.assemble(source, base);
            byte[] ours = Assembler.assemble(base, source).bytes();
            int n = Math.min(gnu.length, ours.length);
            for (int i = 0; i < n; i += 4) {
                int g = word(gnu, i), o = word(ours, i);
                if (g != o)
                    fail(String.format("%s: first difference at 0x%x: GNU as %08x (%s), DebugLab assembler %08x (%s)",
                            b.name, base + i, g, Disassembler.disassemble(g, base + i), o,
                            Disassembler.disassemble(o, base + i)));
            }
            assertEquals(gnu.length, ours.length, b.name + ": image length");
        }
    }

    @Test
    void aBatchBuiltByTheProjectAssemblerRunsLikeTheReference() {
        Batch b = DebugMatrix.batch(DebugMatrix.EventKind.WATCHPOINT_STORE, BareMetalProgram.DEFAULT_BASE);
        DifferentialCheck check = new DifferentialCheck();
        check.run(b, Assembler.assemble(b.program.base, b.source()).bytes());
        System.out.print(check.summary("own assembler, " + b.name));
        check.assertPassed("own assembler, " + b.name);
        assertEquals(b.cases.size(), check.oursAgree, "every case agrees with the architecture");
    }

    private static int word(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }
}
