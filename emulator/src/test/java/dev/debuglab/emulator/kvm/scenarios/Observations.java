package dev.debuglab.emulator.kvm.scenarios;

import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.BCR_A;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.CLEAR_MDSCR;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.ENABLE_DEBUG;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.LOCK;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.RESET_DEBUG;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_AFTER;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_BCR0;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_DAIF;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_DBGPRCR;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_DFR0;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_MDSCR;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_MEM;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_OSDLR;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_OSLSR;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TAG_TRIGGER;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.TARGET_T;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.UNLOCK;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.WATCHED;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.WATCHED_HW;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.WCR_ST;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.address;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.armBp0;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.armWp0;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.logSysreg;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.phase;
import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.ssEret;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.kvm.GuestDebug;

/**
 * The guests and userspace policies of the real-KVM observation harness (kvm.md §6), one method
 * per scenario of scenarios.md B.1 / B.5. Each runs a fresh VM of the given kernel version to
 * PSCI SYSTEM_OFF and returns the harness; the tests assert the spec's numbers on it. Guest data
 * lives at {@link KvmHarness#WATCHED} (0x4010_0000) and {@link KvmHarness#WATCHED_HW} (0x4010_0100).
 */
final class Observations {
    private Observations() {}

    /** The family of a version name (kvm.md §0): the column of scenarios.md B.1 the test reads. */
    enum Family { PRE, V2, MERGED, OWNER }

    static Family family(String version) {
        return switch (version) {
            case "5.15", "5.16", "5.17" -> Family.PRE;
            case "v2" -> Family.V2;
            case "5.18", "5.19", "6.0", "6.1", "6.12" -> Family.MERGED;
            default -> Family.OWNER; // 6.14 ... 7.2
        };
    }

    /** Whether the kernel reports hsr_high and sets run->flags bit 0 on debug exits (v5.19, 18f3976fdb5d). */
    static boolean hsrHighValid(String version) {
        return switch (version) {
            case "5.15", "5.16", "5.17", "5.18", "v2" -> false;
            default -> true;
        };
    }

    /** KVM-RESET / KVM61-RESET: the guest's first reads (OSLSR, MDSCR, DAIF, ID_AA64DFR0). GET is the test's. */
    static KvmHarness resetReads(KvmHarness h) {
        return h.load(logSysreg(TAG_OSLSR, "oslsr_el1") + logSysreg(TAG_MDSCR, "mdscr_el1") + logSysreg(TAG_DAIF, "daif")
                + logSysreg(TAG_DFR0, "id_aa64dfr0_el1")).run();
    }

    /** KVM61-OSLAR-BITS (KVM-OSLAR is its first write): OSLAR = 1, 0, 0x2, 0xFFFFFFFF, 0, OSLSR logged after each. */
    static KvmHarness oslarBits(String v) {
        StringBuilder b = new StringBuilder(RESET_DEBUG);
        for (long val : new long[] {1, 0, 2, 0xFFFF_FFFFL, 0}) {
            b.append(address("x0", val)).append("    msr     oslar_el1, x0\n    isb\n").append(logSysreg(TAG_OSLSR, "oslsr_el1"));
        }
        return KvmHarness.create(v).load(b.toString()).run();
    }

    /** KVM-BRK-OSLK / KVM61-BRK-OSLK: locked {@code b1: BRK #0x42}; phase; unlock; {@code b2: BRK #0x43}. */
    static KvmHarness brkOslk(String v) {
        return KvmHarness.create(v).load(RESET_DEBUG + LOCK + "b1:\n    brk     #0x42\n"
                + StandardVectors.logValue(TAG_AFTER, "xzr") + phase() + UNLOCK + "b2:\n    brk     #0x43\n").run();
    }

    /**
     * KVM-HWBP-OSLK / KVM61-HWBP-OSLK(0): [OSLK = 1]; breakpoint 0 (BCR_A) on {@code t}; enable
     * debug; guest logs MDSCR and DBGBCR0; call t; phase; unlock; call t.
     */
    static KvmHarness hwbpOslk(String v, boolean locked) {
        return KvmHarness.create(v).load(RESET_DEBUG + (locked ? LOCK : "") + armBp0("t", BCR_A) + ENABLE_DEBUG
                + logSysreg(TAG_MDSCR, "mdscr_el1") + logSysreg(TAG_BCR0, "dbgbcr0_el1")
                + "    bl      t\n" + phase() + UNLOCK + "    bl      t\n", TARGET_T).run();
    }

    /** KVM61-HWBP-LOCK-MIDSTREAM (ARCH-HWBP-LOCK-LATE): hit unlocked; re-arm; lock; call; phase; unlock; call. */
    static KvmHarness hwbpLockMidstream(String v) {
        return KvmHarness.create(v).load(RESET_DEBUG + armBp0("t", BCR_A) + ENABLE_DEBUG + "    bl      t\n" + phase()
                + armBp0("t", BCR_A) + LOCK + "    bl      t\n" + phase() + UNLOCK + "    bl      t\n", TARGET_T).run();
    }

