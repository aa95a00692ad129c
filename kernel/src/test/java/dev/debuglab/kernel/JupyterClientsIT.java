package dev.debuglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The kernel with real Jupyter clients, after {@code package} (the integration-test phase): the build's own jar is
 * installed with the kernel's installer into the build folder ({@code --prefix}, never the user's Jupyter folders),
 * then {@code kernel/src/test/python/run_kernel_tests.py} runs the jupyter_kernel_test conformance suite against both
 * kernelspecs, the jupyter_client end-to-end tests and jupyter-console, with Debian's /usr/bin/python3.
 * {@code -DskipKernelClients=true} leaves it out.
 */
class JupyterClientsIT {
    @Test
    void conformanceEndToEndAndConsole() throws Exception {
        Path jar = Path.of(System.getProperty("debuglab.kernel.jar", "missing"));
        assertTrue(Files.isRegularFile(jar), "the shaded kernel jar " + jar + " (built in the package phase)");
        Path prefix = jar.toAbsolutePath().getParent().resolve("jupyter");
        ProcessBuilder install = new ProcessBuilder("bash", "install.sh", "--prefix", prefix.toString());
        install.environment().put("DEBUGLAB_KERNEL_JAR", jar.toAbsolutePath().toString());
        assertEquals(0, run(install), "kernel/install.sh --prefix " + prefix);
        int rc = run(new ProcessBuilder("/usr/bin/python3", "src/test/python/run_kernel_tests.py", "--jupyter-dir",
                prefix.resolve("share/jupyter").toString()));
        assertEquals(0, rc, "run_kernel_tests.py: see its report above");
    }

    /**
     * Runs a tool with its output copied line by line to this JVM's System.out, which surefire passes on to the
     * Maven log (a child writing to the inherited descriptor would corrupt surefire's channel: a .dumpstream file).
     */
    private static int run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) System.out.println(line);
        }
        return p.waitFor();
    }
}
