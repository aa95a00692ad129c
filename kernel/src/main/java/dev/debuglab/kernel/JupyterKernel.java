package dev.debuglab.kernel;

import java.nio.file.Path;

/** The wire kernel: the five ZMQ sockets of a connection file, served by one blocking poller loop. */
final class JupyterKernel {
    private JupyterKernel() {
    }

    static int run(Path connectionFile, Language language) throws Exception {
        throw new UnsupportedOperationException("the ZMQ front end is being written; use KernelSession in process");
    }
}
