package dev.debuglab.realkvm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer for the "newc" cpio format the kernel unpacks as an initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst): per entry the magic "070701",
 * thirteen 8-digit hexadecimal fields (ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
 * devminor, rdevmajor, rdevminor, namesize including the NUL, check = 0), the name and its NUL
 * padded to a multiple of 4, the data padded to a multiple of 4; the archive ends with an entry
 * named "TRAILER!!!". No cpio binary needed.
 */
public final class Cpio {
    public static final int S_IFDIR = 0040000, S_IFREG = 0100000;

    private record Entry(String name, int mode, byte[] data) {}

    private final List<Entry> entries = new ArrayList<>();

    public Cpio dir(String name) {
        entries.add(new Entry(name, S_IFDIR | 0755, new byte[0]));
        return this;
    }

    public Cpio file(String name, int permissions, byte[] data) {
        entries.add(new Entry(name, S_IFREG | permissions, data));
        return this;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int ino = 1;
        for (Entry e : entries) write(out, ino++, e.mode, e.name, e.data);
        write(out, 0, 0, "TRAILER!!!", new byte[0]);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, int ino, int mode, String name, byte[] data) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int nlink = (mode & S_IFDIR) != 0 ? 2 : 1;
        long[] fields = {ino, mode, 0, 0, nlink, 0, data.length, 0, 0, 0, 0, n.length + 1, 0};
        StringBuilder h = new StringBuilder("070701");
        for (long f : fields) h.append(String.format("%08X", f));
        byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(header);
        out.writeBytes(n);
        out.write(0);
        pad(out, header.length + n.length + 1);
        out.writeBytes(data);
        pad(out, data.length);
    }

    private static void pad(ByteArrayOutputStream out, int length) {
        for (int i = length; i % 4 != 0; i++) out.write(0);
    }
}
