package dev.debuglab.dsl.render;

import dev.debuglab.dsl.Comparison;
import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.Listing;
import dev.debuglab.dsl.RoutingEvent;
import dev.debuglab.dsl.RoutingEvent.ExceptionTaken;
import dev.debuglab.dsl.RoutingEvent.ExitToEl2;
import dev.debuglab.dsl.RoutingEvent.ExitToVmm;
import dev.debuglab.dsl.RoutingEvent.GuestEntry;
import dev.debuglab.dsl.RoutingEvent.KvmDecision;
import dev.debuglab.dsl.RoutingEvent.KvmDecisionKind;
import dev.debuglab.dsl.RoutingEvent.NotGenerated;
import dev.debuglab.dsl.RoutingEvent.VmmDecision;
import dev.debuglab.dsl.RoutingEvent.VmmDecisionKind;
import dev.debuglab.dsl.RunConfig;
import dev.debuglab.dsl.SweepResult;
import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs built by hand in the shapes of the seed's scenarios (SeedQuestionsTest), with syndromes from the
 * Arm ARM's encodings (ESR = EC:IL:ISS, D17.2.37) and verdicts computed by {@link Verdict#compare}:
 * <ul>
 * <li>QEMU on 6.1 re-injects a userspace watchpoint the guest never armed while it holds the OS Lock:
 * hsr 0xD2000062 = EC 0x34 (watchpoint, lower EL), IL 1, WnR 1, DFSC 0x22 — the guest sees an
 * exception the architecture does not deliver (extra);</li>
 * <li>the v2 patch consumes a guest BRK #0x42 under the OS Lock (ESR 0xF2000042 = EC 0x3C, IL 1,
 * comment 0x42): the architecture delivers it, the guest never sees it (missing);</li>
 * <li>6.1 delivers the same BRK at the guest's EL1 vector (+0x200), as bare metal does;</li>
 * <li>bare metal: BRK from EL0 taken at EL1 (vector +0x400), and a breakpoint not generated under the lock.</li>
 * </ul>
 */
final class RenderFixtures {
    private RenderFixtures() {}

    static final long VBAR = 0x4000_0800L, BRK_PC = 0x4000_0010L, STORE_PC = 0x4000_0020L, DATA = 0x4010_0004L;
    static final long BRK_ESR = 0xF200_0042L, WPT_ESR = 0xD200_0062L, HVC_ESR = 0x5A00_0000L, DABT_ESR = 0x9200_0046L;
    static final long SPSR_EL1H = 0x3C5;

    static Listing listing() {
        return new Listing(List.of(new Listing.Line(0x4000_0000L, -1, "start:"),
                new Listing.Line(0x4000_0000L, 0xD2800020L, "mov x0, #1"),
                new Listing.Line(BRK_PC, 0xD4200840L, "brk #0x42"),
                new Listing.Line(STORE_PC, 0xB9000420L, "str w0, [x1, #4]")),
                Map.of("start", 0x4000_0000L, "store", STORE_PC, "hit", BRK_PC));
    }

    static RunConfig kvm(String version, String vmm, List<String> requests, List<String> setup) {
        return new RunConfig("KVM", version, vmm, requests, "", setup);
    }

