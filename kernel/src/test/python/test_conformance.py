"""The jupyter_kernel_test conformance suite (Debian python3-jupyter-kernel-test) against both
DebugLab kernelspecs, with every test the suite offers given a real sample.

Each message is validated by the suite against the protocol's JSON schemas; the samples'
expected values come from Java/Kotlin semantics and from the Arm architecture, not from the kernel.
With DEBUGLAB_E2E_BASELINE=1 the same suite also runs against Debian's IPython kernel.
"""
import os
import unittest

import jupyter_kernel_test

import harness

# BRK #0x42 taken at EL1: ESR_EL1 = EC 0x3C (BRK instruction execution in AArch64 state) << 26
# | IL (bit 25, 32-bit instruction) | ISS = the comment 0x42 (Arm ARM D17.2.37, ESR_ELx).
BRK_42_ESR = (0x3C << 26) | (1 << 25) | 0x42
assert BRK_42_ESR == 0xF2000042

# A guest that takes the OS Lock and then executes BRK #0x42, run under KVM 6.1 with QEMU.
BRK_RUN_JAVA = "guest().osLock(true).brk(0x42).build().kvm(\"6.1\").qemu().run()"
BRK_RUN_KOTLIN = "lab { kvm(V6_1); guest { el1 { osLock(true); brk(0x42) } } }.run()"


class DebugLabJavaConformance(jupyter_kernel_test.KernelTests):
    kernel_name = harness.JAVA_KERNEL
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'

    completion_samples = [
        # JShell's source analysis
        {"text": "Math.sqr", "matches": {"sqrt("}},
        # a DSL method on the guest builder
        {"text": "guest().osLoc", "matches": {"osLock("}},
        # Arm system register names inside a string: OSLAR_EL1 is the only register named OSLAR_E...
        {"text": 'String lock = "OSLAR_E', "matches": {"OSLAR_EL1"}},
    ]
    complete_code_samples = ["1+1", "int y = 3;", "void f() { }", BRK_RUN_JAVA]
    incomplete_code_samples = ["void f() {", "for (int i = 0; i < 3; i++) {", "guest().osLock(true)\n    .brk("]
    # JShell's own analysis calls "int int = 3;" complete (a syntax error it leaves to the compiler); these it cannot parse
    invalid_code_samples = ["}", "int x = );", ")"]

    code_page_something = "%help"          # the magics' catalogue, through the pager (payload source "page")
    code_generate_error = 'throw new IllegalStateException("boom");'
    code_execute_result = [
        {"code": "1+1", "result": "2"},
        {"code": "6 * 7", "result": "42"},
        {"code": '"abc".length()', "result": "3"},
        # the ESR the guest saw for its BRK #0x42, formatted as Arm writes it
        {"code": 'String.format("0x%X", ' + BRK_RUN_JAVA + '.guestExceptions().get(0).esr())',
         "result": '"0x%X"' % BRK_42_ESR},
    ]
    code_display_data = [
        {"code": "display(" + BRK_RUN_JAVA + ");", "mime": "text/html"},
        {"code": "display(" + BRK_RUN_JAVA + ");", "mime": "image/svg+xml"},
    ]
    code_history_pattern = "6 ? 7"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Lab.guest"
    code_clear_output = "clearOutput();"


class DebugLabKotlinConformance(jupyter_kernel_test.KernelTests):
    kernel_name = harness.KOTLIN_KERNEL
    language_name = "kotlin"
    file_extension = ".kts"

    @classmethod
    def setUpClass(cls):
        # The kernel is ready (kernel_info answered) while its Kotlin engine still warms up in the background; the
        # suite gives each message 15 s, so its first cell waits here for the warm-up on a loaded machine.
        super().setUpClass()
        first = harness.execute(cls.kc, "0", timeout=120)
        assert first.reply["content"]["status"] == "ok", first.reply["content"]

    code_hello_world = 'println("hello, world")'
    code_stderr = 'System.err.println("to stderr")'

    completion_samples = [
        # the DSL's names (no compiler-backed completion in Kotlin cells; the kernel offers the DSL's, the
        # stdlib's and the session's names): the guest macro osLock and RoutingEvent.GuestEntry.osLocked
        {"text": "lab { guest { el1 { osLoc", "matches": {"osLock", "osLocked"}},
    ]
    complete_code_samples = ["1 + 1", "val y = 3", "fun f() {}", BRK_RUN_KOTLIN]
    incomplete_code_samples = ["fun f() {", "listOf(1, 2,"]
    # a lexical check (no Kotlin parser at hand): a stray bracket, a keyword as a name, two operators
    invalid_code_samples = ["}", "listOf(1))", "val val = 3", "1 +* 2"]

    code_page_something = "%help"          # the magics' catalogue, through the pager (payload source "page")
    code_generate_error = 'throw IllegalStateException("boom")'
    code_execute_result = [
        {"code": "1 + 1", "result": "2"},
        {"code": "6 * 7", "result": "42"},
        {"code": 'listOf(1, 2, 3).map { it * 2 }', "result": "[2, 4, 6]"},
        # strings show as Kotlin's REPL shows them: the text, unquoted
        {"code": '"0x%X".format(' + BRK_RUN_KOTLIN + '.guestExceptions()[0].esr())',
         "result": "0x%X" % BRK_42_ESR},
    ]
    code_display_data = [
        {"code": "display(" + BRK_RUN_KOTLIN + ")", "mime": "text/html"},
        {"code": "display(" + BRK_RUN_KOTLIN + ")", "mime": "image/svg+xml"},
    ]
    code_history_pattern = "6 ? 7"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "lab { guest { el1 { osLock"
    code_clear_output = "clearOutput()"


if os.environ.get("DEBUGLAB_E2E_BASELINE"):
    class IPythonBaselineConformance(jupyter_kernel_test.KernelTests):
        """The suite's own IPython samples: shows the harness passes with the reference kernel."""
        kernel_name = harness.IPYTHON_KERNEL
        language_name = "python"
        file_extension = ".py"
        code_hello_world = "print('hello, world')"
        code_stderr = "import sys; print('test', file=sys.stderr)"
        completion_samples = [{"text": "zi", "matches": {"zip"}}]
        complete_code_samples = ["1", "print('hello, world')", "def f(x):\n  return x*2\n\n\n"]
        incomplete_code_samples = ["print('''hello", "def f(x):\n  x*2"]
        invalid_code_samples = ["import = 7q"]
        code_page_something = "zip?"
        code_generate_error = "raise"
        code_execute_result = [{"code": "1+2+3", "result": "6"}, {"code": "6*7", "result": "42"}]
        code_display_data = [
            {"code": "from IPython.display import HTML, display; display(HTML('<b>test</b>'))", "mime": "text/html"},
            {"code": "from IPython.display import SVG, display; display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\"/>'))",
             "mime": "image/svg+xml"},
        ]
        code_history_pattern = "6?7"
        # the suite's own IPython test leaves out "range": IPython numbers the current session 0
        supported_history_operations = ("tail", "search")
        code_inspect_sample = "zip"
        code_clear_output = "from IPython.display import clear_output; clear_output()"


if __name__ == "__main__":
    unittest.main()
