#!/usr/bin/env bash
# subset of benchmarks/peers/retrieval_side_by_side.sh, 2026-11-30 re-measurement
set -uo pipefail
cd /work/wt/retrieval
DATA=/tmp/ctx4j-retrieval-data
OUT=/tmp/ret2/out
mkdir -p $OUT
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=benchmarks/target/benchmarks.jar
PY=/usr/bin/python3
VECTOR="--add-modules jdk.incubator.vector"
log() { echo "$(date -u +%H:%M:%S) $* | $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $OUT/log.txt; }
jmh25() { local name=$1; shift; log "start $name"
  $J25 -Djmh.ignoreLock=true $VECTOR -jar $JAR "$@" -jvm "$J25" \
    -jvmArgsAppend "$VECTOR -Xmx8g -Dctx4j.bench.data=$DATA" -rf json -rff "$OUT/$name.json" \
    2>&1 | grep -E '^# (kernel|ivf)|^Benchmark|avgt' | tee -a "$OUT/log.txt"; }
peer() { local name=$1; shift; log "start $name"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PY benchmarks/peers/retrieval_faiss.py \
    --run "$DATA" --json "$OUT/$name.json" "$@" > /dev/null; log "peer $name done"; }
S=(-f 1 -wi 1 -w 5 -i 3 -r 5)
for r in 1 2; do
  peer r$r-peer-100k --n 100000 --sgemm
  jmh25 r$r-ours-kernel KernelBenchmark -f 1 -wi 3 -w 2 -i 5 -r 2
  jmh25 r$r-ours-threads-100k ExactSearchBenchmark "${S[@]}" -p n=100000 -p q=4096 -p threads=1,2
done
jmh25 ours-exact-1m ExactSearchBenchmark -f 1 -wi 1 -i 2 -p n=1000000 -p q=4096 -p precision=FLOAT32
peer peer-1m --n 1000000 --repeats 1
log "all done"
