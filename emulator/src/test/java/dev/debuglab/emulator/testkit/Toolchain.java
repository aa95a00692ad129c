package dev.debuglab.emulator.testkit;

import dev.debuglab.emulator.machine.ElfWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds bare-metal AArch64 ELF programs for the virt machine with the GNU cross tools
 * ({@code aarch64-linux-gnu-as/ld/gcc}), linked at 0x4000_0000 (the start of the virt board's
 * RAM) with the guest library ({@code dl_lib.S}, {@code dl_start.S}, {@code dl_macros.S},
 * {@code dl.h}). Results are cached by content, so a program is built once per machine.
 *
 * <p>Programs:
 * <ul>
 * <li>{@link #asm}: assembler text defining {@code main} (called at EL2 with a stack; return the
 * exit code in W0, or call {@code dl_exit}); the {@code DL_*} macros are available.</li>
 * <li>{@link #asmBare}: assembler text defining {@code _start} itself (entered straight from reset,
 * SP = 0); the library routines and macros are still linked in.</li>
 * <li>{@link #c}: freestanding C defining {@code int main(void)}; {@code #include "dl.h"}.</li>
 * <li>{@link #fromBytes}: instruction bytes (e.g. from our own assembler) wrapped by ElfWriter.</li>
 * </ul>
 */
public final class Toolchain {
    private Toolchain() {}

    public static final long TEXT_BASE = 0x4000_0000L;
    public static final String AS = "aarch64-linux-gnu-as", LD = "aarch64-linux-gnu-ld", GCC = "aarch64-linux-gnu-gcc",
            OBJCOPY = "aarch64-linux-gnu-objcopy";
    /** Flags every C program is compiled with (optimisation level added per program). */
    public static final List<String> C_FLAGS = List.of("-ffreestanding", "-nostdlib", "-mgeneral-regs-only",
            "-mstrict-align", "-fno-pie", "-fno-pic", "-fno-stack-protector", "-fno-common", "-Wall");

    /** Bumped whenever the way programs are built changes, so cached builds are not reused. */
    static final String KIT_VERSION = "2";

    static final String LIB = resource("dl_lib.S"), START = resource("dl_start.S"), MACROS = resource("dl_macros.S"),
            HEADER = resource("dl.h");

    private static String resource(String name) {
        try (InputStream in = Toolchain.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("test resource " + name + " missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where built programs are kept (content-addressed; safe to delete). */
    public static Path cacheDir() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "debuglab-testkit-" + System.getProperty("user.name", "user"));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** An assembler program that defines {@code main}; startup, library and macros linked in. */
    public static Path asm(String source) {
        return build("asm", List.of(new Unit("prog.S", MACROS + "\n" + source)), true);
    }

    /** An assembler program that defines {@code _start}; library and macros linked in, no startup. */
    public static Path asmBare(String source) {
        return build("bare", List.of(new Unit("prog.S", MACROS + "\n" + source)), false);
    }

    /** A freestanding C program defining {@code int main(void)}, at {@code opt} (e.g. "-O0", "-O2"). */
    public static Path c(String source, String opt) {
        return build("c" + opt, List.of(new Unit("prog.c", source, opt)), true);
    }

    /**
     * A program assembled by DebugLab's own assembler ({@code isa.Assembler}) at {@link #TEXT_BASE},
     * wrapped by ElfWriter; entered at {@code _start} if the program defines it, else at its first byte.
     * No guest library: the program does its own output and exit.
     */
    public static Path ours(String source) {
        dev.debuglab.emulator.isa.Program p = dev.debuglab.emulator.isa.Assembler.assemble(TEXT_BASE, source);
        Long start = p.symbols().get("_start");
        return fromBytes(p.bytes(), TEXT_BASE, start != null ? start : TEXT_BASE);
    }

    /** A single-segment ELF holding {@code code} at {@code base}, entered at {@code entry}. */
    public static Path fromBytes(byte[] code, long base, long entry) {
        byte[] elf = ElfWriter.write(code, base, entry);
        Path out = cacheDir().resolve("bytes-" + hash(HexFormat.of().formatHex(elf)) + ".elf");
        writeAtomically(out, elf);
        return out;
    }

    /** One translation unit: a file name (.S or .c), its text, and for C the optimisation level. */
    record Unit(String name, String text, String opt) {
        Unit(String name, String text) {
            this(name, text, "");
        }
    }

    /** Builds units plus the library (and startup) into one ELF; {@code renames} objcopy steps per unit. */
    static Path build(String kind, List<Unit> units, boolean withStartup) {
        return build(kind, units, withStartup, List.of());
    }

    /**
     * @param objcopy per unit (same index), extra objcopy arguments applied to its object, or an
     *                empty list; used by {@link Batch} to rename {@code main} and hide other globals
     */
    static Path build(String kind, List<Unit> units, boolean withStartup, List<List<String>> objcopy) {
        StringBuilder key = new StringBuilder(KIT_VERSION).append(kind).append('\0').append(withStartup).append('\0').append(LIB).append(START)
                .append(HEADER).append(C_FLAGS);
        for (Unit u : units) key.append('\0').append(u.name).append('\0').append(u.opt).append('\0').append(u.text);
        key.append(objcopy);
        Path out = cacheDir().resolve(kind.replaceAll("[^A-Za-z0-9-]", "") + "-" + hash(key.toString()) + ".elf");
        if (Files.exists(out)) return out;
        Path dir;
        try {
            dir = Files.createTempDirectory(cacheDir(), "build");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            write(dir.resolve("dl_lib.S"), LIB);
            write(dir.resolve("dl_start.S"), START);
            write(dir.resolve("dl.h"), HEADER);
            List<String> objects = new ArrayList<>();
            if (withStartup) objects.add(assembleFile(dir, "dl_start.S"));
            boolean anyC = false;
            for (int i = 0; i < units.size(); i++) {
                Unit u = units.get(i);
                String file = i + "_" + u.name;
                write(dir.resolve(file), u.text);
                String obj;
                if (u.name.endsWith(".c")) {
                    anyC = true;
                    obj = file + ".o";
                    List<String> cmd = new ArrayList<>(List.of(GCC, "-c", u.opt));
                    cmd.addAll(C_FLAGS);
                    cmd.addAll(List.of("-I", ".", "-o", obj, file));
                    Proc.check(cmd, dir);
                } else {
                    obj = assembleFile(dir, file);
                }
                if (i < objcopy.size() && !objcopy.get(i).isEmpty()) {
                    List<String> cmd = new ArrayList<>(List.of(OBJCOPY));
                    cmd.addAll(objcopy.get(i));
                    cmd.add(obj);
                    Proc.check(cmd, dir);
                }
                objects.add(obj);
            }
            objects.add(assembleFile(dir, "dl_lib.S")); // last, so a bare program's _start is at TEXT_BASE
            List<String> link = new ArrayList<>(List.of(LD, "-Ttext=0x" + Long.toHexString(TEXT_BASE), "-o", "prog.elf"));
            link.addAll(objects);
            if (anyC) link.add(libgcc(dir));
            Proc.check(link, dir);
            writeAtomically(out, Files.readAllBytes(dir.resolve("prog.elf")));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dir);
        }
    }

    private static String libgccPath;

    /** libgcc.a, for the helpers gcc may call (128-bit arithmetic and the like). */
    private static synchronized String libgcc(Path dir) {
        if (libgccPath == null) {
            Proc.Result r = Proc.run(List.of(GCC, "-print-libgcc-file-name"), dir, java.time.Duration.ofSeconds(30));
            if (r.exitCode() != 0) throw new AssertionError("cannot locate libgcc: " + r.stderr());
            libgccPath = r.stdout().trim();
        }
        return libgccPath;
    }

    private static String assembleFile(Path dir, String file) {
        String obj = file + ".o";
        Proc.check(List.of(AS, "-I", ".", "-o", obj, file), dir);
        return obj;
    }

    static void write(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    static void writeAtomically(Path target, byte[] bytes) {
        try {
            Path tmp = Files.createTempFile(target.getParent(), "part", ".tmp");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover build folder in the cache is harmless
        }
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