    /**
     * KVM-WP-OSLK / KVM61-WP-OSLK(0): [OSLK = 1]; watchpoint 0 = WCR_ST on 0x4010_0000; enable
     * debug; {@code ld1:} 8-byte load; {@code st1:} 8-byte store of 0x1111, memory logged; phase;
     * unlock; {@code st2:} store of 0x2222, memory logged.
     */
    static KvmHarness wpOslk(String v, boolean locked) {
        return KvmHarness.create(v).load(RESET_DEBUG + (locked ? LOCK : "") + armWp0(WATCHED, WCR_ST) + ENABLE_DEBUG
                + address("x11", WATCHED) + """
                ld1:
                    ldr     x12, [x11]
                    mov     x12, #0x1111
                st1:
                    str     x12, [x11]
                    ldr     x13, [x11]
                """ + StandardVectors.logValue(TAG_MEM, "x13") + phase() + UNLOCK + """
                    mov     x12, #0x2222
                st2:
                    str     x12, [x11]
                    ldr     x13, [x11]
                """ + StandardVectors.logValue(TAG_MEM, "x13")).run();
    }

    /**
     * KVM-SS-OSLK / KVM61-SS-OSLK(0): [OSLK = 1]; ARCH-SS-ERET into {@code r1}; guest logs MDSCR;
     * then, if {@code repeat}: phase; unlock; ARCH-SS-ERET into {@code r2}.
     */
    static KvmHarness ssOslk(String v, boolean locked, boolean repeat) {
        String body = RESET_DEBUG + (locked ? LOCK : "") + ssEret("1") + logSysreg(TAG_MDSCR, "mdscr_el1") + CLEAR_MDSCR;
        if (repeat) body += phase() + UNLOCK + ssEret("2") + CLEAR_MDSCR;
        return KvmHarness.create(v).load(body).run();
    }

