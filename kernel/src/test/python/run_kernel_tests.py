#!/usr/bin/python3
"""Runs the kernel's tests with real Jupyter clients, as the Maven build (kernel/pom.xml, verify) calls it:

    /usr/bin/python3 kernel/src/test/python/run_kernel_tests.py --jupyter-dir kernel/<build folder>/jupyter [unittest args]

The DebugLab kernelspecs must already be installed under JUPYTER_DIR/kernels (the build does it with
the kernel's own installer, `--prefix`-style).  Every Jupyter directory (kernelspecs, runtime files,
config, IPython's profile for the baseline kernel) points inside the build folder, so the user's own
Jupyter set-up is neither read for kernelspecs first nor written.
"""
import argparse
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))

# The suite's tests that may skip (each with its reason at the sample); none: every test has a sample.
ALLOWED_SKIPS = ()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jupyter-dir", required=True, help="the folder holding kernels/debuglab-java and kernels/debuglab-kotlin")
    ap.add_argument("tests", nargs="*", help="test names (module, module.Class, module.Class.test); default: all")
    args = ap.parse_args()

    jupyter_dir = os.path.abspath(args.jupyter_dir)
    for name in ("debuglab-java", "debuglab-kotlin"):
        spec = os.path.join(jupyter_dir, "kernels", name, "kernel.json")
        if not os.path.isfile(spec):
            sys.exit("run_kernel_tests: no kernelspec %s; install the kernelspecs into %s first "
                     "(./debuglab install --prefix DIR writes DIR/share/jupyter/kernels)" % (spec, jupyter_dir))
    os.environ["JUPYTER_PATH"] = jupyter_dir + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    for var, sub in (("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTER_CONFIG_DIR", "config"),
                     ("JUPYTER_DATA_DIR", "data"), ("IPYTHONDIR", "ipython")):
        os.environ[var] = os.path.join(jupyter_dir, sub)
        os.makedirs(os.environ[var], exist_ok=True)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    if args.tests:
        suite = loader.loadTestsFromNames(args.tests)
    else:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    # every DebugLab test must run: a skip means a sample is missing or a tool is not installed
    # (the IPython baseline skips the suite's "range" history check, as the suite's own IPython test does)
    skipped = [str(t) for t, _ in result.skipped
               if "IPythonBaseline" not in t.id() and not (ALLOWED_SKIPS and t.id().endswith(ALLOWED_SKIPS))]
    if skipped:
        print("run_kernel_tests: %d test(s) skipped: %s" % (len(skipped), skipped))
    sys.exit(0 if result.wasSuccessful() and not skipped else 1)


if __name__ == "__main__":
    main()
