package dev.debuglab.emulator.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The sys_regs table per family: what a guest at EL1 reads and writes through the trapped OS Lock and debug registers (kvm.md §2). */
class SysRegsUnitTest {

    @ParameterizedTest
    @CsvSource({"5.15, 0x8", "v2, 0xA", "5.18, 0x8", "6.1, 0x8", "6.14, 0x8", "7.2, 0x8"})
    void guestsFirstOslsrRead(String release, String expected) {
        // KVM-RESET: the guest's first MRS OSLSR_EL1.
        KvmTestKit k = KvmTestKit.boot(release, "        mrs     x5, oslsr_el1\n" + KvmTestKit.logValue(1, "x5"));
        k.runToOff();
        assertEquals(List.of(Long.decode(expected)), k.log.values(1));
        assertTrue(k.guestExceptions().isEmpty());
    }

    static String oslarBits() {
        StringBuilder s = new StringBuilder();
        for (String v : List.of("#1", "#0", "#2", "#0xffffffff", "#0")) {
            s.append(v.equals("#0xffffffff") ? "        mov     x0, #0xffffffff\n" : "        mov     x0, " + v + "\n");
            s.append("        msr     oslar_el1, x0\n        mrs     x5, oslsr_el1\n").append(KvmTestKit.logValue(1, "x5"));
        }
        return s.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "5.18", "6.1", "6.12", "6.14", "7.2"})
    void onlyBit0OfOslarMatters(String release) {
        // KVM61-OSLAR-BITS: OSLAR = 1, 0, 0x2, 0xFFFFFFFF, 0 => OSLSR 0xA, 0x8, 0x8, 0xA, 0x8.
        KvmTestKit k = KvmTestKit.boot(release, oslarBits());
        k.runToOff();
        assertEquals(List.of(0xAL, 0x8L, 0x8L, 0xAL, 0x8L), k.log.values(1));
        assertTrue(k.guestExceptions().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "5.17"})
    void preIgnoresOslar(String release) {
        // KVM-OSLAR, PRE: OSLAR is RAZ/WI, OSLSR the constant 0x8 (K3).
        KvmTestKit k = KvmTestKit.boot(release, oslarBits());
        k.runToOff();
        assertEquals(List.of(0x8L, 0x8L, 0x8L, 0x8L, 0x8L), k.log.values(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "6.1", "6.14"})
    void osdlrAndDbgprcrAreRazWi(String release) {
        // KVM61-OSDLR: reads 0 after writing 1, no exception; DBGPRCR_EL1 RAZ/WI by source (N3).
        KvmTestKit k = KvmTestKit.boot(release, """
                        mov     x0, #1
                        msr     osdlr_el1, x0
                        mrs     x5, osdlr_el1
                        msr     dbgprcr_el1, x0
                        mrs     x6, dbgprcr_el1
                        mrs     x7, oslsr_el1
                """ + KvmTestKit.logValue(1, "x5") + KvmTestKit.logValue(2, "x6") + KvmTestKit.logValue(3, "x7"));
        k.runToOff();
        assertEquals(List.of(0L), k.log.values(1));
        assertEquals(List.of(0L), k.log.values(2));
        assertEquals(List.of(release.equals("v2") ? 0xAL : 0x8L), k.log.values(3));
        assertTrue(k.guestExceptions().isEmpty(), k.guestExceptions().toString());
        assertEquals(0, k.vcpu.cpu().sys.osdlrEl1, "KVM never writes the hardware OSDLR for the guest");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.18", "6.1", "6.14"})
    void guestReadsItsOwnDebugRegistersWhileLocked(String release) {
        // KVM61-HWBP-OSLK: under the lock the guest still reads MDSCR 0xA000 and DBGBCR0 0x1E7 (KVM cleared MDE in hardware only).
        KvmTestKit k = KvmTestKit.boot(release, """
                        mov     x0, #1
                        msr     oslar_el1, x0
                        mov     x0, #0xa000
                        msr     mdscr_el1, x0
                        mov     x0, #0x1e7
                        msr     dbgbcr0_el1, x0
                        isb
                        mrs     x5, mdscr_el1
                        mrs     x6, dbgbcr0_el1
                """ + KvmTestKit.logValue(1, "x5") + KvmTestKit.logValue(2, "x6"));
        k.runToOff();
        assertEquals(List.of(0xA000L), k.log.values(1));
        assertEquals(List.of(0x1E7L), k.log.values(2));
        assertEquals(0xA000, k.vcpu.getOneReg(RegId.sys("MDSCR_EL1")));
        assertEquals(0x1E7, k.vcpu.getOneReg(RegId.sys("DBGBCR0_EL1")));
        assertEquals(0xA, k.vcpu.getOneReg(RegId.sys("OSLSR_EL1")));
        KvmEvent.GuestEntry last = k.events.stream().filter(e -> e instanceof KvmEvent.GuestEntry)
                .map(e -> (KvmEvent.GuestEntry) e).reduce((a, b) -> b).orElseThrow();
        assertEquals(0, last.hwMdscr() & 0x8001, "hardware MDE and SS are clear while locked: " + last);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.18", "6.1"})
    void writingOslsrIsUndefined(String release) {
        // MSR OSLSR_EL1 -> UNDEFINED at the guest's EL1: ESR 0x02000000, ELR = the MSR, vector +0x200.
        KvmTestKit k = KvmTestKit.boot(release, """
                        mov     x0, #0xa
                msr1:   msr     oslsr_el1, x0
                        mrs     x5, oslsr_el1
                """ + KvmTestKit.logValue(1, "x5"));
        k.runToOff();
        assertEquals(1, k.guestExceptions().size());
        assertEquals(0x02000000L, k.guestExceptions().get(0).esr());
        assertEquals(k.sym("msr1"), k.guestExceptions().get(0).elr());
        assertEquals(0x200, k.guestExceptions().get(0).vector());
        assertEquals(List.of(0x8L), k.log.values(1));
    }
    @org.junit.jupiter.api.Test
    void theSysRegsTableNamesTheHandlers() {
        var rows = KvmVersion.of("6.1").sysRegTable();
        assertTrue(rows.contains(new KvmVersion.SysRegRow("OSLAR_EL1", "handleOslar")), rows.toString());
        assertTrue(rows.contains(new KvmVersion.SysRegRow("OSLSR_EL1", "handleOslsr")));
        assertTrue(rows.contains(new KvmVersion.SysRegRow("DBGBCR15_EL1", "trapDebugRegs")));
        assertTrue(rows.contains(new KvmVersion.SysRegRow("MDRAR_EL1", "trap_raz_wi")));
        assertEquals(4 + 2 + 64 + 4 + 1, rows.size());
    }
}
