package dev.debuglab.kernel;

import java.util.List;

/**
 * What {@code --warm-and-exit} runs: the Kotlin engine's warm-up, then the kinds of cells notebooks start with (a
 * Java cell and a Kotlin cell each building a guest, running it and rendering the result), so that a class-data
 * sharing archive written at exit holds the classes of the kernel's start, of JShell, of the Kotlin compiler and of
 * the DSL's renderers. Prints each step's time to stderr; returns 0, or 1 when a step failed (the archive is still
 * usable, just less complete).
 */
final class Training {
    /** Each step: the language, the cell. */
    private static final List<String[]> CELLS = List.of(
            new String[] {"java", "Lab.guest().osLock(true).brk(0x42).build().bareMetal().run()"},
            new String[] {"java", "%%kotlin\nval g = Lab.guest().brk(0x42).build()\ng.bareMetal().run()"},
            new String[] {"kotlin", "Lab.guest().nop().build().bareMetal().run()"});

    private Training() {
    }

    static int run() {
        int status = 0;
        long t0 = System.nanoTime();
        // the wire classes (ZMQ sockets, JSON, HMAC) that every kernel start loads before it is ready
        try {
            wire();
        } catch (Exception | LinkageError e) {
            report("wire classes failed: " + e);
            status = 1;
        }
        report(String.format("wire classes %d ms", ms(t0)));
        long t = System.nanoTime();
        try (KernelSession java = new KernelSession(Language.JAVA); KernelSession kotlin = new KernelSession(Language.KOTLIN)) {
            kotlin.awaitWarm();
            report(String.format("Kotlin engine warm %d ms", ms(t)));
            t = System.nanoTime();
            java.awaitWarm();
            report(String.format("JShell warm %d ms", ms(t)));
            for (String[] c : CELLS) {
                t = System.nanoTime();
                CellResult r = (c[0].equals("java") ? java : kotlin).execute(c[1]);
                report(String.format("%s cell %d ms%s", c[0], ms(t), r.ok() ? "" : ": " + r.error().map(Output.Error::evalue).orElse("failed")));
                if (!r.ok()) status = 1;
            }
        }
        report(String.format("total %d ms", ms(t0)));
        System.gc();
        Runtime rt = Runtime.getRuntime();
        report(String.format("after a full GC: heap %d MiB used of %d MiB committed, process RSS %s",
                (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20, rss()));
        return status;
    }

    /** A signed message through a ROUTER/DEALER pair on the loopback, as the kernel's loop sends and receives them. */
    private static void wire() throws Exception {
        String connection = "{\"transport\":\"tcp\",\"ip\":\"127.0.0.1\",\"shell_port\":0,\"iopub_port\":0,\"stdin_port\":0,"
                + "\"control_port\":0,\"hb_port\":0,\"signature_scheme\":\"hmac-sha256\",\"key\":\"training\"}";
        io.github.spencerpark.jupyter.kernel.KernelConnectionProperties props =
                io.github.spencerpark.jupyter.kernel.KernelConnectionProperties.parse(connection);
        Wire wire = new Wire(props.getSignatureScheme(), props.getKey());
        try (org.zeromq.ZContext zmq = new org.zeromq.ZContext(1)) {
            org.zeromq.ZMQ.Socket router = zmq.createSocket(org.zeromq.SocketType.ROUTER);
            int port = router.bindToRandomPort("tcp://127.0.0.1");
            org.zeromq.ZMQ.Socket pub = zmq.createSocket(org.zeromq.SocketType.PUB);
            pub.bindToRandomPort("tcp://127.0.0.1");
            org.zeromq.ZMQ.Socket client = zmq.createSocket(org.zeromq.SocketType.DEALER);
            client.connect("tcp://127.0.0.1:" + port);
            com.google.gson.JsonObject content = new com.google.gson.JsonObject();
            content.addProperty("code", "1+1");
            List<byte[]> frames = wire.encode(List.of(), "kernel_info_request", null, content);
            for (int i = 0; i < frames.size(); i++) client.send(frames.get(i), i + 1 < frames.size() ? org.zeromq.ZMQ.SNDMORE : 0);
            org.zeromq.ZMQ.Poller poller = zmq.createPoller(1);
            poller.register(router, org.zeromq.ZMQ.Poller.POLLIN);
            if (poller.poll(5000) <= 0) throw new IllegalStateException("no message on the loopback");
            List<byte[]> got = new java.util.ArrayList<>();
            got.add(router.recv(0));
            while (router.hasReceiveMore()) got.add(router.recv(0));
            Wire.Message m = wire.decode(got);
            List<byte[]> reply = wire.encode(m.identities(), "kernel_info_reply", m.header(), new com.google.gson.JsonObject());
            for (int i = 0; i < reply.size(); i++) router.send(reply.get(i), i + 1 < reply.size() ? org.zeromq.ZMQ.SNDMORE : 0);
            pub.send("status".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0);
        }
    }

    /** VmRSS from /proc (Linux), or "unknown". */
    static String rss() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")))
                if (l.startsWith("VmRSS:")) return l.substring(6).strip();
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void report(String line) {
        StdRouter.log().println("debuglab-kernel --warm-and-exit: " + line);
    }
}
