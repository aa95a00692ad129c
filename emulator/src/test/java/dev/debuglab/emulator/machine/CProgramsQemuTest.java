package dev.debuglab.emulator.machine;

import dev.debuglab.emulator.testkit.Batch;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Freestanding C programs compiled by gcc at -O0 and -O2, all in one QEMU boot, printing through
 * the UART: the emulator must print exactly what QEMU prints. Together they cover the integer
 * instruction set gcc actually emits (address arithmetic, loads/stores of every size, divides,
 * variable shifts, multiply-high, conditional selects, bit counting, calls and recursion).
 */
class CProgramsQemuTest {
    static final String SORT = """
            #include "dl.h"
            static long data[64];
            static unsigned long seed = 12345;
            static unsigned long rnd(void) { seed = seed * 6364136223846793005UL + 1442695040888963407UL; return seed >> 33; }
            static void quicksort(long *a, int lo, int hi) {
                if (lo >= hi) return;
                long p = a[(lo + hi) / 2]; int i = lo, j = hi;
                while (i <= j) {
                    while (a[i] < p) i++;
                    while (a[j] > p) j--;
                    if (i <= j) { long t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
                }
                quicksort(a, lo, j); quicksort(a, i, hi);
            }
            int main(void) {
                for (int i = 0; i < 64; i++) data[i] = (long) (rnd() % 2001) - 1000;
                quicksort(data, 0, 63);
                for (int i = 0; i < 64; i++) { dl_print_dec(data[i]); dl_putc(i % 8 == 7 ? '\\n' : ' '); }
                for (int i = 1; i < 64; i++) if (data[i - 1] > data[i]) return 1;
                return 0;
            }
            """;

    static final String STRINGS = """
            #include "dl.h"
            static int my_strcmp(const char *a, const char *b) { while (*a && *a == *b) { a++; b++; } return (unsigned char) *a - (unsigned char) *b; }
            static void reverse(char *s) { int n = 0; while (s[n]) n++; for (int i = 0; i < n / 2; i++) { char t = s[i]; s[i] = s[n - 1 - i]; s[n - 1 - i] = t; } }
            static int count_words(const char *s) { int n = 0, in = 0; for (; *s; s++) { if (*s == ' ') in = 0; else if (!in) { in = 1; n++; } } return n; }
            int main(void) {
                char buf[64] = "the quick brown fox jumps over the lazy dog";
                dl_print_dec(count_words(buf)); dl_newline();
                reverse(buf); dl_puts(buf); dl_newline();
                for (char *p = buf; *p; p++) if (*p >= 'a' && *p <= 'z') *p -= 32;
                dl_puts(buf); dl_newline();
                dl_print_dec(my_strcmp("abc", "abd")); dl_newline();
                dl_print_dec(my_strcmp("abc", "ab")); dl_newline();
                char copy[64]; for (int i = 0; i < 64; i++) copy[i] = buf[i];
                dl_print_dec(my_strcmp(copy, buf)); dl_newline();
                return 0;
            }
            """;

    static final String ARITH = """
            #include "dl.h"
            static volatile long vals[] = {0, 1, -1, 7, -7, 3, 1000000007, -1000000007, 0x7fffffffffffffffL, (long) 0x8000000000000000UL, 0x123456789abcdefL, 255, 65536};
            #define N (int) (sizeof vals / sizeof vals[0])
            int main(void) {
                unsigned long h = 0;
                for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) {
                    long a = vals[i], b = vals[j];
                    unsigned long ua = (unsigned long) a, ub = (unsigned long) b;
                    long q = (b == 0 || (a == (long) 0x8000000000000000UL && b == -1)) ? 0 : a / b;
                    long r = (b == 0 || (a == (long) 0x8000000000000000UL && b == -1)) ? 0 : a % b;
                    unsigned long uq = ub ? ua / ub : 0, ur = ub ? ua % ub : 0;
                    int ia = (int) a, ib = (int) b;
                    int iq = (ib == 0 || (ia == (int) 0x80000000u && ib == -1)) ? 0 : ia / ib;
                    unsigned __int128 wide = (unsigned __int128) ua * ub;
                    __int128 swide = (__int128) a * b;
                    h = h * 31 + (unsigned long) q; h = h * 31 + (unsigned long) r; h = h * 31 + uq; h = h * 31 + ur;
                    h = h * 31 + (unsigned) iq;
                    h = h * 31 + (ua << (ub & 63)) + (ua >> (ub & 63)) + (unsigned long) (a >> (b & 63));
                    h = h * 31 + (unsigned) ((unsigned) ia << (ib & 31)) + (unsigned) (ia >> (ib & 31));
                    h = h * 31 + (unsigned long) (wide >> 64) + (unsigned long) (swide >> 64) + (unsigned long) wide;
                    h = h * 31 + (a < b) + 2 * (ua < ub) + 4 * (ia == ib);
                }
                dl_print_hex(h); dl_newline();
                dl_print_dec(__builtin_clzl(0x00f0000000000000UL)); dl_putc(' ');
                dl_print_dec(__builtin_ctzl(0x0000100000000000UL)); dl_putc(' ');
                dl_print_dec(__builtin_popcountl(0xf0f0f0f0f0f0f0f1UL)); dl_putc(' ');
                dl_print_hex(__builtin_bswap64(0x0102030405060708UL)); dl_newline();
                return (int) (h & 0x7f);
            }
            """;

