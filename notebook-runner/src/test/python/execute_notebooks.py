#!/usr/bin/python3
"""Executes every notebook of notebooks/ with nbclient against the installed DebugLab kernelspecs, as Jupyter would.

    /usr/bin/python3 execute_notebooks.py --notebooks DIR --jupyter-data DIR --out DIR [NAME.ipynb ...]

--jupyter-data is the share/jupyter folder the kernelspecs were installed into (kernel/install.sh --prefix P:
P/share/jupyter); it is put first on JUPYTER_PATH, and Jupyter's runtime/config folders are kept under --out, so
nothing of the user's own Jupyter setup is read or written. Each executed copy is written to OUT/NAME.ipynb and as
HTML (nbconvert) to OUT/NAME.html. Exit status 1 if any cell of any notebook failed (the cell and the error are
printed), 0 otherwise.
"""
import argparse
import os
import sys
import time


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--notebooks", required=True)
    p.add_argument("--jupyter-data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    p.add_argument("names", nargs="*")
    a = p.parse_args()

    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    os.environ["JUPYTER_PATH"] = os.path.abspath(a.jupyter_data)
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(out, "runtime")
    os.environ["JUPYTER_CONFIG_DIR"] = os.path.join(out, "config")
    os.environ["JUPYTER_DATA_DIR"] = os.path.join(out, "data")
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"

    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    specs = KernelSpecManager().find_kernel_specs()
    for name in ("debuglab-java", "debuglab-kotlin"):
        if name not in specs or not specs[name].startswith(os.path.abspath(a.jupyter_data)):
            sys.exit("execute_notebooks: kernelspec %s is not installed under %s (found: %s); run kernel/install.sh --prefix first"
                     % (name, a.jupyter_data, specs))

    names = a.names or sorted(f for f in os.listdir(a.notebooks) if f.endswith(".ipynb"))
    failed = []
    for name in names:
        path = os.path.join(a.notebooks, name)
        nb = nbformat.read(path, as_version=4)
        kernel = nb.metadata.get("kernelspec", {}).get("name", "")
        client = NotebookClient(nb, timeout=a.timeout, startup_timeout=120, kernel_name=kernel,
                                resources={"metadata": {"path": os.path.abspath(a.notebooks)}})
        t0 = time.monotonic()
        error = None
        try:
            client.execute()
        except CellExecutionError as e:
            error = e
        elapsed = time.monotonic() - t0
        stem = name[:-len(".ipynb")]
        nbformat.write(nb, os.path.join(out, name))
        html, _ = HTMLExporter().from_notebook_node(nb)
        with open(os.path.join(out, stem + ".html"), "w", encoding="utf-8") as f:
            f.write(html)
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        ran = sum(1 for c in code_cells if c.get("execution_count"))
        if error is None:
            errors = [c for c in code_cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
            if errors:
                error = "an error output without CellExecutionError"
        if error is not None:
            number = next((i + 1 for i, c in enumerate(nb.cells) if c.cell_type == "code"
                           and any(o.get("output_type") == "error" for o in c.get("outputs", []))), "?")
            failed.append(name)
            print("FAIL %s (kernel %s) at cell %s after %.1f s:\n%s" % (name, kernel, number, elapsed, str(error)[-3000:]), flush=True)
        else:
            print("ok   %s (kernel %s): %d code cells in %.1f s -> %s" % (name, kernel, ran, elapsed,
                                                                          os.path.join(out, stem + ".html")), flush=True)
    if failed:
        print("%d of %d notebooks failed: %s" % (len(failed), len(names), ", ".join(failed)))
        return 1
    print("all %d notebooks ran with no errors under nbclient" % len(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
