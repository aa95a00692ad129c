package dev.debuglab.emulator.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KVM_RUN: PSCI, MMIO exits and their completion (sign extension, PC advance), the budget, internal errors. */
class RunLoopUnitTest {
    static final long DEV = 0x0A00_0000L;

    @Test
    void psciSystemOffEndsTheRunWithASystemEvent() {
        // kvm_psci_call: SYSTEM_OFF -> KVM_EXIT_SYSTEM_EVENT, type SHUTDOWN (1).
        KvmTestKit k = KvmTestKit.boot("6.1", """
                        mov     x5, #7
                """ + KvmTestKit.logValue(1, "x5"));
        KvmRun r = k.runToOff();
        assertEquals(KvmRun.KVM_EXIT_SYSTEM_EVENT, r.exitReason());
        assertEquals(KvmRun.KVM_SYSTEM_EVENT_SHUTDOWN, r.systemEventType());
        assertEquals(List.of(7L), k.log.values(1));
    }

    @Test
    void psciSystemResetAndVersion() {
        // PSCI_VERSION answers 1.1 on 6.1 (1.0 on 5.15); an unknown function returns NOT_SUPPORTED (-1); SYSTEM_RESET exits with type RESET (2).
        String body = """
                        movz    x0, #0x8400, lsl #16
                        hvc     #0
                        mov     x5, x0
                """ + KvmTestKit.logValue(1, "x5") + """
                        movz    x0, #0x8400, lsl #16
                        movk    x0, #0x00ff
                        hvc     #0
                        mov     x5, x0
                """ + KvmTestKit.logValue(2, "x5") + """
                        movz    x0, #0x8400, lsl #16
                        movk    x0, #0x0009
                        hvc     #0
                """;
        for (String rel : List.of("6.1", "5.15")) {
            KvmTestKit k = KvmTestKit.boot(rel, body);
            KvmRun r = k.runToExit();
            assertEquals(KvmRun.KVM_EXIT_SYSTEM_EVENT, r.exitReason());
            assertEquals(KvmRun.KVM_SYSTEM_EVENT_RESET, r.systemEventType());
            assertEquals(List.of(rel.equals("6.1") ? 0x10001L : 0x10000L), k.log.values(1));
            assertEquals(List.of(-1L), k.log.values(2));
        }
    }

    @Test
    void mmioLoadsAreCompletedWithSignExtensionAndStoresCarryTheData() {
        // io_mem_abort / kvm_handle_mmio_return: len = 1 << SAS, is_write = WnR; a read loads mmio.data into
        // Rt, sign-extended when SSE, truncated to 32 bits unless SF; PC += 4 on the next KVM_RUN.
        KvmTestKit k = KvmTestKit.boot("6.1", """
                        movz    x1, #0x0a00, lsl #16
                        ldrsb   x2, [x1]
                        ldrsb   w3, [x1]
                        ldrsh   x4, [x1, #2]
                        ldrsw   x5, [x1, #4]
                        ldr     w6, [x1, #4]
                        ldrb    w7, [x1, #1]
                        ldr     x8, [x1, #8]
                        str     x8, [x1, #16]
                        strh    w8, [x1, #2]
                        str     wzr, [x1, #4]
                """ + KvmTestKit.logValue(2, "x2") + KvmTestKit.logValue(3, "x3") + KvmTestKit.logValue(4, "x4")
                + KvmTestKit.logValue(5, "x5") + KvmTestKit.logValue(6, "x6") + KvmTestKit.logValue(7, "x7")
                + KvmTestKit.logValue(8, "x8"));
        Deque<Long> answers = new ArrayDeque<>(List.of(0x80L, 0x80L, 0x8001L, 0x80000001L, 0x80000001L, 0x1FFL, 0x1122334455667788L));
        List<String> seen = new ArrayList<>();
        while (true) {
            KvmRun r = k.runToExit();
            if (r.exitReason() == KvmRun.KVM_EXIT_SYSTEM_EVENT) break;
            assertEquals(KvmRun.KVM_EXIT_MMIO, r.exitReason(), r.toString());
            seen.add(String.format("%s 0x%X %d%s", r.mmioIsWrite() ? "W" : "R", r.mmioPhysAddr(), r.mmioLen(),
                    r.mmioIsWrite() ? String.format(" 0x%X", r.mmioData()) : ""));
            if (!r.mmioIsWrite()) r.setMmioData(answers.removeFirst());
        }
        assertEquals(List.of("R 0xA000000 1", "R 0xA000000 1", "R 0xA000002 2", "R 0xA000004 4", "R 0xA000004 4",
                "R 0xA000001 1", "R 0xA000008 8", "W 0xA000010 8 0x1122334455667788", "W 0xA000002 2 0x7788",
                "W 0xA000004 4 0x0"), seen);
        assertEquals(List.of(0xFFFF_FFFF_FFFF_FF80L), k.log.values(2));   // LDRSB Xt: sign-extended to 64 bits
        assertEquals(List.of(0xFFFF_FF80L), k.log.values(3));             // LDRSB Wt: SF = 0, upper half zero
        assertEquals(List.of(0xFFFF_FFFF_FFFF_8001L), k.log.values(4));
        assertEquals(List.of(0xFFFF_FFFF_8000_0001L), k.log.values(5));
        assertEquals(List.of(0x8000_0001L), k.log.values(6));              // LDR Wt: zero-extended
        assertEquals(List.of(0xFFL), k.log.values(7));                     // only len bytes of data count
        assertEquals(List.of(0x1122334455667788L), k.log.values(8));
    }

