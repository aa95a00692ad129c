#!/usr/bin/python3
"""Speed of the DebugLab Jupyter kernel next to Debian's IPython kernel, measured the same way in
the same run with jupyter_client (issue 5's targets).

    /usr/bin/python3 kernel/bench/kernel_bench.py [--starts 5] [--cells 30] [--json OUT]

The DebugLab kernelspecs must be installed where jupyter_client finds them (JUPYTER_PATH, or
`./debuglab bench kernel`, which installs them into a build folder first).

Per kernel start (starts rotate between the kernels so the machine's load falls on all of them):
  ready        KernelManager.start_kernel() -> client.wait_for_ready() returned
  first cell   the first cell after ready (Kotlin kernelspec: its first Kotlin cell)
  round trip   execute_request sent -> execute_reply received, trivial cell, after a warm-up cell
  kernel_info  kernel_info_request -> kernel_info_reply (the transport's own latency)
  kernel CPU   CPU time (user + system, all threads: JIT and GC included) the kernel process spent per timed
               trivial cell, from /proc/PID/stat
  idle RSS     VmRSS of the kernel process (and children) from /proc/PID/status, 1 s after the cells

With the Java kernelspec, each start is followed by the JShell floor (dev.debuglab.kernel.JShellFloor in the
kernel's jar, run with the kernelspec's JVM options): the same trivial cell straight through JShell.eval in one
JVM, no Jupyter transport, after the same number of cells -- what the Java round trip cannot go below.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from queue import Empty

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src", "test", "python"))
import harness  # noqa: E402  (the tests' helpers: /proc readers)

from jupyter_client import KernelManager  # noqa: E402

KERNELS = [
    # label, kernelspec, the trivial cell, --kernels key
    ("DebugLab (Java)", harness.JAVA_KERNEL, "1+1", "java"),
    ("DebugLab (Kotlin)", harness.KOTLIN_KERNEL, "1 + 1", "kotlin"),
    ("IPython", harness.IPYTHON_KERNEL, "1+1", "ipython"),
]


def timed_execute(kc, code, timeout=120):
    """Seconds from execute_request to execute_reply; then waits for idle (untimed)."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    elapsed = time.perf_counter() - t0
    if reply["content"]["status"] != "ok":
        raise SystemExit("kernel_bench: the cell %r failed: %s" % (code, reply["content"]))
    wait_idle(kc, msg_id, timeout)
    return elapsed


def wait_idle(kc, msg_id, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=timeout)
        except Empty:
            break
        if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                and m["content"]["execution_state"] == "idle"):
            return


def timed_kernel_info(kc):
    t0 = time.perf_counter()
    msg_id = kc.kernel_info()
    while kc.get_shell_msg(timeout=60)["parent_header"].get("msg_id") != msg_id:
        pass
    return time.perf_counter() - t0


