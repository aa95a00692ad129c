package dev.debuglab.realkvm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An arm64 kernel image to boot: one of Debian's (by alias — "6.1", "6.12" from bookworm, "6.18"
 * from trixie-backports, "7.2" from sid — downloaded once and cached), or a user's own {@code Image}
 * file. A gzip-compressed image is decompressed into the cache first (QEMU's {@code -kernel} wants
 * the plain arm64 Image, which starts with the "ARM\x64" magic at offset 0x38).
 *
 * @param name    the alias or the file name
 * @param image   the plain Image file
 * @param origin  where it came from (the Debian package, or the user's path)
 */
public record Kernel(String name, Path image, String origin) {
    /** The Debian kernels the CI compares, one per KVM family Debian ships (kvm.md §0). */
    public static final List<String> ALIASES = List.of("6.1", "6.12", "6.18", "7.2");

    private record Source(Debian.Suite suite, String regex, String member) {}

    private static Source source(String alias) {
        return switch (alias) {
            case "6.1" -> new Source(Debian.Suite.BOOKWORM, "^linux-image-6\\.1\\.0-[0-9]+-arm64-unsigned$", "./boot/vmlinuz-*");
            case "6.12" -> new Source(Debian.Suite.BOOKWORM, "^linux-image-6\\.12\\.[0-9]+\\+deb12-arm64-unsigned$", "./boot/vmlinuz-*");
            case "6.18" -> new Source(Debian.Suite.TRIXIE_BACKPORTS, "^linux-image-6\\.18\\.[0-9]+\\+deb13-arm64$", "./boot/vmlinuz-*");
            case "7.2" -> new Source(Debian.Suite.SID, "^linux-binary-7\\.2\\.[0-9]+\\+deb[0-9]+-arm64$", "./usr/lib/modules/*/vmlinuz");
            default -> null;
        };
    }

    /**
     * "6.1", "6.12", "6.18", "7.2" (Debian's, cached), or the path of an Image file. A clear message
     * for anything else.
     */
    public static Kernel of(String spec) {
        if (spec == null || spec.isBlank())
            throw new RealKvmException("no kernel given: use --kernel 6.1 | 6.12 | 6.18 | 7.2 (Debian's arm64 kernels) or --kernel PATH/TO/Image");
        Source src = source(spec.trim());
        if (src != null) return debian(spec.trim(), src);
        Path p = Path.of(spec);
        if (!Files.exists(p))
            throw new RealKvmException("no kernel image at '" + spec + "': give a path to an arm64 Image file, or one of "
                    + String.join(", ", ALIASES) + " for Debian's kernels");
        return ofFile(p);
    }

    /** A user's Image file (gzip-compressed Images are unpacked into the cache). */
    public static Kernel ofFile(Path p) {
        if (!Files.isRegularFile(p)) throw new RealKvmException("'" + p + "' is not a file: give the path of an arm64 kernel Image");
        byte[] head = readHead(p);
        if (head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) return new Kernel(p.getFileName().toString(), gunzip(p), p.toString() + " (gzip)");
        if (!isArm64Image(head))
            throw new RealKvmException("'" + p + "' is not an arm64 kernel Image (no \"ARM\\x64\" magic at offset 0x38); pass the "
                    + "Image (or Image.gz / Debian's vmlinuz) from arch/arm64/boot/");
        return new Kernel(p.getFileName().toString(), p, p.toString());
    }

    static boolean isArm64Image(byte[] head) {
        return head.length >= 0x40 && head[0x38] == 'A' && head[0x39] == 'R' && head[0x3A] == 'M' && head[0x3B] == 0x64;
    }

    private static byte[] readHead(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(0x40);
        } catch (IOException e) {
            throw new RealKvmException("cannot read '" + p + "': " + e.getMessage());
        }
    }

    private static Path gunzip(Path p) {
        try {
            Path out = Tools.cache().resolve("images").resolve(Tools.sha256(Files.readAllBytes(p)) + ".Image");
            if (Files.isRegularFile(out)) return out;
            Files.createDirectories(out.getParent());
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            if (!isArm64Image(readHead(tmp))) {
                Files.delete(tmp);
                throw new RealKvmException("'" + p + "' is gzip-compressed but what it holds is not an arm64 kernel Image");
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new RealKvmException("cannot decompress '" + p + "': " + e.getMessage());
        }
    }

    /** Debian's kernel for {@code alias}: cached under kernels/ALIAS (Image + the package's name). */
    private static synchronized Kernel debian(String alias, Source src) {
        return Tools.locked("kernel-" + alias, () -> fetch(alias, src));
    }

    private static Kernel fetch(String alias, Source src) {
        Path dir = Tools.cache().resolve("kernels").resolve(alias);
        Path image = dir.resolve("Image"), pkgFile = dir.resolve("package");
        try {
            if (Files.isRegularFile(image) && Files.isRegularFile(pkgFile))
                return new Kernel(alias, image, Files.readString(pkgFile).strip());
            String pkg = Debian.newest(src.suite(), src.regex());
            Path work = Files.createDirectories(dir.resolve("download"));
            Path deb = Debian.download(src.suite(), pkg, work);
            Debian.extract(deb, work, src.member());
            Path found;
            try (var files = Files.find(work, 6, (f, a) -> a.isRegularFile() && f.getFileName().toString().startsWith("vmlinuz"))) {
                found = files.findFirst().orElseThrow(() -> new RealKvmException(deb.getFileName() + " holds no vmlinuz"));
            }
            Kernel k = ofFile(found);
            Path tmp = dir.resolve("Image.tmp");
            Files.copy(k.image(), tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, image, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            String origin = "Debian " + src.suite().name().toLowerCase().replace('_', '-') + " " + deb.getFileName();
            Files.writeString(pkgFile, origin + "\n");
            // keep only the Image: the .deb and the unpacked tree are 50-100 MB each
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            return new Kernel(alias, image, origin);
        } catch (IOException e) {
            throw new RealKvmException("cannot store the kernel in " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return name + " (" + origin + ")";
    }
}
