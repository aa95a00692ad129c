package dev.debuglab.emulator.kvm.scenarios;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.guest.StandardVectors;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest of KVM's selftest {@code tools/testing/selftests/kvm/arm64/debug-exceptions.c}
 * (scenarios.md B.3), and of kvm-unit-tests {@code arm/debug.c} (B.4), written in A64 for the
 * project's assembler: {@code reset_debug_state}, {@code enable_os_lock} (with its
 * {@code GUEST_ASSERT(read_sysreg(oslsr_el1) & 2)}), {@code install_hw_bp}, {@code install_wp},
 * {@code install_hw_bp_ctx}, {@code install_wp_ctx}, {@code install_ss}, the rows of
 * {@code guest_code(bpn, wpn, ctx_bpn)} (arguments in X0..X2, set by userspace through ONE_REG as
 * {@code vcpu_args_set} does), {@code guest_code_ss(test_cnt)}, and the selftest's handlers
 * installed with {@code vm_install_sync_handler(VECTOR_SYNC_CURRENT, ...)}:
 * <ul>
 *   <li>BRK64 (0x3C): {@code sw_bp_addr = pc; pc += 4}</li>
 *   <li>breakpoint (0x31): {@code hw_bp_addr = pc; pstate |= SPSR_D}</li>
 *   <li>watchpoint (0x35): {@code wp_data_addr = FAR_EL1; wp_addr = pc; pstate |= SPSR_D}</li>
 *   <li>software step (0x33): {@code __GUEST_ASSERT(ss_idx < 4); ss_addr[ss_idx++] = pc; pstate |= SPSR_SS}</li>
 *   <li>SVC64 (0x15): {@code svc_addr = pc}</li>
 *   <li>anything else: the library's "Unexpected exception" abort.</li>
 * </ul>
 * Every exception is also logged to the {@link GuestLog} port first (as {@link StandardVectors}
 * does), so a test sees the ESRs too. Ucalls are {@link GuestLog} values under the tags of
 * {@link Ucall}: {@code GUEST_ASSERT_EQ} failing logs the actual and expected values, then the
 * assertion's id under {@link Ucall#ABORT}, then powers off; {@code GUEST_DONE} logs
 * {@link Ucall#DONE}; {@code GUEST_UCALL_NONE} logs {@link Ucall#NONE} (its last instruction is the
 * MMIO store, so the next instruction is the first one after the ucall, as in the selftest).
 */
final class SelftestGuest {

    /** The ucall port: GuestLog value tags. */
    static final class Ucall {
        static final int DONE = 0xFF01, ABORT = 0xFF02, ACTUAL = 0xFF03, EXPECTED = 0xFF04, NONE = 0xFF05;

        private Ucall() {}
    }

    /** The rows of {@code guest_code}, in the selftest's order (scenarios.md B.3). */
    enum Row {
        SWBP("KVMST-SWBP"), HWBP("KVMST-HWBP"), BP_SVC("KVMST-BP-SVC"), BP_BRK("KVMST-BP-BRK"), WP("KVMST-WP"),
        SS("KVMST-SS"), OSLK_BRK("KVMST-OSLK-BRK"), OSLK_HWBP("KVMST-OSLK-HWBP"), OSLK_WP("KVMST-OSLK-WP"),
        OSLK_SS("KVMST-OSLK-SS"), HWBP_CTX("KVMST-HWBP-CTX"), WP_CTX("KVMST-WP-CTX");

        final String id;

        Row(String id) {
            this.id = id;
        }
    }

    /** BCR_S (scenarios.md conventions): E, PMC EL1, BAS 0xFF at bit 5; the context link forms add BT. */
    static final int BCR_S = 0x1FE3, WCR_S = 0x1FFB, BT_ADDR_LINK_CTX = 0x1 << 20, BT_CTX_LINK = 0x3 << 20, WT_LINK = 0x1 << 20;
    static final long CTX = 0xABCDEF;

    /** A generated program: its source and the descriptions of its assertion ids. */
    record Source(String text, List<String> assertions) {}

    private final StringBuilder s = new StringBuilder();
    private final List<String> assertions = new ArrayList<>();

    private SelftestGuest() {}

