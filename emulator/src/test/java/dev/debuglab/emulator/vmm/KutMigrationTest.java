package dev.debuglab.emulator.vmm;

import static dev.debuglab.emulator.vmm.G.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MIG-KUT-BP, MIG-KUT-WP, MIG-KUT-SSTEP: kvm-unit-tests' {@code debug-*-migration} (scenarios.md D, B.4) with a
 * handler in kvm-unit-tests' style (log, then: breakpoint/watchpoint set SPSR.D; step set SPSR.SS; else skip),
 * migrated between two MERGED kernels at the point the test names.
 */
class KutMigrationTest {
    static final int TAG_DFR0_BEFORE = 10, TAG_DFR0_AFTER = 11, TAG_W = 20;

    static GuestImage kutGuest(String body) {
        StringBuilder s = new StringBuilder("""
                _start:
                        adr     x0, kvectors
                        msr     vbar_el1, x0
                        msr     nzcv, xzr
                        msr     daifset, #8
                        msr     oslar_el1, xzr
                        isb
                """);
        s.append(body).append(StandardVectors.systemOff()).append("        b       .\n        .balign 2048\nkvectors:\n");
        for (int i = 0; i < 16; i++) s.append("        .balign 128\n").append(i == 4 ? "        b       kut_handler\n" : "        b       .\n");
        s.append("""
                kut_handler:
                        sub     sp, sp, #32
                        stp     x0, x1, [sp]
                        stp     x2, x3, [sp, #16]
                        mov     x0, #0x200
                """).append(StandardVectors.logException("x0")).append("""
                        lsr     x0, x2, #26
                        cmp     x0, #0x33
                        b.eq    kut_ss
                        cmp     x0, #0x31
                        b.eq    kut_d
                        cmp     x0, #0x35
                        b.eq    kut_d
                        add     x3, x3, #4
                        msr     elr_el1, x3
                        b       kut_ret
                kut_d:  mrs     x0, spsr_el1
                        orr     x0, x0, #0x200
                        msr     spsr_el1, x0
                        b       kut_ret
                kut_ss: mrs     x0, spsr_el1
                        orr     x0, x0, #0x200000
                        msr     spsr_el1, x0
                kut_ret:
                        ldp     x2, x3, [sp, #16]
                        ldp     x0, x1, [sp]
                        add     sp, sp, #32
                        eret
                """).append(StandardVectors.EL2_EXIT_STUB);
        return GuestImage.of(Assembler.assemble(GuestImage.RAM_BASE, s.toString()));
    }

