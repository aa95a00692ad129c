package dev.debuglab.realkvm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian arm64 packages through apt-get with a throw-away configuration per suite — its own sources
 * file, lists, cache and (empty) status under the cache directory, passed with {@code -o Dir::…}
 * options, the architecture forced to arm64 — so the machine's own apt sources and architectures
 * stay untouched and no root is needed. Packages are verified against Debian's archive keyring
 * (debian-archive-keyring).
 */
final class Debian {
    private Debian() {}

    static final String KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";

    enum Suite {
        BOOKWORM("deb.debian.org/debian bookworm main", "deb.debian.org/debian-security bookworm-security main"),
        TRIXIE_BACKPORTS("deb.debian.org/debian trixie-backports main"),
        SID("deb.debian.org/debian sid main");

        final List<String> sources;

        Suite(String... sources) {
            this.sources = List.of(sources);
        }
    }

    /** The apt-get / apt-cache options of the suite's throw-away configuration (created on first use). */
    private static List<String> options(Suite suite) {
        Path d = Tools.cache().resolve("apt").resolve(suite.name().toLowerCase());
        try {
            Files.createDirectories(d.resolve("lists/partial"));
            Files.createDirectories(d.resolve("cache/archives/partial"));
            Files.createDirectories(d.resolve("parts"));
            Files.createDirectories(d.resolve("prefs"));
            if (!Files.exists(d.resolve("status"))) Files.writeString(d.resolve("status"), "");
            StringBuilder s = new StringBuilder();
            for (String src : suite.sources) s.append("deb [arch=arm64 signed-by=").append(KEYRING).append("] http://").append(src).append('\n');
            Files.writeString(d.resolve("sources.list"), s.toString());
        } catch (IOException e) {
            throw new RealKvmException("cannot prepare the apt configuration in " + d + ": " + e.getMessage());
        }
        return List.of("-q", "-o", "Dir::Etc::SourceList=" + d.resolve("sources.list"), "-o", "Dir::Etc::SourceParts=" + d.resolve("parts"),
                "-o", "Dir::State::Lists=" + d.resolve("lists"), "-o", "Dir::Cache=" + d.resolve("cache"),
                "-o", "Dir::State::status=" + d.resolve("status"), "-o", "Dir::Etc::Preferences=" + d.resolve("prefs/none"),
                "-o", "Dir::Etc::PreferencesParts=" + d.resolve("prefs"), "-o", "APT::Architecture=arm64",
                "-o", "APT::Architectures=arm64", "-o", "Acquire::Languages=none", "-o", "APT::Sandbox::User=root");
    }

    private static final java.util.Set<Suite> UPDATED = java.util.EnumSet.noneOf(Suite.class);

    /** apt-get update of the suite's own lists, once per process. */
    private static synchronized void update(Suite suite) {
        if (UPDATED.contains(suite)) return;
        Tools.require("apt-get", "apt");
        if (!Files.isRegularFile(Path.of(KEYRING)))
            throw new RealKvmException("Debian's archive keyring " + KEYRING + " is missing; install it with `apt-get install debian-archive-keyring`");
        List<String> cmd = new ArrayList<>(List.of("apt-get"));
        cmd.addAll(options(suite));
        cmd.add("update");
        Tools.run(Tools.cache(), 600, "apt-get update (" + suite.name().toLowerCase() + ", arm64, own configuration)", cmd);
        UPDATED.add(suite);
    }

    /** The newest package of the suite whose name matches {@code regex} (versions compared number by number). */
    static synchronized String newest(Suite suite, String regex) {
        return Tools.locked("apt-" + suite.name().toLowerCase(), () -> search(suite, regex));
    }

    private static String search(Suite suite, String regex) {
        update(suite);
        List<String> cmd = new ArrayList<>(List.of("apt-cache"));
        cmd.addAll(options(suite));
        cmd.addAll(List.of("search", "--names-only", regex));
        String out = Tools.run(Tools.cache(), 120, "apt-cache search", cmd);
        Pattern p = Pattern.compile(regex);
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            String name = line.split(" ", 2)[0].trim();
            if (p.matcher(name).matches()) names.add(name);
        }
        if (names.isEmpty())
            throw new RealKvmException("Debian " + suite.name().toLowerCase() + " (arm64) has no package matching " + regex
                    + "; the suite may have moved on — pass an Image file with --kernel instead");
        names.sort(Comparator.comparing(Debian::versionKey));
        return names.get(names.size() - 1);
    }

    /** The numbers in a package name, zero-padded, so that 6.1.0-56 sorts after 6.1.0-9. */
    private static String versionKey(String name) {
        Matcher m = Pattern.compile("\\d+").matcher(name);
        StringBuilder b = new StringBuilder();
        while (m.find()) b.append(String.format("%010d.", Long.parseLong(m.group())));
        return b.toString();
    }

    /** apt-get download of {@code pkg}:arm64 into {@code dir}; the .deb file. */
    static synchronized Path download(Suite suite, String pkg, Path dir) {
        return Tools.locked("apt-" + suite.name().toLowerCase(), () -> fetch(suite, pkg, dir));
    }

    private static Path fetch(Suite suite, String pkg, Path dir) {
        update(suite);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RealKvmException("cannot create " + dir + ": " + e.getMessage());
        }
        List<String> cmd = new ArrayList<>(List.of("apt-get"));
        cmd.addAll(options(suite));
        cmd.addAll(List.of("download", pkg + ":arm64"));
        Tools.run(dir, 1200, "apt-get download " + pkg, cmd);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, pkg.replace("+", "?") + "_*.deb")) {
            for (Path p : ds) return p;
        } catch (IOException e) {
            throw new RealKvmException("cannot list " + dir + ": " + e.getMessage());
        }
        throw new RealKvmException("apt-get download " + pkg + " left no .deb in " + dir);
    }

    /** Unpacks the members matching {@code pattern} (tar wildcards) of the .deb's data into {@code dir} (dpkg-deb --fsys-tarfile). */
    static void extract(Path deb, Path dir, String pattern) {
        Tools.require("dpkg-deb", "dpkg");
        Tools.run(dir, 600, "unpacking " + deb.getFileName(), List.of("sh", "-c",
                "dpkg-deb --fsys-tarfile \"$0\" | tar -xf - --wildcards \"$1\"", deb.toString(), pattern));
    }
}
