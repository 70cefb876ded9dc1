#!/usr/bin/env bash
# Exact top-16 retrieval, d=512, N=100k, Q=4096 queries in one call, 2 threads: faiss-cpu
# IndexFlatIP and ctx4j (JMH ExactSearchBenchmark, Vector API kernel) on JDK 17 and JDK 25,
# alternated ROUNDS times (faiss, ours 17, ours 25, ...), faiss once more at the end so that every
# ours run has a faiss run on each side. Prints one line per run; ratios are taken against the
# mean of the two faiss runs around each of ours.
#
#   PY=/path/to/venv/bin/python ROUNDS=3 bash benchmarks/peers/retrieval_pair.sh   (repo root)
#   PER_CALL=32 ...   the same with 32 queries per search call (faiss: 128 calls over the 4,096)
#
# Needs benchmarks/target/benchmarks.jar, Temurin 25, and a Python with numpy and faiss-cpu
# (current_peers.sh makes that venv). Load is printed with every run: ratios of runs under other
# load are not comparable.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-benchmarks/target/peers-venv/bin/python}
DATA=${DATA:-/tmp/ctx4j-retrieval-data}
ROUNDS=${ROUNDS:-3}
PER_CALL=${PER_CALL:-4096}
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
J17=${J17:-java}
JAR=benchmarks/target/benchmarks.jar
# faiss-cpu 1.15.1's wheel bundles OpenBLAS 0.3.15, which predates Zen 5: left to detect the CPU it
# picks its generic "Barcelona" kernels (807 q/s here). The peer runs its fastest kernel on this
# box instead, measured 2026-12-03: SkylakeX (AVX-512) 2,756 q/s, Zen 1,670, Haswell 1,548.
PEER_CORETYPE=${PEER_CORETYPE:-SkylakeX}
[ -f "$DATA/keys_100000.f32" ] || "$PY" benchmarks/peers/retrieval_faiss.py --make-data "$DATA" --max-n 100000
load() { cut -d' ' -f1 /proc/loadavg; }
faiss() {
  local json qps
  json=$(mktemp)
  env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$PEER_CORETYPE" OMP_NUM_THREADS=2 "$PY" \
    benchmarks/peers/retrieval_faiss.py --run "$DATA" --n 100000 --repeats 5 --json "$json" \
    $([ "$PER_CALL" = 4096 ] || echo --per-call "$PER_CALL") > /dev/null
  qps=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); key="flat_q4096" if sys.argv[2]=="4096" else "flat_%s_per_call" % sys.argv[2]; print(round(d[key]["qps"]), "q/s, faiss", d["faiss"], d["blas"].get("core"))' "$json" "$PER_CALL")
  rm -f "$json"
  echo "faiss $qps (load $(load))"
}
ours() { # java binary, label
  local ms
  ms=$("$1" -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar $JAR ExactSearchBenchmark \
    -f 1 -wi 3 -w 5 -i 5 -r 5 -p n=100000 -p q="$PER_CALL" -p precision=FLOAT32 -jvm "$1" \
    -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx4g" 2>/dev/null \
    | awk '/avgt/ {print $(NF-3)}' | tail -1)
  echo "ctx4j $2 $(awk -v ms="$ms" -v q="$PER_CALL" 'BEGIN{printf "%d", q / (ms / 1000)}') q/s ($ms ms per call of $PER_CALL, load $(load))"
}
for r in $(seq "$ROUNDS"); do
  echo "== round $r"
  faiss
  ours "$J17" "JDK 17"
  ours "$J25" "JDK 25"
done
faiss
