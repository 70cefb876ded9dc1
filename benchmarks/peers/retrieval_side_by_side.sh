#!/usr/bin/env bash
# Side-by-side retrieval benchmark: ctx4j (JMH, JDK 25 + Vector API, and Java 17 scalar) against
# faiss / numpy-OpenBLAS (retrieval_faiss.py) on the same data, in one invocation, ours and the
# peers interleaved for ROUNDS rounds; then prints the table with ratios (retrieval_report.py).
#
#   benchmarks/peers/retrieval_side_by_side.sh            # N = 100k (≈ 15 min on an idle 2-core box)
#   FULL=1 benchmarks/peers/retrieval_side_by_side.sh     # also N = 1M, Q = 4096 (much longer)
#
# Needs: mvn -pl benchmarks -am package (benchmarks/target/benchmarks.jar), Temurin 25, Debian's
# python3-numpy, python3-faiss and libopenblas0-openmp. For the peer runs only, OPENBLAS_L2_SIZE is
# unset and OPENBLAS_CORETYPE is PEER_CORETYPE (default SkylakeX, the peer's fastest kernel on this
# Zen 5 box: this box pins Haswell for old builds, and faiss-cpu's bundled OpenBLAS 0.3.15
# autodetects Zen 5 as generic Barcelona) — the report records the core OpenBLAS then ran.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${DATA:-/tmp/ctx4j-retrieval-data}
OUT=${OUT:-benchmarks/target/retrieval-side-by-side}
ROUNDS=${ROUNDS:-2}
# faiss at 32 queries per call is very slow on a loaded box (OpenMP threads spin): PER_CALL=288 trims it
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
J17=${J17:-java}
JAR=benchmarks/target/benchmarks.jar
PY=${PY:-/usr/bin/python3}
mkdir -p "$OUT"
[ -f "$DATA/keys_1000000.f32" ] || $PY benchmarks/peers/retrieval_faiss.py --make-data "$DATA"

VECTOR="--add-modules jdk.incubator.vector"
jmh25() { # name, then JMH arguments
  local name=$1; shift
  $J25 -Djmh.ignoreLock=true $VECTOR -jar $JAR "$@" -jvm "$J25" \
    -jvmArgsAppend "$VECTOR -Xmx8g -Dctx4j.bench.data=$DATA" -rf json -rff "$OUT/$name.json" \
    2>&1 | grep -E '^# (kernel|ivf)|^Benchmark|avgt' | tee -a "$OUT/log.txt"
}
peer() { # name, then retrieval_faiss.py arguments
  local name=$1; shift
  env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="${PEER_CORETYPE:-SkylakeX}" $PY benchmarks/peers/retrieval_faiss.py \
    --run "$DATA" --json "$OUT/$name.json" "$@" > /dev/null
  echo "peer $name done" | tee -a "$OUT/log.txt"
}
JMH_SHORT=(-f 1 -wi 1 -w 5 -i 3 -r 5)

for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round" | tee -a "$OUT/log.txt"
  jmh25 "r$round-ours-exact-100k" 'ExactSearchBenchmark' "${JMH_SHORT[@]}" -p n=100000 \
    -p q=4096,288,160,32 -p precision=FLOAT32
  peer "r$round-peer-100k" --n 100000 --per-call "${PER_CALL:-32,160,288}" --sgemm
  jmh25 "r$round-ours-kernel" 'KernelBenchmark' -f 1 -wi 3 -w 2 -i 5 -r 2
  jmh25 "r$round-ours-storage-100k" 'ExactSearchBenchmark' "${JMH_SHORT[@]}" -p n=100000 \
    -p q=4096 -p precision=BFLOAT16,FLOAT16 -p storage=heap,mapped
  jmh25 "r$round-ours-threads-100k" 'ExactSearchBenchmark' "${JMH_SHORT[@]}" -p n=100000 \
    -p q=4096 -p threads=1,2
done
# once: approximate indexes (build dominates), libtorch through DJL, Java 17 scalar kernel
jmh25 "ours-ivf-100k" 'IvfSearchBenchmark' "${JMH_SHORT[@]}" -p n=100000
peer "peer-ivf-100k" --n 100000 --ivf
jmh25 "ours-djl-100k" 'DjlSearchBenchmark' "${JMH_SHORT[@]}" -p n=100000
java17_out="$OUT/ours-java17-scalar.json"
$J17 -Djmh.ignoreLock=true -jar $JAR 'ExactSearchBenchmark' "${JMH_SHORT[@]}" -p n=100000 -p q=512 \
  -jvmArgsAppend "-Dctx4j.bench.data=$DATA" -rf json -rff "$java17_out" 2>&1 \
  | grep -E '^# kernel|avgt' | tee -a "$OUT/log.txt"
if [ "${FULL:-0}" = 1 ]; then
  jmh25 "ours-exact-1m" 'ExactSearchBenchmark' -f 1 -wi 1 -i 2 -p n=1000000 -p q=4096 \
    -p precision=FLOAT32,BFLOAT16
  peer "peer-1m" --n 1000000 --repeats 2
fi
$PY benchmarks/peers/retrieval_report.py "$OUT"