def cpu_seconds(pid):
    """user + system CPU of pid (all its threads) so far, from /proc/PID/stat."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def floor_command(spec):
    """The JShell floor's command line: the kernelspec's JVM and options, its jar on the class path."""
    from jupyter_client.kernelspec import KernelSpecManager
    argv = KernelSpecManager().get_kernel_spec(spec).argv
    if "-jar" not in argv:
        return None
    i = argv.index("-jar")
    return argv[:i] + ["-cp", argv[i + 1], "dev.debuglab.kernel.JShellFloor"]


def jshell_floor(spec, cell, cells, cwd):
    cmd = floor_command(spec)
    if cmd is None:
        return None
    p = subprocess.run(cmd + ["--cells", str(cells), "--warmup", "2", "--code", cell], capture_output=True, text=True, cwd=cwd, timeout=600)
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if p.returncode != 0 or not lines:
        raise SystemExit("kernel_bench: the JShell floor failed (%s): %s" % (" ".join(cmd), p.stderr.strip()[-500:]))
    return json.loads(lines[-1])


def one_start(spec, cell, cells, cwd):
    km = KernelManager(kernel_name=spec)
    t0 = time.perf_counter()
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        ready = time.perf_counter() - t0
        harness.drain(kc, 0.05)
        first = timed_execute(kc, cell)
        timed_execute(kc, cell)           # warm-up, not counted
        pid = harness.kernel_pid(km)
        cpu0 = cpu_seconds(pid)
        trips = [timed_execute(kc, cell) for _ in range(cells)]
        cpu_ms = 1000 * (cpu_seconds(pid) - cpu0) / cells
        infos = [timed_kernel_info(kc) for _ in range(10)]
        time.sleep(1.0)
        rss_mib = harness.vm_rss_kib(harness.kernel_pid(km)) / 1024.0
        return {"ready": ready, "first": first, "trips": trips, "cpu_ms": cpu_ms, "kernel_info": infos, "rss_mib": rss_mib}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def pct(values, p):
    s = sorted(values)
    k = (len(s) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary(values):
    return {"median": statistics.median(values), "p90": pct(values, 90), "min": min(values), "max": max(values), "n": len(values)}


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def git_commit():
    try:
        return subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--starts", type=int, default=5, help="kernel starts per kernel (default 5)")
    ap.add_argument("--cells", type=int, default=30, help="timed trivial cells per start (default 30)")
    ap.add_argument("--json", help="also write the raw figures to this file")
    ap.add_argument("--kernels", default="java,kotlin,ipython", help="which kernels (default java,kotlin,ipython)")
    ap.add_argument("--no-floor", action="store_true", help="skip the JShell floor after each Java kernel start")
    args = ap.parse_args()
    if args.starts < 1 or args.cells < 1:
        ap.error("--starts and --cells must be at least 1")
    chosen = [k.strip() for k in args.kernels.split(",") if k.strip()]
    unknown = [k for k in chosen if k not in ("java", "kotlin", "ipython")]
    if unknown or not chosen:
        ap.error("--kernels: unknown %s; choose from java, kotlin, ipython" % unknown)
    kernels = [k for k in KERNELS if k[3] in chosen]

    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    ksm = KernelSpecManager()
    for label, spec, _, _ in kernels:
        try:
            ksm.get_kernel_spec(spec)
        except NoSuchKernel:
            sys.exit("kernel_bench: no kernelspec %r (%s); install it first (./debuglab install, or run "
                     "./debuglab bench kernel, which installs into a build folder), or set JUPYTER_PATH"
                     % (spec, label))

    load_before = loadavg()
    raw = {label: [] for label, _, _, _ in kernels}
    floors = []
    with tempfile.TemporaryDirectory(prefix="debuglab-bench-") as cwd:
        for i in range(args.starts):
            for label, spec, cell, key in kernels:
                r = one_start(spec, cell, args.cells, cwd)
                raw[label].append(r)
                print("start %d/%d %-18s ready %.3f s, first cell %.3f s, round trip median %.1f ms, CPU %.1f ms/cell, RSS %.0f MiB"
                      % (i + 1, args.starts, label, r["ready"], r["first"], 1000 * statistics.median(r["trips"]), r["cpu_ms"], r["rss_mib"]),
                      file=sys.stderr)
                if key == "java" and not args.no_floor:
                    f = jshell_floor(spec, cell, args.cells, cwd)
                    if f is not None:
                        floors.append(f)
                        print("start %d/%d %-18s JShell.eval median %.1f ms (thread CPU %.1f), kernel cell path in process %.1f ms (CPU %.1f)"
                              % (i + 1, args.starts, "JShell floor", statistics.median(f["jshell_eval_ms"]), statistics.median(f["jshell_eval_cpu_ms"]),
                                 statistics.median(f["kernel_cell_path_ms"]), statistics.median(f["kernel_cell_path_cpu_ms"])), file=sys.stderr)
    load_after = loadavg()

    figures = {}
    for label, runs in raw.items():
        figures[label] = {
            "ready_s": summary([r["ready"] for r in runs]),
            "first_cell_s": summary([r["first"] for r in runs]),
            "round_trip_ms": summary([1000 * t for r in runs for t in r["trips"]]),
            "kernel_info_ms": summary([1000 * t for r in runs for t in r["kernel_info"]]),
            "kernel_cpu_ms_per_cell": summary([r["cpu_ms"] for r in runs]),
            "idle_rss_mib": summary([r["rss_mib"] for r in runs]),
        }

    java, kotlin, ipy = (figures.get(k[0]) for k in KERNELS)
    floor = None
    if floors:
        floor = {k: summary([t for f in floors for t in f[k]])
                 for k in ("jshell_eval_ms", "jshell_eval_cpu_ms", "kernel_cell_path_ms", "kernel_cell_path_cpu_ms")}
    mib300 = 300 * 1e6 / 2**20
    targets = []
    if java and ipy:
        targets.append(("ready no slower than IPython (Java kernelspec, median)", java["ready_s"]["median"], ipy["ready_s"]["median"], "s"))
        targets.append(("Java `1+1` round trip median no slower than IPython's `1+1`", java["round_trip_ms"]["median"], ipy["round_trip_ms"]["median"], "ms"))
        if floor:
            targets.append(("(reachable at all?) JShell's own `1+1` eval, no transport, no slower than IPython's `1+1` round trip",
                            floor["jshell_eval_ms"]["median"], ipy["round_trip_ms"]["median"], "ms"))
    if kotlin and ipy:
        targets.append(("ready no slower than IPython (Kotlin kernelspec, median)", kotlin["ready_s"]["median"], ipy["ready_s"]["median"], "s"))
    if kotlin:
        targets.append(("first Kotlin cell after ready <= 2 s (median)", kotlin["first_cell_s"]["median"], 2.0, "s"))
        targets.append(("warm Kotlin cell <= 75 ms (median)", kotlin["round_trip_ms"]["median"], 75.0, "ms"))
    if java:
        targets.append(("idle RSS <= 300 MB (Java kernelspec, max)", java["idle_rss_mib"]["max"], mib300, "MiB"))
    if kotlin:
        targets.append(("idle RSS <= 300 MB (Kotlin kernelspec, max)", kotlin["idle_rss_mib"]["max"], mib300, "MiB"))

    out = []
    out.append("Command: `/usr/bin/python3 kernel/bench/kernel_bench.py --starts %d --cells %d --kernels %s` at %s, %s UTC"
               % (args.starts, args.cells, ",".join(chosen), git_commit(), time.strftime("%Y-%m-%d %H:%M", time.gmtime())))
    out.append("Machine: %d CPUs, %s, Java kernel on `%s`; load average before %s, after %s"
               % (os.cpu_count(), platform.platform(), java_version(), load_before, load_after))
    out.append("")
    out.append("| kernel | ready median (p90) | first cell after ready, median (max) | trivial cell round trip median (p90) | kernel CPU per trivial cell, median of starts | kernel_info median | idle RSS median (max) |")
    out.append("|---|---|---|---|---|---|---|")
    for label, f in figures.items():
        out.append("| %s | %.2f s (%.2f) | %.3f s (%.3f) | %.1f ms (%.1f) | %.1f ms | %.1f ms | %.0f MiB (%.0f) |" % (
            label, f["ready_s"]["median"], f["ready_s"]["p90"], f["first_cell_s"]["median"], f["first_cell_s"]["max"],
            f["round_trip_ms"]["median"], f["round_trip_ms"]["p90"], f["kernel_cpu_ms_per_cell"]["median"], f["kernel_info_ms"]["median"],
            f["idle_rss_mib"]["median"], f["idle_rss_mib"]["max"]))
    if floors:
        ev, ev_cpu, path, path_cpu = (floor[k] for k in ("jshell_eval_ms", "jshell_eval_cpu_ms", "kernel_cell_path_ms", "kernel_cell_path_cpu_ms"))
        out.append("| JShell floor: `JShell.eval` in one JVM, no transport (%d runs) | | | %.1f ms (%.1f) | %.1f ms (calling thread) | | |" % (
            len(floors), ev["median"], ev["p90"], ev_cpu["median"]))
        out.append("| the kernel's cell path in that JVM (`JavaEngine.eval`) | | | %.1f ms (%.1f) | %.1f ms (calling thread) | | |" % (
            path["median"], path["p90"], path_cpu["median"]))
    out.append("")
    out.append("| target | measured | limit | |")
    out.append("|---|---|---|---|")
    for name, value, limit, unit in targets:
        fmt = "%.1f %s" if unit in ("ms", "MiB") else "%.2f %s"
        out.append("| %s | %s | %s | %s |" % (name, fmt % (value, unit), fmt % (limit, unit),
                                              "met" if value <= limit else "MISSED by %.0f%%" % (100 * (value / limit - 1))))
    text = "\n".join(out)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"figures": figures, "raw": raw, "floors": floors, "floor": floor, "load_before": load_before, "load_after": load_after,
                       "targets": [{"target": t[0], "value": t[1], "limit": t[2], "unit": t[3]} for t in targets]}, f, indent=1)


def java_version():
    try:
        p = subprocess.run(["java", "-version"], capture_output=True, text=True)
        return p.stderr.splitlines()[0].strip()
    except (OSError, IndexError):
        return "java not found"


if __name__ == "__main__":
    main()
