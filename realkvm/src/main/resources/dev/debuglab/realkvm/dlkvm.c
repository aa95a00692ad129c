/*
 * dlkvm: DebugLab's userspace KVM driver for real KVM/arm64.
 *
 * Runs inside the initramfs of an arm64 kernel booted under qemu-system-aarch64 with EL2. It reads a
 * scenario script (text, one operation per line; written by dev.debuglab.realkvm.Script, which the
 * model side interprets with the same meaning) and replays it through /dev/kvm with the real
 * ioctls. Every observation is printed as one console line starting with "DLKVM ", in the format the
 * Java side parses (dev.debuglab.realkvm.ConsoleParser).
 *
 * Operations (numbers in hex with 0x, or decimal):
 *   S id                 start of a scenario            -> "DLKVM S id"
 *   VM                   fresh VM (2 MiB RAM at IPA 0x40000000, one vCPU, PSCI 0.2), rules cleared
 *   L addr hexbytes      write bytes to guest RAM
 *   SET id value         KVM_SET_ONE_REG (64-bit)       -> "DLKVM O set id value ret"
 *   SETQ id value        KVM_SET_ONE_REG, result not reported (PC, arguments)
 *   GET id               KVM_GET_ONE_REG                -> "DLKVM O get id ret value"
 *   HAS id               id in KVM_GET_REG_LIST?        -> "DLKVM O has id 0|1"
 *   CAP n                KVM_CHECK_EXTENSION (VM fd)    -> "DLKVM O cap n value"
 *   INIT                 KVM_ARM_VCPU_INIT again        -> "DLKVM O init ret"
 *   SAME                 GET then SET the same value for every listed register -> "DLKVM O same failures first-failing-id"
 *   GD ctl bcr0 bvr0 wcr0 wvr0   KVM_SET_GUEST_DEBUG    -> "DLKVM O gd ctl ret"
 *   RD ec minpc action...  rule for KVM_EXIT_DEBUG: first rule whose EC (-1 = any) and PC (>= minpc)
 *                        match applies; action SKIP (PC += 4), GD ctl bcr0 bvr0 wcr0 wvr0, or CONT
 *   RT tag GD ctl bcr0 bvr0 wcr0 wvr0   rule for a guest-log value with this tag (applied in that MMIO exit)
 *   RUN                  KVM_RUN until PSCI SYSTEM_OFF; MMIO writes to the guest log -> "DLKVM M off len data";
 *                        debug exits -> "DLKVM X hsr hsr_high far flags pc"; end -> "DLKVM E off|..."
 *   END                  end of a scenario              -> "DLKVM Z id"
 * ret is 0 or -errno. Before the script: "DLKVM H release", or "DLKVM NOKVM errno" when /dev/kvm is missing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <unistd.h>

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (2ULL << 20)
#define LOG_BASE 0x09010000ULL
#define LOG_SIZE 0x1000ULL
#define LOG_TAG 0x38
#define LOG_VALUE 0x40
#define MAX_RULES 16
#define MAX_RUNS 100000
#define RUN_SECONDS 10

#define CORE_REG(x) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (offsetof(struct kvm_regs, x) / sizeof(__u32)))

struct gd { uint64_t ctl, bcr0, bvr0, wcr0, wvr0; };
struct rule {
    int on_tag;            /* 0: debug-exit rule, 1: log-tag rule */
    int64_t ec;            /* debug rule: EC or -1 */
    uint64_t minpc, tag;
    int action;            /* 0 CONT, 1 SKIP, 2 GD */
    struct gd gd;
};

static int kvm = -1, vmfd = -1, vcpu = -1, runsize;
static struct kvm_run *run;
static uint8_t *ram;
static struct rule rules[MAX_RULES];
static int nrules;
static uint64_t logtag;
static char line[1 << 20];

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...) {
    char buf[512];
    int n = snprintf(buf, sizeof buf, "DLKVM ");
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(buf + n, sizeof buf - n - 2, fmt, ap);
    va_end(ap);
    buf[n++] = '\n';
    /* one write per line, so that kernel messages cannot split it */
    if (write(1, buf, n) < 0) _exit(3);
}

static uint64_t num(const char *s) { return strtoull(s, NULL, 0); }

static void close_vm(void) {
    if (run) munmap(run, runsize);
    if (ram) munmap(ram, RAM_SIZE);
    if (vcpu >= 0) close(vcpu);
    if (vmfd >= 0) close(vmfd);
    run = NULL; ram = NULL; vcpu = vmfd = -1;
}

static int vcpu_init(void) {
    struct kvm_vcpu_init init;
    memset(&init, 0, sizeof init);
    if (ioctl(vmfd, KVM_ARM_PREFERRED_TARGET, &init) < 0) return -errno;
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) < 0) return -errno;
    return 0;
}

static void fatal(const char *what) {
    out("FATAL %s %d", what, errno);
    exit(1);
}

