"""Debian's jupyter-console drives the DebugLab kernel with piped input.

jupyter-console asks the kernel for its history at start (a kernel that never answers
history_request leaves it waiting), then sends each line as a cell.
"""
import os
import re
import subprocess
import tempfile
import unittest

import harness


def run_console(kernel_name, cells, timeout=120):
    with tempfile.TemporaryDirectory(prefix="debuglab-console-") as cwd:
        proc = subprocess.run(
            ["jupyter-console", "--kernel", kernel_name, "--simple-prompt", "--ZMQTerminalInteractiveShell.kernel_timeout=120"],
            input="".join(c + "\n" for c in cells), capture_output=True, text=True, timeout=timeout, cwd=cwd,
            env=dict(os.environ, HOME=os.environ.get("HOME", cwd)))
    return proc


class ConsoleTest(unittest.TestCase):

    def check(self, kernel_name, code, out):
        proc = run_console(kernel_name, [code])
        text = harness.strip_ansi(proc.stdout)
        self.assertRegex(text, r"Out\[1\]: %s\b" % re.escape(out),
                         "jupyter-console output:\n%s\nstderr:\n%s" % (proc.stdout, proc.stderr))
        self.assertNotIn("Traceback", proc.stderr, proc.stderr)

    def test_java_kernel_in_jupyter_console(self):
        self.check(harness.JAVA_KERNEL, "1+1", "2")

    if os.environ.get("DEBUGLAB_E2E_BASELINE"):
        def test_ipython_baseline_in_jupyter_console(self):
            self.check(harness.IPYTHON_KERNEL, "1+1", "2")


if __name__ == "__main__":
    unittest.main()