    static Map<String, Long> regs(long pc) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("PC", pc);
        m.put("PSTATE", SPSR_EL1H);
        m.put("X0", 0x84000008L);
        m.put("X1", 0x4010_0000L);
        m.put("SP_EL1", 0x4080_0000L);
        return m;
    }

    /** An MMIO round trip of a guest-log store (hidden in the picture). */
    static List<RoutingEvent> mmio(long pc) {
        return List.of(new ExitToEl2(pc, 1, DABT_ESR, pc, 0x0901_0038L),
                new KvmDecision(pc, KvmDecisionKind.MMIO, "io_mem_abort", "store of 8 bytes at 0x9010038", DABT_ESR),
                new ExitToVmm(pc, "KVM_EXIT_MMIO", "write 8 bytes at 0x9010038", RoutingEvent.NO_ESR, RoutingEvent.NO_FAR),
                new KvmDecision(pc, KvmDecisionKind.MMIO_COMPLETED, "kvm_handle_mmio_return", "PC += 4", RoutingEvent.NO_ESR),
                new GuestEntry(pc + 4, "M7", true, true, true, 0xA000, true, "ENABLE|USE_HW", "VMM"));
    }

    static List<RoutingEvent> systemOff(long pc) {
        return List.of(new ExitToEl2(pc, 1, HVC_ESR, pc + 4, 0),
                new KvmDecision(pc, KvmDecisionKind.PSCI, "kvm_psci_call", "PSCI SYSTEM_OFF", HVC_ESR),
                new ExitToVmm(pc, "KVM_EXIT_SYSTEM_EVENT", "SHUTDOWN", RoutingEvent.NO_ESR, RoutingEvent.NO_FAR));
    }

    static LabRun watchpointReinjected() {
        List<RoutingEvent> ev = new ArrayList<>();
        ev.add(new GuestEntry(0x4000_0000L, "M7", true, true, true, 0xA000, false, "ENABLE|USE_HW", "VMM"));
        ev.addAll(mmio(0x4000_0018L));
        ev.add(new ExitToEl2(STORE_PC, 1, WPT_ESR, STORE_PC, DATA));
        ev.add(new KvmDecision(STORE_PC, KvmDecisionKind.DEBUG_EXIT, "kvm_handle_guest_debug", "EC 0x34 with USE_HW: KVM_EXIT_DEBUG", WPT_ESR));
        ev.add(new ExitToVmm(STORE_PC, "KVM_EXIT_DEBUG", "watchpoint, far 0x40100004", WPT_ESR, DATA));
        ev.add(new VmmDecision(STORE_PC, VmmDecisionKind.REINJECTED, "QEMU",
                "not its own watchpoint: injected with hsr unchanged, FAR_EL1 not written, OSLK not checked", WPT_ESR, STORE_PC, RoutingEvent.NO_FAR));
        ev.add(new GuestEntry(VBAR + 0x200, "M7", true, true, true, 0xA000, true, "ENABLE|USE_HW", "VMM"));
        ev.add(new ExceptionTaken(STORE_PC, 1, 1, WPT_ESR, STORE_PC, RoutingEvent.NO_FAR, VBAR + 0x200));
        ev.addAll(systemOff(0x4000_0040L));
        List<GuestLog.Entry> bare = List.of(new GuestLog.Value(2, 0xA));
        List<GuestLog.Entry> kvm = List.of(new GuestLog.Value(2, 0xA), new GuestLog.Exception(0x200, WPT_ESR, STORE_PC, 0x1234, SPSR_EL1H));
        return new LabRun(kvm("6.1", "QEMU", List.of("watch *0x40100004 8", "continue"), List.of("OS lock locked")), ev, kvm, "",
                regs(0x4000_0044L), "SYSTEM_OFF", "PSCI SYSTEM_OFF", 31, Verdict.compare(kvm, bare, "QEMU on KVM 6.1 vs bare metal"), listing());
    }

    static LabRun brkConsumedV2() {
        List<RoutingEvent> ev = new ArrayList<>();
        ev.add(new GuestEntry(0x4000_0000L, "V2", true, true, true, 0x0, true, "none", "guest"));
        ev.add(new ExitToEl2(BRK_PC, 1, BRK_ESR, BRK_PC, 0));
        ev.add(new KvmDecision(BRK_PC, KvmDecisionKind.BRK_SKIPPED, "kvm_handle_guest_debug", "BRK under the OS Lock consumed: PC += 4", BRK_ESR));
        ev.add(new GuestEntry(BRK_PC + 4, "V2", true, true, true, 0x0, true, "none", "guest"));
        ev.addAll(systemOff(0x4000_0030L));
        List<GuestLog.Entry> bare = List.of(new GuestLog.Exception(0x200, BRK_ESR, BRK_PC, 0, SPSR_EL1H), new GuestLog.Value(1, 1));
        List<GuestLog.Entry> kvm = List.of(new GuestLog.Value(1, 1));
        return new LabRun(kvm("v2", "QEMU", List.of(), List.of("OS lock locked", "BRK #0x42")), ev, kvm, "", regs(0x4000_0034L),
                "SYSTEM_OFF", "PSCI SYSTEM_OFF", 24, Verdict.compare(kvm, bare, "QEMU on KVM v2 vs bare metal"), listing());
    }

    static LabRun brkDelivered61() {
        List<RoutingEvent> ev = new ArrayList<>();
        ev.add(new GuestEntry(0x4000_0000L, "O1", false, false, false, 0x0, true, "none", "guest"));
        ev.add(new ExceptionTaken(BRK_PC, 1, 1, BRK_ESR, BRK_PC, RoutingEvent.NO_FAR, VBAR + 0x200));
        ev.addAll(systemOff(0x4000_0030L));
        List<GuestLog.Entry> log = List.of(new GuestLog.Exception(0x200, BRK_ESR, BRK_PC, 0, SPSR_EL1H), new GuestLog.Value(1, 1));
        return new LabRun(kvm("6.1", "QEMU", List.of(), List.of("OS lock locked", "BRK #0x42")), ev, log, "", regs(0x4000_0034L),
                "SYSTEM_OFF", "PSCI SYSTEM_OFF", 26, Verdict.compare(log, log, "QEMU on KVM 6.1 vs bare metal"), listing());
    }

    static LabRun bareMetal() {
        List<RoutingEvent> ev = new ArrayList<>();
        ev.add(new NotGenerated(0x4000_0008L, 1, "hardware breakpoint 0 at `hit`", "OSLK = 1: AArch64.GenerateDebugExceptionsFrom is FALSE"));
        ev.add(new ExceptionTaken(BRK_PC, 0, 1, BRK_ESR, BRK_PC, RoutingEvent.NO_FAR, VBAR + 0x400));
        List<GuestLog.Entry> log = List.of(new GuestLog.Exception(0x400, BRK_ESR, BRK_PC, 0, 0x0), new GuestLog.Value(1, 1));
        return new LabRun(new RunConfig("bare metal", "", "", List.of(), "", List.of("OS lock locked", "drop to EL0", "BRK #0x42")), ev, log,
                "done\n", regs(0x4000_0034L), "SYSTEM_OFF", "semihosting exit", 40, Verdict.compare(log, log, "bare metal"), listing());
    }

    static Comparison comparison() {
        return new Comparison(List.of(brkDelivered61(), brkConsumedV2(), watchpointReinjected()));
    }

    /**
     * A sweep of the guest BRK / breakpoint under OSLK × KDE × version. The architecture: BRK is never
     * gated (EC 0x3C at EL1); a breakpoint is taken when KDE = 1 and OSLK = 0 (AArch64.GenerateDebugExceptionsFrom).
     * The outcomes follow the per-version rows of SeedQuestionsTest: v2 consumes BRK under the lock, 5.15 ignores OSLK.
     */
    static SweepResult sweep() {
        List<SweepResult.Cell> cells = new ArrayList<>();
        for (String event : List.of("BRK", "breakpoint"))
            for (String oslk : List.of("0", "1"))
                for (String kde : List.of("0", "1"))
                    for (String version : List.of("5.15", "v2", "5.18", "6.1", "6.14")) {
                        boolean brk = event.equals("BRK");
                        String arch = brk ? "EC 0x3C at EL1" : kde.equals("1") && oslk.equals("0") ? "EC 0x31 at EL1" : "none";
                        String out = arch;
                        if (brk && version.equals("v2") && oslk.equals("1")) out = "none";
                        if (!brk && version.equals("5.15") && kde.equals("1")) out = "EC 0x31 at EL1";
                        Map<String, String> p = new LinkedHashMap<>();
                        p.put("event", event);
                        p.put("OSLK", oslk);
                        p.put("KDE", kde);
                        p.put("version", version);
                        cells.add(new SweepResult.Cell(p, arch, out));
                    }
        return new SweepResult(List.of("event", "OSLK", "KDE", "version"), cells, 1_234_000_000L);
    }
}