    /** {@code guest_code(bpn, wpn, ctx_bpn)} with the given rows (all of them = the selftest). */
    static Source guestCode(Row... rows) {
        SelftestGuest g = new SelftestGuest();
        g.prologue();
        g.s.append("""
                    mov     x19, x0         // bpn
                    mov     x20, x1         // wpn
                    mov     x21, x2         // ctx_bpn
                    movz    x22, #0xcdef    // ctx = 0xabcdef
                    movk    x22, #0xab, lsl #16
                """);
        for (Row r : rows) g.row(r);
        g.done();
        g.library();
        return new Source(g.s.toString(), List.copyOf(g.assertions));
    }

    /** {@code guest_code_ss(test_cnt)}: X0 = test_cnt (KVMST-USER-SS). */
    static Source guestCodeSs() {
        SelftestGuest g = new SelftestGuest();
        g.prologue();
        g.s.append("""
                    mov     x19, x0         // test_cnt
                    mov     x20, #0         // i
                ss_loop:
                    cmp     x20, x19
                    b.hs    ss_loop_done
                    lsl     x21, x20, #2    // w_bvr = w_wvr = i << 2 (bits [1:0] are RES0)
                """);
        g.s.append(StandardVectors.logValue(Ucall.NONE, "x20")); // GUEST_UCALL_NONE()
        g.s.append("""
                iter_ss_begin:
                    nop
                    msr     dbgbvr0_el1, x21
                    msr     dbgwvr0_el1, x21
                    mrs     x22, dbgbvr0_el1
                    mrs     x23, dbgwvr0_el1
                iter_ss_end:
                """);
        g.assertEq("bvr == w_bvr", "x22", "x21");
        g.assertEq("wvr == w_wvr", "x23", "x21");
        g.s.append("""
                    add     x20, x20, #1
                    b       ss_loop
                ss_loop_done:
                """);
        g.done();
        g.library();
        return new Source(g.s.toString(), List.copyOf(g.assertions));
    }

    /**
     * kvm-unit-tests {@code arm/debug.c} "debug-bp" (ARCH-HWBP-ALL): N = BRPs + 1 breakpoints
     * BVR_i = h + 4i, BCR_i = BCR_S; enable debug; 16 × {@code msr daifclr, #8} from {@code h}.
     */
    static Source kutBp() {
        SelftestGuest g = new SelftestGuest();
        g.prologue();
        g.s.append("""
                    bl      reset_debug_state
                    mrs     x9, id_aa64dfr0_el1
                    ubfx    x19, x9, #12, #4    // BRPs
                    mov     x20, #0
                kut_bp_arm:
                    mov     x0, x20
                    mov     x1, #0x1fe3         // BCR_S
                    bl      write_dbgbcr
                    adr     x1, h
                    add     x1, x1, x20, lsl #2
                    mov     x0, x20
                    bl      write_dbgbvr
                    add     x20, x20, #1
                    cmp     x20, x19
                    b.ls    kut_bp_arm
                    isb
                    bl      enable_monitor_debug_exceptions
                h:
                """);
        for (int i = 0; i < 16; i++) g.s.append("    msr     daifclr, #8\n");
        g.done();
        g.library();
        return new Source(g.s.toString(), List.copyOf(g.assertions));
    }

