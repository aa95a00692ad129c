package dev.debuglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

/** Message headers: every msg_id unique (also across kernels and threads), each message still verifies. */
class WireTest {

    @Test
    void everyMessageHasItsOwnIdAndVerifies() throws Exception {
        Wire a = new Wire("hmac-sha256", "secret"), b = new Wire("hmac-sha256", "secret");
        Set<String> ids = java.util.Collections.synchronizedSet(new HashSet<>());
        List<Thread> threads = new java.util.ArrayList<>();
        for (Wire w : List.of(a, b)) {
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 500; i++) {
                        JsonObject content = new JsonObject();
                        content.addProperty("i", i);
                        List<byte[]> frames = w.encode(List.of(), "status", null, content);
                        try {
                            Wire.Message m = w.decode(frames);
                            assertEquals("status", m.type());
                            String id = m.header().get("msg_id").getAsString();
                            assertTrue(id.startsWith(w.session), id);
                            assertEquals(m.header().get("session").getAsString(), w.session);
                            ids.add(id);
                        } catch (Wire.Rejected r) {
                            throw new AssertionError(r);
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
        }
        for (Thread th : threads) th.join();
        assertEquals(2 * 4 * 500, ids.size(), "msg_ids repeated");
    }
}
