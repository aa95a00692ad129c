package dev.debuglab.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** A wire kernel run on a thread of this JVM, on five free loopback ports, for tests that speak the protocol to it. */
final class TestKernel {
    /** shell, control, stdin, heartbeat, iopub. */
    final int[] ports = new int[5];
    final Thread thread;

    private TestKernel(Language language, String key, String threadName) throws IOException {
        // all five held open together, so that no two are the same port
        ServerSocket[] held = new ServerSocket[5];
        try {
            for (int i = 0; i < 5; i++) {
                held[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = held[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) if (s != null) s.close();
        }
        Path cf = Files.createTempFile("kernel-", ".json");
        Files.writeString(cf, String.format("{\"transport\":\"tcp\",\"ip\":\"127.0.0.1\",\"shell_port\":%d,\"control_port\":%d,"
                + "\"stdin_port\":%d,\"hb_port\":%d,\"iopub_port\":%d,\"signature_scheme\":\"hmac-sha256\",\"key\":\"%s\"}",
                ports[0], ports[1], ports[2], ports[3], ports[4], key));
        thread = new Thread(() -> {
            try {
                JupyterKernel.run(cf, language);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threadName);
        thread.setDaemon(true);
    }

    static TestKernel start(Language language, String key, String threadName) throws IOException {
        TestKernel k = new TestKernel(language, key, threadName);
        k.thread.start();
        return k;
    }
}
