package dev.debuglab.emulator.isa;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The GNU binutils reference (aarch64-linux-gnu-objdump / -as / -ld / -objcopy 2.40), run once
 * per batch. Missing tools fail the test with a clear message (CI installs them).
 */
final class Binutils {
    private Binutils() {}

    static final String PREFIX = "aarch64-linux-gnu-";

    /** objdump's text (mnemonic and operands, whitespace normalised) for each word placed at vma + 4*i. */
    static List<String> objdump(int[] words, long vma) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("debuglab-objdump");
        Path bin = dir.resolve("words.bin");
        ByteBuffer bb = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) bb.putInt(w);
        Files.write(bin, bb.array());
        String out = run(dir, PREFIX + "objdump", "-D", "-z", "-b", "binary", "-m", "aarch64",
                "--adjust-vma=" + String.format("0x%x", vma), bin.toString());
        List<String> texts = new ArrayList<>();
        for (String line : out.split("\n")) {
            // "   10:\td5300240 \tmrs\tx0, mdscr_el1"
            int colon = line.indexOf(":\t");
            if (colon < 0 || !line.substring(0, colon).trim().matches("[0-9a-f]+")) continue;
            String rest = line.substring(colon + 2);
            int tab = rest.indexOf('\t');
            if (tab < 0) continue;
            texts.add(Disassembler.normalize(rest.substring(tab + 1)));
        }
        if (texts.size() != words.length)
            throw new AssertionError("objdump printed " + texts.size() + " instructions for " + words.length + " words:\n" + out);
        deleteAll(dir);
        return texts;
    }

    /** GNU as + ld at {@code base} + objcopy -O binary: the bytes of {@code source}. */
    static byte[] gas(String source, long base) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("debuglab-gas");
        Path s = dir.resolve("t.s"), o = dir.resolve("t.o"), elf = dir.resolve("t.elf"), bin = dir.resolve("t.bin");
        Files.writeString(s, ".text\n" + source + "\n", StandardCharsets.UTF_8);
        run(dir, PREFIX + "as", "-march=armv8.5-a+profile+ras+memtag+sb+ssbs+predres+pauth", "-o", o.toString(), s.toString());
        run(dir, PREFIX + "ld", "-Ttext=" + String.format("0x%x", base), "-e", String.format("0x%x", base), "-o", elf.toString(), o.toString());
        run(dir, PREFIX + "objcopy", "-O", "binary", "-j", ".text", elf.toString(), bin.toString());
        byte[] b = Files.readAllBytes(bin);
        deleteAll(dir);
        return b;
    }

    static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(cmd[0] + " is not installed: install binutils-aarch64-linux-gnu (apt-get install binutils-aarch64-linux-gnu)", e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd[0] + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + " failed:\n" + (text.length() > 20000 ? text.substring(0, 20000) : text));
        return text;
    }

    static void deleteAll(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
