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
        System.setOut(new CellStream(new Routing("stdout", ORIGINAL_OUT)));
        System.setErr(new CellStream(new Routing("stderr", ORIGINAL_ERR)));
        // The classes printf/format need are initialized here, on a thread no interrupt stops: a Thread.stop that
        // lands in a class's static initializer leaves that class unusable for the JVM's lifetime (every later
        // printf failed with "NoClassDefFoundError: Could not initialize class java.util.stream.FindOps$FindSink$OfInt"
        // after a cell's first printf was interrupted).
        String.format("%d %s %.3f %x %e %c %b %,d %n", 1L, "s", 1.5, 255, 2.5e10, 'c', true, 1234567);
        String.format(java.util.Locale.ROOT, "%d %s %.3f %x %n", 1, "s", 1.5f, 255L);
        String.join(",", java.util.stream.IntStream.range(0, 3).mapToObj(Integer::toString).toList());
        java.util.stream.IntStream.range(0, 3).filter(i -> i > 0).findFirst();
    }

    /**
     * The PrintStream a cell writes to. An interrupt stops the cell's thread anywhere (Thread.stop), also in the
     * middle of a println: a plain PrintStream keeps shared state there (its BufferedWriter, its encoder's byte
     * buffer, the formatter), one stream for every cell, and a stop inside it can leave text stuck in those buffers.
     * This one keeps none: each call encodes its text into a fresh array and hands it to {@link Routing} in one write
     * (whose only state is the writing thread's own pending line), so a stopped write loses at most its own text.
     */
    static final class CellStream extends PrintStream {
        private final Routing target;

        CellStream(Routing target) {
            super(target, true, StandardCharsets.UTF_8);
            this.target = target;
        }

        private void text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            target.write(b, 0, b.length);
        }

        @Override public void write(int b) { target.write(b); }
        @Override public void write(byte[] b, int off, int len) { target.write(b, off, len); }
        @Override public void write(byte[] b) { target.write(b, 0, b.length); }
        @Override public void writeBytes(byte[] b) { target.write(b, 0, b.length); }
        @Override public void flush() { target.flush(); }
        /** A cell closing System.out must not close it for the cells after it. */
        @Override public void close() { target.flush(); }
        @Override public boolean checkError() { return false; }
        @Override public void print(boolean b) { text(String.valueOf(b)); }
        @Override public void print(char c) { text(String.valueOf(c)); }
        @Override public void print(int i) { text(String.valueOf(i)); }
        @Override public void print(long l) { text(String.valueOf(l)); }
        @Override public void print(float f) { text(String.valueOf(f)); }
        @Override public void print(double d) { text(String.valueOf(d)); }
        @Override public void print(char[] s) { text(new String(s)); }
        @Override public void print(String s) { text(String.valueOf(s)); }
        @Override public void print(Object o) { text(String.valueOf(o)); }
        @Override public void println() { text(System.lineSeparator()); }
        @Override public void println(boolean x) { text(x + System.lineSeparator()); }
        @Override public void println(char x) { text(x + System.lineSeparator()); }
        @Override public void println(int x) { text(x + System.lineSeparator()); }
        @Override public void println(long x) { text(x + System.lineSeparator()); }
        @Override public void println(float x) { text(x + System.lineSeparator()); }
        @Override public void println(double x) { text(x + System.lineSeparator()); }
        @Override public void println(char[] x) { text(new String(x) + System.lineSeparator()); }
        @Override public void println(String x) { text(x + System.lineSeparator()); }
        @Override public void println(Object x) { text(String.valueOf(x) + System.lineSeparator()); }
        @Override public PrintStream printf(String format, Object... args) { return format(format, args); }
        @Override public PrintStream printf(java.util.Locale l, String format, Object... args) { return format(l, format, args); }
        @Override public PrintStream format(String format, Object... args) { text(String.format(format, args)); return this; }
        @Override public PrintStream format(java.util.Locale l, String format, Object... args) { text(String.format(l, format, args)); return this; }
        @Override public PrintStream append(CharSequence csq) { text(String.valueOf(csq)); return this; }
        @Override public PrintStream append(CharSequence csq, int start, int end) { text(String.valueOf(csq == null ? "null" : csq).substring(start, end)); return this; }
        @Override public PrintStream append(char c) { text(String.valueOf(c)); return this; }
    }

    /** The process's real standard error (for the kernel's own log lines), whatever System.err is now. */
    static PrintStream log() {
        return ORIGINAL_ERR != null ? ORIGINAL_ERR : new PrintStream(new FileOutputStream(FileDescriptor.err), true);
    }

    static final class Routing extends OutputStream {
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

        /** Takes the pending text first (the buffer is then empty whatever happens in the sink), then sends it. */
        private void emit(OutputSink sink, ByteArrayOutputStream p) {
            if (p.size() == 0) return;
            byte[] bytes = p.toByteArray();
            p.reset();
            sink.emit(new Output.Stream(name, new String(bytes, StandardCharsets.UTF_8)));
        }
    }
}
