package dev.debuglab.kernel;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Replaces {@code System.out} and {@code System.err} once per JVM with streams that send what a cell writes to that
 * cell's sink (as {@link Output.Stream}s, at each flush or line end, so output appears while the cell runs) and
 * everything else to the original streams.
 */
final class StdRouter {
    private static boolean installed;
    static final PrintStream ORIGINAL_OUT = System.out;
    static final PrintStream ORIGINAL_ERR = System.err;

    private StdRouter() {
    }

    static synchronized void install() {
        if (installed) return;
        installed = true;
        System.setOut(new PrintStream(new Routing("stdout", ORIGINAL_OUT), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Routing("stderr", ORIGINAL_ERR), true, StandardCharsets.UTF_8));
    }

    /** The process's real standard error (for the kernel's own log lines), whatever System.err is now. */
    static PrintStream log() {
        return ORIGINAL_ERR != null ? ORIGINAL_ERR : new PrintStream(new FileOutputStream(FileDescriptor.err), true);
    }

    private static final class Routing extends OutputStream {
        private final String name;
        private final PrintStream fallback;
        private final ThreadLocal<ByteArrayOutputStream> pending = ThreadLocal.withInitial(ByteArrayOutputStream::new);

        Routing(String name, PrintStream fallback) {
            this.name = name;
            this.fallback = fallback;
        }

        @Override
        public void write(int b) {
            OutputSink sink = CellContext.currentSink();
            if (sink == null) {
                fallback.write(b);
                return;
            }
            ByteArrayOutputStream p = pending.get();
            p.write(b);
            if (b == '\n') emit(sink, p);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            OutputSink sink = CellContext.currentSink();
            if (sink == null) {
                fallback.write(b, off, len);
                return;
            }
            ByteArrayOutputStream p = pending.get();
            p.write(b, off, len);
            // PrintStream hands over whole encoded strings: send them at once unless a multi-byte character is cut.
            if (len > 0 && (b[off + len - 1] & 0x80) == 0) emit(sink, p);
        }

        @Override
        public void flush() {
            OutputSink sink = CellContext.currentSink();
            if (sink == null) {
                fallback.flush();
                return;
            }
            emit(sink, pending.get());
        }

        private void emit(OutputSink sink, ByteArrayOutputStream p) {
            if (p.size() == 0) return;
            String text = p.toString(StandardCharsets.UTF_8);
            p.reset();
            sink.emit(new Output.Stream(name, text));
        }
    }
}