    static VmmRun migrateAndRun(GuestImage g, KvmVersion from, KvmVersion to) {
        QemuVmm src = new QemuVmm(from).load(g);
        VmmRun p = src.runUntil(StopPoint.atLabel(g, "migrate_here"));
        assertEquals(VmmRun.Outcome.PAUSED, p.outcome(), p.toString());
        QemuVmm dst = new QemuVmm(to);
        Migration.LoadResult lr = Migration.migrate(src, dst);
        assertTrue(lr.succeeded(), lr.toString());
        VmmRun r = dst.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome(), r.toString());
        return r;
    }

    // MIG-KUT-BP: migrate after MDSCR is set, before the 16 instructions: "brps match after migrate", then
    // ARCH-HWBP-ALL: N = BRPs + 1 exceptions, the i-th at h + 4i, each 0xC6000022.
    @Test
    void debugBpMigration() {
        StringBuilder body = new StringBuilder("        mrs     x5, id_aa64dfr0_el1\n" + StandardVectors.logValue(TAG_DFR0_BEFORE, "x5"));
        for (int i = 0; i < 6; i++)
            body.append(String.format("""
                            adr     x0, h + %d
                            msr     dbgbvr%d_el1, x0
                            mov     x0, #0x1fe3
                            msr     dbgbcr%d_el1, x0
                    """, 4 * i, i, i));
        body.append("        isb\n").append(ENABLE_DEBUG)
                .append("migrate_here:\n        mrs     x5, id_aa64dfr0_el1\n").append(StandardVectors.logValue(TAG_DFR0_AFTER, "x5"))
                .append("h:\n");
        for (int i = 0; i < 16; i++) body.append("        msr     daifclr, #8\n");
        GuestImage g = kutGuest(body.toString());
        VmmRun r = migrateAndRun(g, V61, V612);
        assertEquals(r.values(TAG_DFR0_BEFORE), r.values(TAG_DFR0_AFTER), "brps match after migrate");
        List<GuestLog.Exception> bps = r.guestExceptions();
        assertEquals(6, bps.size(), r.toString());
        for (int i = 0; i < 6; i++) {
            assertEquals(g.symbol("h") + 4L * i, bps.get(i).elr());
            assertEquals(0xC6000022L, bps.get(i).esr());
        }
        assertTrue(Verdict.of(r).architectural(), Verdict.of(r).toString());
    }

    // MIG-KUT-WP: migrate before the writes: "wrps match after migrate", then ARCH-WP-ALL: M exceptions, the i-th
    // with FAR = &w[i]; afterwards w[i] == i.
    @Test
    void debugWpMigration() {
        StringBuilder body = new StringBuilder("        mrs     x5, id_aa64dfr0_el1\n" + StandardVectors.logValue(TAG_DFR0_BEFORE, "x5"));
        body.append("        movz    x9, #0x4010, lsl #16\n");
        for (int i = 0; i < 4; i++)
            body.append(String.format("""
                            add     x0, x9, #%d
                            msr     dbgwvr%d_el1, x0
                            mov     x0, #0x1ffb
                            msr     dbgwcr%d_el1, x0
                    """, 8 * i, i, i));
        body.append("        isb\n").append(ENABLE_DEBUG).append("migrate_here:\n        mrs     x5, id_aa64dfr0_el1\n")
                .append(StandardVectors.logValue(TAG_DFR0_AFTER, "x5"));
        for (int i = 0; i < 4; i++)
            body.append(String.format("        mov     x0, #%d\n        str     x0, [x9, #%d]\n        msr     daifclr, #8\n", i, 8 * i));
        body.append("        msr     daifset, #8\n");
        for (int i = 0; i < 4; i++) body.append(String.format("        ldr     x5, [x9, #%d]\n", 8 * i)).append(StandardVectors.logValue(TAG_W, "x5"));
        GuestImage g = kutGuest(body.toString());
        VmmRun r = migrateAndRun(g, V61, V612);
        assertEquals(r.values(TAG_DFR0_BEFORE), r.values(TAG_DFR0_AFTER), "wrps match after migrate");
        List<GuestLog.Exception> wps = r.guestExceptions();
        assertEquals(4, wps.size(), r.toString());
        List<Long> fars = new ArrayList<>();
        for (GuestLog.Exception e : wps) {
            assertEquals(0xD6000062L, e.esr());
            fars.add(e.far());
        }
        assertEquals(List.of(DATA, DATA + 8, DATA + 16, DATA + 24), fars);
        assertEquals(List.of(0L, 1L, 2L, 3L), r.values(TAG_W));
        assertTrue(Verdict.of(r).architectural(), Verdict.of(r).toString());
    }

    // MIG-KUT-SSTEP: migrate after MDSCR.SS is set, while D is still masked: the first step is at ss_start with ISV 0
    // (0xCE000022) — MDSCR_EL1.SS and PSTATE.SS/D survive.
    @Test
    void debugSstepMigration() {
        GuestImage g = kutGuest("""
                        mrs     x0, mdscr_el1
                        mov     x1, #0x2001
                        orr     x0, x0, x1
                        msr     mdscr_el1, x0
                        isb
                migrate_here:
                        msr     daifclr, #8
                ss_start:
                        mrs     x0, esr_el1
                        add     x0, x0, #1
                        msr     daifset, #8
                        msr     mdscr_el1, xzr
                        isb
                """);
        VmmRun r = migrateAndRun(g, V61, V612);
        List<GuestLog.Exception> steps = r.guestExceptions();
        assertEquals(0xCE000022L, steps.get(0).esr(), r.toString());
        assertEquals(g.symbol("ss_start"), steps.get(0).elr());
        assertEquals(List.of(g.symbol("ss_start"), g.symbol("ss_start") + 4, g.symbol("ss_start") + 8),
                steps.stream().map(GuestLog.Exception::elr).toList(), r.toString());
        assertTrue(Verdict.of(r).architectural(), Verdict.of(r).toString());
    }
}
