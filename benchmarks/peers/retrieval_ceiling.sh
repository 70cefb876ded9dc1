#!/usr/bin/env bash
# Exact top-16 (d = 512, N = 100k, Q = 4096, 2 threads) as a fraction of this machine's FMA ceiling:
# the 512-bit FMA loop (fma_peak.c) on every core at once, faiss IndexFlatIP, ours (JMH
# ExactSearchBenchmark on JDK 17 and JDK 25), faiss again, the FMA loop again; every figure is
# printed in GFLOP/s (queries/s x N x d x 2) beside the ceiling, so a target ratio over faiss can be
# checked against what the cores allow at all.
#
#   PY=benchmarks/target/peers-venv/bin/python benchmarks/peers/retrieval_ceiling.sh
#
# Needs benchmarks/target/benchmarks.jar, gcc, Temurin 25, and a Python with faiss (the venv of
# current_peers.sh). Data as retrieval_side_by_side.sh makes it (DATA, default
# /tmp/ctx4j-retrieval-data).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${DATA:-/tmp/ctx4j-retrieval-data}
PY=${PY:-benchmarks/target/peers-venv/bin/python}
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=benchmarks/target/benchmarks.jar
OUT=$(mktemp -d)
[ -f "$DATA/keys_100000.f32" ] || "$PY" benchmarks/peers/retrieval_faiss.py --make-data "$DATA" --max-n 100000
gcc -O2 -mavx512f -mfma benchmarks/peers/fma_peak.c -o "$OUT/fma_peak"
ceiling() {
  local sum=0
  for _ in $(seq "$(nproc)"); do "$OUT/fma_peak" | tail -1 > "$OUT/fma.$_" & done
  wait
  awk -F'"gflops": ' '{ s += $2 } END { printf "ceiling (fma-512 loop on %d cores): %.1f GFLOP/s\n", NR, s }' "$OUT"/fma.*
  rm -f "$OUT"/fma.*
}
faiss() {
  env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="${PEER_CORETYPE:-SkylakeX}" OMP_NUM_THREADS=2 "$PY" benchmarks/peers/retrieval_faiss.py \
    --run "$DATA" --n 100000 --json "$OUT/faiss.json" > /dev/null
  "$PY" -c "import json; r = json.load(open('$OUT/faiss.json'))['flat_q4096']; \
print('faiss IndexFlatIP: %.0f q/s = %.1f GFLOP/s' % (r['qps'], r['qps'] * 100000 * 512 * 2 / 1e9))"
}
ours() { # java binary, label
  "$1" -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar $JAR ExactSearchBenchmark \
    -f 1 -wi 1 -w 5 -i 3 -r 5 -p n=100000 -p q=4096 -p precision=FLOAT32 -p threads=2 -jvm "$1" \
    -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx4g -Dctx4j.bench.data=$DATA" \
    -rf json -rff "$OUT/ours.json" > /dev/null 2>&1
  "$PY" -c "import json; r = json.load(open('$OUT/ours.json'))[0]['primaryMetric']; \
s = r['score'] / 1000 if r['scoreUnit'].startswith('ms') else r['score']; qps = 4096 / s; \
print('ctx4j $2: %.0f q/s = %.1f GFLOP/s' % (qps, qps * 100000 * 512 * 2 / 1e9))"
}
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
ceiling
faiss
ours java "JDK 17"
ours "$J25" "JDK 25"
faiss
ceiling
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
