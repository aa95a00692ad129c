package dev.debuglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The wire kernel in process, driven by a jeromq client: signatures, malformed frames, replies with status. */
class WireKernelTest {
    static final String KEY = "a0b1c2d3-test-key";
    static Thread kernel;
    static ZContext ctx;
    static ZMQ.Socket shell, control;
    static Wire client;
    static int[] ports = new int[5];

    @BeforeAll
    static void start() throws Exception {
        TestKernel k = TestKernel.start(Language.JAVA, KEY, "wire-kernel-under-test");
        kernel = k.thread;
        ports = k.ports;
        ctx = new ZContext();
        shell = ctx.createSocket(SocketType.DEALER);
        shell.setReceiveTimeOut(30_000);
        shell.connect("tcp://127.0.0.1:" + ports[0]);
        control = ctx.createSocket(SocketType.DEALER);
        control.setReceiveTimeOut(30_000);
        control.connect("tcp://127.0.0.1:" + ports[1]);
        client = new Wire("hmac-sha256", KEY);
        // the first answer means every socket is bound
        send(control, client.encode(List.of(), "kernel_info_request", null, new JsonObject()));
        assertEquals("kernel_info_reply", receive(control).type());
    }

    @AfterAll
    static void stop() throws Exception {
        send(control, client.encode(List.of(), "shutdown_request", null, json("{\"restart\":false}")));
        Wire.Message r = receive(control);
        assertEquals("shutdown_reply", r.type());
        assertEquals("ok", r.content().get("status").getAsString());
        kernel.join(10_000);
        ctx.close();
    }

    static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    static void send(ZMQ.Socket s, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) s.send(frames.get(i), i + 1 < frames.size() ? ZMQ.SNDMORE : 0);
    }

    static Wire.Message receive(ZMQ.Socket s) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        byte[] f = s.recv(0);
        assertNotNull(f, "a reply within the timeout");
        frames.add(f);
        while (s.hasReceiveMore()) frames.add(s.recv(0));
        return client.decode(frames); // the kernel's replies are signed with the same key
    }

    @Test
    void badlySignedAndMalformedMessagesAreDroppedAndTheKernelAnswersTheNextGoodOne() throws Exception {
        // 1. a forged signature
        List<byte[]> forged = new ArrayList<>(client.encode(List.of(), "kernel_info_request", null, new JsonObject()));
        forged.set(1, "0000000000000000000000000000000000000000000000000000000000000000".getBytes(StandardCharsets.US_ASCII));
        send(shell, forged);
        // 2. unsigned
        List<byte[]> unsigned = new ArrayList<>(client.encode(List.of(), "kernel_info_request", null, new JsonObject()));
        unsigned.set(1, new byte[0]);
        send(shell, unsigned);
        // 3. garbage frames, and a signed message whose JSON is broken
        send(shell, List.of("hello".getBytes(StandardCharsets.UTF_8)));
        byte[] h = "{not json".getBytes(StandardCharsets.UTF_8), e = "{}".getBytes(StandardCharsets.UTF_8);
        send(shell, List.of(Wire.DELIMITER.getBytes(StandardCharsets.US_ASCII), client.sign(h, e, e, e).getBytes(StandardCharsets.US_ASCII), h, e, e, e));
        // 4. a good one: the first reply on the socket answers it, so none of the above got a reply
        List<byte[]> good = client.encode(List.of(), "kernel_info_request", null, new JsonObject());
        String goodId = json(new String(good.get(2), StandardCharsets.UTF_8)).get("msg_id").getAsString();
        send(shell, good);
        Wire.Message reply = receive(shell);
        assertEquals("kernel_info_reply", reply.type());
        assertEquals(goodId, reply.parentHeader().get("msg_id").getAsString());
        JsonObject c = reply.content();
        assertEquals("ok", c.get("status").getAsString());
        assertEquals("debuglab", c.get("implementation").getAsString());
        assertEquals("5.3", c.get("protocol_version").getAsString());
        JsonObject li = c.getAsJsonObject("language_info");
        for (String k : List.of("name", "version", "mimetype", "file_extension", "pygments_lexer", "codemirror_mode", "nbconvert_exporter"))
            assertTrue(li.has(k), k);
        assertEquals("java", li.get("name").getAsString());
        assertTrue(c.getAsJsonArray("help_links").size() > 0);
    }

    @Test
    void executeAndControlReplies() throws Exception {
        send(shell, client.encode(List.of(), "execute_request", null, json("{\"code\":\"6*7\",\"silent\":false,\"store_history\":true,"
                + "\"user_expressions\":{\"x\":\"40+2\"},\"allow_stdin\":false,\"stop_on_error\":true}")));
        Wire.Message r = receive(shell);
        assertEquals("execute_reply", r.type());
        assertEquals("ok", r.content().get("status").getAsString());
        JsonObject ux = r.content().getAsJsonObject("user_expressions").getAsJsonObject("x");
        assertEquals("ok", ux.get("status").getAsString());
        assertEquals("42", ux.getAsJsonObject("data").get("text/plain").getAsString());
        send(control, client.encode(List.of(), "interrupt_request", null, new JsonObject()));
        Wire.Message ir = receive(control);
        assertEquals("interrupt_reply", ir.type());
        assertEquals("ok", ir.content().get("status").getAsString());
        send(shell, client.encode(List.of(), "history_request", null, json("{\"hist_access_type\":\"tail\",\"n\":10,\"output\":false,\"raw\":true}")));
        Wire.Message hr = receive(shell);
        assertEquals("history_reply", hr.type());
        assertEquals("ok", hr.content().get("status").getAsString());
    }

    @Test
    void bindsOnlyTheConnectionFilesAddress() throws Exception {
        // The kernel's listening sockets, as Linux lists them: local address 127.0.0.1 (0100007F; a Java socket may be
        // an IPv6 one bound to the IPv4-mapped ::ffff:127.0.0.1, listed in tcp6), never 0.0.0.0 or ::.
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[3].equals("0A")) // state 0A = LISTEN
                    listening.add(f[1].replace("0000000000000000FFFF00000100007F", "0100007F"));
            }
        }
        List<String> names = List.of("shell", "control", "stdin", "hb", "iopub");
        for (int k = 0; k < ports.length; k++) {
            String suffix = String.format(":%04X", ports[k]);
            List<String> mine = listening.stream().filter(a -> a.endsWith(suffix)).toList();
            assertEquals(List.of("0100007F" + suffix), mine, names.get(k) + " port " + ports[k] + "; listening: " + listening);
        }
    }
}
