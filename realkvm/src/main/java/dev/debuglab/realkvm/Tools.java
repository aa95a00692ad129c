package dev.debuglab.realkvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Running the host tools (apt-get, dpkg-deb, the cross compiler) with clear messages; the cache directory. */
final class Tools {
    private Tools() {}

    /** ~/.cache/debuglab/realkvm (or $DEBUGLAB_REALKVM_CACHE). */
    static Path cache() {
        String env = System.getenv("DEBUGLAB_REALKVM_CACHE");
        Path p = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "debuglab", "realkvm");
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new RealKvmException("cannot create the cache directory " + p + ": " + e.getMessage()
                    + "; set DEBUGLAB_REALKVM_CACHE to a writable directory");
        }
    }

    /**
     * Runs {@code work} holding an exclusive lock on {@code name}.lock in the cache directory, so that
     * builds running at the same time (several Maven forks, several users of one cache) do not download
     * or compile into the same place at once.
     */
    static <T> T locked(String name, java.util.function.Supplier<T> work) {
        Path lock = cache().resolve(name + ".lock");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock ignored = ch.lock()) {
            return work.get();
        } catch (IOException e) {
            throw new RealKvmException("cannot lock " + lock + ": " + e.getMessage());
        }
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":"))
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
        return false;
    }

    static void require(String command, String debianPackage) {
        if (!onPath(command))
            throw new RealKvmException(command + " is not installed; install it with `apt-get install " + debianPackage
                    + "` (./debuglab setup does it)");
    }

    /** Runs a command in {@code dir}; returns its output (stdout and stderr); a failure is a RealKvmException with the output. */
    static String run(Path dir, long timeoutSeconds, String what, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RealKvmException(what + " did not finish within " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0)
                throw new RealKvmException(what + " failed (exit " + p.exitValue() + "): " + String.join(" ", command) + "\n" + tail(text, 15));
            return text;
        } catch (IOException e) {
            throw new RealKvmException(what + " could not run (" + e.getMessage() + "): " + String.join(" ", command));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RealKvmException(what + " was interrupted");
        }
    }

    static String tail(String text, int lines) {
        String[] l = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(l, Math.max(0, l.length - lines), l.length));
    }

    static String sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] b : parts) md.update(b);
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] resource(String name) {
        try (var in = Tools.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