    /**
     * kvm-unit-tests "debug-wp" (ARCH-WP-ALL): M = WRPs + 1 watchpoints WVR_i = &w[i] (a byte
     * array), WCR_i = WCR_S; enable debug; for each i: {@code w[i] = i; msr daifclr, #8}. Then, with
     * debug masked, each w[i] is logged under tag 0x100 + i ("watchpoint data: i").
     */
    static Source kutWp() {
        SelftestGuest g = new SelftestGuest();
        g.prologue();
        g.s.append("""
                    bl      reset_debug_state
                    mrs     x9, id_aa64dfr0_el1
                    ubfx    x19, x9, #20, #4    // WRPs
                    mov     x20, #0
                kut_wp_arm:
                    mov     x0, x20
                    mov     x1, #0x1ffb         // WCR_S
                    bl      write_dbgwcr
                    adr     x1, kut_w
                    add     x1, x1, x20
                    mov     x0, x20
                    bl      write_dbgwvr
                    add     x20, x20, #1
                    cmp     x20, x19
                    b.ls    kut_wp_arm
                    isb
                    bl      enable_monitor_debug_exceptions
                    mov     x20, #0
                    adr     x21, kut_w
                kut_wp_write:
                    strb    w20, [x21, x20]
                    msr     daifclr, #8
                    add     x20, x20, #1
                    cmp     x20, x19
                    b.ls    kut_wp_write
                    // kvm-unit-tests reads w[i] back with D clear, so its first load takes one more
                    // (load) hit, which it records in wp_data_addr[M] but never checks; masking D here
                    // keeps the count ARCH-WP-ALL states (exactly M).
                    msr     daifset, #8
                    mov     x20, #0
                kut_wp_read:
                    ldrb    w22, [x21, x20]
                """);
        // the tag is 0x100 + i: computed at run time
        g.s.append(String.format("""
                    movz    x17, #0x%x, lsl #16
                    add     x16, x20, #0x100
                    str     x16, [x17, #0x%x]
                    str     x22, [x17, #0x%x]
                """, GuestLog.BASE >>> 16, GuestLog.TAG, GuestLog.VALUE));
        g.s.append("""
                    add     x20, x20, #1
                    cmp     x20, x19
                    b.ls    kut_wp_read
                """);
        g.done();
        g.library();
        return new Source(g.s.toString(), List.copyOf(g.assertions));
    }

    /** kvm-unit-tests "debug-sstep" (ARCH-SS-KUT): MDSCR |= KDE | SS with D masked, then DAIFClr #8. */
    static Source kutSstep() {
        SelftestGuest g = new SelftestGuest();
        g.prologue();
        g.s.append("""
                    bl      reset_debug_state
                    mrs     x9, mdscr_el1
                    mov     x10, #0x2001        // KDE | SS
                    orr     x9, x9, x10
                    msr     mdscr_el1, x9
                    isb
                    adr     x9, ss_idx
                    str     xzr, [x9]
                    msr     daifclr, #8
                ss_start:
                    mrs     x0, esr_el1
                    add     x0, x0, #1
                    msr     daifset, #8
                """);
        g.done();
        g.library();
        return new Source(g.s.toString(), List.copyOf(g.assertions));
    }

    // --- pieces -------------------------------------------------------------------------------------

    private void prologue() {
        s.append(KvmHarness.PROLOGUE);
    }

    private void done() {
        s.append(StandardVectors.logValue(Ucall.DONE, "xzr")); // GUEST_DONE()
        s.append(StandardVectors.systemOff());
        s.append("    b       .\n");
    }

    /** GUEST_ASSERT_EQ(a, b): on failure log a, b and the assertion's id, then power off. */
    private void assertEq(String what, String a, String b) {
        int id = assertions.size();
        assertions.add(what);
        s.append("    cmp     ").append(a).append(", ").append(b).append('\n');
        s.append("    b.eq    8f\n");
        s.append("    mov     x15, ").append(a).append('\n');
        s.append("    mov     x14, ").append(b).append('\n');
        s.append("    mov     x13, #").append(id).append('\n');
        s.append("    b       ucall_abort\n");
        s.append("8:\n");
    }

    /** Loads the 64-bit variable {@code name} into {@code xd}. */
    private void load(String xd, String name) {
        s.append("    adr     x9, ").append(name).append("\n    ldr     ").append(xd).append(", [x9]\n");
    }

    private void store0(String name) {
        s.append("    adr     x9, ").append(name).append("\n    str     xzr, [x9]\n");
    }

