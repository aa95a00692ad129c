package dev.debuglab.emulator.differential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Generator of one bare-metal differential program in GNU assembler syntax: a batch of test
 * cases that run one after the other in a single boot, on QEMU ({@code -M virt,virtualization=on},
 * which enters the ELF at EL2) and on DebugLab.
 *
 * <p>The program is table driven. The EL2 harness reads one {@link Row} per case, prints the case
 * header {@code C<id>}, programs the debug state (MDCR_EL2, HCR_EL2, DBGBVR0/DBGBCR0,
 * DBGWVR0/DBGWCR0, MDSCR_EL1, then OSDLR_EL1 and OSLAR_EL1 last), and drops to the case's body
 * with ERET (SPSR_EL2 and ELR_EL2 come from the row, so the body may run at EL0, EL1 or EL2).
 * The body performs the event and comes back up with {@code SVC #1} (from EL0) or {@code HVC #1};
 * the EL2 handler then abandons the exception and resumes the harness at the next row.
 *
 * <p>Both vector tables (VBAR_EL2, VBAR_EL1) print one line per exception taken,
 * {@code X<target EL> V<vector offset> E<ESR> L<ELR> S<SPSR>}, plus {@code F<FAR>} for a
 * Watchpoint (FAR is UNKNOWN for the other debug exceptions, architecture.md §3.1 rule 5), and
 * then return sensibly: BRK and UNDEFINED skip the instruction; a Breakpoint or Watchpoint
 * disables comparator 0; a Software Step either re-arms SPSR.SS while the case's step budget
 * lasts or clears MDSCR_EL1.SS; an Illegal Execution State clears SPSR.IL; SVC/HVC with an
 * immediate other than 1 simply return. The EL1 handler hands a finished case up to EL2 through
 * the {@code HVC #1} kept in the unused last entry of its vector table (VBAR_EL1 + 0x780).
 *
 * <p>The layout is fixed so that the expected output (which names addresses) is computed without
 * reading the symbol table: vectors at +0x800 (EL2) and +0x1000 (EL1), 64-byte body slots from
 * +0x1800, data from +0x2000, code and the case table after that.
 */
final class BareMetalProgram {
    static final long DEFAULT_BASE = 0x4008_0000L;
    static final int VECTORS_EL2 = 0x800, VECTORS_EL1 = 0x1000, BODIES = 0x1800, BODY_SLOT = 0x40,
            MAX_BODIES = 0x800 / BODY_SLOT, DATA = 0x2000;
    /**
     * The EL1 handler's {@code HVC #1} (after an {@code MSR NZCV, XZR}), in the AArch32-lower-EL
     * SError entry that AArch64-only code never uses.
     */
    static final int FORWARD_HVC = VECTORS_EL1 + 0x784;
    /** The data doubleword watched by the watchpoint cases, and a second one for exclusives. */
    static final int WDATA = DATA, XDATA = DATA + 8;
    static final long UART = 0x0900_0000L;
    /** HCR_EL2.RW (bit 31): EL1 is AArch64. QEMU resets it to 0, which would make every ERET to EL1 illegal. */
    static final long HCR_RW = 1L << 31;
    static final long HCR_TGE = 1L << 27;
    static final long MDCR_TDE = 1L << 8;
    static final long MDSCR_SS = 1, MDSCR_KDE = 1L << 13, MDSCR_MDE = 1L << 15;
    static final int ROW_BYTES = 128;

    /** One case: the values the harness programs before the ERET into the body. */
    record Row(int id, long elr, long spsr, long hcr, long mdcrOr, long mdscr, long osdlr, long oslar,
               long bvr, long bcr, long wvr, long wcr, long x20, long x21, long x22, long stepBudget) {
        long[] fields() {
            return new long[] {id, elr, spsr, hcr, mdcrOr, mdscr, osdlr, oslar, bvr, bcr, wvr, wcr, x20, x21, x22,
                    stepBudget};
        }
    }

    /** A code snippet in its own 64-byte slot; labels inside it get fixed addresses. */
    final class Body {
        final String name;
        final List<String> lines;
        final long address;
        private final Map<String, Long> labels = new LinkedHashMap<>();

        private Body(String name, List<String> lines, long address) {
            this.name = name;
            this.lines = lines;
            this.address = address;
            long pc = address;
            for (String l : lines) {
                if (l.endsWith(":")) labels.put(l.substring(0, l.length() - 1), pc);
                else pc += 4;
            }
            if (pc - address > BODY_SLOT) throw new IllegalArgumentException("body " + name + " exceeds its slot");
        }

        /** Address of the instruction after {@code n} instructions of this body. */
        long at(int n) {
            return address + 4L * n;
        }

        long label(String l) {
            Long v = labels.get(l);
            if (v == null) throw new IllegalArgumentException("no label " + l + " in " + name);
            return v;
        }
    }

    final long base;
    private final List<Body> bodies = new ArrayList<>();
    private final Map<String, Body> bodiesByName = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();

    BareMetalProgram(long base) {
        this.base = base;
    }

    /** Returns the body with this name, creating it from {@code lines} (labels end with ':') on first use. */
    Body body(String name, String... lines) {
        Body b = bodiesByName.get(name);
        if (b != null) return b;
        if (bodies.size() == MAX_BODIES) throw new IllegalStateException("too many bodies");
        b = new Body(name, List.of(lines), base + BODIES + (long) BODY_SLOT * bodies.size());
        bodies.add(b);
        bodiesByName.put(name, b);
        return b;
    }

    void add(Row r) {
        rows.add(r);
    }

    int size() {
        return rows.size();
    }

    long wdata() {
        return base + WDATA;
    }

    long xdata() {
        return base + XDATA;
    }

    long forwardHvcReturn() {
        return base + FORWARD_HVC + 4;
    }

    long vbar(int el) {
        return base + (el == 2 ? VECTORS_EL2 : VECTORS_EL1);
    }

    // --- source text ---------------------------------------------------------------------------------

    String source() {
        StringBuilder s = new StringBuilder();
        s.append("// DebugLab differential program (generated by ").append(getClass().getName()).append(")\n");
        s.append("// link base 0x").append(Long.toHexString(base)).append("; ").append(rows.size()).append(" cases\n");
        s.append("    .text\n    .global _start\n_start:\n    b harness\n");
        s.append("    .balign 2048\nvectors_el2:\n");
        for (int i = 0; i < 16; i++) vectorEntry(s, i, "el2_sync");
        s.append("    .balign 2048\nvectors_el1:\n");
        for (int i = 0; i < 15; i++) vectorEntry(s, i, "el1_sync");
        s.append("    .balign 128\n");
        s.append("// A finished case handled at EL1 goes up to EL2 from here (flags cleared for a known SPSR_EL2).\n");
        s.append("forward_to_el2:\n    msr nzcv, xzr\n    hvc #1\n    b forward_to_el2\n");
        s.append("    .balign 2048\nbodies:\n");
        for (Body b : bodies) {
            s.append("    .balign ").append(BODY_SLOT).append('\n');
            s.append(b.name).append(":\n");
            for (String l : b.lines) s.append(l.endsWith(":") ? l : "    " + l).append('\n');
        }
        s.append("    .balign 2048\ndata:\n");
        s.append("wdata:      .quad 0\nxdata:      .quad 0\nsaved_sp:   .quad 0\nmdcr_boot:  .quad 0\n");
        s.append("budget:     .quad 0\nexit_block: .quad 0x20026, 0\n");
        handler(s, 2);
        handler(s, 1);
        printRoutines(s);
        harness(s);
        s.append("    .balign 8\ncases:\n");
        for (Row r : rows) {
            s.append("    .quad ");
            long[] f = r.fields();
            for (int i = 0; i < f.length; i++) s.append(i == 0 ? "" : ", ").append(hex(f[i]));
            s.append('\n');
        }
        s.append("    .quad 0xffffffffffffffff\n");
        return s.toString();
    }

    private static void vectorEntry(StringBuilder s, int i, String handler) {
        s.append("    .balign 128\n");
        s.append("    sub sp, sp, #128\n    stp x0, x1, [sp]\n");
        s.append("    mov x0, #").append(hex(i * 0x80L)).append('\n');
        s.append("    b ").append(handler).append('\n');
    }

    /** The synchronous handler of EL {@code el}: print, then return as the class requires. */
    private static void handler(StringBuilder s, int el) {
        String p = "el" + el + "_";
        String esr = "ESR_EL" + el, elr = "ELR_EL" + el, spsr = "SPSR_EL" + el, far = "FAR_EL" + el;
        s.append(p).append("sync:\n");
        s.append("""
                    stp x2, x3, [sp, #16]
                    stp x4, x5, [sp, #32]
                    stp x6, x7, [sp, #48]
                    stp x8, x9, [sp, #64]
                    stp x10, x11, [sp, #80]
                    stp x12, x13, [sp, #96]
                    str x30, [sp, #112]
                    mov x1, x0
                """);
        s.append("    mov x0, #").append(0x30 + el).append('\n');
        s.append("    mrs x2, ").append(esr).append("\n    mrs x3, ").append(elr).append("\n    mrs x4, ")
                .append(spsr).append("\n    mrs x5, ").append(far).append('\n');
        s.append("    bl print_exception\n");
        s.append("    mrs x2, ").append(esr).append("\n    lsr x3, x2, #26\n");
        String[][] dispatch = {{"0x3c", "skip"}, {"0x0", "skip"}, {"0x30", "bp"}, {"0x31", "bp"},
                {"0x34", "wp"}, {"0x35", "wp"}, {"0x32", "step"}, {"0x33", "step"}, {"0xe", "illegal"},
                {"0x15", "call"}, {"0x16", "call"}};
        for (String[] d : dispatch)
            s.append("    cmp x3, #").append(d[0]).append("\n    b.eq ").append(p).append(d[1]).append('\n');
        s.append("    b ").append(p).append("done\n");
        s.append("// BRK, UNDEFINED: continue after the instruction (ELR is the instruction itself).\n");
        s.append(p).append("skip:\n    mrs x0, ").append(elr).append("\n    add x0, x0, #4\n    msr ").append(elr)
                .append(", x0\n    b ").append(p).append("return\n");
        s.append("// Breakpoint / Watchpoint: disable comparator 0 so the instruction can complete.\n");
        s.append(p).append("bp:\n    msr DBGBCR0_EL1, xzr\n    b ").append(p).append("return\n");
        s.append(p).append("wp:\n    msr DBGWCR0_EL1, xzr\n    b ").append(p).append("return\n");
        s.append("// Software Step: step one more instruction (SPSR.SS = 1) while the budget lasts, else stop stepping.\n");
        s.append(p).append("step:\n    adr x0, budget\n    ldr x1, [x0]\n    cbz x1, ").append(p).append("step_stop\n");
        s.append("    sub x1, x1, #1\n    str x1, [x0]\n    mrs x0, ").append(spsr)
                .append("\n    orr x0, x0, #0x200000\n    msr ").append(spsr).append(", x0\n    b ").append(p)
                .append("return\n");
        s.append(p).append("step_stop:\n    mrs x0, MDSCR_EL1\n    and x0, x0, #0xfffffffffffffffe\n    msr MDSCR_EL1, x0\n    b ")
                .append(p).append("return\n");
        s.append("// Illegal Execution State: return to the same instruction with PSTATE.IL clear.\n");
        s.append(p).append("illegal:\n    mrs x0, ").append(spsr).append("\n    and x0, x0, #0xffffffffffefffff\n    msr ")
                .append(spsr).append(", x0\n    b ").append(p).append("return\n");
        s.append("// SVC/HVC #1 ends the case; any other immediate just returns (ELR is already the next instruction).\n");
        s.append(p).append("call:\n    and x2, x2, #0xffff\n    cmp x2, #1\n    b.eq ").append(p).append("done\n");
        s.append(p).append("return:\n");
        s.append("""
                    ldr x30, [sp, #112]
                    ldp x12, x13, [sp, #96]
                    ldp x10, x11, [sp, #80]
                    ldp x8, x9, [sp, #64]
                    ldp x6, x7, [sp, #48]
                    ldp x4, x5, [sp, #32]
                    ldp x2, x3, [sp, #16]
                    ldp x0, x1, [sp]
                    add sp, sp, #128
                    eret
                """);
        s.append(p).append("done:\n");
        if (el == 2) s.append("    adr x0, saved_sp\n    ldr x1, [x0]\n    mov sp, x1\n    b resume\n");
        else s.append("    b forward_to_el2\n");
    }

    private static void printRoutines(StringBuilder s) {
        s.append("""
                // putc: W0 to the PL011 data register once the transmit FIFO has room. Clobbers x8, x9.
                putc:
                    movz x8, #0x900, lsl #16
                putc_wait:
                    ldr w9, [x8, #0x18]
                    tbnz w9, #5, putc_wait
                    strb w0, [x8]
                    ret
                // puthex: X0 as X7 upper-case hex digits. Clobbers x0, x7, x8, x9, x11, x12, x13.
                puthex:
                    mov x13, x30
                    mov x11, x0
                    lsl x12, x7, #2
                puthex_loop:
                    sub x12, x12, #4
                    lsr x0, x11, x12
                    and x0, x0, #0xf
                    cmp x0, #10
                    b.lt puthex_digit
                    add x0, x0, #7
                puthex_digit:
                    add x0, x0, #48
                    bl putc
                    cbnz x12, puthex_loop
                    mov x30, x13
                    ret
                // print_exception: "X<el> V<offset> E<esr> L<elr> S<spsr>[ F<far>]" from x0 (EL digit), x1..x5.
                print_exception:
                    mov x10, x30
                    mov x6, x0
                    mov x0, #88
                    bl putc
                    mov x0, x6
                    bl putc
                    mov x0, #32
                    bl putc
                    mov x0, #86
                    bl putc
                    mov x0, x1
                    mov x7, #3
                    bl puthex
                    mov x0, #32
                    bl putc
                    mov x0, #69
                    bl putc
                    mov x0, x2
                    mov x7, #8
                    bl puthex
                    mov x0, #32
                    bl putc
                    mov x0, #76
                    bl putc
                    mov x0, x3
                    mov x7, #16
                    bl puthex
                    mov x0, #32
                    bl putc
                    mov x0, #83
                    bl putc
                    mov x0, x4
                    mov x7, #8
                    bl puthex
                    lsr x6, x2, #26
                    cmp x6, #0x34
                    b.eq print_far
                    cmp x6, #0x35
                    b.ne print_eol
                print_far:
                    mov x0, #32
                    bl putc
                    mov x0, #70
                    bl putc
                    mov x0, x5
                    mov x7, #16
                    bl puthex
                print_eol:
                    mov x0, #10
                    bl putc
                    mov x30, x10
                    ret
                """);
    }

    private void harness(StringBuilder s) {
        s.append("harness:\n");
        mov64(s, "x0", base + 0x20_0000);
        s.append("    mov sp, x0\n");
        s.append("    adr x0, vectors_el2\n    msr VBAR_EL2, x0\n    adr x0, vectors_el1\n    msr VBAR_EL1, x0\n");
        s.append("    mrs x0, MDCR_EL2\n    adr x1, mdcr_boot\n    str x0, [x1]\n");
        mov64(s, "x0", HCR_RW);
        s.append("    msr HCR_EL2, x0\n    isb\n");
        s.append("""
                // "I<ID_AA64DFR0_EL1> <OSLSR_EL1> <OSDLR_EL1 after writing 1>": what the machine implements.
                    mov x0, #73
                    bl putc
                    mrs x0, ID_AA64DFR0_EL1
                    mov x7, #16
                    bl puthex
                    mov x0, #32
                    bl putc
                    mrs x0, OSLSR_EL1
                    mov x7, #2
                    bl puthex
                    mov x0, #32
                    bl putc
                    mov x0, #1
                    msr OSDLR_EL1, x0
                    isb
                    mrs x0, OSDLR_EL1
                    mov x7, #2
                    bl puthex
                    msr OSDLR_EL1, xzr
                    mov x0, #10
                    bl putc
                    adr x19, cases
                case_loop:
                    ldr x0, [x19]
                    cmn x0, #1
                    b.eq finish
                    mov x1, x0
                    mov x0, #67
                    bl putc
                    mov x0, x1
                    mov x7, #4
                    bl puthex
                    mov x0, #10
                    bl putc
                // Unlock first so that every register below is written with the OS Lock and Double Lock clear.
                    msr OSDLR_EL1, xzr
                    msr OSLAR_EL1, xzr
                    isb
                    ldr x1, [x19, #32]
                    adr x2, mdcr_boot
                    ldr x2, [x2]
                    orr x1, x1, x2
                    msr MDCR_EL2, x1
                    ldr x1, [x19, #24]
                    msr HCR_EL2, x1
                    ldr x1, [x19, #64]
                    msr DBGBVR0_EL1, x1
                    ldr x1, [x19, #72]
                    msr DBGBCR0_EL1, x1
                    ldr x1, [x19, #80]
                    msr DBGWVR0_EL1, x1
                    ldr x1, [x19, #88]
                    msr DBGWCR0_EL1, x1
                    ldr x1, [x19, #40]
                    msr MDSCR_EL1, x1
                    ldr x1, [x19, #120]
                    adr x2, budget
                    str x1, [x2]
                    adr x2, wdata
                    str xzr, [x2]
                    adr x2, xdata
                    str xzr, [x2]
                    ldr x1, [x19, #48]
                    msr OSDLR_EL1, x1
                    ldr x1, [x19, #56]
                    msr OSLAR_EL1, x1
                    isb
                    ldr x1, [x19, #16]
                    msr SPSR_EL2, x1
                    ldr x1, [x19, #8]
                    msr ELR_EL2, x1
                """);
        mov64(s, "x1", base + 0x1F_0000);
        s.append("    msr SP_EL1, x1\n");
        mov64(s, "x1", base + 0x1E_0000);
        s.append("    msr SP_EL0, x1\n");
        s.append("""
                    ldr x20, [x19, #96]
                    ldr x21, [x19, #104]
                    ldr x22, [x19, #112]
                    mov x1, sp
                    adr x2, saved_sp
                    str x1, [x2]
                    eret
                // Back from the case (the EL2 handler abandoned its exception): quiesce the debug state.
                resume:
                    msr MDSCR_EL1, xzr
                    msr DBGBCR0_EL1, xzr
                    msr DBGWCR0_EL1, xzr
                    msr OSDLR_EL1, xzr
                    msr OSLAR_EL1, xzr
                    adr x2, mdcr_boot
                    ldr x1, [x2]
                    msr MDCR_EL2, x1
                """);
        mov64(s, "x1", HCR_RW);
        s.append("""
                    msr HCR_EL2, x1
                    isb
                    add x19, x19, #128
                    b case_loop
                """).append(FINISH);
    }

    /**
     * The end of a differential program, shared with {@link RandomInstructionProgram}: "Z" and a
     * newline on the UART (the runner's end marker), then semihosting SYS_EXIT with the parameter
     * block at {@code exit_block}. Needs {@code putc} and {@code exit_block}.
     */
    static final String FINISH = """
            finish:
                mov x0, #90
                bl putc
                mov x0, #10
                bl putc
                adr x1, exit_block
                mov x0, #0x18
                hlt #0xf000
                b finish
            """;

    /** MOVZ/MOVK sequence loading a 64-bit constant. */
    private static void mov64(StringBuilder s, String reg, long v) {
        boolean first = true;
        for (int hw = 0; hw < 4; hw++) {
            long part = (v >>> (16 * hw)) & 0xFFFF;
            if (part == 0 && !(first && hw == 3)) continue;
            s.append("    ").append(first ? "movz " : "movk ").append(reg).append(", #").append(hex(part));
            if (hw > 0) s.append(", lsl #").append(16 * hw);
            s.append('\n');
            first = false;
        }
        if (first) s.append("    mov ").append(reg).append(", #0\n");
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    // --- the lines the program prints -----------------------------------------------------------------

    static String header(int id) {
        return String.format(Locale.ROOT, "C%04X", id);
    }

    static String exception(int targetEl, int vectorOffset, long esr, long elr, long spsr) {
        return String.format(Locale.ROOT, "X%d V%03X E%08X L%016X S%08X", targetEl, vectorOffset, esr, elr, spsr);
    }

    static String watchpointException(int targetEl, int vectorOffset, long esr, long elr, long spsr, long far) {
        return exception(targetEl, vectorOffset, esr, elr, spsr) + String.format(Locale.ROOT, " F%016X", far);
    }
}
