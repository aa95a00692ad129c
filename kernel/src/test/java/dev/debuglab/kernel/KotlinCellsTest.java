package dev.debuglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** %%kotlin cells in a Java session, sharing values both ways, and the Kotlin kernelspec's session. */
class KotlinCellsTest {
    static KernelSession java;

    @BeforeAll
    static void start() {
        java = new KernelSession(Language.JAVA);
    }

    @AfterAll
    static void stop() {
        java.close();
    }

    @Test
    void kotlinCellMagic() {
        assertEquals("3", KernelSessionTest.result(java.execute("%%kotlin\n1 + 2")));
        CellResult err = java.execute("%%kotlin\nval s: Int = \"text\"");
        assertEquals("CompileError", err.error().orElseThrow().ename());
        assertTrue(err.error().orElseThrow().evalue().startsWith("line 2: "), err.error().orElseThrow().evalue());
        CellResult thrown = java.execute("%%kotlin\nerror(\"boom\")");
        assertEquals("IllegalStateException", thrown.error().orElseThrow().ename());
        assertEquals("boom", thrown.error().orElseThrow().evalue());
    }

    @Test
    void valuesAreSharedBothWays() {
        assertTrue(java.execute("String where = \"EL\"; int level = 2;").ok());
        assertEquals("EL2", KernelSessionTest.result(java.execute("%%kotlin\nwhere + level"))); // Kotlin shows strings bare
        assertTrue(java.execute("%%kotlin\nval doubled = level * 2\nval tag = where + doubled").ok());
        assertEquals("5", KernelSessionTest.result(java.execute("doubled + 1")));
        assertEquals("\"EL4\"", KernelSessionTest.result(java.execute("tag")));
        // DSL values: a guest built in Java runs in Kotlin; the run comes back to Java.
        assertTrue(java.execute("var g = Lab.guest().osLock(true).brk(0x42).build();").ok());
        CellResult k = java.execute("%%kotlin\nval run = g.bareMetal().run()\nrun.config().where()");
        assertEquals("bare metal", KernelSessionTest.result(k));
        assertEquals("\"bare metal\"", KernelSessionTest.result(java.execute("run.config().where()")));
    }

    @Test
    void printlnInKotlinStreams() {
        CellResult r = java.execute("%%kotlin\nprintln(\"from kotlin\")");
        assertTrue(r.ok(), r::toString);
        assertEquals("from kotlin\n", r.stdout());
    }

    @Test
    void interruptStopsARunawayKotlinLoop() throws Exception {
        CellResult[] out = new CellResult[1];
        Thread t = new Thread(() -> out[0] = java.execute("%%kotlin\nvar n = 0L\nwhile (true) { n++ }"));
        t.start();
        while (!java.isRunning()) Thread.sleep(5);
        Thread.sleep(1500); // past the compile, into the loop
        java.interrupt();
        t.join(30_000);
        assertFalse(t.isAlive());
        assertEquals("Interrupted", out[0].error().orElseThrow().ename());
        assertEquals("4", KernelSessionTest.result(java.execute("%%kotlin\n2 + 2")));
    }

    @Test
    void kotlinKernelspecSessionRunsEveryCellAsKotlin() {
        try (KernelSession k = new KernelSession(Language.KOTLIN)) {
            assertEquals("[2, 4]", KernelSessionTest.result(k.execute("listOf(1, 2).map { it * 2 }")));
            CellResult run = k.execute("Lab.guest().brk(1).build().bareMetal().run()");
            assertTrue(run.result().orElseThrow().has(MimeBundle.SVG));
            assertEquals("\"java\"", KernelSessionTest.result(k.execute("%%java\n\"java\"")));
            assertTrue(k.complete("Lab.gue", 7).matches().contains("guest"));
            assertTrue(k.complete("listOf(1).firs", 14).matches().contains("first")); // kotlin.collections
            assertTrue(k.inspect("listOf", 3).found());
            // strings show as Kotlin's REPL shows them, without quotes
            assertEquals("0xF2000042", KernelSessionTest.result(k.execute("\"0x%X\".format(0xF2000042)")));
            assertTrue(k.execute("display(Lab.guest().brk(1).build().bareMetal().run())").displays().get(0).data().has(MimeBundle.SVG));
            assertEquals("invalid", k.isComplete("val val = 3").status());
            assertEquals("invalid", k.isComplete("1 +* 2").status());
            assertEquals("incomplete", k.isComplete("listOf(1, 2,").status());
            assertEquals("complete", k.isComplete("val l: List<*> = listOf(1)").status());
        }
    }
}
