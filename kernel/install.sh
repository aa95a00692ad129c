#!/usr/bin/env bash
# Installs the two DebugLab kernelspecs (called by ./debuglab install and ./debuglab notebook).
#   kernel/install.sh [--user (default) | --prefix P | --sys-prefix] [--if-missing] [--no-archive]
# Builds the kernel's runnable jar when it is missing or older than a source file, copies it to
# DATA/debuglab/debuglab-kernel.jar and installs debuglab-java ("DebugLab (Java)") and debuglab-kotlin
# ("DebugLab (Kotlin)") under DATA/kernels, where DATA is ~/.local/share/jupyter (--user),
# P/share/jupyter (--prefix P) or Python's sys.prefix/share/jupyter (--sys-prefix); through
# `jupyter kernelspec install` when it is there, else by writing the folders.
# Then it runs the kernel's warm-up once (java -jar ... --warm-and-exit, 10-20 s) to write a class-data
# sharing archive, DATA/debuglab/debuglab-kernel.jsa, that both kernelspecs start with: the Kotlin
# compiler's classes are mapped from it instead of being parsed and verified at every start. --no-archive
# skips that (the kernels then start without it). A missing or stale archive (another jar or JDK) is
# ignored by the JVM without a message; the kernel then starts as it would without one.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# DEBUGLAB_KERNEL_JAR: install this already built jar (the Maven build installs its own for the kernel tests)
BUILT="${DEBUGLAB_KERNEL_JAR:-$ROOT/kernel/target/debuglab-kernel-0.1.0-SNAPSHOT-all.jar}"
PY=/usr/bin/python3
die() { echo "debuglab install: $*" >&2; exit 2; }

mode=user prefix="" if_missing=0 archive=1
while [ $# -gt 0 ]; do
  case "$1" in
    --user) mode=user ;;
    --sys-prefix) mode=sys-prefix ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder, e.g. --prefix /usr/local"; mode=prefix; prefix="$2"; shift ;;
    --prefix=*) mode=prefix; prefix="${1#--prefix=}" ;;
    --if-missing) if_missing=1 ;;
    --no-archive) archive=0 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1'; use --user (default), --prefix P or --sys-prefix (and --if-missing, --no-archive)" ;;
  esac
  shift
done

case "$mode" in
  user) data="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}" ;;
  prefix) mkdir -p "$prefix" || die "cannot create $prefix"; data="$(cd "$prefix" && pwd)/share/jupyter" ;;
  sys-prefix)
    [ -x "$PY" ] || die "--sys-prefix needs Debian's python3 (apt-get install python3)"
    data="$("$PY" -c 'import sys; print(sys.prefix)')/share/jupyter" ;;
esac
jar="$data/debuglab/debuglab-kernel.jar"

stale() {
  [ -n "${DEBUGLAB_KERNEL_JAR:-}" ] && { [ -f "$BUILT" ] || die "DEBUGLAB_KERNEL_JAR: no file $BUILT"; return 1; }
  [ -f "$BUILT" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/emulator/pom.xml" "$ROOT/emulator/src/main" "$ROOT/dsl/pom.xml" "$ROOT/dsl/src/main" \
      "$ROOT/kernel/pom.xml" "$ROOT/kernel/src/main" -newer "$BUILT" -print -quit 2>/dev/null)" ]
}

if [ "$if_missing" = 1 ] && [ -f "$jar" ] && [ -f "$data/kernels/debuglab-java/kernel.json" ] \
    && [ -f "$data/kernels/debuglab-kotlin/kernel.json" ] && ! stale && ! [ "$BUILT" -nt "$jar" ]; then
  exit 0
fi

if stale; then
  command -v mvn >/dev/null 2>&1 || die "Maven is not installed; run ./debuglab setup (or apt-get install maven)"
  echo "debuglab: building the Jupyter kernel (mvn package)" >&2
  (cd "$ROOT" && mvn -q -B -pl kernel -am package -DskipTests -Ddebuglab.buildDir=target) >&2 \
    || die "the build failed; see the Maven output above"
fi

java_bin="$(command -v java || true)"
[ -n "$java_bin" ] || die "java is not installed; run ./debuglab setup (or apt-get install openjdk-17-jdk-headless)"
java_bin="$(readlink -f "$java_bin")"

mkdir -p "$data/debuglab" || die "cannot write $data (use --user, or run as root for --sys-prefix)"
cp "$BUILT" "$jar.tmp" && mv "$jar.tmp" "$jar"

