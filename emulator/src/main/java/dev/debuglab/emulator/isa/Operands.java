package dev.debuglab.emulator.isa;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Operand vocabulary shared by the disassembler and the assembler: register, condition, barrier,
 * hint and prefetch names, and the {@link Slot}s that turn encoding fields into operand text and
 * back. A {@link Syntax.Form} is a list of slots; every slot reads and writes named fields of the
 * row (or derived values a form's codec maps onto fields), so one description serves both
 * directions.
 */
final class Operands {
    private Operands() {}

    // ------------------------------------------------------------------------------------------
    // Per-instruction state while formatting or parsing one instance.
    // ------------------------------------------------------------------------------------------

    /** Field values (real and derived) of one instance, plus what the operands need around it. */
    static final class Ctx {
        final Encoding row;
        final Map<String, Long> v = new HashMap<>();
        /** Address of the instruction (PC-relative operands). */
        final long pc;
        /** Datasize of the {@code r:} registers: 32, 64, or 0 while still unknown during parsing. */
        int width;
        /** Expression evaluator of the assembler (labels, .equ); null when disassembling. */
        final ToLongFunction<String> eval;
        /** Trailing comment ({@code // #-2}, {@code // eq = none}) set by a slot, or null. */
        String comment;

        Ctx(Encoding row, long pc, ToLongFunction<String> eval) {
            this.row = row;
            this.pc = pc;
            this.eval = eval;
        }

        long get(String k) {
            Long x = v.get(k);
            if (x == null) throw new IllegalStateException(row.id() + ": operand value " + k + " not set");
            return x;
        }

        int i(String k) {
            return (int) get(k);
        }

        boolean has(String k) {
            return v.containsKey(k);
        }

        void set(String k, long value) {
            v.put(k, value);
        }

        /** Bit width of a real field of the row, or -1 for a derived value. */
        int fieldWidth(String k) {
            Encoding.Field f = row.field(k);
            return f == null ? -1 : f.width();
        }
    }

    /** The form does not describe this instance (disassembly tries the next form). */
    static final class NotApplicable extends RuntimeException {
        static final NotApplicable INSTANCE = new NotApplicable();

        private NotApplicable() {
            super(null, null, false, false);
        }
    }

    /**
     * The operand text does not fit this form. {@code serious} mismatches (an immediate out of
     * range, a misaligned offset) are reported in preference to "wrong operand kind" ones, since
     * they mean the user picked the right form with a wrong value.
     */
    static final class Mismatch extends RuntimeException {
        /** 0: the operand is plainly of another form (a keyword, a label where [..] is written); 1: wrong kind; 2: right kind, bad value. */
        final int rank;
        int depth;

        Mismatch(String message, int rank) {
            super(message, null, false, false);
            this.rank = rank;
        }

        int score() {
            return depth * 3 + rank;
        }
    }

    static Mismatch weak(String msg) {
        return new Mismatch(msg, 0);
    }

    static Mismatch kind(String msg) {
        return new Mismatch(msg, 1);
    }

    static Mismatch range(String msg) {
        return new Mismatch(msg, 2);
    }

    /** The operand list of one instruction, split at top-level commas. */
    static final class Items {
        final List<String> items;
        int pos;

        Items(String operands) {
            items = splitTop(operands);
        }

        boolean atEnd() {
            return pos >= items.size();
        }

        String peek() {
            return atEnd() ? null : items.get(pos);
        }

        String next(String what) {
            if (atEnd()) throw kind("missing operand: expected " + what);
            return items.get(pos++);
        }
    }

    /** Splits at commas outside brackets, trimming each item. */
    static List<String> splitTop(String s) {
        List<String> out = new ArrayList<>();
        if (s == null || s.isBlank()) return out;
        int depth = 0, start = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') quoted = !quoted;
            if (quoted) continue;
            if (c == '[' || c == '(') depth++;
            else if (c == ']' || c == ')') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(s.substring(start).trim());
        return out;
    }

    /** One operand position of a form: formats fields to text and parses text to fields. */
    interface Slot {
        /** The operand text, or null when the operand is omitted (optional and at its default). */
        String format(Ctx c);

        /** Consumes this operand's items (none if an optional operand is absent) and sets fields. */
        void parse(Items in, Ctx c);
    }

    // ------------------------------------------------------------------------------------------
    // Registers
    // ------------------------------------------------------------------------------------------

    /** A parsed general-purpose register: number 0..31, 64-bit or not, SP (not ZR) when 31. */
    record Reg(int num, boolean x, boolean sp) {}

    static Reg parseReg(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "sp": return new Reg(31, true, true);
            case "wsp": return new Reg(31, false, true);
            case "xzr": return new Reg(31, true, false);
            case "wzr": return new Reg(31, false, false);
            case "lr": return new Reg(30, true, false);
            case "fp": return new Reg(29, true, false);
            default:
        }
        if (t.length() < 2 || (t.charAt(0) != 'x' && t.charAt(0) != 'w')) return null;
        for (int i = 1; i < t.length(); i++) if (!Character.isDigit(t.charAt(i))) return null;
        if (t.length() > 3) return null;
        int n = Integer.parseInt(t.substring(1));
        if (n > 30) return null;
        return new Reg(n, t.charAt(0) == 'x', false);
    }

    static String regName(int n, boolean x, boolean sp) {
        if (n == 31) return sp ? (x ? "sp" : "wsp") : (x ? "xzr" : "wzr");
        return (x ? "x" : "w") + n;
    }

    /**
     * A general-purpose register in field {@code field}. Width {@code 'w'}, {@code 'x'} or
     * {@code 'r'} (the form's datasize); {@code sp}: number 31 is SP rather than ZR; {@code copy}:
     * the same register number also goes to a second field (e.g. {@code cinc}: Rm = Rn);
     * {@code optional31}: omitted when 31 (the register of {@code sys}).
     */
    record RegSlot(String field, char widthKind, boolean sp, String copy, boolean optional31) implements Slot {
        boolean wide(Ctx c) {
            return widthKind == 'x' || (widthKind == 'r' && c.width == 64);
        }

        @Override
        public String format(Ctx c) {
            int n = c.i(field);
            if (copy != null && c.i(copy) != n) throw NotApplicable.INSTANCE;
            if (optional31 && n == 31) return null;
            return regName(n, wide(c), sp);
        }

        @Override
        public void parse(Items in, Ctx c) {
            if (optional31 && in.atEnd()) {
                c.set(field, 31);
                return;
            }
            String text = in.next("a register");
            Reg r = parseReg(text);
            if (r == null) throw kind("`" + text + "` is not a general-purpose register (x0-x30, w0-w30, "
                    + (sp ? "sp, wsp" : "xzr, wzr") + ")");
            if (r.num == 31 && r.sp != sp)
                throw kind("`" + text + "` is not allowed here: register 31 in this position is "
                        + (sp ? "the stack pointer (sp/wsp)" : "the zero register (xzr/wzr)"));
            switch (widthKind) {
                case 'w' -> { if (r.x) throw kind("`" + text + "` must be a 32-bit (w) register here"); }
                case 'x' -> { if (!r.x) throw kind("`" + text + "` must be a 64-bit (x) register here"); }
                default -> {
                    int w = r.x ? 64 : 32;
                    if (c.width == 0) c.width = w;
                    else if (c.width != w)
                        throw kind("`" + text + "` mixes register widths: use all x or all w registers");
                }
            }
            c.set(field, r.num);
            if (copy != null) c.set(copy, r.num);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Immediates
    // ------------------------------------------------------------------------------------------

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** Evaluates an immediate operand: {@code #expr} or bare {@code expr}, never a register name. */
    static long imm(String text, Ctx c) {
        String t = text.trim();
        if (t.startsWith("#")) t = t.substring(1).trim();
        if (t.isEmpty()) throw kind("empty immediate");
        if (parseReg(t) != null) throw kind("`" + text + "` is a register, but an immediate is expected here");
        if (c.eval == null) throw new IllegalStateException("no expression evaluator");
        return c.eval.applyAsLong(t);
    }

    static boolean looksLikeImm(String text) {
        String t = text.trim();
        return t.startsWith("#") || (!t.isEmpty() && (Character.isDigit(t.charAt(0)) || t.charAt(0) == '-'));
    }

    /** A plain immediate field (or derived value), printed in hex or decimal. */
    record ImmSlot(String field, boolean hexFormat) implements Slot {
        @Override
        public String format(Ctx c) {
            long v = c.get(field);
            return "#" + (hexFormat ? hex(v) : Long.toString(v));
        }

        @Override
        public void parse(Items in, Ctx c) {
            String text = in.next("an immediate");
            long v = imm(text, c);
            int w = c.fieldWidth(field);
            if (w > 0 && (v < 0 || v >= (1L << w)))
                throw range("immediate " + v + " does not fit the " + w + "-bit field " + field + " (0.." + ((1L << w) - 1) + ")");
            c.set(field, v);
        }
    }

    /** A fixed keyword operand, e.g. {@code c} of {@code bti c} or {@code civac} of {@code dc civac}. */
    record Literal(String text) implements Slot {
        @Override
        public String format(Ctx c) {
            return text;
        }

        @Override
        public void parse(Items in, Ctx c) {
            String t = in.next("`" + text + "`");
            if (!t.equalsIgnoreCase(text)) throw weak("expected `" + text + "`, got `" + t + "`");
        }
    }

    /** ADD/SUB (immediate): {@code #imm12} with optional {@code lsl #12} (field sh). */
    record AddImm() implements Slot {
        @Override
        public String format(Ctx c) {
            return "#" + hex(c.get("imm12")) + (c.get("sh") == 1 ? ", lsl #12" : "");
        }

        @Override
        public void parse(Items in, Ctx c) {
            String text = in.next("an immediate");
            long v = imm(text, c);
            int sh = 0;
            String s = in.peek();
            if (s != null && s.toLowerCase(Locale.ROOT).startsWith("lsl")) {
                in.pos++;
                long amt = imm(s.substring(3), c);
                if (amt != 0 && amt != 12) throw range("`" + s + "`: the immediate can only be shifted by lsl #0 or lsl #12");
                sh = amt == 12 ? 1 : 0;
            } else if (v > 4095 && (v & 0xFFF) == 0 && (v >> 12) < 4096) {
                v >>= 12;
                sh = 1;
            }
            if (v < 0 || v > 4095)
                throw range("immediate " + v + " does not fit in 12 bits (optionally shifted by 12); "
                        + (v < 0 ? "use the opposite instruction (add <-> sub) with " + (-v) : "use mov + add (register)"));
            c.set("imm12", v);
            c.set("sh", sh);
        }
    }

    /** MOVZ/MOVN/MOVK: optional {@code lsl #16*hw}. */
    record HwShift() implements Slot {
        @Override
        public String format(Ctx c) {
            long hw = c.get("hw");
            return hw == 0 ? null : "lsl #" + (16 * hw);
        }

        @Override
        public void parse(Items in, Ctx c) {
            String s = in.peek();
            if (s == null || !s.toLowerCase(Locale.ROOT).startsWith("lsl")) {
                c.set("hw", 0);
                return;
            }
            in.pos++;
            long amt = imm(s.substring(3), c);
            int max = c.width == 32 ? 16 : 48;
            if (amt % 16 != 0 || amt < 0 || amt > max)
                throw range("`" + s + "`: the shift must be lsl #0, #16" + (max == 48 ? ", #32 or #48" : " (32-bit register)"));
            c.set("hw", amt / 16);
        }
    }

    static long mask(int width) {
        return width == 64 ? -1L : (1L << width) - 1;
    }

    static long signed(long v, int width) {
        return width == 64 ? v : (v << (64 - width)) >> (64 - width);
    }

    /** A value as the assembler reads it for a register of {@code width} bits, or a range error. */
    static long truncate(long v, int width, String text) {
        if (width == 32 && (v > 0xFFFFFFFFL || v < -0x80000000L))
            throw range("immediate `" + text + "` does not fit in 32 bits");
        return v & mask(width);
    }

    /**
     * The wide immediate of the MOV aliases of MOVZ ({@code inverted = false}) and MOVN
     * ({@code inverted = true}): value {@code imm16 << 16*hw}, or its inverse; printed with the
     * decimal value as a comment, as objdump does.
     */
    record MovWideImm(boolean inverted) implements Slot {
        @Override
        public String format(Ctx c) {
            long v = c.get("imm16") << (16 * c.get("hw"));
            if (inverted) v = ~v;
            v &= mask(c.width);
            c.comment = "// #" + signed(v, c.width);
            return "#" + hex(v);
        }

        @Override
        public void parse(Items in, Ctx c) {
            String text = in.next("an immediate");
            long v = truncate(imm(text, c), c.width, text);
            if (inverted) v = ~v & mask(c.width);
            for (int hw = 0; hw < c.width / 16; hw++) {
                if ((v & ~(0xFFFFL << (16 * hw))) == 0) {
                    c.set("imm16", (v >>> (16 * hw)) & 0xFFFF);
                    c.set("hw", hw);
                    return;
                }
            }
            throw kind("immediate " + text + " is not a " + (inverted ? "inverted " : "") + "16-bit chunk");
        }
    }

    /**
     * The bitmask immediate of the logical (immediate) instructions: fields N, immr, imms.
     * {@code inverted}: the assembler-only BIC (immediate), which GNU as accepts and encodes as
     * AND with the complemented immediate.
     */
    record LogicalImm(boolean withComment, boolean inverted) implements Slot {
        LogicalImm(boolean withComment) {
            this(withComment, false);
        }

        @Override
        public String format(Ctx c) {
            Long v = BitMasks.logicalImmediate(c.i("N"), c.i("imms"), c.i("immr"), c.width);
            if (v == null) throw NotApplicable.INSTANCE;
            if (withComment) c.comment = "// #" + signed(v, c.width);
            return "#" + hex(v & mask(c.width));
        }

        @Override
        public void parse(Items in, Ctx c) {
            String text = in.next("a bitmask immediate");
            long v = truncate(imm(text, c), c.width, text);
            if (inverted) v = ~v & mask(c.width);
            int enc = BitMasks.encodeLogicalImmediate(v, c.width);
            if (enc < 0 && withComment)
                throw range("immediate " + text + " cannot be loaded by a single mov (it is neither a 16-bit chunk, an inverted one, "
                        + "nor a bitmask immediate); use movz + movk");
            if (enc < 0)
                throw range("immediate " + text + " is not a bitmask immediate (a rotated run of ones repeated in 2, 4, ... 64-bit elements; "
                        + "0 and all-ones are not encodable); build it with mov/movk and use the register form");
            c.set("N", enc >> 12);
            c.set("immr", (enc >> 6) & 0x3F);
            c.set("imms", enc & 0x3F);
        }
    }

    static final String[] SHIFT_NAMES = {"lsl", "lsr", "asr", "ror"};

    /** Shifted-register operand tail: optional {@code lsl|lsr|asr|ror #imm6} (fields shift, imm6). */
    record ShiftSlot(boolean rorAllowed) implements Slot {
        @Override
        public String format(Ctx c) {
            int shift = c.i("shift");
            long amt = c.get("imm6");
            if (shift == 3 && !rorAllowed) throw NotApplicable.INSTANCE;
            if (shift == 0 && amt == 0) return null;
            return SHIFT_NAMES[shift] + " #" + amt;
        }

        @Override
        public void parse(Items in, Ctx c) {
            String s = in.peek();
            c.set("shift", 0);
            c.set("imm6", 0);
            if (s == null) return;
            String[] p = s.trim().split("\\s+", 2);
            int shift = indexOf(SHIFT_NAMES, p[0].toLowerCase(Locale.ROOT));
            if (shift < 0) throw kind("`" + s + "` is not a shift (lsl, lsr, asr" + (rorAllowed ? ", ror" : "") + " #amount)");
            if (shift == 3 && !rorAllowed) throw kind("`" + s + "`: ror is only allowed for the logical instructions");
            in.pos++;
            if (p.length < 2) throw range("`" + s + "`: missing shift amount");
            long amt = imm(p[1], c);
            if (amt < 0 || amt >= c.width) throw range("`" + s + "`: shift amount must be 0.." + (c.width - 1));
            c.set("shift", shift);
            c.set("imm6", amt);
        }
    }

    static final String[] EXTEND_NAMES = {"uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"};

    /**
     * ADD/SUB (extended register): {@code Rm{, extend {#amount}}} (fields Rm, option, imm3). LSL is
     * the preferred spelling of UXTW/UXTX when SP is involved (Arm ARM C6.2.4: "If Rd or Rn is
     * '11111' and option is '010'/'011'"); for the flag-setting forms only Rn counts, since their Rd
     * 31 is the zero register.
     */
    record ExtendSlot(boolean rdCounts) implements Slot {
        @Override
        public String format(Ctx c) {
            int option = c.i("option");
            long amt = c.get("imm3");
            if (amt > 4) throw NotApplicable.INSTANCE;
            boolean xm = c.width == 64 && (option & 3) == 3;
            String rm = regName(c.i("Rm"), xm, false);
            boolean spInvolved = (rdCounts && c.i("Rd") == 31) || c.i("Rn") == 31;
            if (spInvolved && option == (c.width == 64 ? 3 : 2))
                return amt == 0 ? rm : rm + ", lsl #" + amt;
            return rm + ", " + EXTEND_NAMES[option] + (amt != 0 ? " #" + amt : "");
        }

        @Override
        public void parse(Items in, Ctx c) {
            String text = in.next("a register");
            Reg r = parseReg(text);
            if (r == null || (r.num == 31 && r.sp)) throw kind("`" + text + "` is not a general-purpose register");
            String s = in.peek();
            int option;
            long amt = 0;
            if (s == null) {
                option = c.width == 64 ? 3 : 2;
            } else {
                in.pos++;
                String[] p = s.trim().split("\\s+", 2);
                String name = p[0].toLowerCase(Locale.ROOT);
                if (name.equals("lsl")) option = c.width == 64 ? 3 : 2;
                else option = indexOf(EXTEND_NAMES, name);
                if (option < 0) throw kind("`" + s + "` is not an extend (uxtb, uxth, uxtw, uxtx, sxtb, sxth, sxtw, sxtx, lsl)");
                if (p.length > 1) amt = imm(p[1], c);
                if (amt < 0 || amt > 4) throw range("`" + s + "`: the extend shift amount must be 0..4");
            }
            boolean xm = c.width == 64 && (option & 3) == 3;
            if (r.x != xm) throw kind("`" + text + "` must be a " + (xm ? "64-bit (x)" : "32-bit (w)") + " register with "
                    + EXTEND_NAMES[option]);
            c.set("Rm", r.num);
            c.set("option", option);
            c.set("imm3", amt);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Conditions
    // ------------------------------------------------------------------------------------------

    static final String[] COND = {"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"};
    /** The other spellings binutils knows for each condition (Arm ARM C1.2.4 and the SVE names). */
    static final String[][] COND_ALIASES = {{"none"}, {"any"}, {"hs", "nlast"}, {"lo", "ul", "last"}, {"first"},
            {"nfrst"}, {}, {}, {"pmore"}, {"plast"}, {"tcont"}, {"tstop"}, {}, {}, {}, {}};

    static int parseCond(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        int i = indexOf(COND, t);
        if (i >= 0) return i;
        for (int c = 0; c < 16; c++) if (indexOf(COND_ALIASES[c], t) >= 0) return c;
        return -1;
    }

    /** The comment objdump adds to a condition operand: {@code // cs = hs, nlast}. */
    static String condComment(int cond) {
        if (COND_ALIASES[cond].length == 0) return null;
        return "// " + COND[cond] + " = " + String.join(", ", COND_ALIASES[cond]);
    }

    /** The condition operand; {@code inverted}: the aliases CSET/CINC... print the inverse of field cond. */
    record CondSlot(boolean inverted) implements Slot {
        @Override
        public String format(Ctx c) {
            int cond = c.i("cond");
            if (inverted) {
                if ((cond & 0xE) == 0xE) throw NotApplicable.INSTANCE;
                cond ^= 1;
            }
            c.comment = condComment(cond);
            return COND[cond];
        }

        @Override
        public void parse(Items in, Ctx c) {
            String t = in.next("a condition");
            int cond = parseCond(t);
            if (cond < 0) throw kind("`" + t + "` is not a condition (eq, ne, cs/hs, cc/lo, mi, pl, vs, vc, hi, ls, ge, lt, gt, le, al, nv)");
            if (inverted) {
                if ((cond & 0xE) == 0xE) throw range("condition `" + t + "` cannot be inverted: use al/nv only with the base instruction");
                cond ^= 1;
            }
            c.set("cond", cond);
        }
    }

    // ------------------------------------------------------------------------------------------
    // PC-relative targets
    // ------------------------------------------------------------------------------------------

    /** PC-relative target kinds: the offset fields, scale and range of each. */
    enum Target { B26, B19, B14, ADR, ADRP }

    record TargetSlot(Target t) implements Slot {
        @Override
        public String format(Ctx c) {
            long off = switch (t) {
                case B26 -> signed(c.get("imm26"), 26) << 2;
                case B19 -> signed(c.get("imm19"), 19) << 2;
                case B14 -> signed(c.get("imm14"), 14) << 2;
                case ADR -> signed(c.get("immhi") << 2 | c.get("immlo"), 21);
                case ADRP -> signed(c.get("immhi") << 2 | c.get("immlo"), 21) << 12;
            };
            long base = t == Target.ADRP ? c.pc & ~0xFFFL : c.pc;
            return hex(base + off);
        }

        @Override
        public void parse(Items in, Ctx c) {
            String text = in.next("a label or address");
            if (parseReg(text) != null) throw kind("`" + text + "` is a register, but a label is expected here");
            if (text.startsWith("[")) throw weak("`" + text + "` is a memory operand, but a label is expected here");
            String expr = text.startsWith("#") ? text.substring(1) : text;
            long target = c.eval.applyAsLong(expr);
            long off = target - (t == Target.ADRP ? c.pc & ~0xFFFL : c.pc);
            switch (t) {
                case B26 -> c.set("imm26", pcrel(off, 2, 26, text, "b/bl reach +-128 MiB"));
                case B19 -> c.set("imm19", pcrel(off, 2, 19, text, "this branch/literal reaches +-1 MiB; use b/ldr via a register"));
                case B14 -> c.set("imm14", pcrel(off, 2, 14, text, "tbz/tbnz reach +-32 KiB; use tst + b.cond"));
                case ADR -> {
                    long imm = pcrel(off, 0, 21, text, "adr reaches +-1 MiB; use adrp + add");
                    c.set("immlo", imm & 3);
                    c.set("immhi", imm >> 2);
                }
                case ADRP -> {
                    // ADRP addresses the 4 KiB page holding the target (GNU as: page(target) - page(pc)).
                    long imm = pcrel(off & ~0xFFFL, 12, 21, text, "adrp reaches +-4 GiB");
                    c.set("immlo", imm & 3);
                    c.set("immhi", imm >> 2);
                }
            }
        }
    }

    /** The encoded field value of byte offset {@code off}, scaled by {@code 1 << shift}, in {@code bits} signed bits. */
    static long pcrel(long off, int shift, int bits, String text, String hint) {
        if ((off & ((1L << shift) - 1)) != 0) throw range("`" + text + "`: target is not " + (1 << shift) + "-byte aligned relative to this instruction");
        long imm = off >> shift;
        if (imm < -(1L << (bits - 1)) || imm >= (1L << (bits - 1)))
            throw range("`" + text + "`: target is out of range (" + hint + ")");
        return imm & ((1L << bits) - 1);
    }

    // ------------------------------------------------------------------------------------------
    // Memory operands
    // ------------------------------------------------------------------------------------------

    /** Addressing modes of the load/store memory operand (Arm ARM C1.3.3). */
    enum Mode {
        /** {@code [Xn|SP]} (exclusives, acquire/release) */
        BASE,
        /** {@code [Xn|SP{, #uimm12*scale}]} */
        UOFF,
        /** {@code [Xn|SP{, #simm9}]} (unscaled, unprivileged) */
        SOFF9,
        /** {@code [Xn|SP, #simm9]!} */
        PRE9,
        /** {@code [Xn|SP], #simm9} */
        POST9,
        /** {@code [Xn|SP{, #simm7*scale}]} */
        PAIR,
        /** {@code [Xn|SP, #simm7*scale]!} */
        PAIR_PRE,
        /** {@code [Xn|SP], #simm7*scale} */
        PAIR_POST,
        /** {@code [Xn|SP, (Wm|Xm){, extend {#amount}}]} */
        REG
    }

    /** Access size in bytes of a load/store row: bits [31:30] of the encoding (size, or opc for pairs). */
    static int scale(Encoding row) {
        int top = row.value() >>> 30;
        if (row.kind() == Kind.LDST_PAIR) return top == 2 ? 8 : 4;
        return 1 << top;
    }

    record MemSlot(Mode mode) implements Slot {
        @Override
        public String format(Ctx c) {
            String rn = regName(c.i("Rn"), true, true);
            int scale = scale(c.row);
            return switch (mode) {
                case BASE -> "[" + rn + "]";
                case UOFF -> off(rn, c.get("imm12") * scale);
                case SOFF9 -> off(rn, signed(c.get("imm9"), 9));
                case PRE9 -> "[" + rn + ", #" + signed(c.get("imm9"), 9) + "]!";
                case POST9 -> "[" + rn + "], #" + signed(c.get("imm9"), 9);
                case PAIR -> off(rn, signed(c.get("imm7"), 7) * scale);
                case PAIR_PRE -> "[" + rn + ", #" + signed(c.get("imm7"), 7) * scale + "]!";
                case PAIR_POST -> "[" + rn + "], #" + signed(c.get("imm7"), 7) * scale;
                case REG -> regOffset(c, rn, scale);
            };
        }

        private static String off(String rn, long off) {
            return off == 0 ? "[" + rn + "]" : "[" + rn + ", #" + off + "]";
        }

        /** Register offset: Arm ARM C6.2 "LDR (register)": the amount is log2(size) when S = 1, else 0. */
        private static String regOffset(Ctx c, String rn, int scale) {
            int option = c.i("option");
            if ((option & 2) == 0) throw NotApplicable.INSTANCE; // reserved extend: UNDEFINED
            int amount = Integer.numberOfTrailingZeros(scale);
            boolean s = c.get("S") == 1;
            String rm = regName(c.i("Rm"), (option & 1) == 1, false);
            if (option == 3) return "[" + rn + ", " + rm + (s ? ", lsl #" + amount : "") + "]";
            return "[" + rn + ", " + rm + ", " + EXTEND_NAMES[option] + (s ? " #" + amount : "") + "]";
        }

        @Override
        public void parse(Items in, Ctx c) {
            String text = in.next("a memory operand [xN, ...]");
            String t = text.trim();
            boolean bang = t.endsWith("!");
            if (bang) t = t.substring(0, t.length() - 1).trim();
            if (!t.startsWith("[") || !t.endsWith("]"))
                throw kind("`" + text + "` is not a memory operand (expected [xN], [xN, #imm], [xN, #imm]! or [xN], #imm)");
            List<String> inner = splitTop(t.substring(1, t.length() - 1));
            String base = inner.get(0);
            Reg rn = parseReg(base);
            if (rn == null || !rn.x || (rn.num == 31 && !rn.sp))
                throw kind("`" + base + "`: the base register must be a 64-bit register or sp");
            c.set("Rn", rn.num);
            boolean post = mode == Mode.POST9 || mode == Mode.PAIR_POST;
            boolean pre = mode == Mode.PRE9 || mode == Mode.PAIR_PRE;
            if (bang != pre) throw kind(pre ? "pre-index needs `!`" : "`!` (writeback) is not allowed in this form");
            if (post && inner.size() != 1) throw kind("post-index form is [xN], #imm");
            if (inner.size() > 3) throw kind("`" + text + "`: too many operands inside [ ]");
            String offText;
            if (post) offText = in.next("the post-index immediate");
            else offText = inner.size() > 1 ? inner.get(1) : null;
            int scale = scale(c.row);
            if (mode == Mode.REG) {
                parseRegOffset(c, inner, text, scale);
                return;
            }
            if (inner.size() > 2) throw kind("`" + text + "`: unexpected third operand inside [ ]");
            if (offText != null && !looksLikeImm(offText) && parseReg(offText) != null)
                throw kind("`" + offText + "` is a register, but this form takes an immediate offset");
            long off = offText == null ? 0 : imm(offText, c);
            if (mode == Mode.BASE) {
                if (off != 0) throw range("`" + text + "`: this instruction takes no offset (only [xN])");
                return;
            }
            switch (mode) {
                case UOFF -> {
                    if (off < 0 || off % scale != 0 || off / scale > 4095)
                        throw range("offset " + off + " is not a multiple of " + scale + " in 0.." + 4095 * scale
                                + "; use the unscaled form (ldur/stur) for -256..255 or a register offset");
                    c.set("imm12", off / scale);
                }
                case SOFF9, PRE9, POST9 -> {
                    if (off < -256 || off > 255) throw range("offset " + off + " does not fit in a signed 9-bit immediate (-256..255)");
                    c.set("imm9", off & 0x1FF);
                }
                default -> {
                    if (off % scale != 0 || off / scale < -64 || off / scale > 63)
                        throw range("pair offset " + off + " must be a multiple of " + scale + " in " + (-64 * scale) + ".." + (63 * scale));
                    c.set("imm7", (off / scale) & 0x7F);
                }
            }
        }

        private static void parseRegOffset(Ctx c, List<String> inner, String text, int scale) {
            if (inner.size() < 2) throw kind("`" + text + "`: register offset form is [xN, xM{, lsl #n}]");
            Reg rm = parseReg(inner.get(1));
            if (rm == null || (rm.num == 31 && rm.sp)) throw kind("`" + inner.get(1) + "` is not an offset register");
            int option = 3;
            boolean s = false;
            int amount = Integer.numberOfTrailingZeros(scale);
            if (inner.size() == 3) {
                String[] p = inner.get(2).trim().split("\\s+", 2);
                String name = p[0].toLowerCase(Locale.ROOT);
                option = name.equals("lsl") ? 3 : indexOf(EXTEND_NAMES, name);
                if (option < 0 || (option & 2) == 0) throw range("`" + inner.get(2) + "`: the offset extend must be lsl, uxtw, sxtw or sxtx");
                if (p.length > 1) {
                    long a = imm(p[1], c);
                    if (a != 0 && a != amount) throw range("`" + inner.get(2) + "`: the shift amount must be 0 or " + amount + " for this access size");
                    s = a == amount;
                } else if (name.equals("lsl")) throw range("`" + inner.get(2) + "`: lsl needs an amount");
            }
            if (rm.x != ((option & 1) == 1)) throw kind("`" + inner.get(1) + "`: the offset register must be " + ((option & 1) == 1 ? "an x" : "a w") + " register with "
                    + (option == 3 ? "lsl" : EXTEND_NAMES[option]));
            c.set("Rm", rm.num);
            c.set("option", option);
            c.set("S", s ? 1 : 0);
        }
    }

    // ------------------------------------------------------------------------------------------
    // System instruction operands
    // ------------------------------------------------------------------------------------------

    /** MRS/MSR (register) system register: fields o0 (op0 = 2 + o0), op1, CRn, CRm, op2. */
    record SysRegSlot() implements Slot {
        @Override
        public String format(Ctx c) {
            return SysRegNames.nameOrGeneric(2 + c.i("o0"), c.i("op1"), c.i("CRn"), c.i("CRm"), c.i("op2"));
        }

        @Override
        public void parse(Items in, Ctx c) {
            String t = in.next("a system register");
            SysRegNames.SysReg r = SysRegNames.lookup(t);
            if (r == null) throw kind("`" + t + "` is not a known system register; write it as s<op0>_<op1>_c<CRn>_c<CRm>_<op2>");
            if (r.op0() < 2) throw range("`" + t + "`: MRS/MSR (register) reach only op0 = 2 or 3");
            c.set("o0", r.op0() - 2);
            c.set("op1", r.op1());
            c.set("CRn", r.crn());
            c.set("CRm", r.crm());
            c.set("op2", r.op2());
        }
    }

    /** The generic {@code s0_<op1>_c4_<CRm>_<op2>} name objdump gives an unnamed MSR (immediate). */
    record PstateGenericSlot() implements Slot {
        @Override
        public String format(Ctx c) {
            return SysRegNames.generic(0, c.i("op1"), 4, c.i("CRm"), c.i("op2"));
        }

        @Override
        public void parse(Items in, Ctx c) {
            String t = in.next("a PSTATE field");
            SysRegNames.SysReg r = SysRegNames.lookup(t);
            if (r == null || r.op0() != 0 || r.crn() != 4) throw weak("`" + t + "` is not a PSTATE field");
            c.set("op1", r.op1());
            c.set("CRm", r.crm());
            c.set("op2", r.op2());
        }
    }

    /** {@code C<n>} operand of SYS/SYSL (objdump prints upper-case C). */
    record CrSlot(String field) implements Slot {
        @Override
        public String format(Ctx c) {
            return "C" + c.get(field);
        }

        @Override
        public void parse(Items in, Ctx c) {
            String t = in.next("C<n>");
            if (!t.matches("(?i)c[0-9]{1,2}")) throw kind("`" + t + "` is not a C<n> operand (C0..C15)");
            int n = Integer.parseInt(t.substring(1));
            if (n > 15) throw range("`" + t + "`: C<n> goes up to C15");
            c.set(field, n);
        }
    }

    /** DMB/DSB option names by CRm (Arm ARM C6.2.81 DMB: "<option>"). */
    static final String[] BARRIER = {null, "oshld", "oshst", "osh", null, "nshld", "nshst", "nsh",
            null, "ishld", "ishst", "ish", null, "ld", "st", "sy"};

    record BarrierSlot() implements Slot {
        @Override
        public String format(Ctx c) {
            int crm = c.i("CRm");
            return BARRIER[crm] != null ? BARRIER[crm] : String.format("#0x%02x", crm);
        }

        @Override
        public void parse(Items in, Ctx c) {
            String t = in.next("a barrier option");
            int i = indexOf(BARRIER, t.trim().toLowerCase(Locale.ROOT));
            if (i < 0) {
                if (!looksLikeImm(t)) throw kind("`" + t + "` is not a barrier option (sy, st, ld, ish, ishst, ishld, nsh, ..., or #imm)");
                long v = imm(t, c);
                if (v < 0 || v > 15) throw range("barrier option " + v + " must be 0..15");
                i = (int) v;
            }
            c.set("CRm", i);
        }
    }

    static final String[] PRF_TYPE = {"pld", "pli", "pst"};
    static final String[] PRF_TARGET = {"l1", "l2", "l3"};

    /** PRFM {@code <prfop>}: Rt = type:target:policy (Arm ARM C6.2.248). */
    static String prfop(int rt) {
        int type = rt >> 3, target = (rt >> 1) & 3, policy = rt & 1;
        if (type > 2 || target > 2) return null;
        return PRF_TYPE[type] + PRF_TARGET[target] + (policy == 0 ? "keep" : "strm");
    }

    record PrfopSlot() implements Slot {
        @Override
        public String format(Ctx c) {
            int rt = c.i("Rt");
            String n = prfop(rt);
            return n != null ? n : String.format("#0x%02x", rt);
        }

        @Override
        public void parse(Items in, Ctx c) {
            String t = in.next("a prefetch operation");
            String name = t.trim().toLowerCase(Locale.ROOT);
            for (int rt = 0; rt < 32; rt++)
                if (name.equals(prfop(rt))) {
                    c.set("Rt", rt);
                    return;
                }
            if (!looksLikeImm(t)) throw kind("`" + t + "` is not a prefetch operation (pld|pli|pst + l1|l2|l3 + keep|strm, or #imm)");
            long v = imm(t, c);
            if (v < 0 || v > 31) throw range("prefetch operation " + v + " must be 0..31");
            c.set("Rt", v);
        }
    }

    static int indexOf(String[] a, String s) {
        for (int i = 0; i < a.length; i++) if (s.equals(a[i])) return i;
        return -1;
    }
}
