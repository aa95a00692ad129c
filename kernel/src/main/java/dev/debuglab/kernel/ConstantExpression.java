package dev.debuglab.kernel;

/**
 * The kernel's fast path for a cell that is only a constant expression ({@code 1+1}, {@code 1 << 13 | 0x42},
 * {@code "EC " + 0x3C}): evaluated here with Java's rules (JLS 15: binary numeric promotion to int, long or double,
 * int/long overflow wraps, shift distances masked, integer division by zero throws {@link ArithmeticException}), so
 * it does not wait for javac (JShell compiles every snippet: ~50–300 ms). Anything else — a name, a call, a cast, a
 * char, an octal literal, an int literal out of range, {@code ==} on strings — returns {@link #NOT_CONSTANT} and
 * goes to JShell as usual. The one visible difference: no {@code $N} variable is created for the value.
 */
final class ConstantExpression {
    static final Object NOT_CONSTANT = new Object();

    private final String s;
    private int i;

    private ConstantExpression(String s) {
        this.s = s;
    }

    private static final class NotConstant extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotConstant() {
            super(null, null, false, false);
        }
    }

    /** The value (Integer, Long, Double, Boolean or String) or {@link #NOT_CONSTANT}; throws ArithmeticException as Java would. */
    static Object eval(String source) {
        String src = source.strip();
        while (src.endsWith(";")) src = src.substring(0, src.length() - 1).strip();
        if (src.isEmpty() || src.length() > 200) return NOT_CONSTANT;
        ConstantExpression p = new ConstantExpression(src);
        try {
            Object v = p.expr(0);
            p.skip();
            return p.i == src.length() ? v : NOT_CONSTANT;
        } catch (NotConstant e) {
            return NOT_CONSTANT;
        }
    }

    // precedence climbing, JLS 15.7 ordering
    private static int prec(String op) {
        return switch (op) {
            case "||" -> 1;
            case "&&" -> 2;
            case "|" -> 3;
            case "^" -> 4;
            case "&" -> 5;
            case "==", "!=" -> 6;
            case "<", ">", "<=", ">=" -> 7;
            case "<<", ">>", ">>>" -> 8;
            case "+", "-" -> 9;
            case "*", "/", "%" -> 10;
            default -> -1;
        };
    }

    private static final String[] OPS = {">>>", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+", "-", "*", "/", "%", "<", ">", "&", "|", "^"};

    private String peekOp() {
        skip();
        for (String op : OPS) {
            if (s.startsWith(op, i)) {
                // "a >>= b", "a += b": assignments are not constant expressions
                if (i + op.length() < s.length() && s.charAt(i + op.length()) == '=' && !op.equals("<") && !op.equals(">")) throw new NotConstant();
                return op;
            }
        }
        return null;
    }

    private Object expr(int minPrec) {
        Object left = unary();
        while (true) {
            String op = peekOp();
            if (op == null || prec(op) < minPrec || prec(op) < 0) return left;
            i += op.length();
            Object right = expr(prec(op) + 1);
            left = binary(op, left, right);
        }
    }

    private Object unary() {
        skip();
        if (i >= s.length()) throw new NotConstant();
        char c = s.charAt(i);
        if (c == '-' || c == '+' || c == '~' || c == '!') {
            if (i + 1 < s.length() && (s.charAt(i + 1) == c && c != '!' && c != '~')) throw new NotConstant(); // -- ++
            i++;
            Object v = unary();
            return switch (c) {
                case '-' -> v instanceof Integer x ? (Object) (-x) : v instanceof Long x ? (Object) (-x) : v instanceof Double x ? (Object) (-x) : fail();
                case '+' -> v instanceof Number ? v : fail();
                case '~' -> v instanceof Integer x ? (Object) (~x) : v instanceof Long x ? (Object) (~x) : fail();
                default -> v instanceof Boolean b ? (Object) (!b) : fail();
            };
        }
        if (c == '(') {
            i++;
            Object v = expr(0);
            skip();
            if (i >= s.length() || s.charAt(i) != ')') throw new NotConstant();
            i++;
            return v;
        }
        if (c == '"') return string();
        if (Character.isDigit(c) || c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) return number();
        if (s.startsWith("true", i) && !identPart(i + 4)) {
            i += 4;
            return Boolean.TRUE;
        }
        if (s.startsWith("false", i) && !identPart(i + 5)) {
            i += 5;
            return Boolean.FALSE;
        }
        throw new NotConstant();
    }

    private boolean identPart(int at) {
        return at < s.length() && Character.isJavaIdentifierPart(s.charAt(at));
    }

    private Object string() {
        StringBuilder b = new StringBuilder();
        i++;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c == '\n') throw new NotConstant();
            if (c == '\\') {
                if (i >= s.length()) throw new NotConstant();
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case '"' -> b.append('"');
                    case '\\' -> b.append('\\');
                    case '\'' -> b.append('\'');
                    default -> throw new NotConstant();
                }
            } else b.append(c);
        }
        throw new NotConstant();
    }

    private Object number() {
        int start = i;
        boolean hex = s.startsWith("0x", i) || s.startsWith("0X", i);
        if (hex) {
            i += 2;
            while (i < s.length() && (Character.digit(s.charAt(i), 16) >= 0 || s.charAt(i) == '_')) i++;
        } else {
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.'
                    || s.charAt(i) == 'e' || s.charAt(i) == 'E'
                    || (s.charAt(i) == '-' || s.charAt(i) == '+') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E'))) i++;
        }
        String digits = s.substring(start, i).replace("_", "");
        char suffix = i < s.length() ? s.charAt(i) : ' ';
        if (identPart(i) && "lLdDfF".indexOf(suffix) < 0) throw new NotConstant();
        if (identPart(i + 1) && "lLdDfF".indexOf(suffix) >= 0) throw new NotConstant();
        try {
            if (hex) {
                String h = digits.substring(2);
                if (h.isEmpty()) throw new NotConstant();
                if (suffix == 'l' || suffix == 'L') {
                    i++;
                    if (h.length() > 16) throw new NotConstant();
                    return Long.parseUnsignedLong(h, 16);
                }
                if (suffix == 'd' || suffix == 'D' || suffix == 'f' || suffix == 'F') throw new NotConstant();
                if (h.length() > 8) throw new NotConstant();
                return (int) Long.parseLong(h, 16);
            }
            boolean floating = digits.contains(".") || digits.contains("e") || digits.contains("E");
            if (suffix == 'f' || suffix == 'F') throw new NotConstant(); // float arithmetic: leave it to javac
            if (suffix == 'd' || suffix == 'D' || floating) {
                if (suffix == 'd' || suffix == 'D') i++;
                return Double.parseDouble(digits);
            }
            if (digits.length() > 1 && digits.startsWith("0")) throw new NotConstant(); // octal
            if (suffix == 'l' || suffix == 'L') {
                i++;
                return Long.parseLong(digits);
            }
            long v = Long.parseLong(digits);
            if (v > Integer.MAX_VALUE) throw new NotConstant(); // "2147483648" is a compile error unless negated: javac says
            return (int) v;
        } catch (NumberFormatException e) {
            throw new NotConstant();
        }
    }

    private void skip() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        if (s.startsWith("//", i) || s.startsWith("/*", i)) throw new NotConstant();
    }

    private static Object fail() {
        throw new NotConstant();
    }

    private static Object binary(String op, Object a, Object b) {
        if (op.equals("+") && (a instanceof String || b instanceof String)) return String.valueOf(a) + b;
        if (a instanceof String || b instanceof String) throw new NotConstant();
        if (op.equals("&&") || op.equals("||")) {
            if (!(a instanceof Boolean x) || !(b instanceof Boolean y)) throw new NotConstant();
            return op.equals("&&") ? x && y : x || y;
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return switch (op) {
                case "==" -> x.equals(y);
                case "!=" -> !x.equals(y);
                case "&" -> x & y;
                case "|" -> x | y;
                case "^" -> x ^ y;
                default -> throw new NotConstant();
            };
        }
        if (!(a instanceof Number x) || !(b instanceof Number y)) throw new NotConstant();
        if (op.equals("<<") || op.equals(">>") || op.equals(">>>")) {
            if (x instanceof Double || y instanceof Double) throw new NotConstant();
            int d = (int) y.longValue();
            if (x instanceof Integer v) return op.equals("<<") ? v << d : op.equals(">>") ? v >> d : v >>> d;
            long v = x.longValue();
            return op.equals("<<") ? v << d : op.equals(">>") ? v >> d : v >>> d;
        }
        if (x instanceof Double || y instanceof Double) {
            double p = x.doubleValue(), q = y.doubleValue();
            return switch (op) {
                case "+" -> p + q;
                case "-" -> p - q;
                case "*" -> p * q;
                case "/" -> p / q;
                case "%" -> p % q;
                case "<" -> p < q;
                case ">" -> p > q;
                case "<=" -> p <= q;
                case ">=" -> p >= q;
                case "==" -> p == q;
                case "!=" -> p != q;
                default -> throw new NotConstant();
            };
        }
        if (x instanceof Long || y instanceof Long) {
            long p = x.longValue(), q = y.longValue();
            return switch (op) {
                case "+" -> p + q;
                case "-" -> p - q;
                case "*" -> p * q;
                case "/" -> p / q; // ArithmeticException("/ by zero"), as Java
                case "%" -> p % q;
                case "<" -> p < q;
                case ">" -> p > q;
                case "<=" -> p <= q;
                case ">=" -> p >= q;
                case "==" -> p == q;
                case "!=" -> p != q;
                case "&" -> p & q;
                case "|" -> p | q;
                case "^" -> p ^ q;
                default -> throw new NotConstant();
            };
        }
        int p = x.intValue(), q = y.intValue();
        return switch (op) {
            case "+" -> p + q;
            case "-" -> p - q;
            case "*" -> p * q;
            case "/" -> p / q;
            case "%" -> p % q;
            case "<" -> p < q;
            case ">" -> p > q;
            case "<=" -> p <= q;
            case ">=" -> p >= q;
            case "==" -> p == q;
            case "!=" -> p != q;
            case "&" -> p & q;
            case "|" -> p | q;
            case "^" -> p ^ q;
            default -> throw new NotConstant();
        };
    }
}
