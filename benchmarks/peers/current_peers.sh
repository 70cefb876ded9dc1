#!/usr/bin/env bash
# The peers a user would pick in 2026, from the Python package registry (not Debian's 2022 builds),
# side by side with ctx4j on this machine: creates a venv, then runs each comparison with peer and
# ctx4j alternating, 2 threads (1 for preprocessing, as the target says one core).
#
#   bash benchmarks/peers/current_peers.sh [SECTION...]      (from the repository root)
#     sections: venv retrieval hdf5-write hdf5-read preprocess   (default: all, in that order)
#
# Needs benchmarks/target/benchmarks.jar (mvn -B -ntp package -DskipTests) and Temurin 25 for the
# retrieval JMH runs (see retrieval_side_by_side.sh). The venv (VENV, default
# benchmarks/target/peers-venv) gets numpy 2.x, h5py 3.16 (HDF5 2.0), faiss-cpu 1.15, Pillow 12;
# pillow-simd is tried in a venv of its own (it builds from source: needs libjpeg-dev and
# zlib1g-dev) and reported as not built when it fails. The CLIP peers (torch, onnxruntime) live in
# clip_onnx_peer.sh. Logs go to OUT (default benchmarks/target/current-peers/); each section prints
# its figures; retrieval_report.py prints the median ratio and spread for retrieval.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-benchmarks/target/peers-venv}
SIMD_VENV=${SIMD_VENV:-benchmarks/target/pillow-simd-venv}
OUT=${OUT:-benchmarks/target/current-peers}
JAR=${JAR:-benchmarks/target/benchmarks.jar}
SECTIONS=${*:-venv retrieval hdf5-write hdf5-read preprocess}
ROUNDS=${ROUNDS:-2}
mkdir -p "$OUT"
PY="$VENV/bin/python"

section() { echo; echo "== $1 ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"; }

for s in $SECTIONS; do
  case $s in
    venv)
      section "venv: $VENV"
      [ -x "$PY" ] || python3 -m venv "$VENV"
      "$PY" -m pip install -q "numpy>=2" "h5py>=3.16" "faiss-cpu>=1.15" "pillow>=12"
      "$PY" - <<'PYEOF'
import faiss, h5py, numpy, PIL
print("numpy", numpy.__version__, "| h5py", h5py.__version__, "HDF5", h5py.version.hdf5_version,
      "| faiss", faiss.__version__, "| Pillow", PIL.__version__)
PYEOF
      [ -x "$SIMD_VENV/bin/python" ] || python3 -m venv "$SIMD_VENV"
      if "$SIMD_VENV/bin/python" -m pip install -q --retries 1 --timeout 15 numpy pillow-simd >"$OUT/pillow-simd-build.log" 2>&1; then
        "$SIMD_VENV/bin/python" -c 'import PIL; print("pillow-simd", PIL.__version__)'
      else
        echo "pillow-simd: not built here (see $OUT/pillow-simd-build.log)"
      fi
      ;;
    retrieval)
      section "retrieval: exact top-16, d=512, N=100k (faiss IndexFlatIP vs ctx4j)"
      PY="$PY" ROUNDS=$ROUNDS OUT="$OUT/retrieval" bash benchmarks/peers/retrieval_side_by_side.sh
      ;;
    hdf5-write)
      section "HDF5 write: txt_ctx k=16 d=512, 5,000 images (h5py vs ctx4j)"
      PY="$PY" bash benchmarks/peers/hdf5_write_side_by_side.sh "$JAR" "$OUT/hdf5-write" \
        "$OUT/hdf5-write.log" throughput
      grep -v '^#' "$OUT/hdf5-write.log" | tail -n 12
      ;;
    hdf5-read)
      section "HDF5 random topK reads: txt_ctx of 123,287 images (h5py vs ctx4j)"
      FILE=$OUT/txt_ctx_123287_d8.hdf5
      [ -f "$FILE" ] || "$PY" benchmarks/peers/hdf5_read_h5py.py make "$FILE" 123287
      for r in $(seq "$ROUNDS"); do
        echo "-- round $r: h5py"; "$PY" benchmarks/peers/hdf5_read_h5py.py bench "$FILE"
        echo "-- round $r: ctx4j"
        java -jar "$JAR" hdf5read.TextualContextReadBenchmark -jvmArgsAppend \
          "-Dctx4j.bench.txt=$FILE -Xmx2g" 2>&1 | grep -E '^Benchmark|( avgt | sample | ss |p0\.50|p0\.99)'
      done
      ;;
    preprocess)
      section "preprocessing: decode + 15 views, one core (Pillow 12 / pillow-simd vs ctx4j)"
      "$PY" benchmarks/peers/preprocess_pillow.py --make-input
      for r in $(seq "$ROUNDS"); do
        echo "-- round $r: Pillow"; OMP_NUM_THREADS=1 "$PY" benchmarks/peers/preprocess_pillow.py --seconds 20
        if [ -x "$SIMD_VENV/bin/python" ] && "$SIMD_VENV/bin/python" -c 'import PIL' 2>/dev/null; then
          echo "-- round $r: pillow-simd"
          OMP_NUM_THREADS=1 "$SIMD_VENV/bin/python" benchmarks/peers/preprocess_pillow.py --seconds 20
        fi
        echo "-- round $r: ctx4j"
        java -cp "$JAR" org.ctx4j.benchmarks.image.PreprocessCpuTime 20
      done
      ;;
    *) echo "unknown section $s (venv retrieval hdf5-write hdf5-read preprocess)"; exit 2 ;;
  esac
done
