package dev.debuglab.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: options, and every bad input as one line with the fix. */
class MainTest {
    @TempDir
    Path dir;

    static String failure(String... args) {
        MachineException e = assertThrows(MachineException.class,
                () -> Main.run(args, new ByteArrayOutputStream(), new PrintStream(new ByteArrayOutputStream())));
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void badCommandLines() {
        assertTrue(failure("frobnicate").contains("unknown command 'frobnicate'"));
        assertTrue(failure("exec").contains("needs an ELF file"));
        assertTrue(failure("exec", "--bogus", "x.elf").contains("unknown option --bogus"));
        assertTrue(failure("exec", "--budget", "lots", "x.elf").contains("not a count"));
        assertTrue(failure("exec", "--budget").contains("needs a value"));
        assertTrue(failure("exec", "--ram", "0", "x.elf").contains("out of range"));
        assertTrue(failure("exec", "a.elf", "b.elf").contains("one ELF file"));
    }

    @Test
    void budgetExhaustionHasItsOwnStatusAndSays() throws Exception {
        Path loop = dir.resolve("loop.elf");
        ElfWriter.write(loop, new byte[] {0x00, 0x00, 0x00, 0x14}, VirtMachine.RAM_BASE, VirtMachine.RAM_BASE); // B .
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"exec", "--budget", "1e5", loop.toString()}, new ByteArrayOutputStream(), new PrintStream(err));
        assertEquals(Main.EXIT_BUDGET, status);
        assertTrue(err.toString().contains("instruction budget of 100000 exhausted at PC 0x40000000"), err.toString());
    }

    @Test
    void traceLinesDecodeTheSyndromeAndTheGuestExitCodeIsTheStatus() throws Exception {
        Path brk = dir.resolve("brk.elf");
        // BRK #0x42 with VBAR_EL2 = 0: the handler is outside RAM, so the exception loop is detected and stopped
        ElfWriter.write(brk, new byte[] {0x40, 0x08, 0x20, (byte) 0xD4}, VirtMachine.RAM_BASE, VirtMachine.RAM_BASE);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"exec", "--trace", brk.toString()}, new ByteArrayOutputStream(), new PrintStream(err));
        String t = err.toString();
        assertTrue(t.startsWith("trace: #1 BRK64 EL2 -> EL2 ESR=0xF2000042 [EC 0x3C BRK instruction (AArch64), IL 1, comment #0x42] ELR=0x40000000 FAR=unchanged vector=0x200"), t);
        assertEquals(Main.EXIT_STOPPED, status, t);
        assertTrue(t.contains("exception loop"), t);
    }

    @Test
    void countsAcceptUnderscoresAndExponents() {
        assertEquals(5_000_000_000L, Main.parseCount("5e9", "--budget"));
        assertEquals(1_000_000L, Main.parseCount("1_000_000", "--budget"));
        assertEquals(17L, Main.parseCount("17", "--budget"));
    }

    /** The real process: a non-ELF file gives exit status 2 and exactly one line on stderr, no stack trace. */
    @Test
    void processPrintsOneLineAndExitsWithTwoForABadFile() throws Exception {
        Path notElf = dir.resolve("notes.txt");
        Files.writeString(notElf, "hello");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "exec", notElf.toString())).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(Main.EXIT_USAGE, p.exitValue());
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("debuglab: " + notElf + ": not an ELF file"), err);
    }
}
