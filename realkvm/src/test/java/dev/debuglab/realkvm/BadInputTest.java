package dev.debuglab.realkvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's bad input: a kernel without KVM, a boot that hangs, a kernel panic, a file that is not
 * an Image — each one clear message within a bounded time, and no QEMU left running. And a user's
 * own Image file (here: a gzip-compressed copy of Debian's 6.1) works like Debian's.
 */
class BadInputTest {
    static final List<Scenario> ONE = List.of(Scenarios.byId("KVM-BRK-OSLK"));

    static RealKvmException fails(QemuHost.Options o) {
        RealKvmException e = assertThrows(RealKvmException.class,
                () -> RealKvm.on(Kernel.of("6.1")).options(o).run(ONE));
        assertEquals(0, QemuHost.running(), "no QEMU outlives the run");
        return e;
    }

    @Test
    void aHostWithoutEl2HasNoKvm() {
        // -M virt without virtualization=on: the kernel boots at EL1, KVM cannot initialise, /dev/kvm is missing
        RealKvmException e = fails(QemuHost.Options.defaults().withVirtualization(false));
        assertTrue(e.getMessage().startsWith("no KVM in this kernel: /dev/kvm could not be opened (errno 2)"), e.getMessage());
        assertTrue(e.getMessage().contains("virtualization=on"), e.getMessage());
    }

    @Test
    void kvmArmModeNoneHasNoKvm() {
        RealKvmException e = fails(QemuHost.Options.defaults().withAppend("kvm-arm.mode=none"));
        assertTrue(e.getMessage().startsWith("no KVM in this kernel"), e.getMessage());
    }

    @Test
    void aHangingBootIsStoppedWithTheLastConsoleLines() {
        // a second is far too short for the kernel to reach userspace under TCG: the watchdog must stop QEMU
        long t0 = System.nanoTime();
        RealKvmException e = fails(QemuHost.Options.defaults().withTimeouts(1, 1));
        assertTrue(e.getMessage().startsWith("the kernel did not start the driver within 1 s (boot hung)"), e.getMessage());
        assertTrue(e.getMessage().contains("QEMU was stopped"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "bounded time");
    }

    @Test
    void aKernelPanicIsShown() {
        // no init in the initramfs under that name and no root device: "Kernel panic - not syncing"
        RealKvmException e = fails(QemuHost.Options.defaults().withAppend("rdinit=/nonexistent root=/dev/bogus"));
        assertTrue(e.getMessage().startsWith("kernel panic booting 6.1"), e.getMessage());
        assertTrue(e.getMessage().contains("Kernel panic - not syncing"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAnImage(@TempDir Path dir) throws IOException {
        Path junk = Files.writeString(dir.resolve("Image"), "not a kernel\n".repeat(10));
        RealKvmException e = assertThrows(RealKvmException.class, () -> Kernel.of(junk.toString()));
        assertTrue(e.getMessage().contains("is not an arm64 kernel Image"), e.getMessage());
        RealKvmException missing = assertThrows(RealKvmException.class, () -> Kernel.of(dir.resolve("nope").toString()));
        assertTrue(missing.getMessage().startsWith("no kernel image at"), missing.getMessage());
    }

    @Test
    void aUsersOwnGzipImageBootsAndAgrees(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("Image.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(Kernel.of("6.1").image(), out);
        }
        Kernel k = Kernel.of(gz.toString());
        assertTrue(Kernel.isArm64Image(Files.readAllBytes(k.image())), "decompressed to a plain Image");
        RealKvm.Report r = RealKvm.on(k).run(ONE);
        assertTrue(r.agrees(), r.toString());
        assertTrue(r.kernel().startsWith("6.1."), r.kernel());
        assertEquals(0, QemuHost.running());
    }
}