static void new_vm(void) {
    close_vm();
    nrules = 0;
    vmfd = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vmfd < 0) fatal("KVM_CREATE_VM");
    ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ram == MAP_FAILED) fatal("mmap-ram");
    struct kvm_userspace_memory_region mr = {.slot = 0, .guest_phys_addr = RAM_BASE, .memory_size = RAM_SIZE,
                                             .userspace_addr = (uint64_t)(uintptr_t)ram};
    if (ioctl(vmfd, KVM_SET_USER_MEMORY_REGION, &mr) < 0) fatal("KVM_SET_USER_MEMORY_REGION");
    vcpu = ioctl(vmfd, KVM_CREATE_VCPU, 0);
    if (vcpu < 0) fatal("KVM_CREATE_VCPU");
    run = mmap(NULL, runsize, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED) fatal("mmap-run");
    if (vcpu_init() < 0) fatal("KVM_ARM_VCPU_INIT");
}

static int set_reg(uint64_t id, uint64_t v) {
    struct kvm_one_reg r = {.id = id, .addr = (uint64_t)(uintptr_t)&v};
    return ioctl(vcpu, KVM_SET_ONE_REG, &r) < 0 ? -errno : 0;
}

static int get_reg(uint64_t id, uint64_t *v) {
    *v = 0;
    struct kvm_one_reg r = {.id = id, .addr = (uint64_t)(uintptr_t)v};
    return ioctl(vcpu, KVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

static int has_reg(uint64_t id) {
    struct kvm_reg_list probe = {.n = 0};
    ioctl(vcpu, KVM_GET_REG_LIST, &probe); /* E2BIG, n = the count */
    struct kvm_reg_list *l = calloc(1, sizeof *l + probe.n * sizeof(uint64_t));
    l->n = probe.n;
    int found = 0;
    if (ioctl(vcpu, KVM_GET_REG_LIST, l) == 0)
        for (uint64_t i = 0; i < l->n; i++) if (l->reg[i] == id) found = 1;
    free(l);
    return found;
}

static void set_same(void) {
    struct kvm_reg_list probe = {.n = 0};
    ioctl(vcpu, KVM_GET_REG_LIST, &probe);
    struct kvm_reg_list *l = calloc(1, sizeof *l + probe.n * sizeof(uint64_t));
    l->n = probe.n;
    int failures = 0;
    uint64_t first = 0;
    if (ioctl(vcpu, KVM_GET_REG_LIST, l) == 0)
        for (uint64_t i = 0; i < l->n; i++) {
            uint8_t buf[256] __attribute__((aligned(16)));
            struct kvm_one_reg r = {.id = l->reg[i], .addr = (uint64_t)(uintptr_t)buf};
            if (ioctl(vcpu, KVM_GET_ONE_REG, &r) < 0 || ioctl(vcpu, KVM_SET_ONE_REG, &r) < 0) {
                if (!failures++) first = l->reg[i];
            }
        }
    free(l);
    out("O same %d 0x%llx", failures, (unsigned long long)first);
}

static int set_gd(const struct gd *g) {
    struct kvm_guest_debug d;
    memset(&d, 0, sizeof d);
    d.control = (uint32_t)g->ctl;
    d.arch.dbg_bcr[0] = g->bcr0;
    d.arch.dbg_bvr[0] = g->bvr0;
    d.arch.dbg_wcr[0] = g->wcr0;
    d.arch.dbg_wvr[0] = g->wvr0;
    return ioctl(vcpu, KVM_SET_GUEST_DEBUG, &d) < 0 ? -errno : 0;
}

static void parse_gd(char **tok, struct gd *g) {
    g->ctl = num(tok[0]); g->bcr0 = num(tok[1]); g->bvr0 = num(tok[2]); g->wcr0 = num(tok[3]); g->wvr0 = num(tok[4]);
}

static void on_alarm(int sig) { (void)sig; }

static void do_run(void) {
    int runs = 0;
    alarm(RUN_SECONDS);
    for (;;) {
        if (++runs > MAX_RUNS) { out("E limit"); break; }
        if (ioctl(vcpu, KVM_RUN, 0) < 0) {
            if (errno == EINTR) { out("E timeout"); break; }
            out("E error %d", -errno);
            break;
        }
        if (run->exit_reason == KVM_EXIT_MMIO) {
            uint64_t a = run->mmio.phys_addr, d = 0;
            if (a >= LOG_BASE && a < LOG_BASE + LOG_SIZE && run->mmio.is_write) {
                memcpy(&d, run->mmio.data, run->mmio.len);
                out("M 0x%llx %u 0x%llx", (unsigned long long)(a - LOG_BASE), run->mmio.len, (unsigned long long)d);
                if (a - LOG_BASE == LOG_TAG) logtag = d;
                if (a - LOG_BASE == LOG_VALUE)
                    for (int i = 0; i < nrules; i++)
                        if (rules[i].on_tag && rules[i].tag == logtag) { out("O gd 0x%llx %d", (unsigned long long)rules[i].gd.ctl, set_gd(&rules[i].gd)); break; }
            } else if (a >= LOG_BASE && a < LOG_BASE + LOG_SIZE) {
                memset(run->mmio.data, 0, sizeof run->mmio.data); /* the log port reads 0 */
            } else {
                out("E mmio 0x%llx", (unsigned long long)a);
                break;
            }
        } else if (run->exit_reason == KVM_EXIT_DEBUG) {
            uint64_t pc;
            get_reg(CORE_REG(regs.pc), &pc);
            uint32_t hsr = run->debug.arch.hsr;
            out("X 0x%x 0x%x 0x%llx 0x%x 0x%llx", hsr, run->debug.arch.hsr_high, (unsigned long long)run->debug.arch.far,
                run->flags, (unsigned long long)pc);
            int64_t ec = (hsr >> 26) & 0x3f;
            for (int i = 0; i < nrules; i++) {
                struct rule *r = &rules[i];
                if (r->on_tag || (r->ec >= 0 && r->ec != ec) || pc < r->minpc) continue;
                if (r->action == 1) set_reg(CORE_REG(regs.pc), pc + 4);
                else if (r->action == 2) out("O gd 0x%llx %d", (unsigned long long)r->gd.ctl, set_gd(&r->gd));
                break;
            }
        } else if (run->exit_reason == KVM_EXIT_SYSTEM_EVENT) {
            if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN) out("E off");
            else out("E system_event %u", run->system_event.type);
            break;
        } else {
            out("E exit %u", run->exit_reason);
            break;
        }
    }
    alarm(0);
}

static int split(char *s, char **tok, int max) {
    int n = 0;
    for (char *p = strtok(s, " \t\r\n"); p && n < max; p = strtok(NULL, " \t\r\n")) tok[n++] = p;
    return n;
}

static void hexload(uint64_t addr, const char *hex) {
    size_t n = strlen(hex) / 2;
    if (addr < RAM_BASE || addr + n > RAM_BASE + RAM_SIZE) { out("FATAL load-outside-ram 0x%llx", (unsigned long long)addr); exit(1); }
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        ram[addr - RAM_BASE + i] = (uint8_t)v;
    }
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "/scenarios.txt";
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: the alarm interrupts KVM_RUN with EINTR */
    sigaction(SIGALRM, &sa, NULL);
    struct utsname u;
    uname(&u);
    out("H %s", u.release);
    kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) { out("NOKVM %d", errno); return 2; }
    runsize = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    FILE *f = fopen(path, "r");
    if (!f) { out("FATAL open-script %d", errno); return 1; }
    char *tok[16];
    while (fgets(line, sizeof line, f)) {
        int n = split(line, tok, 16);
        if (n == 0) continue;
        char *op = tok[0];
        if (!strcmp(op, "S")) out("S %s", tok[1]);
        else if (!strcmp(op, "END")) { close_vm(); out("Z %s", tok[1]); }
        else if (!strcmp(op, "VM")) new_vm();
        else if (!strcmp(op, "L")) hexload(num(tok[1]), tok[2]);
        else if (!strcmp(op, "SETQ")) set_reg(num(tok[1]), num(tok[2]));
        else if (!strcmp(op, "SET")) out("O set %s %s %d", tok[1], tok[2], set_reg(num(tok[1]), num(tok[2])));
        else if (!strcmp(op, "GET")) { uint64_t v; int r = get_reg(num(tok[1]), &v); out("O get %s %d 0x%llx", tok[1], r, (unsigned long long)v); }
        else if (!strcmp(op, "HAS")) out("O has %s %d", tok[1], has_reg(num(tok[1])));
        else if (!strcmp(op, "CAP")) out("O cap %s %d", tok[1], ioctl(vmfd, KVM_CHECK_EXTENSION, (unsigned long)num(tok[1])));
        else if (!strcmp(op, "SAME")) set_same();
        else if (!strcmp(op, "INIT")) out("O init %d", vcpu_init());
        else if (!strcmp(op, "GD")) { struct gd g; parse_gd(tok + 1, &g); out("O gd 0x%llx %d", (unsigned long long)g.ctl, set_gd(&g)); }
        else if (!strcmp(op, "RD") || !strcmp(op, "RT")) {
            if (nrules == MAX_RULES) { out("FATAL too-many-rules"); return 1; }
            struct rule *r = &rules[nrules++];
            memset(r, 0, sizeof *r);
            if (op[1] == 'T') { r->on_tag = 1; r->tag = num(tok[1]); r->action = 2; parse_gd(tok + 3, &r->gd); }
            else {
                r->ec = strcmp(tok[1], "-1") ? (int64_t)num(tok[1]) : -1;
                r->minpc = num(tok[2]);
                if (!strcmp(tok[3], "SKIP")) r->action = 1;
                else if (!strcmp(tok[3], "GD")) { r->action = 2; parse_gd(tok + 4, &r->gd); }
            }
        }
        else if (!strcmp(op, "RUN")) do_run();
        else { out("FATAL unknown-op %s", op); return 1; }
    }
    out("DONE");
    return 0;
}
