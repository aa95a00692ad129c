/* DebugLab guest library for freestanding C test programs (see dl_lib.S). */
#ifndef DL_H
#define DL_H
void dl_putc(int c);
void dl_puts(const char *s);
void dl_newline(void);
void dl_print_hex(unsigned long v);
void dl_print_udec(unsigned long v);
void dl_print_dec(long v);
void dl_write0(const char *s);
void dl_exit(int code) __attribute__((noreturn));
#endif
