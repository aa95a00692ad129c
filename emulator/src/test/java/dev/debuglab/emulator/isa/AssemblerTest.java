package dev.debuglab.emulator.isa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The assembler: directives, labels and expressions checked byte-for-byte against GNU as, and its error messages. */
class AssemblerTest {
    static final long BASE = 0x40080000L;

    /** A program in the shape the scenario tests write (vectors, system registers, loads, stores, branches) plus every data directive. */
    static final String PORTABLE = """
                .text
                .equ    STACK_TOP, 0x40100000
                .set    MDE, 1 << 15
            _start:
                movz    x0, #0x4010, lsl #16
                mov     sp, x0
                adr     x1, vectors
                adrp    x9, vectors
                add     x9, x9, #:lo12:vectors
                msr     vbar_el1, x1
                isb
                mov     x2, #MDE
                orr     x2, x2, #(1 << 13)     /* KDE */
                msr     mdscr_el1, x2
                msr     oslar_el1, xzr ; isb
                msr     daifclr, #8
                mrs     x3, oslsr_el1
                tbnz    x3, #1, locked
                brk     #0x42
            locked:
                ldr     x4, value
                ldr     x5, [x4, #8]
                ldr     w6, [x4, #-4]
                ldrb    w7, [x4], #1
                strh    w7, [sp, #-2]!
                stp     x29, x30, [sp, #-16]!
                ldp     x29, x30, [sp], #16
                ldr     x8, [x4, x5, lsl #3]
                ldrsw   x8, [x4, w5, sxtw #2]
                ldxr    x0, [x1]
                stxr    w2, x0, [x1]
            1:  subs    x0, x0, #1
                b.ne    1b
                cbz     x0, 2f
                bl      sub
            2:  b       .
            sub:
                ret
                .align  4
            vectors:
                .skip   0x80
                .balign 8
            value:
                .quad   0x1122334455667788, vectors + 8, value - .
                .word   0xdeadbeef, -1
                .hword  0x1234
                .byte   1, 2, 'A'
                .ascii  "ab"
                .asciz  "c\\n"
                .string "d"
                .p2align 2
                .word   (3 * 4) >> 1, 7 % 4, ~0 & 0xff, 5 | 8, 6 ^ 3
            """;

    @Test
    void portableProgramAssemblesLikeGnuAs() throws Exception {
        String ours = PORTABLE.replace("#:lo12:vectors", "#(vectors & 0xfff)"); // no relocation operators (yet)
        Program p = Assembler.assemble(BASE, ours);
        byte[] gas = Binutils.gas(PORTABLE, BASE);
        if (!java.util.Arrays.equals(gas, p.bytes())) {
            StringBuilder sb = new StringBuilder("differs from GNU as\naddress  | ours     | GNU as   | source\n");
            for (Program.Line l : p.lines()) {
                int off = (int) (l.address() - BASE);
                long theirs = 0, mine = 0;
                for (int i = 0; i < Math.min(4, l.size()); i++) {
                    theirs |= (off + i < gas.length ? gas[off + i] & 0xFFL : 0) << (8 * i);
                    mine |= (p.bytes()[off + i] & 0xFFL) << (8 * i);
                }
                sb.append(String.format("%8x | %08x | %08x | %s%s%n", l.address(), mine, theirs, l.source(), mine != theirs ? "   <<<" : ""));
            }
            byte[] mine = p.bytes();
            for (int i = 0; i < Math.min(mine.length, gas.length); i++)
                if (mine[i] != gas[i]) {
                    sb.append(String.format("first difference at %#x: ours %02x, GNU as %02x%n", BASE + i, mine[i], gas[i]));
                    break;
                }
            sb.append("sizes: ours ").append(p.size()).append(", GNU as ").append(gas.length);
            throw new AssertionError(sb.toString());
        }
        assertEquals(p.symbol("vectors") % 16, 0);
        assertEquals(BASE, p.symbol("_start"));
        assertEquals(0x40100000L, p.symbol("STACK_TOP"));
    }

    @Test
    void linesMapInstructionsToSource() {
        Program p = Assembler.assemble(BASE, "nop\n\n  // comment\nfoo: brk #1\n.word 5\n");
        assertEquals(3, p.lines().size());
        Program.Line brk = p.lineAt(BASE + 4);
        assertEquals(4, brk.lineNumber());
        assertEquals("foo: brk #1", brk.source());
        assertTrue(brk.instruction());
        assertEquals(BASE + 4, p.symbol("foo"));
        assertEquals(5, p.wordAt(BASE + 8));
        assertEquals(2, p.words().length);
    }

