package dev.debuglab.realkvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.GuestLog;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console of a boot: driver lines among kernel messages, panics, no /dev/kvm; and what the lines decode to. */
class ConsoleParserTest {
    @Test
    void driverLinesAmongKernelMessages() {
        ConsoleParser.Parsed p = ConsoleParser.parse(List.of(
                "[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x411fd070]",
                "DLKVM H 6.1.0-56-arm64",
                "DLKVM S KVM-BRK-OSLK",
                "DLKVM M 0x0 8 0x200",
                "[    3.1] random: crng init done DLKVM M 0x8 8 0xf2000042", // a kernel message got to the line first
                "DLKVM Z KVM-BRK-OSLK",
                "DLKVM S B",
                "DLKVM O get 0x603000000013808c 0 0x8",
                "DLKVM Z B",
                "DLKVM DONE",
                "[    3.5] reboot: Power down"));
        assertEquals("6.1.0-56-arm64", p.release());
        assertTrue(p.done());
        assertNull(p.panic());
        assertEquals(0, p.noKvm());
        assertEquals(List.of("KVM-BRK-OSLK", "B"), List.copyOf(p.scenarios().keySet()));
        assertEquals(List.of("M 0x0 8 0x200", "M 0x8 8 0xf2000042"), p.scenarios().get("KVM-BRK-OSLK"));
    }

    @Test
    void panicAndNoKvm() {
        ConsoleParser.Parsed p = ConsoleParser.parse(List.of("[    1.2] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)",
                "[    1.3] CPU: 0 PID: 1 Comm: swapper/0"));
        assertNotNull(p.panic());
        assertTrue(p.panic().startsWith("[    1.2] Kernel panic - not syncing: VFS"), p.panic());
        assertNull(p.release());
        assertFalse(p.done());
        ConsoleParser.Parsed n = ConsoleParser.parse(List.of("DLKVM H 6.1.0-56-arm64", "DLKVM NOKVM 2"));
        assertEquals(2, n.noKvm(), "ENOENT: /dev/kvm does not exist");
    }

    @Test
    void linesDecodeToObservations() {
        // a guest exception record is five 8-byte stores to the guest-log port (GuestLog's layout), a value two
        List<String> lines = List.of("M 0x0 8 0x200", "M 0x8 8 0xf2000042", "M 0x10 8 0x40000080", "M 0x18 8 0x0", "M 0x20 8 0x3c5",
                "M 0x38 8 0x1", "M 0x40 8 0xa",
                "X 0xc2000022 0x0 0x8 0x1 0x40000100",
                "O set 0x603000000013808c 0x0 -22", "O get 0x6030000000138084 -2 0x0", "O has 0x603000000013808c 1", "O cap 119 6",
                "E off");
        List<Observation> o = Observation.of(lines, new Observation.Names());
        assertEquals(8, o.size(), o.toString());
        assertEquals(new GuestLog.Exception(0x200, 0xF2000042L, 0x4000_0080L, 0, 0x3C5), o.get(0).entries().get(0));
        assertEquals(new GuestLog.Value(1, 0xA), o.get(1).entries().get(0));
        assertTrue(o.get(2).text().startsWith("KVM_EXIT_DEBUG hsr 0xC2000022 (EC 0x30"), o.get(2).text());
        assertTrue(o.get(2).text().endsWith("far 0x8 flags 0x1 pc 0x40000100"), o.get(2).text());
        assertEquals("KVM_SET_ONE_REG OSLSR_EL1 = 0x0: -EINVAL", o.get(3).text());
        assertEquals("KVM_GET_ONE_REG OSLAR_EL1: -ENOENT", o.get(4).text());
        assertEquals("OSLSR_EL1 in KVM_GET_REG_LIST: yes", o.get(5).text());
        assertEquals("KVM_CHECK_EXTENSION KVM_CAP_GUEST_DEBUG_HW_BPS: 0x6", o.get(6).text());
        assertEquals("run ended: PSCI SYSTEM_OFF", o.get(7).text());
    }
}
