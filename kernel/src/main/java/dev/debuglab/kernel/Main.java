package dev.debuglab.kernel;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's entry point, as a kernelspec's argv calls it:
 * {@code java -Djava.security.manager=allow -jar debuglab-kernel.jar [--language java|kotlin] CONNECTION_FILE}.
 * <p>
 * {@code --warm-and-exit} runs the kernel's warm-up and a few representative cells without Jupyter, prints how long
 * each step took to stderr and exits: kernel/install.sh runs it once with {@code -XX:ArchiveClassesAtExit} to write
 * the class-data-sharing archive that the kernelspecs then start with (the Kotlin compiler's classes come from it
 * instead of being parsed and verified at every kernel start).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Language language = Language.JAVA;
        String connectionFile = null;
        boolean warmAndExit = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--language") && i + 1 < args.length) {
                try {
                    language = Language.of(args[++i]);
                } catch (IllegalArgumentException e) {
                    fail(e.getMessage());
                }
            } else if (a.startsWith("--language=")) {
                try {
                    language = Language.of(a.substring("--language=".length()));
                } catch (IllegalArgumentException e) {
                    fail(e.getMessage());
                }
            } else if (a.equals("--warm-and-exit")) {
                warmAndExit = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: java -jar debuglab-kernel.jar [--language java|kotlin] CONNECTION_FILE\n"
                        + "       java -jar debuglab-kernel.jar --warm-and-exit   (what kernel/install.sh runs to write the CDS archive)\n"
                        + "Started by Jupyter from the kernelspecs that ./debuglab install writes.");
                return;
            } else if (a.startsWith("-")) {
                fail("unknown option " + a + "; the options are --language java|kotlin and --warm-and-exit");
            } else connectionFile = a;
        }
        if (warmAndExit) {
            System.exit(Training.run());
            return;
        }
        if (connectionFile == null) fail("no connection file: Jupyter passes it ({connection_file} in kernel.json's argv); "
                + "install the kernel with ./debuglab install and start it from Jupyter");
        Path file = Path.of(connectionFile);
        if (!Files.isReadable(file)) fail("cannot read the connection file " + file + "; Jupyter writes it before starting the kernel");
        int status;
        try {
            status = JupyterKernel.run(file, language);
        } catch (Exception e) {
            fail("the kernel could not start: " + e.getMessage());
            return;
        }
        System.exit(status);
    }

    private static void fail(String message) {
        StdRouter.log().println("debuglab-kernel: " + message);
        System.exit(2);
    }
}
