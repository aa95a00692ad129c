package dev.debuglab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./debuglab run X.ipynb}: real notebooks through the kernel's evaluator, outcomes from the architecture. */
class MainTest {
    record Ran(int status, String out, String err) {}

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(MainTest.class.getResource("/fixtures/" + name).toURI());
    }

    static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, o, e);
        }
        return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    // BRK #0x42 is taken at EL1 whatever the OS Lock says (architecture.md §5.4): ESR 0xF2000042, printed as text,
    // drawn as a swimlane SVG and a routing table in the page; the markdown cell is rendered, its HTML escaped.
    @Test
    void javaNotebookRunsAndWritesAPage(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("sub/out.html");
        Ran r = run("run", "--html", html.toString(), fixture("java-ok.ipynb").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("hello from cell 2"), r.out());
        assertTrue(r.out().contains("0xF2000042"), r.out());
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<h1>BRK under the OS Lock</h1>"), page);
        assertTrue(page.contains("<em>small</em>") && page.contains("<strong>bold</strong>") && page.contains("<code>code</code>"));
        assertTrue(page.contains("<a href=\"https://developer.arm.com\">link</a>"));
        assertTrue(page.contains("<li>one</li>") && page.contains("<th>EC</th>") && page.contains("<td>0x3C</td>"));
        assertFalse(page.contains("<script>"), "raw HTML in markdown is escaped");
        assertTrue(page.contains("&lt;script&gt;"));
        assertTrue(page.contains("<svg"), "the run's swimlanes are inline");
        assertTrue(page.contains("0xF2000042"));
        assertTrue(page.contains("In [2]:"), "execution counts");
        assertFalse(page.contains("<script"), "the page runs no scripts");
    }

    // The third cell asserts EL2 for a BRK bare metal takes at EL1: exit status 1, the cell number and the error named,
    // and the cell after it never runs.
    @Test
    void failingCellExitsOneNamingTheCell(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("fail.html");
        Ran r = run("--html", html.toString(), fixture("java-fails.ipynb").toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("java-fails.ipynb: cell 3: AssertionError"), r.err());
        assertTrue(r.err().contains("expected an exception taken at EL2"), r.err());
        assertFalse(r.out().contains("never printed"), "execution stops at the failing cell");
        String page = Files.readString(html);
        assertTrue(page.contains("failed at cell 3"), "the page says where it failed");
        assertTrue(page.contains("class=\"error\""));
    }

    // The Kotlin kernelspec: every cell is Kotlin (the Kotlin DSL), same outcome as the Java API.
    @Test
    void kotlinNotebookRunsAsKotlin() throws Exception {
        Ran r = run(fixture("kotlin-ok.ipynb").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("0xF2000042"), r.out());
    }

    @Test
    void badInputIsOneLineAndStatusTwo(@TempDir Path dir) throws Exception {
        Ran missing = run(dir.resolve("nope.ipynb").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nope.ipynb: no such file"), missing.err());

        Ran notJson = run(fixture("not-json.ipynb").toString());
        assertEquals(2, notJson.status());
        assertTrue(notJson.err().contains("not valid JSON"), notJson.err());

        Ran v3 = run(fixture("nbformat3.ipynb").toString());
        assertEquals(2, v3.status());
        assertTrue(v3.err().contains("nbformat 3 is not supported"), v3.err());

        Ran python = run(fixture("python.ipynb").toString());
        assertEquals(2, python.status());
        assertTrue(python.err().contains("the notebook's kernel is 'python3'") && python.err().contains("Change kernel"), python.err());

        Ran jsh = run("examples/x.jsh");
        assertEquals(2, jsh.status());
        assertTrue(jsh.err().contains("not an .ipynb notebook"), jsh.err());

        Ran noFile = run("--html");
        assertEquals(2, noFile.status());
        assertTrue(noFile.err().contains("--html needs the output file"), noFile.err());

        for (Ran r : new Ran[] {missing, notJson, v3, python, jsh, noFile})
            assertFalse(r.err().contains("\tat "), "no Java stack trace for users: " + r.err());
    }
}
