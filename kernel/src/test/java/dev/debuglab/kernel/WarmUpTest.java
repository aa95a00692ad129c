package dev.debuglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import com.google.gson.JsonObject;

/**
 * When the engines start: the Kotlin kernelspec answers kernel_info while its engine still warms up and its first
 * cell waits for that warm-up (one engine, never a second cold one); the Java kernelspec starts JShell only, and the
 * Kotlin engine once a %%kotlin cell shows up.
 */
class WarmUpTest {
    @Test
    void javaSessionStartsKotlinOnlyWhenAKotlinCellShowsUp() throws Exception {
        try (KernelSession s = new KernelSession(Language.JAVA)) {
            s.warmUp();
            s.awaitWarm();
            CellResult r = s.execute("int answer = 6 * 7;\nanswer");
            assertTrue(r.ok(), r.toString());
            s.notice("System.out.println(\"%%kotlin is only text here\");");
            s.notice("// %%kotlin\n1");
            assertFalse(s.kotlinRequested(), "a Java-only session holds no Kotlin engine");
            s.notice("  \n  %%kotlin\nanswer + 1");
            assertTrue(s.kotlinRequested(), "a %%kotlin cell, seen before it runs, starts the Kotlin engine");
            CellResult k = s.execute("%%kotlin\nanswer + 1");
            assertTrue(k.ok(), k.toString());
            assertEquals("43", k.result().orElseThrow().text());
        }
    }

    @Test
    void kotlinSessionsFirstCellWaitsForTheWarmUpEngine() throws Exception {
        try (KernelSession s = new KernelSession(Language.KOTLIN)) {
            int before = KotlinEngine.enginesCreated();
            s.warmUp();
            CellResult r = s.execute("val x = 20\nx + 22"); // sent while the warm-up runs
            assertTrue(r.ok(), r.toString());
            assertEquals("42", r.result().orElseThrow().text());
            assertTrue(s.kotlinStarted());
            assertEquals(before + 1, KotlinEngine.enginesCreated(), "the cell used the warm-up's engine, it did not start another");
        }
    }

    @Test
    void kotlinKernelAnswersKernelInfoBeforeItsEngineIsWarm() throws Exception {
        String key = "warm-up-test-key";
        JupyterKernel.lastSession = null;
        TestKernel k = TestKernel.start(Language.KOTLIN, key, "kotlin-wire-kernel-under-test");
        int[] ports = k.ports;
        Thread kernel = k.thread;
        Wire client = new Wire("hmac-sha256", key);
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket shell = ctx.createSocket(SocketType.DEALER);
            shell.setReceiveTimeOut(120_000);
            shell.connect("tcp://127.0.0.1:" + ports[0]);
            send(shell, client.encode(List.of(), "kernel_info_request", null, new JsonObject()));
            Wire.Message info = receive(shell, client);
            KernelSession session = JupyterKernel.lastSession;
            assertNotNull(session);
            assertEquals("kernel_info_reply", info.type());
            assertEquals("kotlin", info.content().getAsJsonObject("language_info").get("name").getAsString());
            assertTrue(session.kotlinRequested(), "the warm-up started with the kernel");
            assertFalse(session.kotlinStarted(), "kernel_info on shell was answered while the Kotlin engine still warmed up");

            JsonObject cell = new JsonObject();
            cell.addProperty("code", "1 + 1");
            send(shell, client.encode(List.of(), "execute_request", null, cell));
            Wire.Message reply = receive(shell, client);
            assertEquals("execute_reply", reply.type());
            assertEquals("ok", reply.content().get("status").getAsString(), reply.content().toString());
            assertTrue(session.kotlinStarted());

            ZMQ.Socket control = ctx.createSocket(SocketType.DEALER);
            control.setReceiveTimeOut(30_000);
            control.connect("tcp://127.0.0.1:" + ports[1]);
            JsonObject shutdown = new JsonObject();
            shutdown.addProperty("restart", false);
            send(control, client.encode(List.of(), "shutdown_request", null, shutdown));
            assertEquals("shutdown_reply", receive(control, client).type());
            kernel.join(10_000);
        }
    }

    /** What the kernel's threads were doing (for a reply that never came: where the loop or the worker stood). */
    private static String kernelThreads() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, frames) -> {
            if (!t.getName().startsWith("debuglab") && !t.getName().startsWith("kotlin-wire") && !t.getName().startsWith("jupyter")) return;
            b.append(t.getName()).append(" (").append(t.getState()).append(")\n");
            for (int i = 0; i < Math.min(frames.length, 14); i++) b.append("    at ").append(frames[i]).append('\n');
        });
        return b.toString();
    }

    private static void send(ZMQ.Socket s, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) s.send(frames.get(i), i + 1 < frames.size() ? ZMQ.SNDMORE : 0);
    }

    private static Wire.Message receive(ZMQ.Socket s, Wire client) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        byte[] f = s.recv(0);
        assertNotNull(f, () -> "a reply within the timeout; the kernel's threads then:\n" + kernelThreads());
        frames.add(f);
        while (s.hasReceiveMore()) frames.add(s.recv(0));
        return client.decode(frames);
    }
}