    private void row(Row r) {
        s.append("    // ").append(r.id).append('\n');
        switch (r) {
            case SWBP -> {
                s.append("    bl      reset_debug_state\nsw_bp:\n    brk     #0\n");
                load("x10", "sw_bp_addr");
                s.append("    adr     x11, sw_bp\n");
                assertEq("KVMST-SWBP: sw_bp_addr == PC(sw_bp)", "x10", "x11");
            }
            case HWBP -> {
                s.append("""
                            bl      reset_debug_state
                            mov     x0, x19
                            adr     x1, hw_bp
                            bl      install_hw_bp
                        hw_bp:
                            nop
                        """);
                load("x10", "hw_bp_addr");
                s.append("    adr     x11, hw_bp\n");
                assertEq("KVMST-HWBP: hw_bp_addr == PC(hw_bp)", "x10", "x11");
            }
            case BP_SVC -> {
                s.append("""
                            bl      reset_debug_state
                            mov     x0, x19
                            adr     x1, bp_svc
                            bl      install_hw_bp
                        bp_svc:
                            svc     #0
                        """);
                load("x10", "hw_bp_addr");
                s.append("    adr     x11, bp_svc\n");
                assertEq("KVMST-BP-SVC: hw_bp_addr == PC(bp_svc)", "x10", "x11");
                load("x10", "svc_addr");
                s.append("    add     x11, x11, #4\n");
                assertEq("KVMST-BP-SVC: svc_addr == PC(bp_svc) + 4", "x10", "x11");
            }
            case BP_BRK -> {
                s.append("""
                            bl      reset_debug_state
                            mov     x0, x19
                            adr     x1, bp_brk
                            bl      install_hw_bp
                        bp_brk:
                            brk     #0
                        """);
                load("x10", "sw_bp_addr");
                s.append("    adr     x11, bp_brk\n");
                assertEq("KVMST-BP-BRK: sw_bp_addr == PC(bp_brk)", "x10", "x11");
                load("x10", "hw_bp_addr");
                assertEq("KVMST-BP-BRK: hw_bp_addr == PC(bp_brk)", "x10", "x11");
            }
            case WP -> {
                s.append("""
                            bl      reset_debug_state
                            mov     x0, x20
                            adr     x1, write_data
                            bl      install_wp
                            adr     x9, write_data
                            mov     w10, #0x78      // 'x'
                            strb    w10, [x9]
                            ldrb    w10, [x9]
                            mov     x11, #0x78
                        """);
                assertEq("KVMST-WP: write_data == 'x'", "x10", "x11");
                load("x10", "wp_data_addr");
                s.append("    adr     x11, write_data\n");
                assertEq("KVMST-WP: wp_data_addr == PC(write_data)", "x10", "x11");
            }
            case SS -> {
                s.append("""
                            bl      reset_debug_state
                            bl      install_ss
                            adr     x9, ss_idx
                            str     xzr, [x9]
                        ss_start:
                            mrs     x0, esr_el1
                            add     x0, x0, #1
                            msr     daifset, #8
                            adr     x12, ss_addr
                            adr     x11, ss_start
                            ldr     x10, [x12]
                        """);
                assertEq("KVMST-SS: ss_addr[0] == PC(ss_start)", "x10", "x11");
                s.append("    ldr     x10, [x12, #8]\n    add     x11, x11, #4\n");
                assertEq("KVMST-SS: ss_addr[1] == PC(ss_start) + 4", "x10", "x11");
                s.append("    ldr     x10, [x12, #16]\n    add     x11, x11, #4\n");
                assertEq("KVMST-SS: ss_addr[2] == PC(ss_start) + 8", "x10", "x11");
            }
            case OSLK_BRK -> {
                s.append("    bl      reset_debug_state\n    bl      enable_os_lock\n");
                store0("sw_bp_addr");
                s.append("sw_bp2:\n    brk     #0\n");
                load("x10", "sw_bp_addr");
                s.append("    adr     x11, sw_bp2\n");
                assertEq("KVMST-OSLK-BRK: sw_bp_addr == PC(sw_bp2)", "x10", "x11");
            }
            case OSLK_HWBP -> {
                s.append("""
                            bl      reset_debug_state
                            bl      enable_os_lock
                            mov     x0, x19
                            adr     x1, hw_bp2
                            bl      install_hw_bp
                        """);
                store0("hw_bp_addr");
                s.append("hw_bp2:\n    nop\n");
                load("x10", "hw_bp_addr");
                assertEq("KVMST-OSLK-HWBP: hw_bp_addr == 0", "x10", "xzr");
            }
            case OSLK_WP -> {
                s.append("    bl      reset_debug_state\n    bl      enable_os_lock\n");
                s.append("    adr     x9, write_data\n    strb    wzr, [x9]\n");
                store0("wp_data_addr");
                s.append("""
                            mov     x0, x20
                            adr     x1, write_data
                            bl      install_wp
                            adr     x9, write_data
                            mov     w10, #0x78
                            strb    w10, [x9]
                            ldrb    w10, [x9]
                            mov     x11, #0x78
                        """);
                assertEq("KVMST-OSLK-WP: write_data == 'x'", "x10", "x11");
                load("x10", "wp_data_addr");
                assertEq("KVMST-OSLK-WP: wp_data_addr == 0", "x10", "xzr");
            }
            case OSLK_SS -> {
                s.append("    bl      reset_debug_state\n    bl      enable_os_lock\n");
                store0("ss_addr");
                s.append("""
                            bl      install_ss
                            adr     x9, ss_idx
                            str     xzr, [x9]
                            mrs     x0, esr_el1
                            add     x0, x0, #1
                            msr     daifset, #8
                        """);
                load("x10", "ss_addr");
                assertEq("KVMST-OSLK-SS: ss_addr[0] == 0", "x10", "xzr");
            }
            case HWBP_CTX -> {
                store0("hw_bp_addr");
                s.append("""
                            bl      reset_debug_state
                            mov     x0, x19
                            mov     x1, x21
                            adr     x2, hw_bp_ctx
                            mov     x3, x22
                            bl      install_hw_bp_ctx
                            msr     contextidr_el1, x22
                            isb
                        hw_bp_ctx:
                            nop
                            msr     contextidr_el1, xzr
                        """);
                load("x10", "hw_bp_addr");
                s.append("    adr     x11, hw_bp_ctx\n");
                assertEq("KVMST-HWBP-CTX: hw_bp_addr == PC(hw_bp_ctx)", "x10", "x11");
            }
            case WP_CTX -> {
                s.append("""
                            bl      reset_debug_state
                            mov     x0, x20
                            mov     x1, x21
                            adr     x2, write_data
                            mov     x3, x22
                            bl      install_wp_ctx
                            msr     contextidr_el1, x22
                            isb
                            adr     x9, write_data
                            mov     w10, #0x78
                            strb    w10, [x9]
                            ldrb    w10, [x9]
                            mov     x11, #0x78
                        """);
                assertEq("KVMST-WP-CTX: write_data == 'x'", "x10", "x11");
                load("x10", "wp_data_addr");
                s.append("    adr     x11, write_data\n");
                assertEq("KVMST-WP-CTX: wp_data_addr == PC(write_data)", "x10", "x11");
            }
        }
    }

