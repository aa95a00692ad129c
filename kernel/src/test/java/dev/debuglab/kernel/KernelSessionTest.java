package dev.debuglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-process test kit: cells in, outputs out (no ZMQ). One Java session for the class, as one notebook. */
class KernelSessionTest {
    static KernelSession s;

    @BeforeAll
    static void start() {
        s = new KernelSession(Language.JAVA);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    static String result(CellResult r) {
        assertTrue(r.ok(), () -> "cell failed: " + r);
        return r.result().orElseThrow(() -> new AssertionError("no result: " + r)).text();
    }

    @Test
    void constantExpressionsFollowJavaRules() {
        assertEquals("2", result(s.execute("1+1")));
        assertEquals("-2147483648", result(s.execute("2147483647 + 1"))); // int overflow wraps (JLS 15.18.2)
        assertEquals("8192", result(s.execute("1 << 13")));
        assertEquals("66", result(s.execute("0x40 | 0x2")));
        assertEquals("-1", result(s.execute("0xFFFFFFFF")));
        assertEquals("4294967295", result(s.execute("0xFFFFFFFFL")));
        assertEquals("2.5", result(s.execute("5 / 2.0")));
        assertEquals("2", result(s.execute("5 / 2")));
        assertEquals("\"EC 60\"", result(s.execute("\"EC \" + 0x3C")));
        CellResult div = s.execute("1 / 0");
        assertEquals("ArithmeticException", div.error().orElseThrow().ename());
        assertEquals("/ by zero", div.error().orElseThrow().evalue());
    }

    @Test
    void javaStatementsAndExpressionsThroughJShell() {
        CellResult r = s.execute("int answer = 40;\nanswer + 2");
        assertEquals("42", result(r));
        assertEquals("40", result(s.execute("answer")));
        CellResult decl = s.execute("String name = \"OSLAR_EL1\";");
        assertTrue(decl.ok());
        assertTrue(decl.result().isEmpty(), "a declaration shows no result");
        assertEquals("\"OSLAR_EL1\"", result(s.execute("name")));
        // two statements on one line run as two snippets (JShell takes one at a time)
        assertEquals("7", result(s.execute("long c = 0; c += 7; c")));
    }

    @Test
    void dslResultRendersAsMimeBundle() {
        // BRK is never masked (Arm ARM D2.8): under the OS Lock it is still taken to EL1, EC 0x3C.
        CellResult r = s.execute("Lab.guest().osLock(true).brk(0x42).build().bareMetal().run()");
        MimeBundle b = r.result().orElseThrow();
        assertEquals(List.of(MimeBundle.TEXT, MimeBundle.HTML, MimeBundle.SVG, MimeBundle.JSON), List.copyOf(b.data().keySet()));
        assertTrue(b.text().contains("0xF2000042"), b.text()); // ESR: EC 0x3C, IL, comment #0x42
        assertTrue(b.get(MimeBundle.HTML).orElseThrow().contains("<table"));
        assertTrue(b.get(MimeBundle.SVG).orElseThrow().contains("<svg"));
        assertTrue(b.get(MimeBundle.JSON).orElseThrow().strip().startsWith("{") || b.get(MimeBundle.JSON).orElseThrow().strip().startsWith("["));
    }

    @Test
    void outputStreamsWhileTheCellRuns() {
        List<Boolean> runningAtEachStream = Collections.synchronizedList(new ArrayList<>());
        CellResult r = s.execute("System.out.println(\"first\");\nThread.sleep(200);\nSystem.err.println(\"second\");\nSystem.out.print(\"third\");",
                true, o -> {
                    if (o instanceof Output.Stream) runningAtEachStream.add(s.isRunning());
                });
        assertTrue(r.ok(), r::toString);
        assertEquals("first\nthird", r.stdout());
        assertEquals("second\n", r.stderr());
        assertTrue(runningAtEachStream.size() >= 2);
        assertTrue(runningAtEachStream.get(0), "the first line reached the sink while the cell was still running");
        assertTrue(runningAtEachStream.get(1));
    }

    @Test
    void runtimeErrorNamesTheRealClassAndTheCellLine() {
        CellResult r = s.execute("int a = 1;\nint b = 2;\nif (a < b) throw new IllegalStateException(\"boom\");");
        assertEquals(CellResult.Status.ERROR, r.status());
        Output.Error e = r.error().orElseThrow();
        assertEquals("IllegalStateException", e.ename());
        assertEquals("boom", e.evalue());
        assertTrue(e.traceback().stream().anyMatch(l -> l.contains("cell line 3")), e.traceback()::toString);
        assertTrue(e.traceback().stream().noneMatch(l -> l.contains("dev.debuglab.kernel") || l.contains("jdk.jshell") || l.contains("REPL.")),
                e.traceback()::toString);
        assertEquals(1, r.outputs().stream().filter(o -> o instanceof Output.Error).count());
        assertEquals(1, r.outputs().size(), "an error cell has exactly one output (jupyter_kernel_test's test_error)");
    }

    @Test
    void compileErrorPointsAtItsLine() {
        CellResult r = s.execute("int ok = 1;\nint bad = \"text\";");
        Output.Error e = r.error().orElseThrow();
        assertEquals("CompileError", e.ename());
        assertTrue(e.evalue().startsWith("line 2: incompatible types"), e.evalue());
    }

    @Test
    void dslExceptionMessageAsIs() {
        // ID_AA64DFR0_EL1.BRPs = 5: six breakpoints, 0..5
        CellResult r = s.execute("Lab.guest().hwBreakpoint(7)");
        Output.Error e = r.error().orElseThrow();
        assertEquals("DslException", e.ename());
        assertTrue(e.evalue().contains("use 0..5"), e.evalue());
        assertEquals(List.of("\u001b[0;31mDslException\u001b[0m: " + e.evalue(), "    at cell line 1: Lab.guest().hwBreakpoint(7)"), e.traceback());
    }

    @Test
    void systemExitIsRefusedAndTheSessionLivesOn() {
        CellResult r = s.execute("System.exit(3)");
        Output.Error e = r.error().orElseThrow();
        assertEquals("SecurityException", e.ename());
        assertTrue(e.evalue().contains("System.exit(3) was refused"), e.evalue());
        assertEquals("5", result(s.execute("int five = 5; five")));
    }

    @Test
    void interruptStopsARunawayJavaLoop() throws Exception {
        CellResult r = runAndInterrupt("long spins = 0;\nwhile (true) { spins++; }");
        assertEquals("Interrupted", r.error().orElseThrow().ename());
        assertEquals("3", result(s.execute("int three = 3; three")));
    }

    @Test
    void interruptStopsAnEndlessGuest() throws Exception {
        // "b ." forever, with a budget no run reaches: only the interrupt ends it.
        CellResult r = runAndInterrupt("Lab.guest().label(\"spin\").asm(\"b spin\").build().bareMetal().budget(Long.MAX_VALUE).run()");
        assertEquals("Interrupted", r.error().orElseThrow().ename());
        assertTrue(s.execute("Lab.guest().brk(1).build().bareMetal().run()").ok());
    }

    @Test
    void anEarlyInterruptStopsTheCellAndLaterOutputStillStreams() throws Exception {
        CellResult[] out = new CellResult[1];
        Thread t = new Thread(() -> out[0] = s.execute("long n = 0;\nwhile (true) { n++; }"));
        t.start();
        while (!s.isRunning()) Thread.onSpinWait();
        s.interrupt(); // at once: javac is still compiling
        t.join(30_000);
        assertFalse(t.isAlive(), "the cell stopped");
        assertEquals("Interrupted", out[0].error().orElseThrow().ename());
        List<Boolean> running = Collections.synchronizedList(new ArrayList<>());
        CellResult r = s.execute("System.out.println(\"after\");\nThread.sleep(100);", true, o -> {
            if (o instanceof Output.Stream) running.add(s.isRunning());
        });
        assertEquals("after\n", r.stdout());
        assertEquals(List.of(true), running);
    }

    /**
     * An interrupt stops the cell's thread wherever it is (Thread.stop, repeated until the cell ends): here a cell that
     * prints all the time (println, printf, print to stderr), so that stops land inside the output redirection, at 20
     * different moments from "still compiling" to 0.4 s in. Afterwards output must still stream line by line: each
     * line reaches the sink on its own, in order, while the cell is still running.
     */
    @Test
    void interruptsAtManyMomentsLeaveStreamingIntact() throws Exception {
        String printer = "for (long i = 0; ; i++) {\n"
                + "    System.out.println(\"line \" + i);\n"
                + "    System.out.printf(\"%d%n\", i);\n"
                + "    System.err.print('x');\n"
                + "    if (i % 64 == 0) Thread.sleep(1);\n"
                + "}";
        for (int k = 0; k < 20; k++) {
            CellResult[] out = new CellResult[1];
            Thread t = new Thread(() -> out[0] = s.execute(printer));
            t.start();
            while (!s.isRunning()) Thread.onSpinWait();
            if (k > 0) Thread.sleep((long) k * k);
            s.interrupt();
            t.join(30_000);
            assertFalse(t.isAlive(), "the cell interrupted after " + k * k + " ms stopped");
            assertEquals("Interrupted", out[0].error().orElseThrow().ename(), "interrupt after " + k * k + " ms");
        }
        assertTrue(System.out instanceof StdRouter.CellStream, "System.out is still the kernel's stream: " + System.out.getClass());
        List<String> arrivals = Collections.synchronizedList(new ArrayList<>());
        CellResult r = s.execute("System.out.println(\"first\");\nSystem.err.println(\"warn\");\nThread.sleep(200);\n"
                + "System.out.printf(\"%s%n\", \"second\");", true, o -> {
                    if (o instanceof Output.Stream st) arrivals.add(st.name() + ":" + st.text() + ":" + (s.isRunning() ? "running" : "ended"));
                });
        assertTrue(r.ok(), r::toString);
        assertEquals(List.of("stdout:first\n:running", "stderr:warn\n:running", "stdout:second\n:running"), arrivals);
        assertEquals("first\nsecond\n", r.stdout());
    }

    @Test
    void aMethodsThrowPointsAtItsOwnLine() {
        CellResult r = s.execute("int twice(int x) {\n    if (x < 0)\n        throw new IllegalArgumentException(\"negative\");\n    return 2 * x;\n}\n"
                + "twice(-1)");
        Output.Error e = r.error().orElseThrow();
        assertEquals("IllegalArgumentException", e.ename());
        assertTrue(e.traceback().get(1).contains("cell line 3 (in twice)"), e.traceback()::toString);
        assertTrue(e.traceback().get(2).contains("cell line 6"), e.traceback()::toString);
    }

    @Test
    void clearOutputAndDisplayHelpers() {
        CellResult r = s.execute("display(\"one\");\nclearOutput(true);\nhtml(\"<b>two</b>\");");
        assertTrue(r.ok(), r::toString);
        assertEquals(3, r.outputs().size());
        assertEquals(new Output.ClearOutput(true), r.outputs().get(1));
        assertEquals("<b>two</b>", ((Output.Display) r.outputs().get(2)).data().get(MimeBundle.HTML).orElseThrow());
    }

    static CellResult runAndInterrupt(String code) throws Exception {
        CellResult[] out = new CellResult[1];
        Thread t = new Thread(() -> out[0] = s.execute(code));
        t.start();
        while (!s.isRunning()) Thread.sleep(5);
        Thread.sleep(300); // let it get going
        s.interrupt();
        t.join(30_000);
        assertFalse(t.isAlive(), "the cell stopped");
        return out[0];
    }

    @Test
    void magicsCatalogueDrivesHelpAndErrors() {
        CellResult help = s.execute("%help");
        MimeBundle page = ((Output.Page) help.outputs().get(0)).data(); // the pager, like IPython's "?"
        for (Magics.Magic m : Magics.CATALOGUE) assertTrue(page.text().contains(m.usage()), m.usage());
        assertTrue(page.has(MimeBundle.HTML));
        CellResult unknown = s.execute("%frobnicate 3");
        Output.Error e = unknown.error().orElseThrow();
        assertEquals("MagicError", e.ename());
        assertTrue(e.evalue().contains("unknown magic %frobnicate") && e.evalue().contains("%kvm") && e.evalue().contains("%%kotlin"), e.evalue());
        assertTrue(s.execute("%kvm 9.9").error().orElseThrow().evalue().startsWith("%kvm 9.9: "));
    }

    @Test
    void sessionDefaultsChooseWhereGuestRunRuns() {
        try {
            assertEquals("\"bare metal\"", result(s.execute("Lab.guest().brk(1).build().run().config().where()")));
            CellResult set = s.execute("%kvm 6.1\n%vmm kvmtool");
            assertTrue(set.ok(), set::toString);
            String where = result(s.execute("Lab.guest().brk(1).build().run().config().where()"));
            assertTrue(where.startsWith("\"KVM ") && where.contains("6.1") && where.contains("kvmtool"), where);
            where = result(s.execute("%kvm 5.15\n%vmm qemu\nLab.guest().brk(1).build().run().config().where()"));
            assertTrue(where.startsWith("\"KVM ") && where.contains("5.15") && where.contains("QEMU"), where);
        } finally {
            s.execute("%kvm none");
        }
    }

    @Test
    void sweepShowsLiveProgressThenTheResult() {
        CellResult r = s.execute("Lab.sweep().oslk(false, true).kde(false, true).mde(false, true).versions(\"bare\", \"6.1\").run()");
        assertTrue(r.ok(), r::toString);
        Output.Display first = r.displays().get(0);
        assertTrue(first.displayId() != null);
        List<Output.DisplayUpdate> updates = r.outputs().stream().filter(o -> o instanceof Output.DisplayUpdate)
                .map(o -> (Output.DisplayUpdate) o).toList();
        assertFalse(updates.isEmpty());
        assertTrue(updates.stream().allMatch(u -> u.displayId().equals(first.displayId())));
        assertTrue(updates.get(updates.size() - 1).data().text().endsWith("16/16 (100%) done"), updates.get(updates.size() - 1).data().text());
        assertTrue(r.outputs().get(r.outputs().size() - 1) instanceof Output.Result);
        assertTrue(r.result().orElseThrow().has(MimeBundle.HTML));
    }

    @Test
    void completion() {
        assertTrue(s.complete("Lab.gu", 6).matches().contains("guest()"));
        Completion abs = s.complete("Math.ab", 7);
        assertEquals(abs.matches().stream().distinct().count(), abs.matches().size(), "no duplicates");
        assertTrue(abs.matches().contains("abs("));
        assertEquals(5, abs.cursorStart());
        Completion magic = s.complete("%kv", 3);
        assertEquals(List.of("%kvm"), magic.matches());
        assertEquals(0, magic.cursorStart());
        assertEquals(List.of("%%kotlin"), s.complete("%%ko", 4).matches());
        Completion reg = s.complete("Lab.guest().logSysreg(1, \"OSLA", 30);
        assertEquals(List.of("OSLAR_EL1"), reg.matches());
        assertEquals(26, reg.cursorStart());
        assertTrue(s.complete("x(\"MDSC", 7).matches().contains("MDSCR_EL1"));
        assertTrue(s.complete("x(\"DBGBCR", 9).matches().contains("DBGBCR0_EL1"));
        assertTrue(s.complete("%kvm 6.", 7).matches().containsAll(List.of("6.1", "6.12", "6.14")));
        List<String> sorted = new ArrayList<>(s.complete("Lab.", 4).matches());
        assertTrue(sorted.containsAll(List.of("guest()", "sweep()")), sorted::toString);
    }

    @Test
    void inspectionShowsTheDslJavadoc() {
        Inspection i = s.inspect("Lab.guest()", 6);
        assertTrue(i.found());
        assertTrue(i.data().text().contains("Starts guest code at EL1"), i.data().text());
        assertTrue(i.data().has(MimeBundle.HTML));
        assertFalse(s.inspect("   ", 1).found());
    }

    @Test
    void isComplete() {
        assertEquals("complete", s.isComplete("int x = 1;").status());
        assertEquals("complete", s.isComplete("1 + 1").status());
        Completeness open = s.isComplete("for (int i = 0; i < 3; i++) {");
        assertEquals("incomplete", open.status());
        assertEquals("    ", open.indent());
        assertEquals("incomplete", s.isComplete("%%kotlin").status());
        assertEquals("incomplete", s.isComplete("%%kotlin\nlistOf(1,").status());
        assertEquals("invalid", s.isComplete("%%kotlin\nval x = 1 }").status());
    }

    @Test
    void historyKeepsStoredCellsOnly() {
        int before = s.executionCount();
        s.execute("int h1 = 1;");
        s.execute("int h2 = 2;", false, OutputSink.NONE);
        assertEquals(before + 1, s.executionCount());
        var last = s.history().get(s.history().size() - 1);
        assertEquals("int h1 = 1;", last.getValue());
        assertEquals(before + 1, last.getKey());
    }
}
