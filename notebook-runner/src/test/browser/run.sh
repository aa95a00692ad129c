#!/usr/bin/env bash
# Browser test of notebook 1 (issue 6). Usage: run.sh NOTEBOOKS_DIR JUPYTER_DATA OUT_DIR
#   NOTEBOOKS_DIR  the repository's notebooks/ (a copy is served, so the originals are never written)
#   JUPYTER_DATA   share/jupyter where the DebugLab kernelspecs were installed (kernel/install.sh --prefix P)
#   OUT_DIR        build folder for node_modules, the server's log, Jupyter's runtime files and the screenshots
# Starts Debian's jupyter-notebook on 127.0.0.1 (free port, random token), runs notebook-1.mjs with playwright-core
# against Debian's Chromium, and stops the server in every case.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NOTEBOOKS="$(cd "$1" && pwd)"; DATA="$(cd "$2" && pwd)"; OUT="$3"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
die() { echo "browser test: $*" >&2; exit 1; }
command -v jupyter-notebook >/dev/null || die "jupyter-notebook is missing (apt-get install jupyter-notebook)"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing (apt-get install chromium)"
command -v npm >/dev/null || die "npm is missing (apt-get install npm)"

# playwright-core from npm, under the build folder (only the driver: it downloads no browser).
PW_VERSION=1.58.2  # the newest release that runs on Debian 12's Node 18 (engines: node >=18)
if [ ! -f "$OUT/node/node_modules/playwright-core/package.json" ] \
    || ! grep -q "\"version\": \"$PW_VERSION\"" "$OUT/node/node_modules/playwright-core/package.json"; then
  mkdir -p "$OUT/node"
  (cd "$OUT/node" && [ -f package.json ] || echo '{"private": true}' > package.json)
  npm install --prefix "$OUT/node" --no-audit --no-fund --loglevel=error "playwright-core@$PW_VERSION" >&2 \
    || die "npm install playwright-core failed"
fi

rm -rf "$OUT/served"; mkdir -p "$OUT/served"
cp "$NOTEBOOKS"/*.ipynb "$OUT/served/"
PORT="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
TOKEN="$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')"

export JUPYTER_PATH="$DATA" JUPYTER_RUNTIME_DIR="$OUT/runtime" JUPYTER_CONFIG_DIR="$OUT/config" JUPYTER_DATA_DIR="$OUT/data" \
  IPYTHONDIR="$OUT/ipython" HOME="${HOME:-$OUT}"
jupyter-notebook --no-browser --ip=127.0.0.1 --port="$PORT" --port-retries=0 --NotebookApp.token="$TOKEN" \
  --NotebookApp.password='' --notebook-dir="$OUT/served" --allow-root >"$OUT/jupyter-notebook.log" 2>&1 &
SERVER=$!
stop() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap stop EXIT INT TERM

for _ in $(seq 1 120); do
  kill -0 "$SERVER" 2>/dev/null || { cat "$OUT/jupyter-notebook.log" >&2; die "jupyter-notebook exited"; }
  /usr/bin/python3 - "$PORT" "$TOKEN" <<'PY' && break
import sys, urllib.request
try:
    urllib.request.urlopen("http://127.0.0.1:%s/api/kernelspecs?token=%s" % (sys.argv[1], sys.argv[2]), timeout=2).read()
except Exception:
    sys.exit(1)
PY
  sleep 0.5
done
# An ES module resolves packages from its own folder: run it from the folder with node_modules.
cp "$HERE/notebook-1.mjs" "$OUT/node/notebook-1.mjs"
node "$OUT/node/notebook-1.mjs" "http://127.0.0.1:$PORT" "$TOKEN" "$OUT"