    @Test
    void mmioWithoutSyndromeIsAnInternalError() {
        // A pair has no instruction syndrome (ISV = 0): KVM cannot emulate it.
        KvmTestKit k = KvmTestKit.boot("6.1", """
                        movz    x1, #0x0a00, lsl #16
                        ldp     x2, x3, [x1]
                """);
        KvmRun r = k.runToExit();
        assertEquals(KvmRun.KVM_EXIT_INTERNAL_ERROR, r.exitReason());
        assertTrue(r.message().contains("ISV = 0"), r.message());
        assertEquals(k.program.symbol("_start") + 5 * 4, k.vcpu.getOneReg(RegId.PC));
    }

    @Test
    void aGuestThatNeverStopsEndsWithKvmExitIntr() {
        // A budget that runs out returns KVM_EXIT_INTR (10), as a signal interrupting KVM_RUN would.
        KvmTestKit k = KvmTestKit.boot("6.1", """
                spin:   add     x5, x5, #1
                        b       spin
                """);
        KvmRun r = k.vcpu.run(1001);
        assertEquals(KvmRun.KVM_EXIT_INTR, r.exitReason());
        assertEquals(10, r.exitReason());
        assertTrue(r.message().contains("budget"), r.message());
        long pc = k.vcpu.getOneReg(RegId.PC);
        assertTrue(pc == k.sym("spin") || pc == k.sym("spin") + 4, Long.toHexString(pc));
        long x5 = k.vcpu.getOneReg(RegId.x(5));
        assertTrue(x5 >= 490 && x5 <= 500, "x5 = " + x5);
        // The guest continues where it stopped.
        k.vcpu.run(1000);
        assertEquals(x5 + 500, k.vcpu.getOneReg(RegId.x(5)), 1);
    }

    @Test
    void aRunInterruptedByTheBudgetResumesExactly() {
        KvmTestKit k = KvmTestKit.boot("6.1", """
                        mov     x5, #0
                        mov     x6, #300
                loop:   add     x5, x5, #3
                        subs    x6, x6, #1
                        b.ne    loop
                """ + KvmTestKit.logValue(1, "x5"));
        int intr = 0;
        KvmRun r;
        while ((r = k.vcpu.run(37)).exitReason() == KvmRun.KVM_EXIT_INTR || r.exitReason() == KvmRun.KVM_EXIT_MMIO) {
            if (r.exitReason() == KvmRun.KVM_EXIT_INTR) intr++;
            else if (r.mmioIsWrite()) k.log.write(r.mmioPhysAddr() - dev.debuglab.emulator.guest.GuestLog.BASE, r.mmioLen(), r.mmioData());
        }
        assertEquals(KvmRun.KVM_EXIT_SYSTEM_EVENT, r.exitReason());
        assertTrue(intr > 20);
        assertEquals(List.of(900L), k.log.values(1));
    }

    @Test
    void theTraceShowsEntryExitDecisionAndUserspaceExit() {
        KvmTestKit k = KvmTestKit.boot("6.1", """
                        mrs     x5, oslsr_el1
                """);
        k.runToOff();
        List<String> kinds = k.events.stream().map(e -> e.getClass().getSimpleName()).distinct().toList();
        assertTrue(kinds.containsAll(List.of("GuestEntry", "ExitToEl2", "Decision", "ExitToUserspace")), kinds.toString());
        KvmEvent.ExitToEl2 exit = k.events.stream().filter(e -> e instanceof KvmEvent.ExitToEl2).map(e -> (KvmEvent.ExitToEl2) e)
                .findFirst().orElseThrow();
        assertEquals(0x18, exit.ec());
        assertTrue(exit.toString().contains("MRS S2_0_C1_C1_4"), exit.toString());
        KvmEvent.Decision d = k.events.stream().filter(e -> e instanceof KvmEvent.Decision).map(e -> (KvmEvent.Decision) e)
                .findFirst().orElseThrow();
        assertEquals(KvmEvent.DecisionKind.TRAP_EMULATED, d.kind());
        assertTrue(d.toString().contains("OSLSR_EL1") && d.toString().contains("0x8"), d.toString());
        assertFalse(k.events.stream().anyMatch(e -> e instanceof KvmEvent.GuestException));
    }
}
