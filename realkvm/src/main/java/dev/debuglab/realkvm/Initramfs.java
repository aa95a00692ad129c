package dev.debuglab.realkvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The initramfs of a real-KVM boot: Debian's static arm64 busybox (package busybox-static:arm64,
 * for the init script's mounts and the final power-off), the driver {@code dlkvm} (compiled from
 * {@code dlkvm.c} with {@code aarch64-linux-gnu-gcc -static}, cached by the source's hash), the
 * scenario script, and {@code /init}.
 */
public final class Initramfs {
    private Initramfs() {}

    /** /init: mount devtmpfs (for /dev/kvm) and proc, run the driver on the script, power off. */
    static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t devtmpfs devtmpfs /dev
            /bin/busybox mount -t proc proc /proc
            /dlkvm /scenarios.txt
            echo "DLKVM EXIT $?"
            /bin/busybox poweroff -f
            """;

    /** The cpio archive for this script. */
    public static byte[] build(List<String> script) {
        return new Cpio().dir("bin").dir("dev").dir("proc")
                .file("init", 0755, INIT.getBytes(StandardCharsets.US_ASCII))
                .file("bin/busybox", 0755, read(busybox()))
                .file("dlkvm", 0755, read(driver()))
                .file("scenarios.txt", 0644, (String.join("\n", script) + "\n").getBytes(StandardCharsets.US_ASCII))
                .toBytes();
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new RealKvmException("cannot read " + p + ": " + e.getMessage());
        }
    }

    /** The driver binary, compiled once per source version. */
    static synchronized Path driver() {
        return Tools.locked("driver", Initramfs::compileDriver);
    }

    private static Path compileDriver() {
        byte[] src = Tools.resource("dlkvm.c");
        Path dir = Tools.cache().resolve("driver-" + Tools.sha256(src));
        Path bin = dir.resolve("dlkvm");
        if (Files.isRegularFile(bin)) return bin;
        Tools.require("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu");
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("dlkvm.c"), src);
        } catch (IOException e) {
            throw new RealKvmException("cannot write the driver source to " + dir + ": " + e.getMessage());
        }
        Tools.run(dir, 300, "compiling the KVM driver", List.of("aarch64-linux-gnu-gcc", "-static", "-O2", "-Wall", "-o", "dlkvm.tmp", "dlkvm.c"));
        try {
            Files.move(dir.resolve("dlkvm.tmp"), bin, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RealKvmException("cannot store the driver in " + dir + ": " + e.getMessage());
        }
        return bin;
    }

    /** Debian's arm64 busybox-static, downloaded once with apt-get download and unpacked with dpkg-deb. */
    static synchronized Path busybox() {
        return Tools.locked("busybox", Initramfs::fetchBusybox);
    }

    private static Path fetchBusybox() {
        Path dir = Tools.cache().resolve("busybox");
        Path bin = dir.resolve("bin/busybox");
        if (Files.isRegularFile(bin)) return bin;
        Path deb = Debian.download(Debian.Suite.BOOKWORM, "busybox-static", dir);
        Debian.extract(deb, dir, "./bin/busybox");
        if (!Files.isRegularFile(bin)) throw new RealKvmException("busybox-static:arm64 (" + deb + ") holds no bin/busybox");
        return bin;
    }
}