    static final String RECURSION = """
            #include "dl.h"
            static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
            static unsigned long ackermann(unsigned long m, unsigned long n) {
                if (m == 0) return n + 1;
                if (n == 0) return ackermann(m - 1, 1);
                return ackermann(m - 1, ackermann(m, n - 1));
            }
            static int hanoi(int n, int from, int to, int via) { if (n == 0) return 0; return hanoi(n - 1, from, via, to) + 1 + hanoi(n - 1, via, to, from); }
            int main(void) {
                for (int i = 0; i <= 20; i += 5) { dl_print_dec(fib(i)); dl_putc(' '); }
                dl_newline();
                dl_print_dec((long) ackermann(2, 3)); dl_putc(' '); dl_print_dec((long) ackermann(3, 3)); dl_newline();
                dl_print_dec(hanoi(12, 1, 3, 2)); dl_newline();
                return 0;
            }
            """;

    static final String CHECKSUM = """
            #include "dl.h"
            static unsigned crc32(const unsigned char *p, int n) {
                unsigned c = 0xffffffffu;
                for (int i = 0; i < n; i++) { c ^= p[i]; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1)); }
                return ~c;
            }
            static unsigned adler32(const unsigned char *p, int n) {
                unsigned a = 1, b = 0;
                for (int i = 0; i < n; i++) { a = (a + p[i]) % 65521; b = (b + a) % 65521; }
                return (b << 16) | a;
            }
            struct rec { unsigned char tag; unsigned short len; unsigned value; unsigned long long big; };
            int main(void) {
                static const char text[] = "The quick brown fox jumps over the lazy dog";
                dl_print_hex(crc32((const unsigned char *) text, sizeof text - 1)); dl_newline();
                dl_print_hex(adler32((const unsigned char *) text, sizeof text - 1)); dl_newline();
                struct rec r[4];
                for (int i = 0; i < 4; i++) { r[i].tag = (unsigned char) (0xf0 + i); r[i].len = (unsigned short) (i * 1000); r[i].value = 0xdeadbeefu >> i; r[i].big = 0x0123456789abcdefULL << i; }
                dl_print_hex(crc32((const unsigned char *) &r[1].value, 4)); dl_newline();
                unsigned long sum = 0;
                for (int i = 0; i < 4; i++) sum += r[i].tag + r[i].len + r[i].value + r[i].big;
                dl_print_hex(sum); dl_newline();
                return 0;
            }
            """;

    @Test
    void cProgramsPrintTheSameOnQemuAndDebugLab() {
        Batch b = new Batch("c-programs");
        for (String opt : new String[] {"-O0", "-O2"}) {
            b.c("sort" + opt, SORT, opt);
            b.c("strings" + opt, STRINGS, opt);
            b.c("arith" + opt, ARITH, opt);
            b.c("recursion" + opt, RECURSION, opt);
            b.c("checksum" + opt, CHECKSUM, opt);
        }
        Map<String, Batch.CaseResult> r = b.assertSameOnBoth();
        // The programs check themselves too; a known value guards against both engines agreeing on nonsense.
        org.junit.jupiter.api.Assertions.assertEquals("0x00000000414fa339\n0x5bdc0fda\n".substring(0, 19),
                r.get("checksum-O2").output().substring(0, 19), "CRC-32 of the fox sentence");
        org.junit.jupiter.api.Assertions.assertEquals(0, r.get("sort-O0").returned());
        org.junit.jupiter.api.Assertions.assertTrue(r.get("recursion-O2").output().startsWith("0 5 55 610 6765 \n9 61\n4095\n"),
                r.get("recursion-O2").output());
    }
}
