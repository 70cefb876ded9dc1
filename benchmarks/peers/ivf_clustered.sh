#!/usr/bin/env bash
# IVF on clustered data: faiss-cpu IndexIVFFlat and ctx4j's IVF index at equal recall@16, run
# alternately (faiss, ours; ROUNDS times, default 1: ours rebuilds the index per nprobe), then the table of queries/s at recall >= 0.80/0.90/0.95/0.99.
#
#   PY=benchmarks/target/peers-venv/bin/python benchmarks/peers/ivf_clustered.sh [NPROBES]
#
# Needs benchmarks/target/benchmarks.jar and a Python with faiss-cpu and numpy (the venv of
# current_peers.sh). Data: ivf_clustered.py --make-data (DATA, default /tmp/ctx4j-ivf-clustered).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-benchmarks/target/peers-venv/bin/python}
DATA=${DATA:-/tmp/ctx4j-ivf-clustered}
NPROBES=${1:-4,8,16,32,64}
OUT=${OUT:-benchmarks/target/ivf-clustered}
# faiss's bundled OpenBLAS 0.3.15 autodetects Zen 5 as "Barcelona" (generic kernels): the peer
# runs its fastest kernel here instead (see retrieval_pair.sh).
PEER_CORETYPE=${PEER_CORETYPE:-SkylakeX}
mkdir -p "$OUT"
rm -f "$OUT/faiss.jsonl" "$OUT/ours.jsonl"
[ -f "$DATA/keys_100000.f32" ] || "$PY" benchmarks/peers/ivf_clustered.py --make-data "$DATA"
for round in $(seq 1 "${ROUNDS:-1}"); do
  echo "round $round, load $(cut -d' ' -f1-3 /proc/loadavg)"
  env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$PEER_CORETYPE" "$PY" benchmarks/peers/ivf_clustered.py \
    --faiss "$DATA" --json "$OUT/faiss.jsonl" --nprobes "$NPROBES"
  java --add-modules jdk.incubator.vector -Xmx4g -Dctx4j.bench.data="$DATA" \
    -cp benchmarks/target/benchmarks.jar org.ctx4j.benchmarks.retrieval.IvfRecallMain "$NPROBES" \
    2>/dev/null | grep '^{' | tee -a "$OUT/ours.jsonl"
done
"$PY" benchmarks/peers/ivf_clustered.py --report "$OUT/faiss.jsonl" "$OUT/ours.jsonl"