    @Test
    void earlySubsetForTestPrograms() {
        String src = """
                start:
                    mov x0, #0x1234
                    movk x0, #0xabcd, lsl #16
                    movn w1, #0
                    add x2, x0, #1
                    sub sp, sp, #0x10
                    adds x3, x2, x1
                    cmp x3, #4
                    and x4, x3, #0xff
                    orr x5, x4, x3, lsl #2
                    eor w6, w5, w4
                    ldr x7, [sp]
                    ldrh w8, [x7, #2]
                    strb w8, [x7, x2]
                    str x7, [sp, #8]!
                    ldr x7, [sp], #8
                    ldp x0, x1, [sp, #16]
                    stp w0, w1, [sp]
                    b.eq start
                    cbnz w1, start
                    tbz x1, #63, start
                    br x7
                    blr x7
                    ret x7
                    msr sp_el0, x0
                    mrs x0, currentel
                    msr spsel, #1
                    hvc #0
                    svc #1
                    hlt #0
                    eret
                    dsb sy
                    nop
                    ldxr w0, [x1]
                    stxr w2, w0, [x1]
                """;
        Program p = Assembler.assemble(0, src);
        assertEquals(34, p.words().length);
        // Spot checks against binutils-verified words.
        assertEquals(0xD2824680, p.wordAt(0));            // mov x0, #0x1234
        assertEquals(0xD65F00E0, p.wordAt(4 * 22));        // ret x7
        assertEquals(0xD5384240, p.wordAt(4 * 24));        // mrs x0, currentel
    }

    @Test
    void errorNamesLineTextProblemAndFix() {
        AsmException e = assertThrows(AsmException.class, () -> Assembler.assemble(0, "nop\nnop\nnop\nnop\nnop\nnop\nadd x0, x1, #5000\n"));
        assertEquals(7, e.line());
        assertEquals("add x0, x1, #5000", e.text());
        assertEquals("line 7: `add x0, x1, #5000`: immediate 5000 does not fit in 12 bits (optionally shifted by 12); use mov + add (register)", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            frob x0, x1                | unknown mnemonic `frob`
            b nowhere                  | undefined symbol `nowhere`
            add x0, w1, #1             | mixes register widths
            mov x0, #0x123456789       | cannot be loaded by a single mov
            ldr x0, [x1, #-300]        | use the unscaled form (ldur/stur) for -256..255
            ldr x0, [x1, #32768]       | not a multiple of 8 in 0..32760
            tbz w0, #40, .             | bit number 40 must be 0..31
            lsl x0, x1, #64            | shift amount 64 must be 0..63
            ubfx x0, x1, #60, #8       | width 8 must be 1..4
            msr nosuch_el1, x0         | not a known system register
            brk #0x10000               | does not fit the 16-bit field imm16
            add x0, x1                 | missing operand
            ret x0, x1                 | unexpected operand `x1`
            ldr x0, [w1]               | base register must be a 64-bit register or sp
            .frob 1                    | unknown directive `.frob`
            cset x0, al                | cannot be inverted
            """)
    void badInputGivesOneClearMessage(String source, String expected) {
        AsmException e = assertThrows(AsmException.class, () -> Assembler.assemble(0, source));
        assertTrue(e.getMessage().startsWith("line 1: `" + source.trim() + "`: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected.trim()), e.getMessage());
    }

    @Test
    void branchOutOfRangeIsReported() {
        AsmException e = assertThrows(AsmException.class, () -> Assembler.assemble(0, "b.eq far\n.skip 0x100000\nfar: nop\n"));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        assertEquals(1, e.line());
    }

    @Test
    void duplicateLabelIsReported() {
        AsmException e = assertThrows(AsmException.class, () -> Assembler.assemble(0, "a: nop\na: nop\n"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("defined twice"), e.getMessage());
    }

    @Test
    void alignPadsCodeWithNops() {
        Program p = Assembler.assemble(0, "nop\n.align 3\nbrk #0\n");
        assertArrayEquals(new int[] {0xD503201F, 0xD503201F, 0xD4200000}, new int[] {p.wordAt(0), p.wordAt(4), p.wordAt(8)});
    }

    @Test
    void bicImmediateIsAndWithTheComplement() {
        // Words from aarch64-linux-gnu-as 2.40 for the same lines.
        Program p = Assembler.assemble(0, "bic x0, x0, #0x100000\nbic w1, w2, #0xff\nbic sp, x3, #1\n");
        assertArrayEquals(new int[] {0x926bf800, 0x12185c41, 0x927ff87f}, p.words());
        AsmException e = assertThrows(AsmException.class, () -> Assembler.assemble(0, "bic x0, x0, #0x1234\n"));
        assertTrue(e.getMessage().contains("not a bitmask immediate"), e.getMessage());
    }
}
