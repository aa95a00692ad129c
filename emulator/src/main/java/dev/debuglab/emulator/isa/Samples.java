package dev.debuglab.emulator.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Random valid instances of the encoding table, for fuzz and differential tests: a word that
 * decodes to the requested row, has no reserved field value ({@link Syntax#reserved}), avoids
 * the CONSTRAINED UNPREDICTABLE register combinations, and, where the row spans features this
 * Armv8.0 model does not implement, stays inside what it implements.
 *
 * <pre>{@code
 * RandomGenerator rnd = new java.util.SplittableRandom(42);
 * for (Encoding row : Samples.supported()) {
 *     int word = Samples.random(row, rnd);
 *     ...
 * }
 * }</pre>
 */
public final class Samples {
    private Samples() {}

    /** Every row DebugLab executes (kind other than {@link Kind#NOT_IMPLEMENTED}), in table order. */
    public static List<Encoding> supported() {
        List<Encoding> out = new ArrayList<>();
        for (Encoding e : Encodings.all()) if (e.kind() != Kind.NOT_IMPLEMENTED) out.add(e);
        return out;
    }

    /** A random valid instance of {@code row}. */
    public static int random(Encoding row, RandomGenerator rnd) {
        List<Syntax.Form> forms = Syntax.forms(row);
        // Fields the base (most general) form fixes are "should be" values of the encoding (SBO/SBZ).
        Map<String, Long> sbo = forms.isEmpty() ? Map.of() : forms.get(forms.size() - 1).fixed;
        for (int attempt = 0; attempt < 100_000; attempt++) {
            int word = row.value() | (rnd.nextInt() & ~row.mask());
            for (Map.Entry<String, Long> e : sbo.entrySet()) word = row.field(e.getKey()).put(word, (int) (long) e.getValue());
            word = implemented(row, word, rnd);
            if (Decoder.decode(word) != row) continue;
            if (Syntax.reserved(row, word) != null) continue;
            if (unpredictable(row, word) != null) continue;
            return word;
        }
        throw new IllegalStateException("no valid instance found for " + row.id());
    }

    /**
     * Restricts the rows whose encoding space reaches beyond Armv8.0 as DebugLab implements it:
     * MSR (immediate) to SPSel/DAIFSet/DAIFClr, MRS/MSR to the named registers and the
     * IMPLEMENTATION DEFINED space (op0 3, CRn 15), SYS to the named DC/IC/AT/TLBI operations and
     * the IMPLEMENTATION DEFINED CRn 11/15.
     */
    private static int implemented(Encoding row, int word, RandomGenerator rnd) {
        switch (row.kind()) {
            case MSR_IMM -> {
                int which = rnd.nextInt(3);
                int op1 = which == 0 ? 0 : 3, op2 = which == 0 ? 5 : which == 1 ? 6 : 7;
                word = row.field("op1").put(word, op1);
                word = row.field("op2").put(word, op2);
                if (which == 0) word = row.field("CRm").put(word, rnd.nextInt(2));
            }
            case MSR_REG, MRS -> {
                List<SysRegNames.SysReg> regs = SysRegNames.registers();
                if (rnd.nextInt(8) > 0) {
                    SysRegNames.SysReg r = regs.get(rnd.nextInt(regs.size()));
                    word = putSysReg(row, word, r.op0(), r.op1(), r.crn(), r.crm(), r.op2());
                } else {
                    word = putSysReg(row, word, 3, rnd.nextInt(8), 15, rnd.nextInt(16), rnd.nextInt(8));
                }
            }
            case SYS -> {
                List<SysRegNames.SysOp> ops = SysRegNames.sysOps();
                if (rnd.nextInt(4) > 0) {
                    SysRegNames.SysOp op = ops.get(rnd.nextInt(ops.size()));
                    word = row.field("op1").put(word, op.op1());
                    word = row.field("CRn").put(word, op.crn());
                    word = row.field("CRm").put(word, op.crm());
                    word = row.field("op2").put(word, op.op2());
                    if (!op.takesRegister()) word = row.field("Rt").put(word, 31);
                } else {
                    word = row.field("CRn").put(word, rnd.nextBoolean() ? 11 : 15);
                }
            }
            default -> {}
        }
        return word;
    }

    private static int putSysReg(Encoding row, int word, int op0, int op1, int crn, int crm, int op2) {
        word = row.field("o0").put(word, op0 - 2);
        word = row.field("op1").put(word, op1);
        word = row.field("CRn").put(word, crn);
        word = row.field("CRm").put(word, crm);
        return row.field("op2").put(word, op2);
    }

    /**
     * The CONSTRAINED UNPREDICTABLE register combinations of the loads and stores (Arm ARM K1.2.x):
     * writeback with the base also a transfer register, a load pair into one register, a store
     * exclusive whose status register overlaps the data or base. Null if none applies.
     */
    public static String unpredictable(Encoding row, int word) {
        int rt = get(row, "Rt", word), rn = get(row, "Rn", word), rt2 = get(row, "Rt2", word), rs = get(row, "Rs", word);
        boolean load = row.mnemonic().startsWith("ld");
        switch (row.kind()) {
            case LDST_PAIR -> {
                int mode = (word >>> 23) & 3;
                boolean writeback = mode == 1 || mode == 3;
                if (load && rt == rt2) return "load pair with Rt == Rt2";
                if (writeback && rn != 31 && (rn == rt || rn == rt2)) return "writeback with Rn == Rt or Rt2";
            }
            case LDST_IMM9 -> {
                int mode = (word >>> 10) & 3;
                if ((mode == 1 || mode == 3) && rn != 31 && rn == rt) return "writeback with Rn == Rt";
            }
            case LDST_EXCL -> {
                boolean pair = row.id().endsWith("XP");
                boolean storeExclusive = !load && row.mnemonic().contains("x");
                if (load && pair && rt == rt2) return "load exclusive pair with Rt == Rt2";
                if (storeExclusive && (rs == rt || (rs == rn && rn != 31) || (pair && rs == rt2)))
                    return "store exclusive status register Rs overlaps Rt, Rt2 or Rn";
            }
            default -> {}
        }
        return null;
    }

    /**
     * Whether {@code word} is the encoding an assembler produces for its text. Not so for a
     * logical immediate whose immr has bits above the element size: DecodeBitMasks ignores them
     * (immr AND levels), so the word is valid and executes like the canonical one, but no
     * assembler writes it.
     */
    public static boolean canonical(Encoding row, int word) {
        if (row.kind() == Kind.LOGICAL_IMM) {
            int n = get(row, "N", word), imms = get(row, "imms", word), immr = get(row, "immr", word);
            int len = 31 - Integer.numberOfLeadingZeros((n << 6) | (~imms & 0x3F));
            return len >= 1 && immr < (1 << len);
        }
        return true;
    }

    private static int get(Encoding row, String field, int word) {
        Encoding.Field f = row.field(field);
        return f == null ? -1 : f.get(word);
    }
}
