"""Cells for the end-to-end tests, one set per kernel language.

The IPython set is the baseline: the same tests run against Debian's ipykernel
(DEBUGLAB_E2E_BASELINE=1) to show that every check is one a good kernel passes.
"""
from harness import IPYTHON_KERNEL, JAVA_KERNEL, KOTLIN_KERNEL


class Samples:
    kernel_name = None
    one_plus_one = ("1+1", "2")
    define_x = None              # defines x = 5
    read_x = None                # value of x, text/plain "5"
    undefined_x_error = None     # ename when x is not defined
    print_sleep_print = None     # prints "first", sleeps 3 s, prints "second"
    endless_loop = None
    error_cell = None            # throws "boom" from the cell's line error_line
    error_line = None
    error_ename = None
    internal_frames = None       # text that must not appear in a traceback
    exit_cell = None             # the language's "exit the process" call
    define_forged = None         # code a forger would like to run: defines forged = 42
    read_forged = None
    slow_failing_cell = None     # sleeps ~1 s, then fails
    queued_cell = None           # defines after = 1 and prints "queued cell ran"
    read_after = None


class PythonSamples(Samples):
    kernel_name = IPYTHON_KERNEL
    define_x = "x = 5"
    read_x = ("x", "5")
    undefined_x_error = "NameError"
    print_sleep_print = "import time\nprint('first', flush=True)\ntime.sleep(3)\nprint('second')"
    endless_loop = "while True:\n    pass"
    error_cell = "a = 1\nb = 2\n\n\nraise ValueError('boom')"
    error_line = 5
    error_ename = "ValueError"
    internal_frames = "ipykernel/"
    exit_cell = "import sys\nsys.exit(1)"
    define_forged = "forged = 42"
    read_forged = "forged"
    slow_failing_cell = "import time\ntime.sleep(1)\nraise ValueError('first')"
    queued_cell = "after = 1\nprint('queued cell ran')"
    read_after = "after"


class JavaSamples(Samples):
    kernel_name = JAVA_KERNEL
    define_x = "int x = 5;"
    read_x = ("x", "5")
    undefined_x_error = None     # filled from the kernel's own naming below
    print_sleep_print = 'System.out.println("first");\nThread.sleep(3000);\nSystem.out.println("second");'
    endless_loop = "while (true) {}"
    error_cell = ('int a = 1;\n'
                  'int b = 2;\n'
                  'void boom() {\n'
                  '    throw new IllegalStateException("boom");\n'
                  '}\n'
                  'boom();')
    error_line = 4
    error_ename = "IllegalStateException"
    internal_frames = "dev.debuglab.kernel"
    exit_cell = "System.exit(1);"
    define_forged = "int forged = 42;"
    read_forged = "forged"
    slow_failing_cell = 'Thread.sleep(1000);\nthrow new IllegalStateException("first");'
    queued_cell = 'int after = 1;\nSystem.out.println("queued cell ran");'
    read_after = "after"


class KotlinSamples(Samples):
    kernel_name = KOTLIN_KERNEL
    one_plus_one = ("1 + 1", "2")
    define_x = "val x = 5"
    read_x = ("x", "5")
    print_sleep_print = 'println("first")\nThread.sleep(3000)\nprintln("second")'
    endless_loop = "while (true) {}"
    error_cell = ('val a = 1\n'
                  'val b = 2\n'
                  'fun boom() {\n'
                  '    throw IllegalStateException("boom")\n'
                  '}\n'
                  'boom()')
    error_line = 4
    error_ename = "IllegalStateException"
    internal_frames = "dev.debuglab.kernel"
    exit_cell = "System.exit(1)"
    define_forged = "val forged = 42"
    read_forged = "forged"
    slow_failing_cell = 'Thread.sleep(1000)\nthrow IllegalStateException("first")'
    queued_cell = 'val after = 1\nprintln("queued cell ran")'
    read_after = "after"
