#!/usr/bin/env bash
# GPU check for clip-djl: ViT-B/32 vision tower at fp16 (target >= 3,000 images/s on an
# H100-class GPU) and the text tower, ours (DJL, JMH) beside the PyTorch-eager peer, one session.
#
#   bash benchmarks/gpu/clip_gpu.sh [OUT_DIR]        (from the repository root)
#
# Needs: nvidia-smi; python3 with a CUDA torch (the peer); for our side, java 17+ and
# benchmarks/target/benchmarks.jar (mvn -B -ntp -pl benchmarks -am package -DskipTests) plus a
# libtorch that DJL 0.36's JNI accepts: PyTorch 2.7.1 built for CUDA 12.x. Point LIBTORCH_DIR at
# its lib folder (e.g. .../site-packages/torch/lib of a torch==2.7.1+cu128 install); if unset and
# python3's torch is 2.7.1+cu12x, its lib folder is used. DJL then loads the cu128 JNI bundled in
# pytorch-jni. Nothing is downloaded (ai.djl.offline=true). Missing pieces are reported, not
# guessed around: the peer still runs so that a session gets the reference figure.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-${OUT:-/tmp/clip-gpu}}"
mkdir -p "$OUT"
LOG="$OUT/clip_gpu.log"
exec > >(tee "$LOG") 2>&1
BATCH="${BATCH:-256}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-10}"
export PYTHONUNBUFFERED=1

echo "== machine"
date -u
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv || {
  echo "no nvidia-smi: not a GPU machine"; exit 2; }
PY="${PYTHON:-python3}"
"$PY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))'

echo "== peer: PyTorch eager, batch $BATCH"
for dtype in fp16 fp32; do
  "$PY" benchmarks/peers/clip_torch.py --device cuda --dtype "$dtype" --batch "$BATCH" \
      --seconds "$SECONDS_PER_RUN" --warmup 5 --threads 8 | tee "$OUT/peer_$dtype.json"
done

echo "== ours: DJL PyTorch engine via JMH, batch $BATCH"
if ! command -v java >/dev/null; then
  echo "SKIPPED ours: no java on this machine (needs a JDK 17+ and benchmarks.jar)"; exit 0
fi
JAR=benchmarks/target/benchmarks.jar
if [ ! -f "$JAR" ]; then
  echo "SKIPPED ours: $JAR missing (mvn -B -ntp -pl benchmarks -am package -DskipTests)"; exit 0
fi
if [ -z "${LIBTORCH_DIR:-}" ]; then
  LIBTORCH_DIR=$("$PY" - <<'PYEOF'
import os, torch
v = torch.__version__
if v.startswith("2.7.1") and torch.version.cuda and torch.version.cuda.startswith("12"):
    print(os.path.join(os.path.dirname(torch.__file__), "lib"))
PYEOF
)
fi
if [ -z "$LIBTORCH_DIR" ]; then
  echo "SKIPPED ours: DJL 0.36 needs libtorch 2.7.1 for CUDA 12.x; set LIBTORCH_DIR to its lib folder"
  exit 0
fi
export PYTORCH_LIBRARY_PATH="$LIBTORCH_DIR" PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128
for precision in FP16 FP32; do
  java -jar "$JAR" ClipEncodeBenchmark -p batch="$BATCH" -p device=gpu -p precision="$precision" \
      -wi 2 -w 5s -i 3 -r "${SECONDS_PER_RUN}s" \
      -jvmArgsAppend "-Xmx3g -Dai.djl.offline=true -Dai.djl.pytorch.cudnn_benchmark=true" \
      -rf json -rff "$OUT/jmh_$precision.json"
done
echo "images/s (texts/s) = JMH ops/s x $BATCH"
