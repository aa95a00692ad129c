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
 * {@code debuglab run} on the example scripts of {@code examples/} and on broken scripts, checking what is printed (the
 * routing the architecture prescribes), {@code --json}, {@code --html}, the error lines (file:line: problem, no stack
 * trace), {@code --timeout} and the exit status. The command runs in process ({@link Main#run}, what {@code main}
 * calls); one test runs {@code main} in a fresh JVM end to end: a runaway script stopped by Ctrl-C (SIGINT).
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
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

    /** The class path with the surefire manifest jar's entries spelled out (JShell and the Kotlin compiler read it). */
    @org.junit.jupiter.api.BeforeAll
    static void realClassPath() throws IOException {
        String cp = classPath();
        System.setProperty("java.class.path", cp);
        // The Kotlin script engine finds its compilation class path through the context class loader's URLs.
        List<java.net.URL> urls = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) urls.add(Path.of(e).toUri().toURL());
        Thread.currentThread().setContextClassLoader(new java.net.URLClassLoader(urls.toArray(new java.net.URL[0]), RunCommandTest.class.getClassLoader()));
    }

    /** {@code debuglab run ARGS} in this JVM: what {@code main} runs, its status returned instead of exiting. */
    static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream sysOut = System.out, sysErr = System.err;
        System.setOut(o);
        System.setErr(e);
        try {
            List<String> a = new ArrayList<>(List.of("run"));
            a.addAll(List.of(args));
            int status = Main.run(a.toArray(new String[0]), o, e);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(sysOut);
            System.setErr(sysErr);
        }
    }

    /** {@code debuglab run ARGS} as a process: {@code java ... Main run ARGS}, with its output in files. */
    static Process fork(Path out, Path err, String... args) throws Exception {
        // Through python3, which gives SIGINT its default action back: a process started in the background inherits it
        // ignored, and a JVM then never sees Ctrl-C (a shell cannot undo an inherited ignore; python's signal() can).
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", classPath(), Main.class.getName(), "run"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    static void noStackTrace(Result r) {
        assertFalse(r.err.contains("\tat ") || r.err.contains("Exception in thread"), "a JVM stack trace was printed:\n" + r.all());
    }

    @Test
    void javaScriptPrintsTheRoutingOfItsRun() {
        Result r = cli(EXAMPLES.resolve("oslock-brk.jsh").toString());
        assertEquals(0, r.status, r.all());
        // BRK under the OS Lock on 6.1: taken at the guest's own EL1 vector (EC 0x3C, ISS = the comment 0x42).
        assertTrue(r.out.contains("Run on KVM v6.1 + QEMU"), r.all());
        assertTrue(r.out.contains("ESR 0xF2000042 (EC 0x3C"), r.all());
        assertTrue(r.out.contains("guest EL1"), r.all());
        noStackTrace(r);
    }

    @Test
    void kotlinScriptPrintsTheComparisonWithTheDifferenceMarked() {
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
    void javaSyntaxErrorNamesFileAndLine() {
        Result r = cli(SCRIPTS.resolve("syntax-error.jsh").toString());
        assertEquals(1, r.status, r.all());
        assertTrue(r.err.startsWith(SCRIPTS.resolve("syntax-error.jsh") + ":3: "), r.all());
        noStackTrace(r);
    }

    @Test
    void kotlinSyntaxErrorNamesFileAndLine() {
        Result r = cli(SCRIPTS.resolve("syntax-error.kts").toString());
        assertEquals(1, r.status, r.all());
        assertTrue(r.err.startsWith(SCRIPTS.resolve("syntax-error.kts") + ":3: "), r.all());
        noStackTrace(r);
    }

    @Test
    void unknownMnemonicInJavaAndKotlin() {
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

    /** Statements that span lines (a lambda with nested lambdas, a chain continued on the next line) keep the lines right. */
    @Test
    void kotlinErrorsAfterAndInsideMultiLineCallsNameTheirLine() {
        Result compile = cli(SCRIPTS.resolve("multiline-error.kts").toString());
        assertEquals(1, compile.status, compile.all());
        assertTrue(compile.err.startsWith(SCRIPTS.resolve("multiline-error.kts") + ":7: "), compile.all());
        assertTrue(compile.err.contains("mismatch"), compile.all());
        Result thrown = cli(SCRIPTS.resolve("multiline-throw.kts").toString());
        assertEquals(1, thrown.status, thrown.all());
        assertTrue(thrown.err.startsWith(SCRIPTS.resolve("multiline-throw.kts") + ":9: "), thrown.all());
        assertTrue(thrown.err.contains("0x10000"), thrown.all());
        Result inner = cli(SCRIPTS.resolve("multiline-inner.kts").toString());
        assertEquals(1, inner.status, inner.all());
        assertTrue(inner.err.startsWith(SCRIPTS.resolve("multiline-inner.kts") + ":5: "), inner.all());
        assertTrue(inner.err.contains("frobnicate"), inner.all());
        noStackTrace(compile);
        noStackTrace(thrown);
        noStackTrace(inner);
    }

    @Test
    void aFailingAssertionFailsTheScript() {
        Result r = cli(SCRIPTS.resolve("failing-assertion.jsh").toString());
        assertEquals(1, r.status, r.all());
        assertTrue(r.err.startsWith(SCRIPTS.resolve("failing-assertion.jsh") + ":3: "), r.all());
        assertTrue(r.err.contains("EC 0x30"), r.all());
        noStackTrace(r);
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // after the other scripts (the default order is MAX_VALUE / 2): the engines are warm, so the time goes to the loop
    void aRunawayJavaScriptIsStoppedByTheTimeout() {
        Result r = cli("--timeout", "6", SCRIPTS.resolve("endless-loop.jsh").toString());
        assertEquals(124, r.status, r.all());
        assertTrue(r.out.contains("looping"), "the script ran: " + r.all());
        assertTrue(r.err.startsWith(SCRIPTS.resolve("endless-loop.jsh") + ": stopped after 6 s (--timeout 6)"), r.all());
        assertTrue(r.err.strip().lines().count() == 1, "one message:\n" + r.all());
        noStackTrace(r);
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // after the other scripts (the default order is MAX_VALUE / 2): the engines are warm, so the time goes to the loop
    void aRunawayKotlinScriptIsStoppedByTheTimeout() {
        Result r = cli("--timeout", "6", SCRIPTS.resolve("endless-loop.kts").toString());
        assertEquals(124, r.status, r.all());
        assertTrue(r.out.contains("looping"), "the script ran: " + r.all());
        assertTrue(r.err.startsWith(SCRIPTS.resolve("endless-loop.kts") + ": stopped after 6 s (--timeout 6)"), r.all());
        noStackTrace(r);
    }

    /** End to end in a fresh JVM: {@code main}, the class path, the exit status; Ctrl-C (SIGINT) stops a runaway script. */
    @Test
    void ctrlCStopsARunawayScriptInItsOwnProcess() throws Exception {
        Path out = Files.createTempFile("debuglab-run", ".out"), err = Files.createTempFile("debuglab-run", ".err");
        try {
            Process p = fork(out, err, SCRIPTS.resolve("endless-loop.jsh").toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(out).contains("looping") && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(p.isAlive(), "the script should still be looping:\n" + Files.readString(out) + Files.readString(err));
            Thread.sleep(300); // inside the loop now
            assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).inheritIO().start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Ctrl-C did not stop the process");
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            assertEquals(130, r.status, r.all());
            assertTrue(r.err.contains("endless-loop.jsh: interrupted (Ctrl-C)"), r.all());
            noStackTrace(r);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
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
        err.reset();
        assertEquals(2, Main.run(new String[] {"run", "--timeout", "soon", "a.jsh"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--timeout soon: give the seconds a script may run as a positive number"));
        err.reset();
        assertEquals(2, Main.run(new String[] {"run", "a.jsh", "--timeout"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--timeout needs a number of seconds"));
    }
}
