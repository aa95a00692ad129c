package dev.debuglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    @Test
    void onePlusOne() {
        CellResult r = s.execute("1+1");
        System.err.println(r);
        assertEquals("2", r.result().orElseThrow().text());
    }

    @Test
    void dslOneLiner() {
        CellResult r = s.execute("Lab.guest().osLock(true).brk(0x42).build().bareMetal().run()");
        System.err.println(r.status() + " " + r.result().map(b -> b.data().keySet()).orElse(null) + r.error());
        assertTrue(r.result().orElseThrow().has(MimeBundle.HTML));
    }
}
