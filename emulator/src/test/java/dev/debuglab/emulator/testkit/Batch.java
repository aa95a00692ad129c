package dev.debuglab.emulator.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many small programs in one ELF, so that QEMU boots once for all of them (its start-up costs
 * 0.1–0.3 s). Each case is a program whose {@code main} (assembler or C) <em>returns</em> its
 * result; the kit renames each case's {@code main} to its own symbol and hides its other global
 * symbols, so cases cannot clash. A generated driver calls the cases in order at the start EL,
 * each on a fresh stack with the library's vectors reinstalled in VBAR_EL2/VBAR_EL1, and frames
 * each case's UART output with markers. A case must return at the EL it was called at and leave
 * the rest of the machine as it found it (HCR_EL2, MDCR_EL2, debug registers); a case that ends
 * the program (dl_exit, a crash) ends the batch, and the cases after it report no result.
 */
public final class Batch {
    private final String name;
    private final List<Toolchain.Unit> units = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    public Batch(String name) {
        this.name = name;
    }

    /** An assembler case defining {@code main} (the DL_* macros available). */
    public Batch asm(String caseName, String source) {
        units.add(new Toolchain.Unit("case.S", Toolchain.MACROS + "\n" + source));
        names.add(caseName);
        return this;
    }

    /** A C case defining {@code int main(void)}, compiled at {@code opt}. */
    public Batch c(String caseName, String source, String opt) {
        units.add(new Toolchain.Unit("case.c", source, opt));
        names.add(caseName);
        return this;
    }

    public List<String> caseNames() {
        return List.copyOf(names);
    }

    /**
     * The output of one case.
     *
     * @param output   UART output of the case
     * @param returned its main's return value (low 8 bits), or null if it never returned
     */
    public record CaseResult(String name, String output, Integer returned) {
        List<String> lines() {
            List<String> l = new ArrayList<>();
            for (String s : output.split("\n", -1)) l.add(s);
            l.add(returned == null ? "(did not return)" : "(returned " + returned + ")");
            return l;
        }
    }

    /** Builds the batch ELF (cached by content). */
    public Path elf() {
        List<Toolchain.Unit> all = new ArrayList<>(units);
        List<List<String>> objcopy = new ArrayList<>();
        for (int i = 0; i < units.size(); i++)
            objcopy.add(List.of("--redefine-sym", "main=dl_case_" + i, "--keep-global-symbol=dl_case_" + i));
        all.add(new Toolchain.Unit("driver.S", driver()));
        objcopy.add(List.of());
        return Toolchain.build("batch", all, true, objcopy);
    }

    private String driver() {
        StringBuilder s = new StringBuilder();
        s.append("        .text\n        .global main\nmain:\n        stp x29, x30, [sp, #-16]!\n");
        s.append("        adrp x1, dl_batch_sp\n        add x1, x1, :lo12:dl_batch_sp\n        mov x2, sp\n        str x2, [x1]\n");
        for (int i = 0; i < units.size(); i++) {
            s.append("        adrp x0, .Lcase").append(i).append("\n        add x0, x0, :lo12:.Lcase").append(i).append('\n');
            s.append("        bl dl_puts\n        bl dl_batch_reset\n        bl dl_case_").append(i).append('\n');
            s.append("        mov x19, x0\n        adrp x1, dl_batch_sp\n        add x1, x1, :lo12:dl_batch_sp\n");
            s.append("        ldr x2, [x1]\n        mov sp, x2\n");
            s.append("        adrp x0, .Lexit\n        add x0, x0, :lo12:.Lexit\n        bl dl_puts\n");
            s.append("        and x0, x19, #0xff\n        bl dl_print_udec\n        adrp x0, .Lclose\n        add x0, x0, :lo12:.Lclose\n");
            s.append("        bl dl_puts\n");
        }
        s.append("        adrp x0, .Lend\n        add x0, x0, :lo12:.Lend\n        bl dl_puts\n");
        s.append("        ldp x29, x30, [sp], #16\n        mov w0, #0\n        ret\n");
        s.append("dl_batch_reset:\n        adrp x1, dl_vectors\n        add x1, x1, :lo12:dl_vectors\n        mrs x0, CurrentEL\n");
        s.append("        cmp x0, #8\n        b.ne 1f\n        msr VBAR_EL2, x1\n1:      msr VBAR_EL1, x1\n        isb\n        ret\n");
        s.append("        .section .rodata\n");
        for (int i = 0; i < units.size(); i++) s.append(".Lcase").append(i).append(": .asciz \"@@DL-CASE ").append(i).append("@@\"\n");
        s.append(".Lexit: .asciz \"@@DL-EXIT \"\n.Lclose: .asciz \"@@\\n\"\n.Lend: .asciz \"@@DL-END@@\\n\"\n");
        s.append("        .bss\n        .balign 16\ndl_batch_sp: .space 16\n");
        return s.toString();
    }

    private static final Pattern CASE = Pattern.compile("@@DL-CASE (\\d+)@@(.*?)(?:@@DL-EXIT (\\d+)@@\n|(?=@@DL-CASE )|\\z)", Pattern.DOTALL);

    /** Splits a run's UART output into the cases' results, in order. */
    public Map<String, CaseResult> split(RunResult run) {
        Map<String, CaseResult> out = new LinkedHashMap<>();
        String uart = run.uart().replace("@@DL-END@@\n", "");
        Matcher m = CASE.matcher(uart);
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            String n = names.get(i);
            out.put(n, new CaseResult(n, m.group(2), m.group(3) == null ? null : Integer.parseInt(m.group(3))));
        }
        for (String n : names) out.putIfAbsent(n, new CaseResult(n, "", null));
        return out;
    }

    /** Runs the batch on both engines and fails, showing every differing case side by side, unless all agree. */
    public Map<String, CaseResult> assertSameOnBoth() {
        return assertSameOnBoth(RunOptions.DEFAULT.withoutExceptions());
    }

    public Map<String, CaseResult> assertSameOnBoth(RunOptions options) {
        Path elf = elf();
        RunResult q = Qemu.run(elf, options), e = Emu.run(elf, options);
        Map<String, CaseResult> qr = split(q), er = split(e);
        StringBuilder failures = new StringBuilder();
        for (String n : names) {
            CaseResult a = qr.get(n), b = er.get(n);
            if (a.returned() == null)
                failures.append(name).append('/').append(n).append(": did not return on QEMU (status ").append(q.status())
                        .append(", exit ").append(q.exitCode()).append(")\n").append(a.output()).append('\n');
            else if (!a.equals(b))
                failures.append(name).append('/').append(n).append(": QEMU and DebugLab differ\n")
                        .append(SideBySide.render("QEMU", a.lines(), "DebugLab " + e.detail(), b.lines()));
        }
        if (failures.length() > 0) throw new AssertionError(failures.toString());
        return qr;
    }
}
