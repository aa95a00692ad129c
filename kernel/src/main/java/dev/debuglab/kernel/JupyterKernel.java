package dev.debuglab.kernel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;

/**
 * The wire kernel: binds the five sockets of a connection file (on its ip only) and serves them with one blocking
 * ZMQ poller loop (no poll-and-sleep). Shell requests run in order on a worker thread, which owns the
 * {@link KernelSession}; control requests (kernel_info, interrupt, shutdown) are answered on the loop thread at once,
 * also while a cell runs. Every socket is used only by the loop thread: other threads queue what they send and wake
 * the loop through an inproc pair. Messages with a missing or wrong signature are dropped with a log line.
 */
final class JupyterKernel {
    private enum Channel { SHELL, CONTROL, IOPUB, STDIN }

    private record Outgoing(Channel channel, List<byte[]> frames) {}

    private final Language language;
    private final KernelConnectionProperties props;
    private final Wire wire;
    private final ZContext zmq = new ZContext(1);
    private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Wire.Message> shellQueue = new LinkedBlockingQueue<>();
    private final KernelSession session;
    private ZMQ.Socket shell, control, iopub, stdin, wakeSend, wakeRecv;
    private volatile boolean stopping;
    private volatile Thread waker;
    /** After an error with stop_on_error: the execute requests queued before its reply was sent (worker thread only). */
    private List<Wire.Message> toAbort;
    private Thread worker;
    private volatile Thread loopThread;
    private Thread heartbeat;

    private JupyterKernel(KernelConnectionProperties props, Language language) throws Exception {
        this.props = props;
        this.language = language;
        this.wire = new Wire(props.getSignatureScheme(), props.getKey());
        this.session = new KernelSession(language);
        lastSession = session;
        // The Kotlin kernelspec needs nothing but the Kotlin engine, whose first compile takes seconds: it starts now,
        // before the sockets are bound, in the background (kernel_info is answered meanwhile; the first Kotlin cell
        // waits for the warm-up).
        if (language == Language.KOTLIN) session.warmUp();
    }

    /** The session of the kernel started last in this JVM (tests look at its engines). */
    static volatile KernelSession lastSession;

    static int run(Path connectionFile, Language language) throws Exception {
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterKernel k = new JupyterKernel(props, language);
        return k.serve();
    }

    private String endpoint(int port) {
        return props.getTransport() + "://" + props.getIp() + ":" + port;
    }

