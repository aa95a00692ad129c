package dev.debuglab.emulator.isa;

import static dev.debuglab.emulator.isa.Operands.kind;
import static dev.debuglab.emulator.isa.Operands.range;

import dev.debuglab.emulator.isa.Operands.Ctx;
import dev.debuglab.emulator.isa.Operands.Items;
import dev.debuglab.emulator.isa.Operands.Mismatch;
import dev.debuglab.emulator.isa.Operands.NotApplicable;
import dev.debuglab.emulator.isa.Operands.Slot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operand syntax of every row of {@link Encodings}, kept next to the table: each row has one
 * or more {@link Form}s -- its preferred aliases first, in the order of the Arm ARM's "alias
 * conditions" (C6.2, e.g. UBFM: LSL, LSR, UBFIZ, UBFX, UXTB, UXTH), then the base form. The
 * disassembler prints the first form whose condition holds; the assembler tries every form of
 * the mnemonic it reads. A form is a template of operand {@link Slot}s over the row's named
 * fields, so one description serves both directions.
 *
 * <p>Template tokens (separated by {@code ", "}): {@code r:Rd} register of the form's datasize
 * ({@code w:}/{@code x:} fixed width; {@code |sp}: 31 is SP; {@code =Rm}: the same number also
 * in Rm; trailing {@code ?}: omitted when 31), {@code #x:field} / {@code #d:field} immediate in
 * hex / decimal, {@code 'kw'} keyword, and the named slots listed in {@link #slot}.
 */
public final class Syntax {
    private Syntax() {}

    /** Maps derived operand values (lsb/width of UBFX ...) to and from the row's fields. */
    interface Codec {
        /** Disassembly: compute the derived values from the fields. */
        void derive(Ctx c);

        /** Assembly: compute the fields from the parsed derived values (range errors as {@link Mismatch}). */
        void resolve(Ctx c);
    }

    /** One spelling of a row: mnemonic, operand template and the conditions under which it applies. */
    public static final class Form {
        final Encoding row;
        final String mnemonic;
        final String template;
        final List<Slot> slots;
        final Map<String, Long> fixed = new LinkedHashMap<>();
        final Map<String, Long> asmDefaults = new LinkedHashMap<>();
        Predicate<Ctx> when = c -> true;
        boolean strict;
        boolean disassembles = true;
        Codec codec;
        final String widthField;

        Form(Encoding row, String mnemonic, String template) {
            this.row = row;
            this.mnemonic = mnemonic;
            this.template = template;
            List<Slot> s = new ArrayList<>();
            if (!template.isBlank()) for (String tok : template.split(",\\s*")) s.add(slot(tok.trim()));
            this.slots = Collections.unmodifiableList(s);
            String wf = null;
            for (String f : new String[] {"sf", "sz", "b5"}) if (row.field(f) != null) wf = f;
            this.widthField = wf;
        }

        public Encoding row() {
            return row;
        }

        public String mnemonic() {
            return mnemonic;
        }

        public String template() {
            return template;
        }

        /** Field value this spelling implies (checked when disassembling, set when assembling). */
        Form fixed(String field, long v) {
            fixed.put(field, v);
            return this;
        }

        /** Field value the assembler writes although the disassembler ignores it (e.g. Rt of {@code ic iallu}). */
        Form asmDefault(String field, long v) {
            asmDefaults.put(field, v);
            return this;
        }

        /** Alias condition from the Arm ARM; the disassembler prefers this form only when it holds. */
        Form when(Predicate<Ctx> p) {
            when = p;
            return this;
        }

        /** The assembler, too, accepts this form only when its alias condition holds. */
        Form strict() {
            strict = true;
            return this;
        }

        Form codec(Consumer<Ctx> derive, Consumer<Ctx> resolve) {
            codec = new Codec() {
                @Override
                public void derive(Ctx c) {
                    derive.accept(c);
                }

                @Override
                public void resolve(Ctx c) {
                    resolve.accept(c);
                }
            };
            return this;
        }

        /** A spelling only the assembler accepts (GNU as convenience forms). */
        Form asmOnly() {
            disassembles = false;
            return this;
        }

        /** The text of {@code word} in this form, or null if the form does not apply. */
        String format(int word, long pc) {
            Ctx c = new Ctx(row, pc, null);
            for (Encoding.Field f : row.fields()) c.set(f.name(), f.get(word) & 0xFFFFFFFFL);
            if (widthField != null) c.width = c.get(widthField) == 1 ? 64 : 32;
            for (Map.Entry<String, Long> e : fixed.entrySet()) if (c.get(e.getKey()) != e.getValue()) return null;
            try {
                if (codec != null) codec.derive(c);
                if (!when.test(c)) return null;
                List<String> parts = new ArrayList<>();
                for (Slot s : slots) {
                    String p = s.format(c);
                    if (p != null) parts.add(p);
                }
                String mn = mnemonic;
                String comment = c.comment;
                if (mn.equals("b.{cond}")) {
                    int cond = c.i("cond");
                    mn = "b." + Operands.COND[cond];
                    String[] al = Operands.COND_ALIASES[cond];
                    if (al.length > 0) comment = "// b." + String.join(", b.", al);
                    return mn + "\t" + String.join(", ", parts) + (comment != null ? "  " + comment : "");
                }
                String ops = String.join(", ", parts);
                return mn + (ops.isEmpty() ? "" : "\t" + ops) + (comment != null ? "\t" + comment : "");
            } catch (NotApplicable e) {
                return null;
            }
        }

        /** The word for {@code operands} in this form, or a {@link Mismatch}. */
        int encode(String operands, long pc, ToLongFunction<String> eval, Map<String, Long> presets) {
            Ctx c = new Ctx(row, pc, eval);
            c.v.putAll(fixed);
            c.v.putAll(asmDefaults);
            c.v.putAll(presets);
            if (widthField != null && c.has(widthField) && !widthField.equals("b5")) c.width = c.get(widthField) == 1 ? 64 : 32;
            Items in = new Items(operands);
            int depth = 0;
            try {
                for (Slot s : slots) {
                    s.parse(in, c);
                    depth++;
                }
                if (!in.atEnd()) throw kind("unexpected operand `" + in.peek() + "` (" + mnemonic + " takes: " + describe() + ")");
                if (widthField != null && !c.has(widthField)) {
                    if (c.width == 0) throw new IllegalStateException(row.id() + " form `" + mnemonic + " " + template + "` has no datasize");
                    c.set(widthField, c.width == 64 ? 1 : 0);
                }
                if (c.width == 0 && widthField != null) c.width = c.get(widthField) == 1 ? 64 : 32;
                if (codec != null) codec.resolve(c);
                if (row.field("N") != null && !c.has("N")) c.set("N", c.width == 64 ? 1 : 0);
                if (strict && !when.test(c)) throw kind("`" + mnemonic + " " + operands + "` is not the " + mnemonic + " alias of " + row.mnemonic());
            } catch (Mismatch m) {
                m.depth = depth;
                throw m;
            }
            int word = row.value();
            for (Encoding.Field f : row.fields()) {
                Long v = c.v.get(f.name());
                if (v == null) throw new IllegalStateException(row.id() + " form `" + mnemonic + " " + template + "` leaves field " + f.name() + " unset");
                if (v < 0 || v >= (1L << f.width())) {
                    Mismatch m = range("value " + v + " does not fit the " + f.width() + "-bit field " + f.name());
                    m.depth = slots.size();
                    throw m;
                }
                word = f.put(word, (int) (long) v);
            }
            String reason = reserved(row, word);
            if (reason != null) {
                Mismatch m = range(reason);
                m.depth = slots.size();
                throw m;
            }
            return word;
        }

        /** Human-readable operand syntax, for error messages. */
        String describe() {
            return template.isBlank() ? "no operands" : template;
        }

        @Override
        public String toString() {
            return row.id() + ": " + mnemonic + " " + template;
        }
    }

    private static final Map<String, List<Form>> BY_ROW = new LinkedHashMap<>();
    private static final Map<String, List<Form>> BY_MNEMONIC = new LinkedHashMap<>();

    /** The forms of a row, preferred alias first; empty for rows without syntax. */
    public static List<Form> forms(Encoding row) {
        return BY_ROW.getOrDefault(row.id(), List.of());
    }

    /** Every mnemonic the assembler knows. */
    public static java.util.Set<String> mnemonics() {
        return Collections.unmodifiableSet(BY_MNEMONIC.keySet());
    }

    static List<Form> formsOf(String mnemonic) {
        return BY_MNEMONIC.get(mnemonic);
    }

    private static Form f(String rowId, String mnemonic, String template) {
        Form form = new Form(Encodings.byId(rowId), mnemonic, template);
        BY_ROW.computeIfAbsent(rowId, k -> new ArrayList<>()).add(form);
        BY_MNEMONIC.computeIfAbsent(mnemonic, k -> new ArrayList<>()).add(form);
        return form;
    }

    private static final Pattern REG = Pattern.compile("([wxr]):(\\w+)(?:=(\\w+))?(\\|sp)?(\\?)?");

    /** The slot of one template token. */
    static Slot slot(String tok) {
        if (tok.startsWith("'")) return new Operands.Literal(tok.substring(1, tok.length() - 1));
        Matcher m = REG.matcher(tok);
        if (m.matches()) return new Operands.RegSlot(m.group(2), m.group(1).charAt(0), m.group(4) != null, m.group(3), m.group(5) != null);
        if (tok.startsWith("#x:")) return new Operands.ImmSlot(tok.substring(3), true);
        if (tok.startsWith("#d:")) return new Operands.ImmSlot(tok.substring(3), false);
        if (tok.startsWith("C:")) return new Operands.CrSlot(tok.substring(2));
        return switch (tok) {
            case "aimm" -> new Operands.AddImm();
            case "hw" -> new Operands.HwShift();
            case "movz" -> new Operands.MovWideImm(false);
            case "movn" -> new Operands.MovWideImm(true);
            case "logimm" -> new Operands.LogicalImm(false);
            case "logimm#" -> new Operands.LogicalImm(true);
            case "~logimm" -> new Operands.LogicalImm(false, true);
            case "shift" -> new Operands.ShiftSlot(false);
            case "shiftror" -> new Operands.ShiftSlot(true);
            case "ext" -> new Operands.ExtendSlot(true);
            case "exts" -> new Operands.ExtendSlot(false);
            case "cond" -> new Operands.CondSlot(false);
            case "invcond" -> new Operands.CondSlot(true);
            case "b26" -> new Operands.TargetSlot(Operands.Target.B26);
            case "b19" -> new Operands.TargetSlot(Operands.Target.B19);
            case "b14" -> new Operands.TargetSlot(Operands.Target.B14);
            case "adr" -> new Operands.TargetSlot(Operands.Target.ADR);
            case "adrp" -> new Operands.TargetSlot(Operands.Target.ADRP);
            case "tbbit" -> new TbBit();
            case "[base]" -> new Operands.MemSlot(Operands.Mode.BASE);
            case "[uoff]" -> new Operands.MemSlot(Operands.Mode.UOFF);
            case "[soff9]" -> new Operands.MemSlot(Operands.Mode.SOFF9);
            case "[pre9]" -> new Operands.MemSlot(Operands.Mode.PRE9);
            case "[post9]" -> new Operands.MemSlot(Operands.Mode.POST9);
            case "[pair]" -> new Operands.MemSlot(Operands.Mode.PAIR);
            case "[pairpre]" -> new Operands.MemSlot(Operands.Mode.PAIR_PRE);
            case "[pairpost]" -> new Operands.MemSlot(Operands.Mode.PAIR_POST);
            case "[reg]" -> new Operands.MemSlot(Operands.Mode.REG);
            case "sysreg" -> new Operands.SysRegSlot();
            case "pstate" -> new Operands.PstateGenericSlot();
            case "barrier" -> new Operands.BarrierSlot();
            case "prfop" -> new Operands.PrfopSlot();
            default -> throw new IllegalArgumentException("unknown template token " + tok);
        };
    }

    /** TBZ/TBNZ bit number: b5:b40; the register is X when b5 = 1 (Arm ARM C6.2.331). */
    record TbBit() implements Slot {
        @Override
        public String format(Ctx c) {
            return "#" + (c.get("b5") << 5 | c.get("b40"));
        }

        @Override
        public void parse(Items in, Ctx c) {
            String t = in.next("a bit number");
            long bit = Operands.imm(t, c);
            if (bit < 0 || bit >= c.width) throw range("bit number " + bit + " must be 0.." + (c.width - 1) + " for a " + c.width + "-bit register");
            c.set("b5", bit >> 5);
            c.set("b40", bit & 31);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Alias conditions and codecs (Arm ARM shared pseudocode and C6.2 alias descriptions)
    // ------------------------------------------------------------------------------------------

    /** BFXPreferred (Arm ARM J1.1 shared pseudocode): whether UBFX/SBFX is the preferred disassembly. */
    static boolean bfxPreferred(int sf, int uns, int imms, int immr) {
        if (imms < immr) return false;
        if (imms == (sf << 5 | 0x1F)) return false;
        if (immr == 0) {
            if (sf == 0 && (imms == 7 || imms == 15)) return false;
            if (sf == 1 && uns == 0 && (imms == 7 || imms == 15 || imms == 31)) return false;
        }
        return true;
    }

    /** MoveWidePreferred (Arm ARM J1.1): whether MOVZ/MOVN can build this bitmask immediate. */
    static boolean moveWidePreferred(int sf, int immN, int imms, int immr) {
        int width = sf == 1 ? 64 : 32;
        if (sf == 1 && immN != 1) return false;
        if (sf == 0 && (immN != 0 || (imms & 0x20) != 0)) return false;
        if (imms < 16) return Math.floorMod(-immr, 16) <= 15 - imms;
        if (imms >= width - 15) return immr % 16 <= imms - (width - 15);
        return false;
    }

    /** Bit-field insert at lsb (BFI, SBFIZ, UBFIZ): immr = -lsb MOD datasize, imms = width - 1. */
    private static void bfizDerive(Ctx c) {
        c.set("lsb", Math.floorMod(-c.i("immr"), c.width));
        c.set("wid", c.get("imms") + 1);
    }

    private static void bfizResolve(Ctx c) {
        long lsb = c.get("lsb"), wid = c.get("wid");
        checkBitfield(lsb, wid, c.width);
        c.set("immr", Math.floorMod(-lsb, c.width));
        c.set("imms", wid - 1);
    }

    /** Bit-field extract from lsb (BFXIL, SBFX, UBFX): immr = lsb, imms = lsb + width - 1. */
    private static void bfxDerive(Ctx c) {
        c.set("lsb", c.get("immr"));
        c.set("wid", c.get("imms") + 1 - c.get("immr"));
    }

    private static void bfxResolve(Ctx c) {
        long lsb = c.get("lsb"), wid = c.get("wid");
        checkBitfield(lsb, wid, c.width);
        c.set("immr", lsb);
        c.set("imms", lsb + wid - 1);
    }

    private static void checkBitfield(long lsb, long wid, int datasize) {
        if (lsb < 0 || lsb >= datasize) throw range("lsb " + lsb + " must be 0.." + (datasize - 1));
        if (wid < 1 || wid > datasize - lsb) throw range("width " + wid + " must be 1.." + (datasize - lsb) + " (lsb + width <= " + datasize + ")");
    }

    private static void none(Ctx c) {}

    // ------------------------------------------------------------------------------------------
    // Encoding-level reserved values
    // ------------------------------------------------------------------------------------------

    /**
     * Why {@code word}, although it matches {@code row}'s fixed bits, is UNDEFINED by a reserved
     * field value the row's decode pseudocode rejects; null if the encoding is valid. Shared by
     * the disassembler (prints {@code .inst}), the assembler (error) and {@link Samples}.
     */
    public static String reserved(Encoding row, int word) {
        int sf = get(row, "sf", word);
        switch (row.kind()) {
            case LOGICAL_IMM -> {
                if (sf == 0 && get(row, "N", word) == 1) return "N = 1 is reserved for a 32-bit logical immediate";
                if (BitMasks.logicalImmediate(get(row, "N", word), get(row, "imms", word), get(row, "immr", word), sf == 1 ? 64 : 32) == null)
                    return "reserved bitmask immediate (all-ones element)";
            }
            case BITFIELD -> {
                if (get(row, "N", word) != sf) return "N must equal sf in a bitfield instruction";
                if (sf == 0 && (get(row, "immr", word) >= 32 || get(row, "imms", word) >= 32)) return "immr/imms must be below 32 for a 32-bit bitfield instruction";
            }
            case EXTR -> {
                if (get(row, "N", word) != sf) return "N must equal sf in EXTR";
                if (sf == 0 && get(row, "imms", word) >= 32) return "the rotate amount must be below 32 for a 32-bit EXTR";
            }
            case MOVE_WIDE -> {
                if (sf == 0 && get(row, "hw", word) >= 2) return "a 32-bit move-wide shift must be lsl #0 or lsl #16";
            }
            case LOGICAL_SHIFTED -> {
                if (sf == 0 && get(row, "imm6", word) >= 32) return "the shift amount must be below 32 for a 32-bit register";
            }
            case ADD_SUB_SHIFTED -> {
                if (get(row, "shift", word) == 3) return "ror is not allowed in add/sub (shifted register)";
                if (sf == 0 && get(row, "imm6", word) >= 32) return "the shift amount must be below 32 for a 32-bit register";
            }
            case ADD_SUB_EXT -> {
                if (get(row, "imm3", word) > 4) return "the extend shift amount must be 0..4";
            }
            case LDST_REG -> {
                if ((get(row, "option", word) & 2) == 0) return "the offset extend must be uxtw, lsl, sxtw or sxtx";
            }
            default -> {}
        }
        return null;
    }

    private static int get(Encoding row, String field, int word) {
        Encoding.Field f = row.field(field);
        return f == null ? 0 : f.get(word);
    }

    // ------------------------------------------------------------------------------------------
    // Disassemble / assemble one instruction
    // ------------------------------------------------------------------------------------------

    /** What objdump prints for a word it does not decode. */
    static String undefined(int word) {
        return String.format(".inst\t0x%08x ; undefined", word);
    }

    static String disassemble(int word, long pc) {
        Encoding row = Decoder.decode(word);
        if (row == null || reserved(row, word) != null) return undefined(word);
        for (Form form : forms(row)) {
            if (!form.disassembles) continue;
            String s = form.format(word, pc);
            if (s != null) return s;
        }
        return undefined(word);
    }

    /**
     * The word of one instruction. {@code mnemonic} is lower case; {@code b.<cond>} is accepted.
     * Throws {@link Mismatch} (the most relevant problem over all forms) or a message for an
     * unknown mnemonic.
     */
    static int assemble(String mnemonic, String operands, long pc, ToLongFunction<String> eval) {
        String m = mnemonic.toLowerCase(Locale.ROOT);
        Map<String, Long> presets = Map.of();
        if (m.startsWith("b.")) {
            int cond = Operands.parseCond(m.substring(2));
            if (cond < 0) throw kind("`" + mnemonic + "`: unknown condition `" + m.substring(2) + "`");
            presets = Map.of("cond", (long) cond);
            m = "b.{cond}";
        }
        List<Form> forms = BY_MNEMONIC.get(m);
        if (forms == null) throw kind("unknown mnemonic `" + mnemonic + "`");
        Mismatch best = null;
        for (Form form : forms) {
            try {
                return form.encode(operands, pc, eval, presets);
            } catch (Mismatch e) {
                if (best == null || e.score() > best.score()) best = e;
            }
        }
        throw best;
    }

    // ------------------------------------------------------------------------------------------
    // The table
    // ------------------------------------------------------------------------------------------

    /** Hint names binutils 2.40 prints, by CRm:op2 (Arm ARM C6.2.115 HINT and the instructions in its space). */
    static final Map<Integer, String> HINTS = new LinkedHashMap<>();

    static {
        String[][] hints = {{"7", "xpaclri"}, {"8", "pacia1716"}, {"10", "pacib1716"},
                {"12", "autia1716"}, {"14", "autib1716"}, {"16", "esb"}, {"17", "psb csync"}, {"18", "tsb csync"},
                {"20", "csdb"}, {"22", "clearbhb"}, {"24", "paciaz"}, {"25", "paciasp"}, {"26", "pacibz"}, {"27", "pacibsp"},
                {"28", "autiaz"}, {"29", "autiasp"}, {"30", "autibz"}, {"31", "autibsp"},
                {"32", "bti"}, {"34", "bti c"}, {"36", "bti j"}, {"38", "bti jc"}};
        for (String[] h : hints) HINTS.put(Integer.parseInt(h[0]), h[1]);

        // --- Data processing: immediate -----------------------------------------------------
        f("ADR", "adr", "x:Rd, adr");
        f("ADRP", "adrp", "x:Rd, adrp");
        // MOV (to/from SP) is ADD #0 when Rd or Rn is SP (Arm ARM C6.2.187).
        f("ADD_IMM", "mov", "r:Rd|sp, r:Rn|sp").fixed("sh", 0).fixed("imm12", 0)
                .when(c -> c.i("Rd") == 31 || c.i("Rn") == 31).strict();
        f("ADD_IMM", "add", "r:Rd|sp, r:Rn|sp, aimm");
        f("ADDS_IMM", "cmn", "r:Rn|sp, aimm").fixed("Rd", 31);
        f("ADDS_IMM", "adds", "r:Rd, r:Rn|sp, aimm");
        f("SUB_IMM", "sub", "r:Rd|sp, r:Rn|sp, aimm");
        f("SUBS_IMM", "cmp", "r:Rn|sp, aimm").fixed("Rd", 31);
        f("SUBS_IMM", "subs", "r:Rd, r:Rn|sp, aimm");
        f("AND_IMM", "and", "r:Rd|sp, r:Rn, logimm");
        // MOV (bitmask immediate) unless MOVZ/MOVN can build the value (C6.2.190).
        f("ORR_IMM", "mov", "r:Rd|sp, logimm#").fixed("Rn", 31)
                .when(c -> !moveWidePreferred(c.width == 64 ? 1 : 0, c.i("N"), c.i("imms"), c.i("immr"))).strict();
        f("ORR_IMM", "orr", "r:Rd|sp, r:Rn, logimm");
        f("EOR_IMM", "eor", "r:Rd|sp, r:Rn, logimm");
        f("ANDS_IMM", "tst", "r:Rn, logimm").fixed("Rd", 31);
        f("ANDS_IMM", "ands", "r:Rd, r:Rn, logimm");
        // BIC (immediate): a GNU as convenience, AND with the complemented immediate (binutils 2.40
        // accepts it for BIC only, not BICS/ORN/EON); never disassembled.
        f("AND_IMM", "bic", "r:Rd|sp, r:Rn, ~logimm").asmOnly();
        // MOV (inverted wide immediate) / MOV (wide immediate) (C6.2.188, C6.2.189).
        f("MOVN", "mov", "r:Rd, movn")
                .when(c -> !(c.i("imm16") == 0 && c.i("hw") != 0) && !(c.width == 32 && c.i("imm16") == 0xFFFF)).strict();
        f("MOVN", "movn", "r:Rd, #x:imm16, hw");
        f("MOVZ", "mov", "r:Rd, movz").when(c -> !(c.i("imm16") == 0 && c.i("hw") != 0)).strict();
        f("MOVZ", "movz", "r:Rd, #x:imm16, hw");
        f("MOVK", "movk", "r:Rd, #x:imm16, hw");
        // Bitfield aliases in the Arm ARM's order of preference.
        Predicate<Ctx> asrLsr = c -> c.i("imms") == c.width - 1;
        Consumer<Ctx> topImms = c -> c.set("imms", c.width - 1);
        f("SBFM", "asr", "r:Rd, r:Rn, #d:immr").when(asrLsr).codec(Syntax::none, topImms);
        f("SBFM", "sbfiz", "r:Rd, r:Rn, #d:lsb, #d:wid").when(c -> c.i("imms") < c.i("immr")).codec(Syntax::bfizDerive, Syntax::bfizResolve);
        f("SBFM", "sbfx", "r:Rd, r:Rn, #d:lsb, #d:wid")
                .when(c -> bfxPreferred(c.width == 64 ? 1 : 0, 0, c.i("imms"), c.i("immr"))).codec(Syntax::bfxDerive, Syntax::bfxResolve);
        f("SBFM", "sxtb", "r:Rd, w:Rn").fixed("immr", 0).fixed("imms", 7);
        f("SBFM", "sxth", "r:Rd, w:Rn").fixed("immr", 0).fixed("imms", 15);
        f("SBFM", "sxtw", "x:Rd, w:Rn").fixed("sf", 1).fixed("immr", 0).fixed("imms", 31);
        f("SBFM", "sbfm", "r:Rd, r:Rn, #d:immr, #d:imms");
        f("BFM", "bfc", "r:Rd, #d:lsb, #d:wid").fixed("Rn", 31).when(c -> c.i("imms") < c.i("immr")).codec(Syntax::bfizDerive, Syntax::bfizResolve);
        f("BFM", "bfi", "r:Rd, r:Rn, #d:lsb, #d:wid").when(c -> c.i("imms") < c.i("immr")).codec(Syntax::bfizDerive, Syntax::bfizResolve);
        f("BFM", "bfxil", "r:Rd, r:Rn, #d:lsb, #d:wid").when(c -> c.i("imms") >= c.i("immr")).codec(Syntax::bfxDerive, Syntax::bfxResolve);
        f("BFM", "bfm", "r:Rd, r:Rn, #d:immr, #d:imms");
        f("UBFM", "lsl", "r:Rd, r:Rn, #d:shift")
                .when(c -> c.i("imms") != c.width - 1 && c.i("imms") + 1 == c.i("immr"))
                .codec(c -> c.set("shift", c.width - 1 - c.i("imms")), c -> {
                    long sh = c.get("shift");
                    if (sh < 0 || sh >= c.width) throw range("shift amount " + sh + " must be 0.." + (c.width - 1));
                    c.set("immr", Math.floorMod(-sh, c.width));
                    c.set("imms", c.width - 1 - sh);
                });
        f("UBFM", "lsr", "r:Rd, r:Rn, #d:immr").when(asrLsr).codec(Syntax::none, topImms);
        f("UBFM", "ubfiz", "r:Rd, r:Rn, #d:lsb, #d:wid").when(c -> c.i("imms") < c.i("immr")).codec(Syntax::bfizDerive, Syntax::bfizResolve);
        f("UBFM", "ubfx", "r:Rd, r:Rn, #d:lsb, #d:wid")
                .when(c -> bfxPreferred(c.width == 64 ? 1 : 0, 1, c.i("imms"), c.i("immr"))).codec(Syntax::bfxDerive, Syntax::bfxResolve);
        f("UBFM", "uxtb", "w:Rd, w:Rn").fixed("sf", 0).fixed("immr", 0).fixed("imms", 7);
        f("UBFM", "uxth", "w:Rd, w:Rn").fixed("sf", 0).fixed("immr", 0).fixed("imms", 15);
        f("UBFM", "ubfm", "r:Rd, r:Rn, #d:immr, #d:imms");
        f("EXTR", "ror", "r:Rd, r:Rn=Rm, #d:imms");
        f("EXTR", "extr", "r:Rd, r:Rn, r:Rm, #d:imms");

        // --- Branches, exception generation, system -----------------------------------------
        f("B", "b", "b26");
        f("BL", "bl", "b26");
        f("B_COND", "b.{cond}", "b19");
        f("CBZ", "cbz", "r:Rt, b19");
        f("CBNZ", "cbnz", "r:Rt, b19");
        f("TBZ", "tbz", "r:Rt, tbbit, b14");
        f("TBNZ", "tbnz", "r:Rt, tbbit, b14");
        f("BR", "br", "x:Rn");
        f("BLR", "blr", "x:Rn");
        f("RET", "ret", "").fixed("Rn", 30);
        f("RET", "ret", "x:Rn");
        f("ERET", "eret", "");
        for (String id : new String[] {"SVC", "HVC", "SMC", "BRK", "HLT"}) f(id, id.toLowerCase(Locale.ROOT), "#x:imm16");
        for (String id : new String[] {"NOP", "YIELD", "WFE", "WFI", "SEV", "SEVL"}) f(id, id.toLowerCase(Locale.ROOT), "");
        for (Map.Entry<Integer, String> h : HINTS.entrySet()) {
            String[] p = h.getValue().split(" ");
            f("HINT", p[0], p.length > 1 ? "'" + p[1] + "'" : "").fixed("CRm", h.getKey() >> 3).fixed("op2", h.getKey() & 7);
        }
        f("HINT", "hint", "#x:imm").codec(c -> c.set("imm", c.get("CRm") << 3 | c.get("op2")), c -> {
            long v = c.get("imm");
            if (v < 0 || v > 127) throw range("hint number " + v + " must be 0..127");
            c.set("CRm", v >> 3);
            c.set("op2", v & 7);
        });
        f("CLREX", "clrex", "").fixed("CRm", 15);
        f("CLREX", "clrex", "#x:CRm");
        // DSB #0 and #4 are the speculation barriers SSBB and PSSBB (Arm ARM C6.2.279, C6.2.245).
        f("DSB", "ssbb", "").fixed("CRm", 0);
        f("DSB", "pssbb", "").fixed("CRm", 4);
        f("DSB", "dsb", "barrier");
        f("DMB", "dmb", "barrier");
        f("ISB", "isb", "").fixed("CRm", 15);
        f("ISB", "isb", "#x:CRm");
        f("ISB", "isb", "'sy'").fixed("CRm", 15).asmOnly();
        // MSR (immediate): PSTATE fields by (op1, op2) (Arm ARM C6.2.229); the ones with a 1-bit
        // value are named only for CRm 0 and 1.
        String[][] pstate = {{"uao", "0", "3", "1"}, {"pan", "0", "4", "1"}, {"spsel", "0", "5", "1"}, {"ssbs", "3", "1", "1"},
                {"dit", "3", "2", "1"}, {"tco", "3", "4", "1"}, {"daifset", "3", "6", "15"}, {"daifclr", "3", "7", "15"}};
        for (String[] p : pstate) {
            int max = Integer.parseInt(p[3]);
            f("MSR_IMM", "msr", "'" + p[0] + "', #x:CRm").fixed("op1", Integer.parseInt(p[1])).fixed("op2", Integer.parseInt(p[2]))
                    .when(c -> c.i("CRm") <= max).strict();
        }
        f("MSR_IMM", "cfinv", "").fixed("op1", 0).fixed("CRm", 0).fixed("op2", 0);
        f("MSR_IMM", "xaflag", "").fixed("op1", 0).fixed("CRm", 0).fixed("op2", 1);
        f("MSR_IMM", "axflag", "").fixed("op1", 0).fixed("CRm", 0).fixed("op2", 2);
        f("MSR_IMM", "msr", "pstate, 'xzr'");
        for (SysRegNames.SysOp op : SysRegNames.sysOps()) {
            Form form = f("SYS", op.mnemonic(), "'" + op.name() + "'" + (op.takesRegister() ? ", x:Rt" : ""))
                    .fixed("op1", op.op1()).fixed("CRn", op.crn()).fixed("CRm", op.crm()).fixed("op2", op.op2());
            if (!op.takesRegister()) form.asmDefault("Rt", 31);
        }
        f("SYS", "sys", "#d:op1, C:CRn, C:CRm, #d:op2, x:Rt?");
        f("SYSL", "sysl", "x:Rt, #d:op1, C:CRn, C:CRm, #d:op2");
        f("MSR_REG", "msr", "sysreg, x:Rt");
        f("MRS", "mrs", "x:Rt, sysreg");

        // --- Loads and stores ---------------------------------------------------------------
        for (Encoding e : Encodings.all()) {
            if (e.kind() != Kind.LDST_EXCL) continue;
            boolean pair = e.id().endsWith("XP");
            boolean store = e.mnemonic().startsWith("st");
            boolean status = store && e.mnemonic().contains("x"); // store-exclusive writes a status register
            String rt = e.field("sz") != null ? "r" : "w";
            StringBuilder t = new StringBuilder();
            if (status) t.append("w:Rs, ");
            t.append(rt).append(":Rt, ");
            if (pair) t.append(rt).append(":Rt2, ");
            t.append("[base]");
            Form form = f(e.id(), e.mnemonic(), t.toString());
            if (!status) form.fixed("Rs", 31);
            if (!pair) form.fixed("Rt2", 31);
        }
        f("LDR_LIT_W", "ldr", "w:Rt, b19");
        f("LDR_LIT_X", "ldr", "x:Rt, b19");
        f("LDRSW_LIT", "ldrsw", "x:Rt, b19");
        f("PRFM_LIT", "prfm", "prfop, b19");
        for (Encoding e : Encodings.all()) {
            if (e.kind() == Kind.LDST_PAIR) {
                String r = (e.value() >>> 30) == 0 ? "w" : "x";
                String mode = e.id().endsWith("_PRE") ? "[pairpre]" : e.id().endsWith("_POST") ? "[pairpost]" : "[pair]";
                f(e.id(), e.mnemonic(), r + ":Rt, " + r + ":Rt2, " + mode);
            } else if (e.kind() == Kind.LDST_IMM9 || e.kind() == Kind.LDST_REG || e.kind() == Kind.LDST_UIMM) {
                String mode = switch (e.kind()) {
                    case LDST_REG -> "[reg]";
                    case LDST_UIMM -> "[uoff]";
                    default -> switch ((e.value() >>> 10) & 3) {
                        case 1 -> "[post9]";
                        case 3 -> "[pre9]";
                        default -> "[soff9]";
                    };
                };
                f(e.id(), e.mnemonic(), transferOperand(e) + ", " + mode);
            }
        }

        // --- Data processing: register ------------------------------------------------------
        f("AND_REG", "and", "r:Rd, r:Rn, r:Rm, shiftror");
        f("BIC_REG", "bic", "r:Rd, r:Rn, r:Rm, shiftror");
        f("ORR_REG", "mov", "r:Rd, r:Rm").fixed("Rn", 31).fixed("shift", 0).fixed("imm6", 0);
        f("ORR_REG", "orr", "r:Rd, r:Rn, r:Rm, shiftror");
        f("ORN_REG", "mvn", "r:Rd, r:Rm, shiftror").fixed("Rn", 31);
        f("ORN_REG", "orn", "r:Rd, r:Rn, r:Rm, shiftror");
        f("EOR_REG", "eor", "r:Rd, r:Rn, r:Rm, shiftror");
        f("EON_REG", "eon", "r:Rd, r:Rn, r:Rm, shiftror");
        f("ANDS_REG", "tst", "r:Rn, r:Rm, shiftror").fixed("Rd", 31);
        f("ANDS_REG", "ands", "r:Rd, r:Rn, r:Rm, shiftror");
        f("BICS_REG", "bics", "r:Rd, r:Rn, r:Rm, shiftror");
        f("ADD_SHIFT", "add", "r:Rd, r:Rn, r:Rm, shift");
        f("ADD_EXT", "add", "r:Rd|sp, r:Rn|sp, ext");
        f("ADDS_SHIFT", "cmn", "r:Rn, r:Rm, shift").fixed("Rd", 31);
        f("ADDS_SHIFT", "adds", "r:Rd, r:Rn, r:Rm, shift");
        f("ADDS_EXT", "cmn", "r:Rn|sp, exts").fixed("Rd", 31);
        f("ADDS_EXT", "adds", "r:Rd, r:Rn|sp, exts");
        f("SUB_SHIFT", "neg", "r:Rd, r:Rm, shift").fixed("Rn", 31);
        f("SUB_SHIFT", "sub", "r:Rd, r:Rn, r:Rm, shift");
        f("SUB_EXT", "sub", "r:Rd|sp, r:Rn|sp, ext");
        f("SUBS_SHIFT", "cmp", "r:Rn, r:Rm, shift").fixed("Rd", 31);
        f("SUBS_SHIFT", "negs", "r:Rd, r:Rm, shift").fixed("Rn", 31);
        f("SUBS_SHIFT", "subs", "r:Rd, r:Rn, r:Rm, shift");
        f("SUBS_EXT", "cmp", "r:Rn|sp, exts").fixed("Rd", 31);
        f("SUBS_EXT", "subs", "r:Rd, r:Rn|sp, exts");
        f("ADC", "adc", "r:Rd, r:Rn, r:Rm");
        f("ADCS", "adcs", "r:Rd, r:Rn, r:Rm");
        f("SBC", "ngc", "r:Rd, r:Rm").fixed("Rn", 31);
        f("SBC", "sbc", "r:Rd, r:Rn, r:Rm");
        f("SBCS", "ngcs", "r:Rd, r:Rm").fixed("Rn", 31);
        f("SBCS", "sbcs", "r:Rd, r:Rn, r:Rm");
        f("CCMN_REG", "ccmn", "r:Rn, r:Rm, #x:nzcv, cond");
        f("CCMP_REG", "ccmp", "r:Rn, r:Rm, #x:nzcv, cond");
        f("CCMN_IMM", "ccmn", "r:Rn, #x:imm5, #x:nzcv, cond");
        f("CCMP_IMM", "ccmp", "r:Rn, #x:imm5, #x:nzcv, cond");
        f("CSEL", "csel", "r:Rd, r:Rn, r:Rm, cond");
        // CSET/CSETM/CINC/CINV/CNEG (C6.2.67...): invert the condition; never for AL/NV.
        f("CSINC", "cset", "r:Rd, invcond").fixed("Rn", 31).fixed("Rm", 31);
        f("CSINC", "cinc", "r:Rd, r:Rn=Rm, invcond").when(c -> c.i("Rn") != 31);
        f("CSINC", "csinc", "r:Rd, r:Rn, r:Rm, cond");
        f("CSINV", "csetm", "r:Rd, invcond").fixed("Rn", 31).fixed("Rm", 31);
        f("CSINV", "cinv", "r:Rd, r:Rn=Rm, invcond").when(c -> c.i("Rn") != 31);
        f("CSINV", "csinv", "r:Rd, r:Rn, r:Rm, cond");
        f("CSNEG", "cneg", "r:Rd, r:Rn=Rm, invcond");
        f("CSNEG", "csneg", "r:Rd, r:Rn, r:Rm, cond");
        f("RBIT", "rbit", "r:Rd, r:Rn");
        f("REV16", "rev16", "r:Rd, r:Rn");
        f("REV_W", "rev", "w:Rd, w:Rn");
        f("REV32", "rev32", "x:Rd, x:Rn");
        f("REV_X", "rev", "x:Rd, x:Rn");
        f("CLZ", "clz", "r:Rd, r:Rn");
        f("CLS", "cls", "r:Rd, r:Rn");
        f("UDIV", "udiv", "r:Rd, r:Rn, r:Rm");
        f("SDIV", "sdiv", "r:Rd, r:Rn, r:Rm");
        // LSLV & co. always disassemble as LSL/LSR/ASR/ROR (register).
        for (String v : new String[] {"LSLV", "LSRV", "ASRV", "RORV"}) {
            f(v, v.substring(0, 3).toLowerCase(Locale.ROOT), "r:Rd, r:Rn, r:Rm");
            f(v, v.toLowerCase(Locale.ROOT), "r:Rd, r:Rn, r:Rm").asmOnly();
        }
        f("MADD", "mul", "r:Rd, r:Rn, r:Rm").fixed("Ra", 31);
        f("MADD", "madd", "r:Rd, r:Rn, r:Rm, r:Ra");
        f("MSUB", "mneg", "r:Rd, r:Rn, r:Rm").fixed("Ra", 31);
        f("MSUB", "msub", "r:Rd, r:Rn, r:Rm, r:Ra");
        String[][] longMul = {{"SMADDL", "smull"}, {"SMSUBL", "smnegl"}, {"UMADDL", "umull"}, {"UMSUBL", "umnegl"}};
        for (String[] l : longMul) {
            f(l[0], l[1], "x:Rd, w:Rn, w:Rm").fixed("Ra", 31);
            f(l[0], l[0].toLowerCase(Locale.ROOT), "x:Rd, w:Rn, w:Rm, x:Ra");
        }
        f("SMULH", "smulh", "x:Rd, x:Rn, x:Rm").fixed("Ra", 31);
        f("UMULH", "umulh", "x:Rd, x:Rn, x:Rm").fixed("Ra", 31);
        f("UDF", "udf", "#d:imm16");

        // GNU as convenience: LDR/STR with an offset only the unscaled form can encode.
        for (Encoding e : Encodings.all()) {
            if (e.kind() != Kind.LDST_UIMM) continue;
            for (Encoding u : Encodings.all())
                if (u.kind() == Kind.LDST_IMM9 && ((u.value() >>> 10) & 3) == 0 && sizeOpc(u) == sizeOpc(e))
                    f(u.id(), e.mnemonic(), transferOperand(u) + ", [soff9]").asmOnly();
        }
    }

    /** size:opc of a single-register load/store row (bits [31:30] and [23:22]). */
    private static int sizeOpc(Encoding e) {
        return (e.value() >>> 30) << 2 | (e.value() >>> 22) & 3;
    }

    /**
     * The transfer-register operand of a single-register load/store, from the row's size and opc
     * (Arm ARM C4.1.88 "Load/store register"): stores and zero-extending loads use W unless the
     * size is 64-bit; sign-extending loads with opc = 10 target X, with opc = 11 target W; PRFM
     * (size 11, opc 10) has a prefetch operation instead.
     */
    static String transferOperand(Encoding e) {
        int size = e.value() >>> 30, opc = (e.value() >>> 22) & 3;
        if (size == 3 && opc == 2) return "prfop";
        if (opc == 2) return "x:Rt";
        if (opc == 3) return "w:Rt";
        return size == 3 ? "x:Rt" : "w:Rt";
    }
}