# The kernel's JVM options (kernel.json's argv and the archive's training run alike; figures in docs/benchmarks.md):
#   -Djava.security.manager=allow  the kernel refuses System.exit in a cell through a SecurityManager (JDK 17)
#   -XX:+UseSerialGC               one core's worth of GC work, the smallest footprint
#   -Xms64m -Xmn32m                a fixed 32 MB young generation (a bigger one is touched, and stays resident, as
#                                  soon as cells allocate) and a heap that starts small instead of at 1/64 of RAM
#   -XX:{Min,Max}HeapFreeRatio     the heap shrinks back after the compiler's start-up garbage (the kernel runs one
#                                  full GC once its engine is warm)
#   -XX:ArchiveRelocationMode=0    map the archive at the address it was written for: JDK 17.0.x's default (1)
#                                  relocates all of its pointers at every start (~0.25 s for this 90 MB archive);
#                                  when that address is taken the JVM still relocates (-XX:+IgnoreUnrecognizedVMOptions:
#                                  a JDK without this diagnostic option starts all the same)
#   -Xlog:cds=off,cds+dynamic=off  a stale archive (the jar or the JDK changed since install) is ignored silently
#   -XX:TieredStopAtLevel=1        C1 only: a kernel compiles more than it loops. Measured in the kernel: Kotlin
#                                  warm-up -35% CPU, Kotlin and Java cells -30..50% CPU, idle RSS -25..45 MiB, a
#                                  20,000-run sweep as fast from its third run on (2x cheaper on its first); only long
#                                  steady loops lose (DslBench's warmed-up sweep 1.3-1.6x the CPU)
# DEBUGLAB_KERNEL_JVM_FLAGS replaces the heap and JIT options (e.g. "" for the JVM's defaults, or without
# -XX:TieredStopAtLevel=1 for notebooks that sweep millions of scenarios).
jvm=(-Djava.security.manager=allow -XX:+UseSerialGC
     ${DEBUGLAB_KERNEL_JVM_FLAGS--Xms64m -Xmn32m -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:TieredStopAtLevel=1}
     -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -Xlog:cds=off -Xlog:cds+dynamic=off)
jsa="$data/debuglab/debuglab-kernel.jsa"
share=()
if [ "$archive" = 1 ]; then
  # written under another name and moved into place once the JVM accepts it (-Xshare:on fails on an unusable
  # archive): a kernel already running keeps its mapping of the old file, and no half-written archive is ever used
  echo "debuglab: writing the kernel's class-data archive (one warm-up run, 10-20 s)" >&2
  rm -f "$jsa.tmp"
  if "$java_bin" "${jvm[@]}" -XX:ArchiveClassesAtExit="$jsa.tmp" -jar "$jar" --warm-and-exit >"$data/debuglab/archive.log" 2>&1 \
      && "$java_bin" -Xshare:on "${jvm[@]}" -XX:SharedArchiveFile="$jsa.tmp" -jar "$jar" --help >/dev/null 2>&1; then
    mv -f "$jsa.tmp" "$jsa"
    share=(-XX:SharedArchiveFile="$jsa")
  else
    rm -f "$jsa.tmp" "$jsa"
    echo "debuglab install: could not write the class-data archive (see $data/debuglab/archive.log); the kernels" \
         "work without it, their first Kotlin cell is slower" >&2
  fi
else
  rm -f "$jsa"
fi
argv_json=""
for a in "$java_bin" "${jvm[@]}" "${share[@]}" -jar "$jar"; do argv_json+="${argv_json:+, }\"$a\""; done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for lang in java kotlin; do
  name="debuglab-$lang"
  if [ "$lang" = java ]; then display="DebugLab (Java)"; else display="DebugLab (Kotlin)"; fi
  mkdir -p "$tmp/$name"
  cp "$ROOT/kernel/src/main/kernelspec/logo-32x32.png" "$ROOT/kernel/src/main/kernelspec/logo-64x64.png" "$tmp/$name/"
  cat > "$tmp/$name/kernel.json" <<JSON
{
  "argv": [$argv_json, "--language", "$lang", "{connection_file}"],
  "display_name": "$display",
  "language": "$lang",
  "interrupt_mode": "message",
  "metadata": {"debugger": false}
}
JSON
  if command -v jupyter-kernelspec >/dev/null 2>&1; then
    case "$mode" in
      user) jupyter-kernelspec install --user --name "$name" "$tmp/$name" >/dev/null 2>&1 \
              || die "jupyter kernelspec install --user failed" ;;
      prefix) jupyter-kernelspec install --prefix "$(cd "$prefix" && pwd)" --name "$name" "$tmp/$name" >/dev/null 2>&1 \
              || die "jupyter kernelspec install --prefix $prefix failed" ;;
      sys-prefix) jupyter-kernelspec install --sys-prefix --name "$name" "$tmp/$name" >/dev/null 2>&1 \
              || die "jupyter kernelspec install --sys-prefix failed (as root?)" ;;
    esac
  else
    rm -rf "$data/kernels/$name"
    mkdir -p "$data/kernels"
    cp -r "$tmp/$name" "$data/kernels/$name"
  fi
  echo "installed $name (\"$display\") in $data/kernels/$name" >&2
done
echo "kernel jar: $jar" >&2
