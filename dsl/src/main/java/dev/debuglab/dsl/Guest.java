package dev.debuglab.dsl;

import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.isa.AsmException;
import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Disassembler;
import dev.debuglab.emulator.isa.Program;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.machine.ElfImage;
import dev.debuglab.emulator.vmm.GuestImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An assembled guest, ready to run: the image (bytes, entry, SP_EL1), its listing and labels, and what
 * the DSL knows about its debug setup (the routing inputs at each label, the events it armed), which
 * the run uses to explain events that were not generated. Immutable. Choose where it runs:
 * {@link #bareMetal()} or {@link #kvm(String)}.
 */
public final class Guest {
    /** Where the guest's code starts (the start of guest RAM, IPA 0x4000_0000). */
    public static final long BASE = GuestImage.RAM_BASE;
    /** SP_EL1 of an assembled guest: the top of the DSL's 1 MiB of RAM, less a page. */
    public static final long STACK = BASE + 0xF_F000L;
    /** SP_EL0 for EL0 code: 64 KiB below SP_EL1. */
    public static final long EL0_STACK = STACK - 0x1_0000L;

    /** The routing inputs the guest's macros set, as the DSL tracked them in program order; {@code oslk} null = the reset value. */
    public record Inputs(Boolean oslk, boolean dlk, boolean kde, boolean mde, boolean d, int el) {
        Inputs with(String input, boolean v) {
            return switch (input) {
                case "OSLK" -> new Inputs(v, dlk, kde, mde, d, el);
                case "DLK" -> new Inputs(oslk, v, kde, mde, d, el);
                case "KDE" -> new Inputs(oslk, dlk, v, mde, d, el);
                case "MDE" -> new Inputs(oslk, dlk, kde, v, d, el);
                default -> new Inputs(oslk, dlk, kde, mde, v, el);
            };
        }

        Inputs atEl(int e) {
            return new Inputs(oslk, dlk, kde, mde, d, e);
        }
    }

    /** A debug event the guest armed: a breakpoint at a label, a watchpoint on one, a step. */
    public record Armed(String kind, String description, String label, long address, long length, Inputs inputs) {}

    private final GuestImage image;
    private final Listing listing;
    private final List<Armed> armed;
    private final List<String> setup;
    private final String name;
    private volatile List<dev.debuglab.emulator.guest.GuestLog.Entry> bareMetalLog;

    private Guest(GuestImage image, Listing listing, List<Armed> armed, List<String> setup, String name) {
        this.image = image;
        this.listing = listing;
        this.armed = List.copyOf(armed);
        this.setup = List.copyOf(setup);
        this.name = name;
    }

    public GuestImage image() {
        return image;
    }

    public Listing listing() {
        return listing;
    }

    public List<Armed> armed() {
        return armed;
    }

    /** The guest's debug macros in program order ("osLock(true)", "hwBreakpoint(0).at(\"target\")", ...). */
    public List<String> setup() {
        return setup;
    }

    /** Address of a label; a {@link DslException} naming the labels when unknown. */
    public long label(String label) {
        Long v = image.symbols().get(label);
        if (v == null)
            throw new DslException("the guest has no label `" + label + "`"
                    + (image.symbols().isEmpty() ? " (an ELF guest carries no labels; give an address)" : "; define it with label(\"" + label
                    + "\") or use one of " + userLabels()));
        return v;
    }

    List<String> userLabels() {
        return image.symbols().keySet().stream().filter(l -> !l.startsWith("dl_") && !l.equals("vectors") && !l.equals("el2_vectors")
                && !l.equals("_start")).sorted().toList();
    }

    boolean hasLabels() {
        return !image.symbols().isEmpty();
    }

    /** What the guest observes on bare metal (the verdict's reference), computed once. */
    List<dev.debuglab.emulator.guest.GuestLog.Entry> bareMetalObservations() {
        List<dev.debuglab.emulator.guest.GuestLog.Entry> l = bareMetalLog;
        if (l == null) bareMetalLog = l = dev.debuglab.emulator.verdict.BareMetal.run(image).observations();
        return l;
    }

    // --- where it runs ------------------------------------------------------------------------------------

    /** On bare hardware (the architecture): the virt machine at EL1, no hypervisor. */
    public Stages.BareMetalStage bareMetal() {
        return new Stages.BareMetalStage(this, false, Stages.DEFAULT_BUDGET);
    }

    /** Under a KVM version: "5.15", "v2", "5.18", "5.19", "6.1", "6.12", "6.14", "7.2". Choose the VMM next. */
    public Stages.KvmStage kvm(String version) {
        return new Stages.KvmStage(this, Stages.version(version));
    }

    /** Under a KVM version object (e.g. a variant built with {@code KvmVersion.variant(..).override(..)}). */
    public Stages.KvmStage kvm(KvmVersion version) {
        if (version == null) throw new DslException("kvm(null): give a version, e.g. kvm(\"6.1\")");
        return new Stages.KvmStage(this, version);
    }

    /**
     * Runs where the notebook session's defaults say ({@code %kvm 6.1}, {@code %vmm kvmtool}; {@link NotebookHooks}):
     * under that KVM version and VMM, or on bare metal when no version is chosen (and outside a notebook).
     */
    public LabRun run() {
        NotebookHooks.Session s = NotebookHooks.current();
        String version = s == null ? null : s.defaultKvm();
        if (version == null) return bareMetal().run();
        Stages.KvmStage k = kvm(version);
        return "kvmtool".equals(s.defaultVmm()) ? k.kvmtool().run() : k.qemu().run();
    }

    /** The guest under QEMU on each version (and on bare metal first), side by side. */
    public Comparison compareAcross(String... versions) {
        if (versions.length == 0) throw new DslException("compareAcross(): name at least one version, e.g. compareAcross(\"5.15\", \"6.1\")");
        List<Stages.Runnable> stages = new ArrayList<>();
        stages.add(bareMetal());
        for (String v : versions) stages.add(kvm(v).qemu());
        return Lab.compare(stages.toArray(new Stages.Runnable[0]));
    }

    @Override
    public String toString() {
        return "Guest " + name + " (" + listing.lines().size() + " lines, entry 0x" + Long.toHexString(image.entry()) + ")";
    }

    // --- building -----------------------------------------------------------------------------------------

    /** Where the standard vector table and the bare-metal EL2 stub are placed (assembled once): 64 KiB into RAM. */
    public static final long VECTORS = BASE + 0x1_0000L;
    static final Program RUNTIME = Assembler.assemble(VECTORS, standardVectors() + StandardVectors.EL2_EXIT_STUB);
    static final Listing RUNTIME_LISTING = listing(RUNTIME);

    static final String LOWER_SYNC_ENTRY = "        mov     x0, #0x400\n        b       dl_exception_common\n";

    /**
     * The standard vector table, with two changes: the lower-EL synchronous entry first checks for the DSL's
     * return from EL0 (SVC #0xFFFF), and the breakpoint/watchpoint handlers disarm every breakpoint/watchpoint
     * (the one that fired among them), not only number 0.
     */
    static String standardVectors() {
        String s = StandardVectors.source();
        if (!s.contains(LOWER_SYNC_ENTRY)) throw new IllegalStateException("StandardVectors changed its lower-EL entry; update Guest.standardVectors");
        String bps = "", wps = "";
        for (int n = 0; n < GuestCode.BREAKPOINTS; n++) bps += "        msr     dbgbcr" + n + "_el1, xzr\n";
        for (int n = 0; n < GuestCode.WATCHPOINTS; n++) wps += "        msr     dbgwcr" + n + "_el1, xzr\n";
        if (!s.contains("        msr     dbgbcr0_el1, xzr\n") || !s.contains("        msr     dbgwcr0_el1, xzr\n"))
            throw new IllegalStateException("StandardVectors changed its breakpoint/watchpoint handlers; update Guest.standardVectors");
        // The breakpoint/watchpoint that fired is one of them: the handler disarms them all (StandardVectors disarms number 0).
        s = s.replace("        msr     dbgbcr0_el1, xzr\n", bps).replace("        msr     dbgwcr0_el1, xzr\n", wps);
        return s.replace(LOWER_SYNC_ENTRY, "        mov     x0, #0x400\n        b       dl_lower_sync\n") + """
                dl_lower_sync:
                        mrs     x1, esr_el1
                        movz    x2, #0x5600, lsl #16
                        movk    x2, #0xffff
                        cmp     x1, x2
                        b.ne    dl_exception_common
                        mov     x1, #0x3c5
                        msr     spsr_el1, x1
                        ldp     x2, x3, [sp, #16]
                        ldp     x0, x1, [sp]
                        add     sp, sp, #32
                        eret
                """;
    }

    static Guest assemble(GuestCode code) {
        StringBuilder src = new StringBuilder();
        List<int[]> spans = new ArrayList<>(); // [firstLine, lastLine, itemIndex]
        src.append("_start:\n        adr     x0, vectors\n        msr     vbar_el1, x0\n        msr     nzcv, xzr\n");
        boolean el0 = code.items.stream().anyMatch(i -> i instanceof GuestCode.El0Item);
        if (el0) src.append(Code.movImm("x16", EL0_STACK)).append("\nmsr sp_el0, x16\n");
        src.append("        isb\n");
        List<Code.Item> data = new ArrayList<>();
        for (int k = 0; k < code.items.size(); k++) {
            Code.Item i = code.items.get(k);
            if (i instanceof GuestCode.DataItem) {
                data.add(i);
                continue;
            }
            int first = lines(src) + 1;
            src.append(i.source());
            spans.add(new int[] {first, lines(src), k});
        }
        src.append(StandardVectors.systemOff().replace("hvc     #0", "dl_system_off:\n        hvc     #0")).append("        b       .\n");
        for (Code.Item d : data) {
            int first = lines(src) + 1;
            src.append(d.source());
            spans.add(new int[] {first, lines(src), code.items.indexOf(d)});
        }
        if (code.vectors != null) {
            if (el0) throw new DslException("el0(...) with your own vectors(...): the return from EL0 needs the standard table's SVC #0xFFFF entry; use standardVectors()");
            int first = lines(src) + 1;
            src.append(code.vectors.endsWith("\n") ? code.vectors : code.vectors + "\n");
            spans.add(new int[] {first, lines(src), -1});
            src.append(StandardVectors.EL2_EXIT_STUB);
        } else {
            // The standard table and the EL2 stub are assembled once, at VECTORS; the code refers to them by address.
            src.append(String.format("        .equ vectors, 0x%x%n        .equ el2_vectors, 0x%x%n", RUNTIME.symbol("vectors"), RUNTIME.symbol("el2_vectors")));
        }
        Program p;
        try {
            p = Assembler.assemble(BASE, src.toString());
        } catch (AsmException e) {
            String origin = "the DSL's runtime";
            for (int[] s : spans)
                if (e.line() >= s[0] && e.line() <= s[1]) origin = s[2] < 0 ? "vectors(...)" : code.items.get(s[2]).origin();
            String problem = e.problem();
            if (problem.startsWith("undefined symbol")) {
                String lbl = problem.replaceAll("^undefined symbol `([^`]*)`.*$", "$1");
                throw new DslException("guest line " + origin + " (`" + e.text() + "`): label `" + lbl
                        + "` is used but never defined; add label(\"" + lbl + "\") where it belongs");
            }
            throw new DslException("guest line " + origin + " (`" + e.text() + "`): " + problem);
        }
        GuestImage image;
        Listing listing;
        if (code.vectors != null) {
            image = GuestImage.of(p).withStack(STACK);
            listing = listing(p);
        } else {
            if (p.end() > VECTORS)
                throw new DslException(String.format("the guest's code and data end at 0x%X, past 0x%X where the standard vectors go; "
                        + "keep the guest under %d KiB or use vectors(...)", p.end(), VECTORS, (VECTORS - BASE) / 1024));
            Map<String, Long> symbols = new HashMap<>(RUNTIME.symbols());
            symbols.putAll(p.symbols());
            long entry = p.symbol("_start");
            image = new GuestImage(new ElfImage(entry, List.of(new ElfImage.Segment(p.base(), p.bytes()),
                    new ElfImage.Segment(RUNTIME.base(), RUNTIME.bytes()))), entry, STACK, symbols);
            List<Listing.Line> l = new ArrayList<>(listing(p).lines());
            l.addAll(RUNTIME_LISTING.lines());
            listing = new Listing(l, symbols);
        }
        // The routing inputs at each label, in program order.
        Map<String, Guest.Inputs> at = new HashMap<>();
        Inputs s = new Inputs(null, false, false, false, true, 1);
        List<String> setup = new ArrayList<>();
        List<Armed> armed = new ArrayList<>();
        for (Code.Item i : code.items) {
            if (i instanceof GuestCode.StateItem st) {
                s = s.with(st.input(), st.value());
                setup.add(st.origin());
            } else if (i instanceof Code.LabelItem l) {
                at.put(l.name(), s);
            } else if (i instanceof GuestCode.El0Item e) {
                for (Code.Item j : e.code().items) if (j instanceof Code.LabelItem l) at.put(l.name(), s.atEl(0));
                s = s.with("D", true);
                setup.add("el0(...)");
            } else if (i instanceof GuestCode.BreakpointItem b) {
                setup.add(b.origin() + (b.pmc() != 3 ? ".pmc(" + b.pmc() + ")" : "") + (b.linkedTo() >= 0 ? ".linkedTo(" + b.linkedTo() + ")" : ""));
            } else if (i instanceof GuestCode.WatchpointItem w) {
                setup.add(w.origin() + ".length(" + w.length() + ")" + (w.lsc() == 1 ? ".load()" : w.lsc() == 2 ? ".store()" : ""));
            } else if (i instanceof GuestCode.StepItem st) {
                armed.add(new Armed("step", "software step", "dl_step_" + st.id(), p.symbol("dl_step_" + st.id()), 4, s));
                setup.add("singleStep()");
            }
        }
        for (Code.Item i : code.items) {
            if (i instanceof GuestCode.BreakpointItem b && b.linkedTo() < 0)
                armed.add(0, new Armed("breakpoint", "hardware breakpoint " + b.n() + " at `" + b.label() + "`", b.label(), p.symbol(b.label()), 4,
                        at.getOrDefault(b.label(), s)));
            if (i instanceof GuestCode.WatchpointItem w)
                armed.add(new Armed("watchpoint", "watchpoint " + w.n() + " on `" + w.label() + "`", w.label(), p.symbol(w.label()), w.length(), s));
        }
        return new Guest(image, listing, armed, setup, "assembled");
    }

    private static int lines(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '\n') n++;
        return n;
    }

    static Listing listing(Program p) {
        List<Listing.Line> l = new ArrayList<>();
        for (Program.Line x : p.lines()) {
            String text = x.source().strip();
            if (text.isEmpty()) continue;
            l.add(new Listing.Line(x.address(), x.instruction() ? p.wordAt(x.address()) & 0xFFFF_FFFFL : -1, text));
        }
        return new Listing(l, p.symbols());
    }

    static Guest elf(Path file) {
        if (file == null) throw new DslException("elf(null): give the path of an AArch64 ELF executable");
        GuestImage g;
        try {
            g = GuestImage.load(file);
        } catch (RuntimeException e) {
            throw new DslException("elf(" + file + "): " + e.getMessage());
        }
        List<Listing.Line> l = new ArrayList<>();
        for (ElfImage.Segment s : g.image().segments()) {
            ByteBuffer b = ByteBuffer.wrap(s.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (int off = 0; off + 4 <= s.bytes().length && l.size() < 4096; off += 4) {
                int w = b.getInt(off);
                l.add(new Listing.Line(s.address() + off, w & 0xFFFF_FFFFL, Disassembler.disassemble(w, s.address() + off)));
            }
        }
        return new Guest(g, new Listing(l, Map.of()), List.of(), List.of(), file.getFileName().toString());
    }
}