    /** Functions, handlers, vectors and variables. */
    private void library() {
        int enableOsLock = assertions.size();
        assertions.add("enable_os_lock: GUEST_ASSERT(read_sysreg(oslsr_el1) & 2)");
        int badRegister = assertions.size();
        assertions.add("write_dbg*: GUEST_ASSERT(0) (register number > 15)");
        int ssIdx = assertions.size();
        assertions.add("guest_ss_handler: ss_idx < 4");
        int unexpected = assertions.size();
        assertions.add("Unexpected exception (actual = ESR, expected = vector offset)");

        // write_dbgbcr(n = x0, val = x1) etc.: the selftest's switch over the 16 register numbers.
        for (String reg : new String[] {"dbgbcr", "dbgbvr", "dbgwcr", "dbgwvr"}) {
            s.append("write_").append(reg).append(":\n");
            s.append("    cmp     x0, #15\n    b.hi    bad_register\n");
            s.append("    adr     x9, write_").append(reg).append("_table\n");
            s.append("    add     x9, x9, x0, lsl #3\n    br      x9\n");
            s.append("write_").append(reg).append("_table:\n");
            for (int n = 0; n < 16; n++) s.append("    msr     ").append(reg).append(n).append("_el1, x1\n    ret\n");
        }
        s.append(String.format("""
                bad_register:
                    mov     x15, x0
                    mov     x14, #15
                    mov     x13, #%d
                    b       ucall_abort
                ucall_abort:
                """, badRegister));
        s.append(StandardVectors.logValue(Ucall.ACTUAL, "x15"));
        s.append(StandardVectors.logValue(Ucall.EXPECTED, "x14"));
        s.append(StandardVectors.logValue(Ucall.ABORT, "x13"));
        s.append(StandardVectors.systemOff());
        s.append("    b       .\n");

        s.append(String.format("""
                reset_debug_state:
                    stp     x29, x30, [sp, #-16]!
                    msr     daifset, #8
                    msr     osdlr_el1, xzr
                    msr     oslar_el1, xzr
                    isb
                    msr     mdscr_el1, xzr
                    msr     contextidr_el1, xzr
                    mrs     x10, id_aa64dfr0_el1
                    ubfx    x11, x10, #12, #4       // BRPs
                    mov     x12, #0
                1:
                    mov     x0, x12
                    mov     x1, #0
                    bl      write_dbgbcr
                    bl      write_dbgbvr
                    add     x12, x12, #1
                    cmp     x12, x11
                    b.ls    1b
                    ubfx    x11, x10, #20, #4       // WRPs
                    mov     x12, #0
                2:
                    mov     x0, x12
                    mov     x1, #0
                    bl      write_dbgwcr
                    bl      write_dbgwvr
                    add     x12, x12, #1
                    cmp     x12, x11
                    b.ls    2b
                    isb
                    ldp     x29, x30, [sp], #16
                    ret

                enable_os_lock:
                    mov     x9, #1
                    msr     oslar_el1, x9
                    isb
                    mrs     x9, oslsr_el1
                    tbnz    x9, #1, 1f
                    mov     x15, x9
                    mov     x14, #2
                    mov     x13, #%d
                    b       ucall_abort
                1:
                    ret

                enable_monitor_debug_exceptions:
                    msr     daifclr, #8
                    mrs     x9, mdscr_el1
                    mov     x10, #0xa000            // KDE | MDE
                    orr     x9, x9, x10
                    msr     mdscr_el1, x9
                    isb
                    ret

                install_ss:
                    msr     daifclr, #8
                    mrs     x9, mdscr_el1
                    mov     x10, #0x2001            // KDE | SS
                    orr     x9, x9, x10
                    msr     mdscr_el1, x9
                    isb
                    ret

                // install_hw_bp(bpn = x0, addr = x1)
                install_hw_bp:
                    stp     x29, x30, [sp, #-32]!
                    stp     x0, x1, [sp, #16]
                    mov     x1, #0x1fe3             // LEN8 | EXEC | EL1 | E
                    bl      write_dbgbcr
                    ldp     x0, x1, [sp, #16]
                    bl      write_dbgbvr
                    isb
                    bl      enable_monitor_debug_exceptions
                    ldp     x29, x30, [sp], #32
                    ret

                // install_wp(wpn = x0, addr = x1)
                install_wp:
                    stp     x29, x30, [sp, #-32]!
                    stp     x0, x1, [sp, #16]
                    mov     x1, #0x1ffb             // LEN8 | RD | WR | EL1 | E
                    bl      write_dbgwcr
                    ldp     x0, x1, [sp, #16]
                    bl      write_dbgwvr
                    isb
                    bl      enable_monitor_debug_exceptions
                    ldp     x29, x30, [sp], #32
                    ret

                // install_hw_bp_ctx(addr_bp = x0, ctx_bp = x1, addr = x2, ctx = x3)
                install_hw_bp_ctx:
                    stp     x29, x30, [sp, #-48]!
                    stp     x0, x1, [sp, #16]
                    stp     x2, x3, [sp, #32]
                    mov     x0, x1
                    movz    x1, #0x1fe3
                    movk    x1, #0x30, lsl #16      // | BT_CTX_LINK
                    bl      write_dbgbcr
                    ldr     x0, [sp, #24]
                    ldr     x1, [sp, #40]
                    bl      write_dbgbvr
                    ldp     x0, x1, [sp, #16]
                    lsl     x1, x1, #16             // ctx_bp << LBN
                    movz    x9, #0x1fe3
                    movk    x9, #0x10, lsl #16      // | BT_ADDR_LINK_CTX
                    orr     x1, x1, x9
                    bl      write_dbgbcr
                    ldr     x0, [sp, #16]
                    ldr     x1, [sp, #32]
                    bl      write_dbgbvr
                    isb
                    bl      enable_monitor_debug_exceptions
                    ldp     x29, x30, [sp], #48
                    ret

                // install_wp_ctx(addr_wp = x0, ctx_bp = x1, addr = x2, ctx = x3)
                install_wp_ctx:
                    stp     x29, x30, [sp, #-48]!
                    stp     x0, x1, [sp, #16]
                    stp     x2, x3, [sp, #32]
                    mov     x0, x1
                    movz    x1, #0x1fe3
                    movk    x1, #0x30, lsl #16      // | BT_CTX_LINK
                    bl      write_dbgbcr
                    ldr     x0, [sp, #24]
                    ldr     x1, [sp, #40]
                    bl      write_dbgbvr
                    ldp     x0, x1, [sp, #16]
                    lsl     x1, x1, #16             // ctx_bp << LBN
                    movz    x9, #0x1ffb
                    movk    x9, #0x10, lsl #16      // | WT_LINK
                    orr     x1, x1, x9
                    bl      write_dbgwcr
                    ldr     x0, [sp, #16]
                    ldr     x1, [sp, #32]
                    bl      write_dbgwvr
                    isb
                    bl      enable_monitor_debug_exceptions
                    ldp     x29, x30, [sp], #48
                    ret
                """, enableOsLock));

        // Vectors: every entry saves x0..x5, puts its offset in x4 and goes to the common handler.
        s.append("    .balign 2048\nvectors:\n");
        for (int i = 0; i < 16; i++) {
            s.append("    .balign 128\n");
            s.append("    sub     sp, sp, #48\n    stp     x0, x1, [sp]\n    stp     x2, x3, [sp, #16]\n");
            s.append("    stp     x4, x5, [sp, #32]\n");
            s.append(String.format("    mov     x4, #0x%x\n", i * 0x80));
            s.append("    b       st_exception_common\n");
        }
        s.append("st_exception_common:\n").append(StandardVectors.logException("x4"));
        s.append(String.format("""
                    cmp     x4, #0x200              // VECTOR_SYNC_CURRENT
                    b.ne    st_unexpected
                    lsr     x0, x2, #26
                    cmp     x0, #0x3c
                    b.eq    st_sw_bp
                    cmp     x0, #0x31
                    b.eq    st_hw_bp
                    cmp     x0, #0x35
                    b.eq    st_wp
                    cmp     x0, #0x33
                    b.eq    st_ss
                    cmp     x0, #0x15
                    b.eq    st_svc
                st_unexpected:
                    mov     x15, x2
                    mov     x14, x4
                    mov     x13, #%d
                    b       ucall_abort
                st_sw_bp:                           // guest_sw_bp_handler
                    adr     x0, sw_bp_addr
                    str     x3, [x0]
                    add     x3, x3, #4
                    msr     elr_el1, x3
                    b       st_return
                st_hw_bp:                           // guest_hw_bp_handler
                    adr     x0, hw_bp_addr
                    str     x3, [x0]
                    mrs     x0, spsr_el1
                    orr     x0, x0, #0x200          // SPSR_D
                    msr     spsr_el1, x0
                    b       st_return
                st_wp:                              // guest_wp_handler
                    mrs     x0, far_el1
                    adr     x5, wp_data_addr
                    str     x0, [x5]
                    adr     x5, wp_addr
                    str     x3, [x5]
                    mrs     x0, spsr_el1
                    orr     x0, x0, #0x200          // SPSR_D
                    msr     spsr_el1, x0
                    b       st_return
                st_ss:                              // guest_ss_handler
                    adr     x0, ss_idx
                    ldr     x5, [x0]
                    cmp     x5, #4
                    b.hs    st_ss_overflow
                    adr     x1, ss_addr
                    str     x3, [x1, x5, lsl #3]
                    add     x5, x5, #1
                    str     x5, [x0]
                    mrs     x0, spsr_el1
                    orr     x0, x0, #0x200000       // SPSR_SS
                    msr     spsr_el1, x0
                    b       st_return
                st_ss_overflow:
                    mov     x15, x5
                    mov     x14, #4
                    mov     x13, #%d
                    b       ucall_abort
                st_svc:                             // guest_svc_handler
                    adr     x0, svc_addr
                    str     x3, [x0]
                st_return:
                    ldp     x4, x5, [sp, #32]
                    ldp     x2, x3, [sp, #16]
                    ldp     x0, x1, [sp]
                    add     sp, sp, #48
                    eret

                    .balign 8
                sw_bp_addr:     .8byte 0
                hw_bp_addr:     .8byte 0
                wp_addr:        .8byte 0
                wp_data_addr:   .8byte 0
                svc_addr:       .8byte 0
                ss_addr:        .8byte 0, 0, 0, 0
                ss_idx:         .8byte 0
                    .balign 64
                write_data:     .8byte 0
                    .balign 64
                kut_w:          .8byte 0, 0
                    .balign 64
                """, unexpected, ssIdx));
    }
}
