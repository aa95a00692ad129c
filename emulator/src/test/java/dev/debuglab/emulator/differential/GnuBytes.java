package dev.debuglab.emulator.differential;

import dev.debuglab.emulator.testkit.Proc;
import dev.debuglab.emulator.testkit.Toolchain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The reference assembly of a differential program: GNU {@code as} and {@code ld} link it alone
 * at its own base (the program fixes its layout relative to that base) and {@code objcopy -O
 * binary} gives the bytes from the base up. The bytes are then wrapped by the machine's
 * {@code ElfWriter} (through {@link Toolchain#fromBytes}) so that exactly the same image runs on
 * QEMU and on DebugLab, and so that the project's own assembler can be compared byte for byte.
 */
final class GnuBytes {
    private GnuBytes() {}

    static byte[] assemble(String source, long base) {
        Path cache = Toolchain.cacheDir().resolve("diff-" + hash(base + "\0" + source) + ".bin");
        try {
            if (Files.exists(cache)) return Files.readAllBytes(cache);
            Path dir = Files.createTempDirectory(Toolchain.cacheDir(), "diffbuild");
            try {
                Files.writeString(dir.resolve("prog.s"), source, StandardCharsets.UTF_8);
                Proc.check(List.of(Toolchain.AS, "-o", "prog.o", "prog.s"), dir);
                Proc.check(List.of(Toolchain.LD, "-Ttext=0x" + Long.toHexString(base), "-e", "_start", "-o", "prog.elf",
                        "prog.o"), dir);
                Proc.check(List.of(Toolchain.OBJCOPY, "-O", "binary", "prog.elf", "prog.bin"), dir);
                byte[] bytes = Files.readAllBytes(dir.resolve("prog.bin"));
                Path tmp = Files.createTempFile(Toolchain.cacheDir(), "part", ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return bytes;
            } finally {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The runnable ELF of {@code bytes} loaded at {@code base} and entered there. */
    static Path elf(byte[] bytes, long base) {
        return Toolchain.fromBytes(bytes, base, base);
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