    private int serve() {
        loopThread = Thread.currentThread();
        shell = bind(SocketType.ROUTER, props.getShellPort());
        control = bind(SocketType.ROUTER, props.getControlPort());
        stdin = bind(SocketType.ROUTER, props.getStdinPort());
        iopub = bind(SocketType.PUB, props.getIopubPort());
        ZMQ.Socket hb = bind(SocketType.REP, props.getHbPort());
        wakeRecv = zmq.createSocket(SocketType.PAIR);
        wakeRecv.bind("inproc://debuglab-wake");
        wakeSend = zmq.createSocket(SocketType.PAIR);
        wakeSend.connect("inproc://debuglab-wake");
        Thread w = new Thread(this::wake, "debuglab-waker");
        w.setDaemon(true);
        waker = w;
        w.start();

        heartbeat = new Thread(() -> {
            try {
                while (!stopping) {
                    byte[] ping = hb.recv(0);
                    if (ping == null) break;
                    hb.send(ping, 0);
                }
            } catch (RuntimeException e) {
                // the context closed at shutdown
            }
        }, "jupyter-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();

        worker = new Thread(this::work, "debuglab-cells");
        worker.setDaemon(true);
        worker.start();

        publish("status", null, status("starting"));
        ZMQ.Poller poller = zmq.createPoller(3);
        int iShell = poller.register(shell, ZMQ.Poller.POLLIN);
        int iControl = poller.register(control, ZMQ.Poller.POLLIN);
        int iWake = poller.register(wakeRecv, ZMQ.Poller.POLLIN);
        while (!stopping || !outbox.isEmpty()) {
            flush();
            if (stopping) break;
            int ready = poller.poll(POLL_MS);
            if (ready < 0) break;
            if (poller.pollin(iWake)) while (wakeRecv.recv(ZMQ.DONTWAIT) != null) { /* drain */ }
            // The receives never block, so a poll that times out reads both sockets anyway: a request the poller did
            // not report is then answered within POLL_MS instead of never (seen once in CI: a shutdown_request on a
            // control socket the client connected late stayed unanswered for 30 s; the cause was not found).
            if (poller.pollin(iControl) || ready == 0) {
                if (receive(control, Channel.CONTROL) > 0 && ready == 0) log("read a control message the poller had not reported");
            }
            if (poller.pollin(iShell) || ready == 0) {
                if (receive(shell, Channel.SHELL) > 0 && ready == 0) log("read a shell message the poller had not reported");
            }
        }
        flush();
        session.close();
        try {
            Thread.sleep(50); // let the last frames leave before the context closes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        zmq.close();
        return 0;
    }

    /** The longest the loop waits in one poll (an idle kernel wakes this often, reads nothing and polls again). */
    private static final long POLL_MS = 1000;

    private ZMQ.Socket bind(SocketType type, int port) {
        ZMQ.Socket s = zmq.createSocket(type);
        s.setLinger(1000);
        s.bind(endpoint(port));
        return s;
    }

    // ---- receiving ----

    /** Reads and dispatches every message waiting on {@code socket}; returns how many there were. */
    private int receive(ZMQ.Socket socket, Channel channel) {
        for (int n = 0; ; n++) {
            List<byte[]> frames = new ArrayList<>();
            byte[] f = socket.recv(ZMQ.DONTWAIT);
            if (f == null) return n;
            frames.add(f);
            while (socket.hasReceiveMore()) frames.add(socket.recv(0));
            Wire.Message msg;
            try {
                msg = wire.decode(frames);
            } catch (Wire.Rejected r) {
                log("dropped a message on " + channel.name().toLowerCase() + ": " + r.getMessage());
                continue;
            }
            try {
                dispatch(msg, channel);
            } catch (RuntimeException e) {
                log("could not handle " + msg.type() + ": " + e);
            }
            // The engines warm up once the client's first request (kernel_info, from wait_for_ready) is answered,
            // so that JVM start and warm-up do not compete for the CPU before "ready".
            session.warmUp();
        }
    }

    private void dispatch(Wire.Message msg, Channel channel) {
        String type = msg.type();
        switch (type) {
            // answered at once on both channels, also while the Kotlin kernelspec's engine still warms up in the
            // background (a Kotlin cell sent meanwhile waits for that warm-up; it never starts a second engine)
            case "kernel_info_request" -> around(msg, () -> reply(msg, channel, "kernel_info_reply", kernelInfo()));
            case "interrupt_request" -> around(msg, () -> {
                session.interrupt();
                reply(msg, channel, "interrupt_reply", ok());
            });
            case "shutdown_request" -> around(msg, () -> {
                JsonObject c = ok();
                c.addProperty("restart", msg.content().has("restart") && msg.content().get("restart").getAsBoolean());
                session.interrupt();
                reply(msg, channel, "shutdown_reply", c);
                stopping = true;
            });
            default -> {
                // a %%kotlin cell seen now (queued behind others, or being typed) starts the Kotlin engine now
                if (type.equals("execute_request") || type.equals("complete_request") || type.equals("inspect_request")
                        || type.equals("is_complete_request")) session.notice(str(msg.content(), "code", ""));
                if (channel == Channel.CONTROL && !type.equals("execute_request")) handle(msg, channel);
                else shellQueue.add(new Wire.Message(msg.identities(), msg.header(), msg.parentHeader(), msg.metadata(), msg.content()));
            }
        }
    }

    private void work() {
        while (true) {
            Wire.Message msg;
            try {
                msg = shellQueue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                handle(msg, Channel.SHELL);
            } catch (RuntimeException | LinkageError e) {
                log("could not handle " + msg.type() + ": " + e);
            }
        }
    }

    /** Requests answered in order (the worker for shell; at once for control). */
    private void handle(Wire.Message msg, Channel channel) {
        switch (msg.type()) {
            case "execute_request" -> {
                around(msg, () -> execute(msg, channel));
                // after this request's idle, so that a client reading IOPub in order sees each request's status pair
                if (toAbort != null) {
                    List<Wire.Message> queued = toAbort;
                    toAbort = null;
                    abortQueued(queued);
                }
            }
            case "complete_request" -> around(msg, () -> complete(msg, channel));
            case "inspect_request" -> around(msg, () -> inspect(msg, channel));
            case "is_complete_request" -> around(msg, () -> {
                Completeness c = session.isComplete(str(msg.content(), "code", ""));
                JsonObject r = new JsonObject();
                r.addProperty("status", c.status());
                if (c.status().equals("incomplete")) r.addProperty("indent", c.indent());
                reply(msg, channel, "is_complete_reply", r);
            });
            case "history_request" -> around(msg, () -> history(msg, channel));
            case "comm_info_request" -> around(msg, () -> {
                JsonObject r = ok();
                r.add("comms", new JsonObject());
                reply(msg, channel, "comm_info_reply", r);
            });
            case "comm_open" -> {
                // no comm targets: close it again, as ipykernel does for an unknown target
                JsonObject c = new JsonObject();
                c.add("comm_id", msg.content().get("comm_id"));
                c.add("data", new JsonObject());
                publish("comm_close", msg.header(), c);
            }
            case "comm_msg", "comm_close" -> { }
            case "kernel_info_request" -> around(msg, () -> reply(msg, channel, "kernel_info_reply", kernelInfo()));
            case "interrupt_request", "shutdown_request" -> dispatch(msg, channel);
            default -> log("ignored a " + msg.type() + " message (not handled by this kernel)");
        }
    }

    /** busy, the handler, idle: every request is framed by status messages (protocol 5.0). */
    private void around(Wire.Message msg, Runnable body) {
        publish("status", msg.header(), status("busy"));
        try {
            body.run();
        } finally {
            publish("status", msg.header(), status("idle"));
            if (holdWake.get()) {
                holdWake.set(false);
                wakeLoop();
            }
        }
    }

    /**
     * Set by a handler just before its reply: the reply waits in the outbox until the request's idle status is queued
     * too, and the loop sends both in one flush. A GC pause (or a busy machine) between the two would otherwise leave
     * the client with the reply and no idle for that long (jupyter_kernel_test gives 0.1 s between them).
     */
    private final ThreadLocal<Boolean> holdWake = ThreadLocal.withInitial(() -> false);

    // ---- execute ----

    private void execute(Wire.Message msg, Channel channel) {
        JsonObject c = msg.content();
        String code = str(c, "code", "");
        boolean silent = bool(c, "silent", false);
        boolean store = bool(c, "store_history", !silent) && !silent;
        boolean stopOnError = bool(c, "stop_on_error", true);
        int count = store ? session.executionCount() + 1 : session.executionCount();
        JsonObject parent = msg.header();
        if (!silent) {
            JsonObject in = new JsonObject();
            in.addProperty("code", code);
            in.addProperty("execution_count", count);
            publish("execute_input", parent, in);
        }
        OutputSink sink = silent ? OutputSink.NONE : o -> publishOutput(parent, o, count);
        CellResult result = session.execute(code, store, sink);
        JsonObject r = new JsonObject();
        r.addProperty("execution_count", result.executionCount());
        if (result.ok()) {
            r.addProperty("status", "ok");
            JsonArray payload = new JsonArray();
            for (Output o : result.outputs()) {
                if (o instanceof Output.Page p) { // the pager, as IPython's "?" uses it
                    JsonObject page = new JsonObject();
                    page.addProperty("source", "page");
                    page.add("data", bundle(p.data()));
                    page.addProperty("start", 0);
                    payload.add(page);
                }
            }
            r.add("payload", payload);
            r.add("user_expressions", userExpressions(c));
        } else {
            Output.Error e = result.error().orElse(new Output.Error("Error", "", List.of()));
            r.addProperty("status", "error");
            r.addProperty("ename", e.ename());
            r.addProperty("evalue", e.evalue());
            JsonArray tb = new JsonArray();
            e.traceback().forEach(tb::add);
            r.add("traceback", tb);
        }
        // the queued requests are taken before the reply leaves: one a client sends once it has the error runs,
        // however soon it arrives (nbclient sends the next cell right after a raises-exception cell's error)
        if (!result.ok() && stopOnError) {
            List<Wire.Message> queued = new ArrayList<>();
            for (Wire.Message q : shellQueue) if (q.type().equals("execute_request")) queued.add(q);
            toAbort = queued;
        }
        holdWake.set(true); // the reply leaves with the idle status that follows it
        reply(msg, channel, "execute_reply", r);
    }

    /**
     * After an error with stop_on_error: the execute requests that arrived before the error's reply was sent (the
     * ones waiting in the queue) are not run, as in ipykernel; one sent after it runs. The reply says
     * {@code status: error}, {@code ename: Aborted} (protocol 5.1 deprecates the old "aborted" status).
     */
    private void abortQueued(List<Wire.Message> queued) {
        for (Wire.Message aborted : queued) {
            if (!shellQueue.remove(aborted)) continue;
            around(aborted, () -> {
                JsonObject r = new JsonObject();
                r.addProperty("status", "error");
                r.addProperty("ename", "Aborted");
                r.addProperty("evalue", "not run: an earlier cell failed (stop_on_error)");
                r.add("traceback", new JsonArray());
                r.addProperty("execution_count", session.executionCount());
                reply(aborted, Channel.SHELL, "execute_reply", r);
            });
        }
    }

    private JsonObject userExpressions(JsonObject content) {
        JsonObject out = new JsonObject();
        if (!content.has("user_expressions") || !content.get("user_expressions").isJsonObject()) return out;
        for (Map.Entry<String, JsonElement> e : content.getAsJsonObject("user_expressions").entrySet()) {
            String expr = e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : "";
            CellResult r = session.execute(expr, false, OutputSink.NONE);
            JsonObject v = new JsonObject();
            if (r.ok()) {
                v.addProperty("status", "ok");
                v.add("data", bundle(r.result().orElse(MimeBundle.text(""))));
                v.add("metadata", new JsonObject());
            } else {
                Output.Error err = r.error().orElseThrow();
                v.addProperty("status", "error");
                v.addProperty("ename", err.ename());
                v.addProperty("evalue", err.evalue());
                JsonArray tb = new JsonArray();
                err.traceback().forEach(tb::add);
                v.add("traceback", tb);
            }
            out.add(e.getKey(), v);
        }
        return out;
    }

    private void publishOutput(JsonObject parent, Output o, int count) {
        if (o instanceof Output.Stream s) {
            JsonObject c = new JsonObject();
            c.addProperty("name", s.name());
            c.addProperty("text", s.text());
            publish("stream", parent, c);
        } else if (o instanceof Output.Display d) {
            publish("display_data", parent, displayContent(d.data(), d.displayId()));
        } else if (o instanceof Output.DisplayUpdate u) {
            publish("update_display_data", parent, displayContent(u.data(), u.displayId()));
        } else if (o instanceof Output.ClearOutput co) {
            JsonObject c = new JsonObject();
            c.addProperty("wait", co.waitForNext());
            publish("clear_output", parent, c);
        } else if (o instanceof Output.Result r) {
            JsonObject c = new JsonObject();
            c.addProperty("execution_count", count);
            c.add("data", bundle(r.data()));
            c.add("metadata", new JsonObject());
            publish("execute_result", parent, c);
        } else if (o instanceof Output.Error e) {
            JsonObject c = new JsonObject();
            c.addProperty("ename", e.ename());
            c.addProperty("evalue", e.evalue());
            JsonArray tb = new JsonArray();
            e.traceback().forEach(tb::add);
            c.add("traceback", tb);
            publish("error", parent, c);
        }
    }

    private static JsonObject displayContent(MimeBundle data, String displayId) {
        JsonObject c = new JsonObject();
        c.add("data", bundle(data));
        c.add("metadata", new JsonObject());
        JsonObject t = new JsonObject();
        if (displayId != null) t.addProperty("display_id", displayId);
        c.add("transient", t);
        return c;
    }

    private static JsonObject bundle(MimeBundle b) {
        JsonObject d = new JsonObject();
        b.data().forEach((mime, text) -> {
            if (mime.equals(MimeBundle.JSON)) {
                try {
                    d.add(mime, com.google.gson.JsonParser.parseString(text));
                    return;
                } catch (RuntimeException e) {
                    // not JSON after all: send the text
                }
            }
            d.addProperty(mime, text);
        });
        return d;
    }

    // ---- complete, inspect, history ----

    private void complete(Wire.Message msg, Channel channel) {
        String code = str(msg.content(), "code", "");
        int cursor = Math.min(intv(msg.content(), "cursor_pos", code.codePointCount(0, code.length())), code.codePointCount(0, code.length()));
        int at = code.offsetByCodePoints(0, Math.max(0, cursor)); // protocol 5.2: cursor_pos counts code points
        Completion c = session.complete(code, at);
        JsonObject r = ok();
        JsonArray m = new JsonArray();
        c.matches().forEach(m::add);
        r.add("matches", m);
        r.addProperty("cursor_start", code.codePointCount(0, c.cursorStart()));
        r.addProperty("cursor_end", code.codePointCount(0, c.cursorEnd()));
        r.add("metadata", new JsonObject());
        reply(msg, channel, "complete_reply", r);
    }

    private void inspect(Wire.Message msg, Channel channel) {
        String code = str(msg.content(), "code", "");
        int cursor = Math.min(intv(msg.content(), "cursor_pos", 0), code.codePointCount(0, code.length()));
        Inspection i = session.inspect(code, code.offsetByCodePoints(0, Math.max(0, cursor)));
        JsonObject r = ok();
        r.addProperty("found", i.found());
        r.add("data", bundle(i.data()));
        r.add("metadata", new JsonObject());
        reply(msg, channel, "inspect_reply", r);
    }

    private void history(Wire.Message msg, Channel channel) {
        JsonObject c = msg.content();
        String access = str(c, "hist_access_type", "tail");
        List<Map.Entry<Integer, String>> all = session.history();
        List<Map.Entry<Integer, String>> chosen = new ArrayList<>();
        switch (access) {
            case "range" -> {
                int start = intv(c, "start", 0), stop = intv(c, "stop", Integer.MAX_VALUE);
                for (var e : all) if (e.getKey() >= start && e.getKey() < stop) chosen.add(e);
            }
            case "search" -> {
                String pattern = str(c, "pattern", "*");
                Pattern p = Pattern.compile(glob(pattern), Pattern.DOTALL);
                for (var e : all) if (p.matcher(e.getValue()).matches()) chosen.add(e);
                if (bool(c, "unique", false)) { // the latest of equal inputs only
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    List<Map.Entry<Integer, String>> u = new ArrayList<>();
                    for (int k = chosen.size() - 1; k >= 0; k--) if (seen.add(chosen.get(k).getValue())) u.add(0, chosen.get(k));
                    chosen = u;
                }
                int n = intv(c, "n", chosen.size());
                if (chosen.size() > n) chosen = new ArrayList<>(chosen.subList(chosen.size() - n, chosen.size()));
            }
            default -> {
                int n = intv(c, "n", all.size());
                chosen.addAll(all.subList(Math.max(0, all.size() - n), all.size()));
            }
        }
        boolean output = bool(c, "output", false);
        JsonArray h = new JsonArray();
        for (var e : chosen) {
            JsonArray row = new JsonArray();
            row.add(1); // this kernel's one session
            row.add(e.getKey());
            if (output) {
                JsonArray io = new JsonArray();
                io.add(e.getValue());
                io.add((String) null);
                row.add(io);
            } else row.add(e.getValue());
            h.add(row);
        }
        JsonObject r = ok();
        r.add("history", h);
        reply(msg, channel, "history_reply", r);
    }

    private static String glob(String g) {
        StringBuilder b = new StringBuilder();
        for (char ch : g.toCharArray()) {
            if (ch == '*') b.append(".*");
            else if (ch == '?') b.append('.');
            else b.append(Pattern.quote(String.valueOf(ch)));
        }
        return b.toString();
    }

    // ---- kernel_info ----

    private JsonObject kernelInfo() {
        JsonObject r = ok();
        r.addProperty("protocol_version", Wire.PROTOCOL_VERSION);
        r.addProperty("implementation", KernelSession.IMPLEMENTATION);
        r.addProperty("implementation_version", KernelSession.VERSION);
        JsonObject li = new JsonObject();
        if (language == Language.KOTLIN) {
            li.addProperty("name", "kotlin");
            li.addProperty("version", kotlin.KotlinVersion.CURRENT.toString());
            li.addProperty("mimetype", "text/x-kotlin");
            li.addProperty("file_extension", ".kts");
            li.addProperty("pygments_lexer", "kotlin");
            li.addProperty("codemirror_mode", "text/x-kotlin");
        } else {
            li.addProperty("name", "java");
            li.addProperty("version", Runtime.version().toString());
            li.addProperty("mimetype", "text/x-java");
            li.addProperty("file_extension", ".jshell");
            li.addProperty("pygments_lexer", "java");
            li.addProperty("codemirror_mode", "text/x-java");
        }
        li.addProperty("nbconvert_exporter", "script");
        r.add("language_info", li);
        r.addProperty("banner", "DebugLab " + KernelSession.VERSION + " — the AArch64 self-hosted debug architecture under KVM, "
                + (language == Language.KOTLIN ? "Kotlin" : "Java (JShell " + Runtime.version().feature() + ")")
                + " cells with the DSL imported. %help lists the magics.");
        JsonArray links = new JsonArray();
        links.add(link("DebugLab DSL grammar", "https://github.com/debuglab/debuglab/blob/main/docs/dsl-grammar.md"));
        links.add(link("Arm ARM: AArch64 self-hosted debug (D2)", "https://developer.arm.com/documentation/ddi0487/latest"));
        links.add(link("KVM/arm64 debug (arch/arm64/kvm/debug.c)", "https://github.com/torvalds/linux/blob/master/arch/arm64/kvm/debug.c"));
        r.add("help_links", links);
        return r;
    }

    private static JsonObject link(String text, String url) {
        JsonObject l = new JsonObject();
        l.addProperty("text", text);
        l.addProperty("url", url);
        return l;
    }

    // ---- sending (queued; the loop thread owns the sockets) ----

    private void reply(Wire.Message request, Channel channel, String type, JsonObject content) {
        send(new Outgoing(channel, wire.encode(request.identities(), type, request.header(), content)));
    }

    private void publish(String type, JsonObject parent, JsonObject content) {
        List<byte[]> topic = List.of(type.getBytes(StandardCharsets.UTF_8));
        send(new Outgoing(Channel.IOPUB, wire.encode(topic, type, parent, content)));
    }

    /**
     * Queues a message for the loop thread. A cell's threads call this too, and an interrupt may stop them anywhere
     * (Thread.stop): so they only add to a lock-free queue and unpark the waker thread, which alone touches the
     * inproc socket that wakes the loop.
     */
    private void send(Outgoing o) {
        outbox.add(o);
        if (Thread.currentThread() == loopThread) return; // the loop flushes before it polls again
        if (holdWake.get()) return; // woken once the idle status is queued (around)
        wakeLoop();
    }

    private void wakeLoop() {
        Thread w = waker;
        if (w != null) LockSupport.unpark(w);
    }

    private void wake() {
        while (!stopping) {
            LockSupport.park(this);
            if (!outbox.isEmpty()) wakeSend.send(new byte[] {1}, ZMQ.DONTWAIT);
        }
    }

    private void flush() {
        Outgoing o;
        while ((o = outbox.poll()) != null) {
            ZMQ.Socket s = switch (o.channel()) {
                case SHELL -> shell;
                case CONTROL -> control;
                case IOPUB -> iopub;
                case STDIN -> stdin;
            };
            List<byte[]> frames = o.frames();
            for (int i = 0; i < frames.size(); i++) s.send(frames.get(i), i + 1 < frames.size() ? ZMQ.SNDMORE : 0);
        }
    }

    // ---- helpers ----

    private static JsonObject ok() {
        JsonObject r = new JsonObject();
        r.addProperty("status", "ok");
        return r;
    }

    private static JsonObject status(String state) {
        JsonObject c = new JsonObject();
        c.addProperty("execution_state", state);
        return c;
    }

    private static String str(JsonObject o, String key, String dflt) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : dflt;
    }

    private static boolean bool(JsonObject o, String key, boolean dflt) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsBoolean() : dflt;
    }

    private static int intv(JsonObject o, String key, int dflt) {
        JsonElement e = o.get(key);
        try {
            return e != null && e.isJsonPrimitive() ? e.getAsInt() : dflt;
        } catch (NumberFormatException x) {
            return dflt;
        }
    }

    static void log(String line) {
        StdRouter.log().println("debuglab-kernel: " + line);
    }
}
