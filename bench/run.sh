#!/usr/bin/env bash
# Benchmarks: the DebugLab interpreter and QEMU TCG on the same guest loops, in the same run,
# then a long random-word fuzz run. Prints the figures (docs/benchmarks.md records them).
#   bench/run.sh [--quick]      (--quick: shorter measurements, smaller fuzz run)
#   DEBUGLAB_BUILD_DIR=target-NAME bench/run.sh   builds into target-NAME/ (parallel workers on one checkout)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/.cache/bench"
mkdir -p "$OUT"
QUICK=0; [ "${1:-}" = "--quick" ] && QUICK=1
WARM=5; MEASURE=10; QEMU_HOT_N=500000000; QEMU_DBG_N=5000000; FUZZ=${FUZZ_WORDS:-50000000}
if [ $QUICK = 1 ]; then WARM=2; MEASURE=3; QEMU_HOT_N=100000000; QEMU_DBG_N=1000000; FUZZ=${FUZZ_WORDS:-5000000}; fi

BUILD_DIR=${DEBUGLAB_BUILD_DIR:-target}

echo "== building" >&2
(cd "$ROOT" && mvn -q -B -pl bench -am package -DskipTests -Ddebuglab.buildDir="$BUILD_DIR") >&2
CP="$ROOT/bench/$BUILD_DIR/debuglab-bench-0.1.0-SNAPSHOT.jar:$ROOT/emulator/$BUILD_DIR/debuglab-emulator-0.1.0-SNAPSHOT.jar"

elf() { # NAME N -> $OUT/NAME-N.elf
  aarch64-linux-gnu-as --defsym "N=$2" -o "$OUT/$1-$2.o" "$ROOT/bench/guest/$1.S"
  aarch64-linux-gnu-ld -Ttext=0x40000000 -o "$OUT/$1-$2.elf" "$OUT/$1-$2.o"
  echo "$OUT/$1-$2.elf"
}

# Best of 3 wall-clock seconds of one QEMU run.
qemu_time() {
  local best=""
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    qemu-system-aarch64 -M virt,virtualization=on -cpu max -nographic \
      -semihosting-config enable=on,target=native -kernel "$1" </dev/null >/dev/null 2>&1
    t1=$(date +%s.%N)
    best=$(echo "$t0 $t1 $best" | awk '{d=$2-$1; if ($3=="" || d<$3) print d; else print $3}')
  done
  echo "$best"
}

BIG=4611686018427387904 # 2^62: the interpreter's copy never leaves the loop
echo "== DebugLab interpreter (${WARM}s warm-up, ${MEASURE}s measured per loop)" >&2
OURS_HOT=$(java -XX:+UseParallelGC -cp "$CP" dev.debuglab.bench.LoopBench "$(elf hot $BIG)" $WARM $MEASURE)
OURS_DBG=$(java -XX:+UseParallelGC -cp "$CP" dev.debuglab.bench.LoopBench "$(elf debug $BIG)" $WARM $MEASURE)

echo "== QEMU TCG (best of 3; start-up measured with N = 0 and subtracted)" >&2
Q0=$(qemu_time "$(elf hot 0)")
QH=$(qemu_time "$(elf hot $QEMU_HOT_N)")
QD0=$(qemu_time "$(elf debug 0)")
QD=$(qemu_time "$(elf debug $QEMU_DBG_N)")
QEMU_HOT_IPS=$(awk -v n=$QEMU_HOT_N -v a=$Q0 -v b=$QH 'BEGIN{printf "%.1f", 4*n/(b-a)/1e6}')
QEMU_DBG_ITS=$(awk -v n=$QEMU_DBG_N -v a=$QD0 -v b=$QD 'BEGIN{printf "%.3f", n/(b-a)/1e6}')

OURS_HOT_IPS=$(echo "$OURS_HOT" | sed -E 's/.*: ([0-9.]+) M guest.*/\1/')
OURS_DBG_ITS=$(echo "$OURS_DBG" | sed -E 's/.*, ([0-9.]+) M loop.*/\1/')

echo
echo "hot integer loop   DebugLab: $OURS_HOT"
echo "                   QEMU:     $QEMU_HOT_IPS M guest instructions/s (N=$QEMU_HOT_N: ${QH}s, start-up ${Q0}s)"
echo "                   ratio DebugLab/QEMU: $(awk -v a=$OURS_HOT_IPS -v b=$QEMU_HOT_IPS 'BEGIN{printf "%.3f", a/b}')"
echo "debug-heavy loop   DebugLab: $OURS_DBG"
echo "                   QEMU:     $QEMU_DBG_ITS M loop iterations/s (N=$QEMU_DBG_N: ${QD}s, start-up ${QD0}s)"
echo "                   ratio DebugLab/QEMU: $(awk -v a=$OURS_DBG_ITS -v b=$QEMU_DBG_ITS 'BEGIN{printf "%.3f", a/b}')"

echo "== DSL: a 100-instruction debug scenario under KVM 6.1 + QEMU (warm, in process), a sweep of scenarios, the same scenario as one QEMU process" >&2
DSL_N=100000; [ $QUICK = 1 ] && DSL_N=20000
# A fixed, pre-touched heap: with ParallelGC's default (a quarter of RAM, grown on demand) the young generation
# keeps growing during the measurement and first-touch page faults land in the runs (docs/benchmarks.md, DSL).
java -XX:+UseParallelGC -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$CP:$ROOT/dsl/$BUILD_DIR/debuglab-dsl-0.1.0-SNAPSHOT.jar" dev.debuglab.bench.DslBench $DSL_N "$OUT/dsl-scenario.elf"
DSL_Q=$(for _ in 1 2 3; do t0=$(date +%s.%N); qemu-system-aarch64 -M virt -cpu max -nographic -semihosting-config enable=on,target=native \
  -kernel "$OUT/dsl-scenario.elf" </dev/null >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t0 $t1" | awk '{print $2-$1}'; done | sort -n | head -1)
echo "DSL scenario as one QEMU TCG bare-metal process (EL1, start-up included): ${DSL_Q}s (best of 3)"

echo "== fuzz: $FUZZ random words" >&2
(cd "$ROOT" && mvn -q -B -pl emulator test -Ddebuglab.buildDir="$BUILD_DIR" -Dsurefire.failIfNoSpecifiedTests=false -Dtest=RandomWordFuzzTest -Ddebuglab.fuzz.words=$FUZZ \
  -Ddebuglab.fuzz.seed=$RANDOM$RANDOM) >&2 && echo "fuzz: $FUZZ words, no escape, all architectural"
