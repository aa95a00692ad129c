package dev.debuglab.emulator.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.kvm.KvmEvent.Comparators;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guest-entry debug setup per version (kvm.md §4.1-§4.4 tables, read from the trace's
 * GuestEntry events) and the single-step sub-variants (§4.6), plus the OS-lock behaviours that
 * distinguish the families (BRK under the lock, guest breakpoint under the lock).
 */
class DebugSetupUnitTest {
    static final long MDE_KDE_SS = 0xA001, TDE = 1 << 8, TDA = 1 << 9, TDOSA = 1 << 10;

    /** The first guest entry of a trivial guest with MDSCR = {@code mdscr}, the given OSLSR and guest_debug. */
    static KvmEvent.GuestEntry firstEntry(String release, long mdscr, boolean locked, long gd) {
        KvmTestKit k = KvmTestKit.boot(release, "        nop\n");
        k.vcpu.setOneReg(RegId.sys("MDSCR_EL1"), mdscr);
        if (locked) k.vcpu.setOneReg(RegId.sys("OSLSR_EL1"), 0xA);
        else if (release.equals("v2")) k.vcpu.setOneReg(RegId.sys("OSLSR_EL1"), 0x8);
        if (gd != 0) k.vcpu.setGuestDebug(GuestDebug.of(gd));
        k.vcpu.run(1);
        return k.events.stream().filter(e -> e instanceof KvmEvent.GuestEntry).map(e -> (KvmEvent.GuestEntry) e).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            // release, row, OSLK, guest_debug, TDE, TDA, HW MDSCR, PSTATE.SS, comparators
            "5.15, PRE gd=0,   false, 0x0,     0, 1, 0xA001, false, GUEST",
            "5.15, PRE gd!=0,  false, 0x10001, 1, 1, 0xA000, false, GUEST",
            "v2,   V2 OSLK,    true,  0x0,     1, 1, 0x2000, false, GUEST",
            "v2,   V2 USE_HW,  true,  0x20001, 1, 1, 0xA000, false, VMM",
            "6.1,  M1,         false, 0x0,     0, 1, 0xA001, false, GUEST",
            "6.1,  M2,         true,  0x0,     0, 1, 0x2000, false, GUEST",
            "6.1,  M3,         false, 0x10001, 1, 1, 0xA000, false, GUEST",
            "6.1,  M4,         true,  0x10001, 1, 1, 0x2000, false, GUEST",
            "6.1,  M5,         false, 0x3,     1, 1, 0xA001, true,  GUEST",
            "6.1,  M6,         true,  0x3,     1, 1, 0x2001, true,  GUEST",
            "6.1,  M7,         true,  0x20001, 1, 1, 0xA000, false, VMM",
            "6.14, O1,         false, 0x0,     0, 0, 0xA001, false, GUEST",
            "6.14, O2,         true,  0x0,     0, 1, 0x0,    false, VMM",
            "6.14, O3,         false, 0x10001, 1, 1, 0x0,    false, VMM",
            "6.14, O3 SS,      true,  0x3,     1, 1, 0x1,    true,  VMM",
            "6.14, O3 USE_HW,  false, 0x20001, 1, 1, 0xA000, false, VMM"})
    void entrySetupMatchesTheTables(String release, String row, boolean locked, String gd, int tde, int tda, String hw,
                                    boolean ss, Comparators comparators) {
        // Row-by-row: kvm.md §4.1 (PRE), §4.2 (V2), §4.3 M1-M7 (MERGED), §4.4 O1-O3 (OWNER). TDOSA is always set.
        // The first entry has "debug dirty" clear (a ONE_REG write does not set it), so TDA = 1 before OWNER.
        KvmEvent.GuestEntry e = firstEntry(release, MDE_KDE_SS, locked, Long.decode(gd));
        assertEquals(tde == 1, e.tde(), e.toString());
        assertEquals(tda == 1, e.tda(), e.toString());
        assertTrue(e.tdosa(), e.toString());
        assertEquals(Long.decode(hw).longValue(), e.hwMdscr(), e.toString());
        assertEquals(MDE_KDE_SS, e.guestMdscr(), "the guest's own MDSCR is never modified: " + e);
        assertEquals(ss, e.pstateSs(), e.toString());
        assertEquals(comparators, e.comparators(), e.toString());
    }

    /** Breakpoint 0 on {@code target} (DBGBCR0_EL1 = 0x1e7), MDSCR_EL1 = KDE | MDE, PSTATE.D clear. Clobbers X0. */
    static final String ARM_BP0_ON_TARGET = """
                    adr     x0, target
                    msr     dbgbvr0_el1, x0
                    mov     x0, #0x1e7
                    msr     dbgbcr0_el1, x0
                    mov     x0, #0xa000
                    msr     mdscr_el1, x0
                    isb
                    msr     daifclr, #8
            """;

    static final String HWBP_UNDER_LOCK = """
                    mov     x0, #1
                    msr     oslar_el1, x0
            """ + ARM_BP0_ON_TARGET + """
                    bl      target
                    mov     x0, #0
                    msr     oslar_el1, x0
                    mov     x0, #0x1e7
                    msr     dbgbcr0_el1, x0
                    isb
                    bl      target
                    b       done
            target: ret
            done:
            """;

    @ParameterizedTest
    @CsvSource({"5.15, 2", "v2, 1", "5.18, 1", "6.1, 1", "6.14, 1"})
    void guestBreakpointUnderTheLock(String release, int expected) {
        // KVM-HWBP-OSLK: PRE ignores the lock (2 hits); the others block it while locked (0, then 1 after unlock).
        KvmTestKit k = KvmTestKit.boot(release, HWBP_UNDER_LOCK);
        k.runToOff();
        List<GuestLog.Exception> ex = k.guestExceptions();
        assertEquals(expected, ex.size(), ex.toString());
        for (GuestLog.Exception x : ex) {
            assertEquals(0xC6000022L, x.esr());
            assertEquals(k.sym("target"), x.elr());
        }
    }

    static final String BRK_UNDER_LOCK = """
                    mov     x0, #1
                    msr     oslar_el1, x0
                    brk     #0x42
                    mov     x0, #0
                    msr     oslar_el1, x0
                    brk     #0x43
            """;

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "5.18", "6.1", "6.14", "7.2"})
    void brkUnderTheLockReachesTheGuest(String release) {
        // KVM-BRK-OSLK / KVM61-BRK-OSLK: BRK is never gated: 0xF2000042 then 0xF2000043, 0 exits.
        KvmTestKit k = KvmTestKit.boot(release, BRK_UNDER_LOCK);
        k.runToOff();
        assertEquals(List.of(0xF2000042L, 0xF2000043L), k.guestExceptions().stream().map(GuestLog.Exception::esr).toList());
    }

    @Test
    void v2ConsumesTheBrkUnderTheLock() {
        // KVM-BRK-OSLK, V2 (K4): the BRK is skipped by KVM (PC += 4, one host warning), the guest sees nothing; after unlock 0xF2000043.
        KvmTestKit k = KvmTestKit.boot("v2", BRK_UNDER_LOCK);
        k.runToOff();
        assertEquals(List.of(0xF2000043L), k.guestExceptions().stream().map(GuestLog.Exception::esr).toList());
        assertTrue(k.events.stream().anyMatch(e -> e instanceof KvmEvent.Decision d
                && d.kind() == KvmEvent.DecisionKind.INSTRUCTION_SKIPPED), "the skip is in the trace");
    }

    static final String STORE_THEN_NOPS = """
                    movz    x1, #0x0a00, lsl #16
                    str     x0, [x1]
            n1:     nop
                    nop
                    nop
                    nop
                    nop
                    nop
            after:
            """;

    @ParameterizedTest
    @ValueSource(strings = {"5.18", "6.1", "6.12", "6.14"})
    void hostSingleStepSetDuringAnMmioExit(String release) {
        // KVM61-HOSTSS-OSLK0: 7 exits, all EC 0x32: #1 hsr 0xCA000022 (ISV 0) at the first NOP (the emulated store
        // counts as stepped), #2-#7 0xCB000022 at +4 ... +0x18; the guest sees nothing.
        KvmTestKit k = KvmTestKit.boot(release, STORE_THEN_NOPS);
        KvmRun r = k.runToExit();
        assertEquals(KvmRun.KVM_EXIT_MMIO, r.exitReason());
        k.vcpu.setGuestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.SINGLESTEP));
        List<String> exits = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            r = k.runToExit();
            assertEquals(KvmRun.KVM_EXIT_DEBUG, r.exitReason(), r.toString());
            exits.add(String.format("0x%08X@+0x%X", r.debugHsr(), k.vcpu.getOneReg(RegId.PC) - k.sym("n1")));
        }
        assertEquals(List.of("0xCA000022@+0x0", "0xCB000022@+0x4", "0xCB000022@+0x8", "0xCB000022@+0xC", "0xCB000022@+0x10",
                "0xCB000022@+0x14", "0xCB000022@+0x18"), exits);
        k.vcpu.setGuestDebug(GuestDebug.disabled());
        k.runToOff();
        assertTrue(k.guestExceptions().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"5.18, 0xCB000022, 8", "6.0, 0xCB000022, 8", "6.1, 0xCA000022, 4", "6.14, 0xCA000022, 4"})
    void anExitInActivePendingLosesAStepBefore61(String release, String hsr, int offset) {
        // kvm.md §4.6 / K6: an exit after a stepped instruction, before its step exception (Active-pending):
        // <= 6.0 re-enters with PSTATE.SS = 1 and steps another instruction; 6.1+ takes the pending exception.
        KvmTestKit k = KvmTestKit.boot(release, """
                i1:     nop
                        nop
                        nop
                        nop
                """);
        k.vcpu.setGuestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.SINGLESTEP));
        k.vcpu.setOneReg(RegId.PC, k.sym("i1"));
        KvmRun r = k.vcpu.run(1);                   // i1 is stepped, then the "signal" arrives
        assertEquals(KvmRun.KVM_EXIT_INTR, r.exitReason());
        assertEquals(k.sym("i1") + 4, k.vcpu.getOneReg(RegId.PC));
        r = k.runToExit();
        assertEquals(KvmRun.KVM_EXIT_DEBUG, r.exitReason());
        assertEquals(Long.decode(hsr).longValue(), r.debugHsr());
        assertEquals(k.sym("i1") + offset, k.vcpu.getOneReg(RegId.PC));
    }

    @Test
    void v61PreservesTheGuestsPstateSs() {
        // 34fbdee086cf: with SINGLESTEP the guest's own PSTATE.SS is restored after the exit (ONE_REG PSTATE shows it).
        for (String rel : List.of("5.18", "6.1")) {
            KvmTestKit k = KvmTestKit.boot(rel, "i1:     nop\n        nop\n");
            k.vcpu.setOneReg(RegId.PC, k.sym("i1"));
            k.vcpu.setGuestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.SINGLESTEP));
            KvmRun r = k.runToExit();
            assertEquals(0xCB000022L, r.debugHsr());
            long ss = k.vcpu.getOneReg(RegId.PSTATE) & (1 << 21);
            assertEquals(0, ss, rel + ": the guest's PSTATE.SS was 0 (6.1 restores it, 5.18 leaves the exit value 0 too)");
        }
    }
    static String guestBreakpoint(int mdscr) {
        return """
                        adr     x0, target
                        msr     dbgbvr0_el1, x0
                        mov     x0, #0x1e7
                        msr     dbgbcr0_el1, x0
                        mov     x0, #0x%x
                        msr     mdscr_el1, x0
                        isb
                        msr     daifclr, #8
                        bl      target
                        b       done
                target: ret
                done:
                """.formatted(mdscr);
    }

    @ParameterizedTest
    @CsvSource({"5.15, 1", "5.18, 1", "6.1, 1", "6.12, 1", "6.14, 0", "7.2, 0"})
    void guestBreakpointWhileUserspaceUsesSoftwareBreakpoints(String release, int exits) {
        // KVM-SWBP-GUESTBP: MERGED takes the guest's breakpoint to userspace (hsr 0xC2000022), and after the VMM
        // clears guest_debug the still-armed breakpoint reaches the guest (0xC6000022); OWNER loses it (0 and 0).
        KvmTestKit k = KvmTestKit.boot(release, guestBreakpoint(0xA000));
        k.vcpu.setGuestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_SW_BP));
        KvmRun r = k.runToExit();
        if (exits == 1) {
            assertEquals(KvmRun.KVM_EXIT_DEBUG, r.exitReason(), r.toString());
            assertEquals(0xC2000022L, r.debugHsr());
            assertEquals(k.sym("target"), k.vcpu.getOneReg(RegId.PC));
            k.vcpu.setGuestDebug(GuestDebug.disabled());
            k.runToOff();
            assertEquals(List.of(0xC6000022L), k.guestExceptions().stream().map(GuestLog.Exception::esr).toList());
        } else {
            assertEquals(KvmRun.KVM_EXIT_SYSTEM_EVENT, r.exitReason(), r.toString());
            assertTrue(k.guestExceptions().isEmpty());
        }
    }

    @ParameterizedTest
    @CsvSource({"5.15, 1", "6.1, 1", "6.14, 0"})
    void tdeMakesKdeIrrelevant(String release, int exits) {
        // KVM-GUEST-KDE0-TDE (K5): MDE 1 but KDE 0 at EL1; with guest_debug set ELd = EL2, so the breakpoint still exits.
        KvmTestKit k = KvmTestKit.boot(release, guestBreakpoint(0x8000));
        k.vcpu.setGuestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_SW_BP));
        KvmRun r = k.runToExit();
        assertEquals(exits == 1 ? KvmRun.KVM_EXIT_DEBUG : KvmRun.KVM_EXIT_SYSTEM_EVENT, r.exitReason(), r.toString());
        if (exits == 1) assertEquals(0xC2000022L, r.debugHsr());
    }

    @Test
    void migratedLockedStateBlocksTheGuestsBreakpoint() {
        // KVM61-MIG-OSLK1: a fresh 6.1 vCPU given OSLSR 0xA; the guest's first read is 0xA and its breakpoint is not
        // delivered until it unlocks (then 1 x 0xC6000022).
        KvmTestKit k = KvmTestKit.boot("6.1", """
                        mrs     x5, oslsr_el1
                """ + KvmTestKit.logValue(1, "x5") + ARM_BP0_ON_TARGET + """
                        bl      target
                        mov     x0, #0
                        msr     oslar_el1, x0
                        isb
                        bl      target
                        b       done
                target: ret
                done:
                """);
        k.vcpu.setOneReg(RegId.sys("OSLSR_EL1"), 0xA);
        assertEquals(0xA, k.vcpu.getOneReg(RegId.sys("OSLSR_EL1")));
        k.runToOff();
        assertEquals(List.of(0xAL), k.log.values(1));
        assertEquals(List.of(0xC6000022L), k.guestExceptions().stream().map(GuestLog.Exception::esr).toList());
    }
}
