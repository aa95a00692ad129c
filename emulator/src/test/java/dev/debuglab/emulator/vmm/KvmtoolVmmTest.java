package dev.debuglab.emulator.vmm;

import static dev.debuglab.emulator.vmm.G.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** scenarios.md C, kvmtool (vmm.md §2): dump and re-enter unchanged. */
class KvmtoolVmmTest {
    static List<KvmVersion> versions() {
        return KvmVersion.all();
    }

    // VMM-KVMTOOL-SS: `lkvm run --debug-single-step`: one exit per instruction, each printing registers and code;
    // execution continues to the end.
    @ParameterizedTest
    @MethodSource("versions")
    void singleStepDumpsEveryInstruction(KvmVersion version) {
        GuestImage g = StandardGuest.image("""
                r:      nop
                        nop
                        nop
                        mov     x5, #4
                e:
                """ + StandardVectors.logValue(1, "x5"));
        KvmtoolVmm k = new KvmtoolVmm(version, true).load(g);
        VmmRun r = k.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        List<DebugExit> exits = r.debugExits();
        assertEquals(exits.size(), r.events(VmmEvent.Dumped.class).size());
        for (DebugExit e : exits) assertEquals(0x32, e.ec(), r.toString());
        // Inside the straight-line region every instruction exits once, PC advancing by 4.
        List<Long> pcs = exits.stream().map(DebugExit::pc).filter(pc -> pc > g.symbol("r") && pc <= g.symbol("e")).toList();
        assertEquals(List.of(g.symbol("r") + 4, g.symbol("r") + 8, g.symbol("r") + 12, g.symbol("e")), pcs, r.toString());
        String dump = r.events(VmmEvent.Dumped.class).get(0).dump();
        assertTrue(dump.contains("PC:") && dump.contains("PSTATE:") && dump.contains("SP_EL1:") && dump.contains("LR:")
                && dump.contains("*pc:") && dump.contains("*lr:"), dump);
        assertEquals(List.of(4L), r.values(1));
        assertTrue(r.guestExceptions().isEmpty());
        assertTrue(Verdict.of(r).architectural());
    }

    // VMM-KVMTOOL-BRK: with --debug-single-step a guest BRK exits (EC 0x3C); registers dumped; PC not advanced; the BRK
    // exits again on every re-entry — an endless loop (INFERRED), which the model bounds.
    @ParameterizedTest
    @MethodSource("versions")
    void brkExitsForever(KvmVersion version) {
        GuestImage g = StandardGuest.image("""
                        nop
                b:      brk     #0x42
                """);
        VmmRun r = new KvmtoolVmm(version, true).load(g).exitLoopLimit(10).run();
        assertEquals(VmmRun.Outcome.EXIT_LOOP, r.outcome(), r.toString());
        List<DebugExit> brks = r.debugExits().stream().filter(e -> e.ec() == 0x3C).toList();
        assertEquals(10, brks.size(), r.toString());
        for (DebugExit e : brks) {
            assertEquals(0xF2000042L, e.hsr());
            assertEquals(g.symbol("b"), e.pc(), "PC not advanced");
        }
        assertTrue(r.guestExceptions().isEmpty(), "the guest never sees its BRK: " + r);
        assertTrue(r.message().contains("endless exit loop"), r.message());
    }

    // Without --debug-single-step kvmtool sets no guest debug: the guest's BRK and breakpoint behave as the kernel
    // version makes them (no exits).
    @Test
    void withoutDebugOptionNothingExits() {
        GuestImage g = StandardGuest.image(UNLOCK + armBreakpoint("t") + ENABLE_DEBUG + """
                t:      nop
                        brk     #1
                """);
        VmmRun r = new KvmtoolVmm(V61).load(g).run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        assertTrue(r.debugExits().isEmpty());
        assertEquals(List.of(0xC6000022L, 0xF2000001L), r.guestExceptions().stream().map(e -> e.esr()).toList());
        assertTrue(Verdict.of(r).architectural());
        assertEquals("kvmtool", new KvmtoolVmm(V61).name());
    }
}
