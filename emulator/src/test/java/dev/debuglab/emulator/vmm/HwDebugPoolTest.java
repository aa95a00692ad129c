package dev.debuglab.emulator.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.vmm.HwDebugPool.WatchType;
import org.junit.jupiter.api.Test;

/** QEMU's hardware breakpoint/watchpoint encodings and pool (vmm.md §1.1; hyp_gdbstub.c). */
class HwDebugPoolTest {

    @Test
    void breakpointEncoding() {
        // bcr = E 1, PMC 0b11, BAS 0b1111 = 0x1E7; bvr = the address sign-extended from bit 52.
        HwDebugPool.HwBreakpoint b = HwDebugPool.encodeBreakpoint(0x4000_1000L);
        assertEquals(0x1E7L, b.bcr());
        assertEquals(0x4000_1000L, b.bvr());
        assertEquals(0xFFF0_8000_0000_1000L, HwDebugPool.encodeBreakpoint(0x0010_8000_0000_1000L).bvr(), "bit 52 set: bits 63:53 copy it");
        assertEquals(0xFFFF_FFFF_FFFF_F000L, HwDebugPool.encodeBreakpoint(0xFFFF_FFFF_FFFF_F000L).bvr());
    }

    @Test
    void watchpointEncodingShortLengths() {
        // VMM-QEMU-WATCH-OWN: 4 bytes at A (A mod 8 = 4), write: E | PAC 0b11 | LSC 0b10 | BAS 0xF0.
        HwDebugPool.HwWatchpoint w = HwDebugPool.encodeWatchpoint(0x4010_0004L, 4, WatchType.WRITE);
        assertEquals(0x1L | 0b11 << 1 | 0b10 << 3 | 0xF0L << 5, w.wcr());
        assertEquals(0x4010_0000L, w.wvr());
        // 8 bytes aligned, access: BAS 0xFF, LSC 0b11.
        assertEquals(0x1L | 0b11 << 1 | 0b11 << 3 | 0xFFL << 5, HwDebugPool.encodeWatchpoint(0x4010_0000L, 8, WatchType.ACCESS).wcr());
        // 1 byte read at +3: BAS bit 3.
        assertEquals(0x1L | 0b11 << 1 | 0b01 << 3 | 0x08L << 5, HwDebugPool.encodeWatchpoint(0x4010_0003L, 1, WatchType.READ).wcr());
        // 4 bytes at +6: only the 2 bytes inside the doubleword are watched (INFERRED, deposit32 width 8 - off).
        assertEquals(0xC0L, (HwDebugPool.encodeWatchpoint(0x4010_0006L, 4, WatchType.WRITE).wcr() >> 5) & 0xFF);
    }

    @Test
    void watchpointEncodingMaskAndEnobufs() {
        // > 8 bytes, power of two: MASK = log2(length), BAS = 0xFF, wvr aligned.
        HwDebugPool.HwWatchpoint w = HwDebugPool.encodeWatchpoint(0x4010_0100L, 4096, WatchType.WRITE);
        assertEquals(12L, (w.wcr() >> 24) & 0x1F);
        assertEquals(0xFFL, (w.wcr() >> 5) & 0xFF);
        assertEquals(0x4010_0000L, w.wvr());
        VmmError e = assertThrows(VmmError.class, () -> HwDebugPool.encodeWatchpoint(0x4010_0000L, 12, WatchType.WRITE));
        assertEquals("ENOBUFS", e.errno());
        assertTrue(e.getMessage().contains("12 bytes"), e.getMessage());
    }

    @Test
    void poolIsBoundedByTheCapabilities() {
        HwDebugPool p = new HwDebugPool(2, 1);
        p.insertBreakpoint(0x4000_0000L);
        p.insertBreakpoint(0x4000_0004L);
        VmmError e = assertThrows(VmmError.class, () -> p.insertBreakpoint(0x4000_0008L));
        assertEquals("ENOBUFS", e.errno());
        p.insertWatchpoint(0x4010_0000L, 8, WatchType.WRITE);
        assertEquals("ENOBUFS", assertThrows(VmmError.class, () -> p.insertWatchpoint(0x4010_0008L, 8, WatchType.WRITE)).errno());
        long[][] arch = p.archArrays();
        assertEquals(0x1E7L, arch[0][0]);
        assertEquals(0x4000_0004L, arch[1][1]);
        assertEquals(0L, arch[0][2], "the rest zero");
        assertEquals(0x4010_0000L, arch[3][0]);
        p.deleteBreakpoint(0x4000_0000L);
        assertEquals("ENOENT", assertThrows(VmmError.class, () -> p.deleteBreakpoint(0x4000_0000L)).errno());
        assertTrue(p.findBreakpoint(0x4000_0004L));
        assertFalse(p.findBreakpoint(0x4000_0000L));
    }

    @Test
    void qemuRangeCheckRecognisesOnlyTheFirstWatchedByte() {
        // check_watchpoint_in_range: bottom = wvr + ctz(BAS), top = bottom + clo32(BAS) = bottom for an 8-bit BAS.
        HwDebugPool.HwWatchpoint w = HwDebugPool.encodeWatchpoint(0x4010_0000L, 8, WatchType.WRITE);
        assertTrue(HwDebugPool.inRange(w, 0x4010_0000L));
        assertFalse(HwDebugPool.inRange(w, 0x4010_0004L));
        HwDebugPool.HwWatchpoint m = HwDebugPool.encodeWatchpoint(0x4010_0000L, 4096, WatchType.WRITE);
        assertTrue(HwDebugPool.inRange(m, 0x4010_0800L));
        assertTrue(HwDebugPool.inRange(m, 0x4010_1000L), "inclusive top, as QEMU");
        assertFalse(HwDebugPool.inRange(m, 0x4010_1001L));
    }
}
