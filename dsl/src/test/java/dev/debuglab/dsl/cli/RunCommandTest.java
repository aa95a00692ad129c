package dev.debuglab.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code debuglab run} end to end: the CLI main in a fresh JVM on the example scripts of {@code examples/} and on broken
 * scripts, checking what is printed (the routing the architecture prescribes), {@code --json}, {@code --html}, the
 * error lines (file:line: problem, no stack trace) and the exit status.
 */
class RunCommandTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent(); // dsl/ -> the repository
    private static final Path EXAMPLES = ROOT.resolve("examples");
    private static final Path SCRIPTS = Path.of("src/test/resources/scripts").toAbsolutePath();

    record Result(int status, String out, String err) {
        String all() {
            return "status " + status + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** The test class path as a list of real entries (surefire may hand us a manifest-only jar). */
    static String classPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(e);
            if (e.endsWith(".jar") && new File(e).getName().startsWith("surefire")) {
                try (JarFile jar = new JarFile(e)) {
                    Manifest m = jar.getManifest();
                    String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String u : cp.split(" ")) {
                            if (!u.isBlank()) entries.add(Path.of(java.net.URI.create(u)).toString());
                        }
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static Result cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", classPath(), Main.class.getName(), "run"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("debuglab-run", ".out");
        Path err = Files.createTempFile("debuglab-run", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(240, TimeUnit.SECONDS), "debuglab run " + String.join(" ", args) + " did not finish in 240 s");
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static void noStackTrace(Result r) {
        assertFalse(r.err.contains("\tat ") || r.err.contains("Exception in thread"), "a JVM stack trace was printed:\n" + r.all());
    }

    @Test
    void javaScriptPrintsTheRoutingOfItsRun() throws Exception {
        Result r = cli(EXAMPLES.resolve("oslock-brk.jsh").toString());
        assertEquals(0, r.status, r.all());
        // BRK under the OS Lock on 6.1: taken at the guest's own EL1 vector (EC 0x3C, ISS = the comment 0x42).
        assertTrue(r.out.contains("Run on KVM v6.1 + QEMU"), r.all());
        assertTrue(r.out.contains("ESR 0xF2000042 (EC 0x3C"), r.all());
        assertTrue(r.out.contains("guest EL1"), r.all());
        noStackTrace(r);
    }

    @Test
    void kotlinScriptPrintsTheComparisonWithTheDifferenceMarked() throws Exception {
        Result r = cli(EXAMPLES.resolve("oslock-hwbp.kts").toString());
        assertEquals(0, r.status, r.all());
        // Bare metal and 6.1: the OS Lock masks the breakpoint, only the BRK (EC 0x3C); 5.15 (RAZ/WI): EC 0x31 first.
        String table = r.out;
        assertTrue(table.contains("bare metal") && table.contains("KVM v5.15 + QEMU") && table.contains("KVM v6.1 + QEMU"), r.all());
        assertTrue(table.contains("EC 0x31"), r.all());
        // The verdict row: bare metal and 6.1 architectural, 5.15 not; the row is marked as differing (first column).
        assertTrue(table.lines().anyMatch(l -> !l.startsWith(" ") && l.matches(".*architectural\\s+yes\\s+NO \\(1\\)\\s+yes\\s*")), r.all());
        noStackTrace(r);
    }

    @Test
    void jsonAndHtml() throws Exception {
        Path html = Files.createTempFile("debuglab-run", ".html");
        try {
            Result r = cli("--json", "--html", html.toString(), EXAMPLES.resolve("oslock-brk.kts").toString());
            assertEquals(0, r.status, r.all());
            // One shown run: stdout is exactly its JSON trace (docs/trace-schema.md), which the reader takes back.
            Object doc = dev.debuglab.dsl.render.Json.read(r.out);
            assertTrue(doc instanceof java.util.Map<?, ?> m && "debuglab.trace".equals(m.get("schema")), r.all());
            dev.debuglab.dsl.LabRun back = dev.debuglab.dsl.render.TraceJson.read(r.out);
            // The BRK taken at the guest's EL1 vector: ESR 0xF2000042 (EC 0x3C, comment 0x42).
            assertEquals(List.of(0xF2000042L), back.guestExceptions().stream().map(e -> e.esr()).toList(), r.all());
            String page = Files.readString(html, StandardCharsets.UTF_8);
            assertTrue(page.startsWith("<!DOCTYPE html>"), page);
            assertTrue(page.contains("<svg"), "the page has the SVG swimlane:\n" + page);
            assertTrue(page.contains("<table"), "the page has the HTML tables:\n" + page);
            assertTrue(page.contains("0xF2000042"), "the page shows the BRK's ESR:\n" + page);
            noStackTrace(r);
        } finally {
            Files.deleteIfExists(html);
        }
    }

    @Test
    void javaSyntaxErrorNamesFileAndLine() throws Exception {
        Result r = cli(SCRIPTS.resolve("syntax-error.jsh").toString());
        assertEquals(1, r.status, r.all());
        assertTrue(r.err.startsWith(SCRIPTS.resolve("syntax-error.jsh") + ":3: "), r.all());
        noStackTrace(r);
    }

    @Test
    void kotlinSyntaxErrorNamesFileAndLine() throws Exception {
        Result r = cli(SCRIPTS.resolve("syntax-error.kts").toString());
        assertEquals(1, r.status, r.all());
        assertTrue(r.err.startsWith(SCRIPTS.resolve("syntax-error.kts") + ":3: "), r.all());
        noStackTrace(r);
    }

    @Test
    void unknownMnemonicInJavaAndKotlin() throws Exception {
        Result j = cli(SCRIPTS.resolve("unknown-mnemonic.jsh").toString());
        assertEquals(1, j.status, j.all());
        assertTrue(j.err.startsWith(SCRIPTS.resolve("unknown-mnemonic.jsh") + ":3: "), j.all());
        assertTrue(j.err.contains("frobnicate"), j.all());
        noStackTrace(j);
        Result k = cli(SCRIPTS.resolve("unknown-mnemonic.kts").toString());
        assertEquals(1, k.status, k.all());
        assertTrue(k.err.startsWith(SCRIPTS.resolve("unknown-mnemonic.kts") + ":4: "), k.all());
        assertTrue(k.err.contains("frobnicate"), k.all());
        noStackTrace(k);
    }

    @Test
    void aFailingAssertionFailsTheScript() throws Exception {
        Result r = cli(SCRIPTS.resolve("failing-assertion.jsh").toString());
        assertEquals(1, r.status, r.all());
        assertTrue(r.err.startsWith(SCRIPTS.resolve("failing-assertion.jsh") + ":3: "), r.all());
        assertTrue(r.err.contains("EC 0x30"), r.all());
        noStackTrace(r);
    }

    @Test
    void badCommandLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {"run"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("which script?"));
        err.reset();
        assertEquals(2, Main.run(new String[] {"run", "notes.txt"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("neither a Java script (.jsh) nor a Kotlin script (.kts)"));
        err.reset();
        assertEquals(2, Main.run(new String[] {"run", "missing.jsh"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot read missing.jsh"));
        err.reset();
        assertEquals(2, Main.run(new String[] {"run", "--html"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--html needs the output file"));
        err.reset();
        assertEquals(2, Main.run(new String[] {"run", "--xml", "a.jsh"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --xml"));
    }
}
