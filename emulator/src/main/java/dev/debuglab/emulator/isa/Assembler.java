package dev.debuglab.emulator.isa;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A two-pass A64 assembler in GNU {@code as} syntax, driven by the rows of {@link Encodings} and
 * their operand forms in {@link Syntax} (the same description the {@link Disassembler} prints).
 *
 * <pre>{@code
 * Program p = Assembler.assemble(0x40080000L, """
 *         mov   x0, #0x42
 *         msr   daifset, #0xf      // mask D, A, I, F
 *     loop:
 *         ldr   x1, [x2, #8]!
 *         cbnz  x1, loop
 *         brk   #0x42
 *     table:
 *         .quad loop, table + 8
 *     """);
 * long loop = p.symbol("loop");
 * byte[] image = p.bytes();
 * }</pre>
 *
 * <p>Accepted: every mnemonic of the table and the aliases objdump prints; labels (also numeric
 * local labels {@code 1:} with {@code 1b}/{@code 1f}); {@code //}, {@code /* *}{@code /} and
 * {@code ;}-separated statements; {@code .word .long .int .inst .quad .xword .dword .hword .short
 * .byte .2byte .4byte .8byte .align .p2align .balign .skip .space .zero .ascii .asciz .string
 * .equ .set} and {@code name = expr}; section and symbol directives ({@code .text .section .global}
 * ...) are accepted and ignored. Expressions: decimal, hex, binary, character literals, symbols,
 * {@code .}, {@code + - * / % << >> & | ^ ~} and parentheses. Bad input throws
 * {@link AsmException} naming the line, the text, the problem and the fix.
 */
public final class Assembler {

    private final long base;
    private final Map<String, Long> symbols = new LinkedHashMap<>();
    /** Numeric local labels: name -> addresses by statement index. */
    private final Map<String, List<long[]>> numeric = new HashMap<>();
    private final List<Stmt> stmts = new ArrayList<>();

    private record Stmt(int line, String text, List<String> labels, String op, String operands) {}

    private Assembler(long base) {
        this.base = base;
    }

    /** Assembles {@code source} to be placed at {@code base}. */
    public static Program assemble(long base, String source) {
        Assembler a = new Assembler(base);
        a.split(source);
        a.pass(false, null, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Program.Line> lines = new ArrayList<>();
        a.pass(true, out, lines);
        return new Program(base, out.toByteArray(), a.symbols, lines);
    }

    /** Assembles one instruction at {@code address}; labels are not available. */
    public static int assembleOne(long address, String instruction) {
        Program p = assemble(address, instruction);
        if (p.lines().size() != 1 || !p.lines().get(0).instruction())
            throw new AsmException(1, instruction.trim(), "expected exactly one instruction");
        return p.wordAt(address);
    }

    // ------------------------------------------------------------------------------------------

    private void split(String source) {
        String[] lines = source.split("\r?\n", -1);
        boolean inBlock = false;
        for (int n = 0; n < lines.length; n++) {
            StringBuilder clean = new StringBuilder();
            String l = lines[n];
            boolean quoted = false;
            for (int i = 0; i < l.length(); i++) {
                char c = l.charAt(i);
                if (inBlock) {
                    if (c == '*' && i + 1 < l.length() && l.charAt(i + 1) == '/') {
                        inBlock = false;
                        i++;
                    }
                    continue;
                }
                if (c == '"' && (i == 0 || l.charAt(i - 1) != '\\')) quoted = !quoted;
                if (!quoted && c == '/' && i + 1 < l.length() && l.charAt(i + 1) == '/') break;
                if (!quoted && c == '/' && i + 1 < l.length() && l.charAt(i + 1) == '*') {
                    inBlock = true;
                    i++;
                    continue;
                }
                clean.append(c);
            }
            for (String part : splitStatements(clean.toString())) parseStatement(n + 1, part.trim());
        }
    }

    private static List<String> splitStatements(String s) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) quoted = !quoted;
            if (!quoted && c == ';') {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    private void parseStatement(int line, String text) {
        if (text.isEmpty()) return;
        String rest = text;
        List<String> labels = new ArrayList<>();
        while (true) {
            int colon = rest.indexOf(':');
            if (colon <= 0) break;
            String cand = rest.substring(0, colon).trim();
            if (!cand.matches("[A-Za-z_.$][\\w.$]*|[0-9]+")) break;
            labels.add(cand);
            rest = rest.substring(colon + 1).trim();
        }
        String op = "", operands = "";
        if (!rest.isEmpty()) {
            int sp = 0;
            while (sp < rest.length() && !Character.isWhitespace(rest.charAt(sp))) sp++;
            op = rest.substring(0, sp);
            operands = rest.substring(sp).trim();
            // name = expr
            if (operands.startsWith("=") && op.matches("[A-Za-z_.$][\\w.$]*")) {
                operands = op + ", " + operands.substring(1).trim();
                op = ".set";
            } else if (op.contains("=") && !op.startsWith("=")) {
                int eq = rest.indexOf('=');
                operands = rest.substring(0, eq).trim() + ", " + rest.substring(eq + 1).trim();
                op = ".set";
            }
        }
        stmts.add(new Stmt(line, text, labels, op, operands));
    }

    private static final List<String> IGNORED = List.of(".text", ".data", ".bss", ".section", ".global", ".globl",
            ".type", ".size", ".arch", ".cpu", ".local", ".weak", ".file", ".ident", ".hidden", ".func", ".endfunc",
            ".previous", ".pushsection", ".popsection", ".arch_extension", ".ltorg", ".pool", ".end", ".protected");

    /** One pass over the statements. Pass 1 places labels; pass 2 also emits bytes. */
    private void pass(boolean emit, ByteArrayOutputStream out, List<Program.Line> lines) {
        long pc = base;
        for (int si = 0; si < stmts.size(); si++) {
            Stmt s = stmts.get(si);
            for (String l : s.labels) defineLabel(s, si, l, pc, emit);
            if (s.op.isEmpty()) continue;
            String op = s.op.toLowerCase(Locale.ROOT);
            long start = pc;
            int idx = si;
            Eval ev = new Eval(s, idx, pc, emit);
            try {
                if (op.startsWith(".")) {
                    byte[] data = directive(s, op, ev, pc, emit);
                    if (data == null) continue;
                    if (emit) {
                        out.write(data, 0, data.length);
                        if (data.length > 0) lines.add(new Program.Line(start, data.length, s.line, s.text, false));
                    }
                    pc += data.length;
                } else {
                    if ((pc & 3) != 0) throw new AsmException(s.line, s.text, String.format("instruction at %#x is not 4-byte aligned; add .align 2 before it", pc));
                    if (emit) {
                        int word = encode(s, ev, pc);
                        writeLe(out, word, 4);
                        lines.add(new Program.Line(start, 4, s.line, s.text, true));
                    } else if (Syntax.formsOf(op) == null && !op.startsWith("b.")) {
                        throw new AsmException(s.line, s.text, "unknown mnemonic `" + s.op + "`" + suggestion(op));
                    }
                    pc += 4;
                }
            } catch (Operands.Mismatch m) {
                throw new AsmException(s.line, s.text, m.getMessage());
            }
        }
    }

    private static String suggestion(String op) {
        for (String m : Syntax.mnemonics())
            if (m.length() > 2 && (m.startsWith(op) || op.startsWith(m))) return "; did you mean `" + m + "`?";
        return "";
    }

    private void defineLabel(Stmt s, int si, String l, long pc, boolean emit) {
        if (l.matches("[0-9]+")) {
            if (!emit) numeric.computeIfAbsent(l, k -> new ArrayList<>()).add(new long[] {si, pc});
            return;
        }
        if (!emit) {
            if (symbols.containsKey(l)) throw new AsmException(s.line, s.text, "label `" + l + "` is defined twice; rename one");
            symbols.put(l, pc);
        } else if (symbols.get(l) != pc) {
            throw new IllegalStateException("label " + l + " moved between passes");
        }
    }

    private int encode(Stmt s, Eval ev, long pc) {
        try {
            return Syntax.assemble(s.op, s.operands, pc, ev::eval);
        } catch (Operands.Mismatch m) {
            throw new AsmException(s.line, s.text, m.getMessage());
        }
    }

    private byte[] directive(Stmt s, String op, Eval ev, long pc, boolean emit) {
        List<String> args = Operands.splitTop(s.operands);
        switch (op) {
            case ".word", ".long", ".int", ".4byte", ".inst" -> { return data(args, 4, ev, emit); }
            case ".quad", ".xword", ".dword", ".8byte" -> { return data(args, 8, ev, emit); }
            case ".hword", ".short", ".2byte", ".half" -> { return data(args, 2, ev, emit); }
            case ".byte" -> { return data(args, 1, ev, emit); }
            case ".align", ".p2align", ".balign", ".balignw", ".balignl" -> {
                if (args.isEmpty()) throw new AsmException(s.line, s.text, op + " needs an alignment");
                long a = ev.evalNow(args.get(0));
                long align = op.startsWith(".b") ? a : 1L << a;
                if (align <= 0 || Long.bitCount(align) != 1 || (!op.startsWith(".b") && a > 16))
                    throw new AsmException(s.line, s.text, "alignment must be a power of two (" + op + (op.startsWith(".b") ? " takes bytes" : " takes log2 of bytes") + ")");
                int pad = (int) ((align - (pc & (align - 1))) & (align - 1));
                Long fill = args.size() > 1 && !args.get(1).isEmpty() ? ev.evalNow(args.get(1)) : null;
                byte[] b = new byte[pad];
                // In code GNU as pads with NOPs once 4-byte aligned, like aarch64_handle_align.
                for (int i = 0; i < pad; i++) {
                    long at = pc + i;
                    if (fill != null) b[i] = (byte) (long) fill;
                    else if ((at & 3) == 0 && i + 4 <= pad) {
                        putLe(b, i, 0xD503201F, 4);
                        i += 3;
                    }
                }
                return b;
            }
            case ".skip", ".space", ".zero" -> {
                if (args.isEmpty()) throw new AsmException(s.line, s.text, op + " needs a size");
                long n = ev.evalNow(args.get(0));
                if (n < 0 || n > (1 << 26)) throw new AsmException(s.line, s.text, "size " + n + " is out of range");
                byte[] b = new byte[(int) n];
                if (args.size() > 1) java.util.Arrays.fill(b, (byte) ev.evalNow(args.get(1)));
                return b;
            }
            case ".ascii", ".asciz", ".string" -> {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (String a : args) {
                    byte[] str = unquote(s, a);
                    b.write(str, 0, str.length);
                    if (!op.equals(".ascii")) b.write(0);
                }
                return b.toByteArray();
            }
            case ".equ", ".set" -> {
                if (args.size() != 2) throw new AsmException(s.line, s.text, op + " takes `name, expression`");
                String name = args.get(0);
                long v = ev.evalNow(args.get(1));
                if (!emit && symbols.containsKey(name) && !s.text.contains(".set"))
                    throw new AsmException(s.line, s.text, "symbol `" + name + "` is already defined");
                symbols.put(name, v);
                return null;
            }
            case ".org" -> {
                long target = ev.evalNow(args.get(0));
                if (target < pc) throw new AsmException(s.line, s.text, String.format(".org %#x moves backwards from %#x", target, pc));
                return new byte[(int) (target - pc)];
            }
            default -> {
                if (IGNORED.contains(op) || op.startsWith(".cfi_")) return null;
                throw new AsmException(s.line, s.text, "unknown directive `" + s.op + "`");
            }
        }
    }

    private byte[] data(List<String> args, int size, Eval ev, boolean emit) {
        byte[] b = new byte[args.size() * size];
        if (!emit) return b;
        for (int i = 0; i < args.size(); i++) {
            // In GNU as, `.` inside a data directive is the address of the item being emitted.
            long v = ev.at(ev.pc + (long) i * size).eval(args.get(i));
            if (size < 8) {
                long min = -(1L << (size * 8 - 1)), max = (1L << (size * 8)) - 1;
                if (v < min || v > max) throw Operands.range("value " + args.get(i) + " does not fit in " + size + " byte(s)");
            }
            putLe(b, i * size, v, size);
        }
        return b;
    }

    private static byte[] unquote(Stmt s, String a) {
        String t = a.trim();
        if (t.length() < 2 || !t.startsWith("\"") || !t.endsWith("\""))
            throw new AsmException(s.line, s.text, "expected a quoted string, got " + a);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 1; i < t.length() - 1; i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length() - 1) {
                char e = t.charAt(++i);
                switch (e) {
                    case 'n' -> b.write('\n');
                    case 't' -> b.write('\t');
                    case 'r' -> b.write('\r');
                    case '0' -> b.write(0);
                    case '\\' -> b.write('\\');
                    case '"' -> b.write('"');
                    default -> b.write(e);
                }
            } else {
                byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                b.write(u, 0, u.length);
            }
        }
        return b.toByteArray();
    }

    private static void writeLe(ByteArrayOutputStream out, long v, int size) {
        for (int i = 0; i < size; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
    }

    private static void putLe(byte[] b, int off, long v, int size) {
        for (int i = 0; i < size; i++) b[off + i] = (byte) (v >>> (8 * i));
    }

    // ------------------------------------------------------------------------------------------
    // Expressions
    // ------------------------------------------------------------------------------------------

    /** Expression evaluation for one statement ({@code .} is its address). */
    private final class Eval {
        final Stmt s;
        final int index;
        final long pc;
        final boolean lastPass;
        String text;
        int pos;

        Eval(Stmt s, int index, long pc, boolean lastPass) {
            this.s = s;
            this.index = index;
            this.pc = pc;
            this.lastPass = lastPass;
        }

        Eval at(long address) {
            return new Eval(s, index, address, lastPass);
        }

        /** Evaluates now; symbols must already be defined (sizes, alignments, .equ). */
        long evalNow(String e) {
            try {
                return eval(e, true);
            } catch (Operands.Mismatch m) {
                throw new AsmException(s.line, s.text, m.getMessage());
            }
        }

        long eval(String e) {
            return eval(e, lastPass);
        }

        private boolean strict;

        long eval(String e, boolean strict) {
            this.strict = strict;
            text = e.trim();
            pos = 0;
            long v = or();
            skip();
            if (pos < text.length()) throw Operands.kind("cannot parse expression `" + e + "` at `" + text.substring(pos) + "`");
            return v;
        }

        void skip() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        }

        boolean eat(String t) {
            skip();
            if (text.startsWith(t, pos)) {
                pos += t.length();
                return true;
            }
            return false;
        }

        long or() {
            long v = xor();
            while (true) {
                skip();
                if (pos < text.length() && text.charAt(pos) == '|' ) { pos++; v |= xor(); } else return v;
            }
        }

        long xor() {
            long v = and();
            while (eat("^")) v ^= and();
            return v;
        }

        long and() {
            long v = shift();
            while (true) {
                skip();
                if (pos < text.length() && text.charAt(pos) == '&') { pos++; v &= shift(); } else return v;
            }
        }

        long shift() {
            long v = sum();
            while (true) {
                if (eat("<<")) v <<= sum();
                else if (eat(">>")) v >>= sum();
                else return v;
            }
        }

        long sum() {
            long v = product();
            while (true) {
                if (eat("+")) v += product();
                else if (eat("-")) v -= product();
                else return v;
            }
        }

        long product() {
            long v = unary();
            while (true) {
                skip();
                if (eat("*")) v *= unary();
                else if (pos < text.length() && text.charAt(pos) == '/' ) {
                    pos++;
                    long d = unary();
                    if (d == 0) throw Operands.range("division by zero in `" + text + "`");
                    v /= d;
                } else if (eat("%")) {
                    long d = unary();
                    if (d == 0) throw Operands.range("division by zero in `" + text + "`");
                    v %= d;
                } else return v;
            }
        }

        long unary() {
            if (eat("-")) return -unary();
            if (eat("+")) return unary();
            if (eat("~")) return ~unary();
            if (eat("(")) {
                long v = or();
                if (!eat(")")) throw Operands.kind("missing `)` in `" + text + "`");
                return v;
            }
            return atom();
        }

        long atom() {
            skip();
            if (pos >= text.length()) throw Operands.kind("missing value in expression `" + text + "`");
            char c = text.charAt(pos);
            if (c == '\'') {
                if (pos + 2 < text.length() && text.charAt(pos + 2) == '\'') {
                    long v = text.charAt(pos + 1);
                    pos += 3;
                    return v;
                }
                throw Operands.kind("bad character literal in `" + text + "`");
            }
            if (Character.isDigit(c)) {
                int start = pos;
                while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
                String num = text.substring(start, pos).toLowerCase(Locale.ROOT);
                if (num.matches("[0-9]+[bf]")) return localLabel(num);
                try {
                    if (num.startsWith("0x")) return Long.parseUnsignedLong(num.substring(2), 16);
                    if (num.startsWith("0b")) return Long.parseUnsignedLong(num.substring(2), 2);
                    return Long.parseUnsignedLong(num);
                } catch (NumberFormatException e) {
                    throw Operands.kind("`" + num + "` is not a number");
                }
            }
            if (c == '.' && (pos + 1 >= text.length() || !isSymbolChar(text.charAt(pos + 1)))) {
                pos++;
                return pc;
            }
            if (Character.isLetter(c) || c == '_' || c == '.' || c == '$') {
                int start = pos;
                while (pos < text.length() && isSymbolChar(text.charAt(pos))) pos++;
                String name = text.substring(start, pos);
                Long v = symbols.get(name);
                if (v == null) {
                    if (!strict) return pc;
                    throw Operands.range("undefined symbol `" + name + "`; define it as a label (`" + name + ":`) or with .equ");
                }
                return v;
            }
            throw Operands.kind("unexpected `" + c + "` in expression `" + text + "`");
        }

        long localLabel(String ref) {
            String name = ref.substring(0, ref.length() - 1);
            boolean back = ref.endsWith("b");
            List<long[]> defs = numeric.get(name);
            long[] best = null;
            if (defs != null) for (long[] d : defs) {
                if (back && d[0] <= index) best = d;
                if (!back && d[0] > index && best == null) best = d;
            }
            if (best == null) {
                if (!strict) return pc;
                throw Operands.range("no local label `" + name + ":` " + (back ? "before" : "after") + " this line");
            }
            return best[1];
        }

        boolean isSymbolChar(char ch) {
            return Character.isLetterOrDigit(ch) || ch == '_' || ch == '.' || ch == '$';
        }
    }
}
