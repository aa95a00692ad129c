package dev.debuglab.emulator.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Raw word <-> text for the instructions the debug architecture is about (architecture.md §13.4,
 * §14 and §15; every word there is verified with GNU binutils 2.40). Each case is both
 * disassembled and assembled.
 */
class InstructionWordsTest {

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            D4200000 | brk #0x0
            D4200840 | brk #0x42
            D4200EE0 | brk #0x77
            D4208000 | brk #0x400
            D4210000 | brk #0x800
            D4224680 | brk #0x1234
            D4400000 | hlt #0x0
            D45E0000 | hlt #0xf000
            D4000001 | svc #0x0
            D4000002 | hvc #0x0
            D4000003 | smc #0x0
            D69F03E0 | eret
            D65F03C0 | ret
            D5300200 | mrs x0, mdccint_el1
            D5100200 | msr mdccint_el1, x0
            D5300240 | mrs x0, mdscr_el1
            D5100240 | msr mdscr_el1, x0
            D5100080 | msr dbgbvr0_el1, x0
            D51000A0 | msr dbgbcr0_el1, x0
            D51000C0 | msr dbgwvr0_el1, x0
            D51000E0 | msr dbgwcr0_el1, x0
            D5100FE1 | msr dbgwcr15_el1, x1
            D5301000 | mrs x0, mdrar_el1
            D5101080 | msr oslar_el1, x0
            D510109F | msr oslar_el1, xzr
            D5301180 | mrs x0, oslsr_el1
            D5301181 | mrs x1, oslsr_el1
            D5301380 | mrs x0, osdlr_el1
            D5101380 | msr osdlr_el1, x0
            D5301480 | mrs x0, dbgprcr_el1
            D53078C0 | mrs x0, dbgclaimset_el1
            D51079C0 | msr dbgclaimclr_el1, x0
            D5307EC0 | mrs x0, dbgauthstatus_el1
            D5330100 | mrs x0, mdccsr_el0
            D5340700 | mrs x0, dbgvcr32_el2
            D5380500 | mrs x0, id_aa64dfr0_el1
            D5380400 | mrs x0, id_aa64pfr0_el1
            D5381000 | mrs x0, sctlr_el1
            D5384000 | mrs x0, spsr_el1
            D5384020 | mrs x0, elr_el1
            D5384240 | mrs x0, currentel
            D53B4220 | mrs x0, daif
            D51B4220 | msr daif, x0
            D5385200 | mrs x0, esr_el1
            D5386000 | mrs x0, far_el1
            D518C000 | msr vbar_el1, x0
            D538D020 | mrs x0, contextidr_el1
            D53C1100 | mrs x0, hcr_el2
            D51C1120 | msr mdcr_el2, x0
            D51C2100 | msr vttbr_el2, x0
            D53C4000 | mrs x0, spsr_el2
            D53C4020 | mrs x0, elr_el2
            D53C5200 | mrs x0, esr_el2
            D53C6000 | mrs x0, far_el2
            D51CC000 | msr vbar_el2, x0
            D53CD020 | mrs x0, contextidr_el2
            D53E1320 | mrs x0, s3_6_c1_c3_1
            D53BF200 | mrs x0, s3_3_c15_c2_0
            D50348DF | msr daifset, #0x8
            D5034FDF | msr daifset, #0xf
            D50348FF | msr daifclr, #0x8
            D5034FFF | msr daifclr, #0xf
            D50040BF | msr spsel, #0x0
            D50041BF | msr spsel, #0x1
            D5033FDF | isb
            D5033F9F | dsb sy
            D5033B9F | dsb ish
            D5033FBF | dmb sy
            D5033BBF | dmb ish
            D503201F | nop
            D503203F | yield
            D503205F | wfe
            D503207F | wfi
            D503209F | sev
            D50320BF | sevl
            C85F7C20 | ldxr x0, [x1]
            C8027C20 | stxr w2, x0, [x1]
            D508751F | ic iallu
            D50B7520 | ic ivau, x0
            D50B7E20 | dc civac, x0
            D50B7420 | dc zva, x0
            D508871F | tlbi vmalle1
            D50C8720 | tlbi vae2, x0
            D5087800 | at s1e1r, x0
            """)
    void wordAndText(String hex, String text) {
        int word = (int) Long.parseLong(hex.trim(), 16);
        assertEquals(text.trim(), Disassembler.normalized(word, 0), "disassembly of " + hex);
        assertEquals(word, Assembler.assembleOne(0, text), "assembly of " + text);
    }

    /** Case-insensitive names and the forms people write by hand give the same words. */
    @ParameterizedTest(name = "{1} -> {0}")
    @CsvSource(delimiter = '|', textBlock = """
            D510109F | MSR OSLAR_EL1, XZR
            D5034FDF | msr DAIFSet, #0xf
            D50348FF | msr daifclr, 8
            D50041BF | MSR SPSel, #1
            D5033FDF | isb sy
            D4200840 | BRK #66
            D5300240 | mrs x0, S2_0_C0_C2_2
            C85F7C20 | LDXR X0, [X1, #0]
            """)
    void handWrittenSpellings(String hex, String text) {
        assertEquals((int) Long.parseLong(hex.trim(), 16), Assembler.assembleOne(0, text));
    }
}