    /**
     * KVM-USEHW-OSLK / KVM61-USEHW-OSLK(0): guest [OSLK = 1], logs OSLSR (so the kvm_run union's
     * far bytes hold that MMIO data), calls {@code f}, stores to 0x4010_0100 at {@code st}, logs its
     * MDSCR. Userspace: ENABLE|USE_HW, bcr0 = 0x1E7 on f, wcr0 = 0x1FF7 on 0x4010_0100 before the
     * first run; at the breakpoint exit it drops the breakpoint, at the watchpoint exit it turns
     * guest debug off so the store completes.
     */
    static KvmHarness useHwOslk(String v, boolean locked) {
        GuestDebug hw = GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_HW).withWatchpoint(0, WCR_ST, WATCHED_HW);
        KvmHarness h = KvmHarness.create(v);
        h.load(RESET_DEBUG + (locked ? LOCK : "") + logSysreg(TAG_OSLSR, "oslsr_el1") + "    bl      f\n"
                + address("x11", WATCHED_HW) + "    mov     x12, #0x3333\nst:\n    str     x12, [x11]\n"
                + "    ldr     x13, [x11]\n" + StandardVectors.logValue(TAG_MEM, "x13") + logSysreg(TAG_MDSCR, "mdscr_el1"),
                "f:\n    nop\n    ret\n");
        h.guestDebug(hw.withBreakpoint(0, BCR_A, h.sym("f")));
        h.onDebug((hh, e) -> {
            if (e.ec() == 0x30) hh.guestDebug(hw);                    // the VMM drops its breakpoint
            else hh.guestDebug(GuestDebug.disabled());                // and then its watchpoint
        });
        return h.run();
    }

    /**
     * KVM-SWBP-OSLK / KVM61-SWBP-OSLK(0): ENABLE|USE_SW_BP; guest [OSLK = 1], logs OSLSR, then
     * {@code b77: BRK #0x77}, then logs {@link KvmHarness#TAG_AFTER}. Userspace skips the BRK (PC += 4).
     */
    static KvmHarness swbpOslk(String v, boolean locked) {
        KvmHarness h = KvmHarness.create(v).guestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_SW_BP));
        h.load(RESET_DEBUG + (locked ? LOCK : "") + logSysreg(TAG_OSLSR, "oslsr_el1") + "b77:\n    brk     #0x77\n"
                + StandardVectors.logValue(TAG_AFTER, "xzr"));
        h.onDebug((hh, e) -> hh.setPc(e.pc() + 4));
        return h.run();
    }

    /**
     * KVM-HOSTSS-OSLK / KVM61-HOSTSS-OSLK(0): guest [OSLK = 1]; logs under TAG_TRIGGER (an MMIO
     * store); during that MMIO exit userspace sets ENABLE|SINGLESTEP; then {@code n1:} 6 NOPs,
     * {@code after6:}. Userspace turns stepping off at the exit whose PC is {@code after6} (or beyond).
     */
    static KvmHarness hostSsOslk(String v, boolean locked) {
        KvmHarness h = KvmHarness.create(v);
        h.load(RESET_DEBUG + (locked ? LOCK : "") + StandardVectors.logValue(TAG_TRIGGER, "xzr")
                + "n1:\n    nop\n    nop\n    nop\n    nop\n    nop\n    nop\nafter6:\n" + StandardVectors.logValue(TAG_AFTER, "xzr"));
        h.onLog((hh, entry) -> {
            if (entry instanceof GuestLog.Value val && val.tag() == TAG_TRIGGER)
                hh.guestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.SINGLESTEP));
        });
        h.onDebug((hh, e) -> {
            if (e.pc() >= hh.sym("after6") || hh.debugExits.size() > 20) hh.guestDebug(GuestDebug.disabled());
        });
        return h.run();
    }

    /**
     * KVM-SWBP-GUESTBP(-OSLK) / KVM61-SWBP-GUESTBP / KVMOWN-SWBP-GUESTBP: ENABLE|USE_SW_BP before
     * the first run; guest [OSLK = 1], arms breakpoint 0 (BCR_A) on {@code t}, enables debug, calls t.
     * At a debug exit userspace turns guest debug off and resumes.
     */
    static KvmHarness swbpGuestBp(String v, boolean locked) {
        KvmHarness h = KvmHarness.create(v).guestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_SW_BP));
        h.load(RESET_DEBUG + (locked ? LOCK : "") + armBp0("t", BCR_A) + ENABLE_DEBUG + "    bl      t\n"
                + StandardVectors.logValue(TAG_AFTER, "xzr"), TARGET_T);
        h.onDebug((hh, e) -> hh.guestDebug(GuestDebug.disabled()));
        return h.run();
    }

    /** KVM-SWBP-GUESTSS / KVM61-SWBP-GUESTSS: ENABLE|USE_SW_BP; guest ARCH-SS-ERET; logs MDSCR. */
    static KvmHarness swbpGuestSs(String v) {
        KvmHarness h = KvmHarness.create(v).guestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_SW_BP));
        return h.load(RESET_DEBUG + ssEret("1") + logSysreg(TAG_MDSCR, "mdscr_el1") + CLEAR_MDSCR).run();
    }

    /**
     * KVM-GUEST-KDE0-TDE: ENABLE|USE_SW_BP; guest MDE = 1, KDE = 0, D = 0, breakpoint 0 (BCR_A) on
     * {@code t} at EL1; calls t. At a debug exit userspace turns guest debug off and resumes.
     */
    static KvmHarness guestKde0(String v) {
        KvmHarness h = KvmHarness.create(v).guestDebug(GuestDebug.of(GuestDebug.ENABLE | GuestDebug.USE_SW_BP));
        h.load(RESET_DEBUG + armBp0("t", BCR_A) + """
                    msr     daifclr, #8
                    mov     x9, #0x8000         // MDE only
                    msr     mdscr_el1, x9
                    isb
                    bl      t
                """, TARGET_T);
        h.onDebug((hh, e) -> hh.guestDebug(GuestDebug.disabled()));
        return h.run();
    }

    /**
     * KVM-OSDLR / KVM61-OSDLR (and KVM-DBGPRCR / KVM61-DBGPRCR when {@code dbgprcr}): guest reads
     * OSDLR, writes 1, reads it and OSLSR; [MRS, MSR 1, MRS, MSR 0 of DBGPRCR_EL1, reads logged];
     * then the breakpoint test (breakpoint 0 on {@code t}, enable debug, call t).
     */
    static KvmHarness osdlr(String v, boolean dbgprcr) {
        String body = RESET_DEBUG + logSysreg(TAG_OSDLR, "osdlr_el1") + "    mov     x9, #1\n    msr     osdlr_el1, x9\n    isb\n"
                + logSysreg(TAG_OSDLR, "osdlr_el1") + logSysreg(TAG_OSLSR, "oslsr_el1");
        if (dbgprcr) body += logSysreg(TAG_DBGPRCR, "dbgprcr_el1") + "    mov     x9, #1\n    msr     dbgprcr_el1, x9\n"
                + logSysreg(TAG_DBGPRCR, "dbgprcr_el1") + "    msr     dbgprcr_el1, xzr\n";
        body += armBp0("t", BCR_A) + ENABLE_DEBUG + "    bl      t\n";
        return KvmHarness.create(v).load(body, TARGET_T).run();
    }

    /** The destination guest of KVM61-MIG-OSLK1: first OSLSR read, breakpoint test, phase, unlock, call again. */
    static String migrationDestinationGuest() {
        return logSysreg(TAG_OSLSR, "oslsr_el1") + armBp0("t", BCR_A) + ENABLE_DEBUG + "    bl      t\n" + phase() + UNLOCK
                + "    bl      t\n";
    }

    /** The source guest of KVM61-MIG-OSLK1: sets OSLK = 1 and stops. */
    static String migrationSourceGuest() {
        return RESET_DEBUG + LOCK + logSysreg(TAG_OSLSR, "oslsr_el1");
    }
}
