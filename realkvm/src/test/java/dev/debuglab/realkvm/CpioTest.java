package dev.debuglab.realkvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The newc format as Documentation/driver-api/early-userspace/buffer-format.rst lays it out (the
 * real kernel unpacking these archives is the end-to-end check: every boot in RealKernelsTest).
 */
class CpioTest {
    private static String ascii(byte[] b, int from, int to) {
        return new String(Arrays.copyOfRange(b, from, to), StandardCharsets.US_ASCII);
    }

    @Test
    void oneFileThenTheTrailer() {
        byte[] a = new Cpio().file("init", 0755, "hi\n".getBytes(StandardCharsets.US_ASCII)).toBytes();
        // header: magic, then 13 fields of 8 hex digits: ino 1, mode 0100755 = 0x81ED, uid, gid, nlink 1, mtime,
        // filesize 3, devmajor, devminor, rdevmajor, rdevminor, namesize 5 ("init" + NUL), check
        assertEquals("070701" + "00000001" + "000081ED" + "00000000" + "00000000" + "00000001" + "00000000" + "00000003"
                + "00000000" + "00000000" + "00000000" + "00000000" + "00000005" + "00000000", ascii(a, 0, 110));
        // name + NUL at 110..115, padded to 116 (a multiple of 4); data at 116..119, padded to 120
        assertEquals("init", ascii(a, 110, 114));
        assertEquals(0, a[114]);
        assertEquals(0, a[115]);
        assertEquals("hi\n", ascii(a, 116, 119));
        assertEquals(0, a[119]);
        // the trailer: ino 0, mode 0, nlink 1, filesize 0, namesize 11 ("TRAILER!!!" + NUL)
        assertEquals("070701", ascii(a, 120, 126));
        assertEquals("0000000B", ascii(a, 120 + 6 + 11 * 8, 120 + 6 + 12 * 8));
        assertEquals("TRAILER!!!", ascii(a, 230, 240));
        assertEquals(0, a.length % 4, "the archive is a multiple of 4 bytes");
        assertEquals(244, a.length, "entry 120 bytes + trailer 110 + 11 padded to 124");
    }

    @Test
    void directoriesHaveTheDirectoryModeAndTwoLinks() {
        byte[] a = new Cpio().dir("dev").toBytes();
        assertEquals("000041ED", ascii(a, 14, 22), "mode 040755");
        assertEquals("00000002", ascii(a, 38, 46), "nlink 2");
        assertEquals("00000000", ascii(a, 54, 62), "filesize 0");
        assertArrayEquals("dev\0".getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(a, 110, 114));
    }

    @Test
    void eachEntryStartsFourByteAligned() {
        // names of every length mod 4 and data of every length mod 4: the next magic must sit on a 4-byte boundary
        Cpio c = new Cpio();
        for (int i = 1; i <= 4; i++) c.file("f".repeat(i), 0644, new byte[i]);
        byte[] a = c.toBytes();
        int at = 0, entries = 0;
        while (at < a.length) {
            assertEquals(0, at % 4);
            assertEquals("070701", ascii(a, at, at + 6), "an entry at " + at);
            int size = Integer.parseInt(ascii(a, at + 54, at + 62), 16), name = Integer.parseInt(ascii(a, at + 94, at + 102), 16);
            int dataAt = (at + 110 + name + 3) & ~3;
            at = (dataAt + size + 3) & ~3;
            entries++;
        }
        assertEquals(5, entries, "4 files and the trailer");
    }
}
