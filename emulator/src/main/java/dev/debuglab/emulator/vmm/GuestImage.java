package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.isa.Program;
import dev.debuglab.emulator.machine.ElfImage;
import dev.debuglab.emulator.machine.ElfLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A guest as both a VMM and the bare-metal reference load it: the bytes to place in guest RAM,
 * the entry PC and the initial SP_EL1 (which QEMU's {@code -kernel} boot path sets through
 * ONE_REG before the first {@code KVM_RUN}). The same image runs under KVM and on bare metal, so
 * the architectural verdict compares like with like.
 *
 * @param image        the segments (MMU off: addresses are IPAs)
 * @param entry        the first PC
 * @param stackPointer the initial SP_EL1
 * @param symbols      the program's labels (empty for an ELF), for "stop at a label"
 */
public record GuestImage(ElfImage image, long entry, long stackPointer, Map<String, Long> symbols) {
    /** Guest RAM starts here (IPA), as on QEMU's virt board. */
    public static final long RAM_BASE = 0x4000_0000L;
    /** Default initial SP_EL1: 2 MiB into RAM, below anything a small guest uses. */
    public static final long DEFAULT_STACK = RAM_BASE + 0x20_0000L;

    public GuestImage {
        symbols = Map.copyOf(symbols);
    }

    /** An assembled program: entry at its {@code _start} label if it has one, else at its base. */
    public static GuestImage of(Program p) {
        long entry = p.symbols().containsKey("_start") ? p.symbol("_start") : p.base();
        return new GuestImage(new ElfImage(entry, List.of(new ElfImage.Segment(p.base(), p.bytes()))), entry,
                DEFAULT_STACK, p.symbols());
    }

    /** An ELF image: entry at {@code e_entry}. */
    public static GuestImage of(ElfImage elf) {
        return new GuestImage(elf, elf.entry(), DEFAULT_STACK, Map.of());
    }

    /** Reads an ELF file ({@link ElfLoader}; a bad file gives its one-line message). */
    public static GuestImage load(Path elf) {
        return of(ElfLoader.load(elf));
    }

    /** The same image with another initial SP_EL1. */
    public GuestImage withStack(long sp) {
        return new GuestImage(image, entry, sp, symbols);
    }

    /** Address of a label; a clear message when it is unknown. */
    public long symbol(String label) {
        Long v = symbols.get(label);
        if (v == null)
            throw new IllegalArgumentException("the guest has no label `" + label + "`"
                    + (symbols.isEmpty() ? " (an ELF image carries no labels here; give an address instead)" : "; its labels are " + new java.util.TreeSet<>(symbols.keySet())));
        return v;
    }
}
