#!/usr/bin/env bash
# The GPU check, one script for the first GPU this project is lent (<= 8 minutes on one GPU):
#   1. CLIP ViT-B/32 image encoding at fp16 and fp32, images/s (random weights, real architecture)
#   2. exact top-16 over 2.25M keys on the GPU with the build's index, queries/s, checked against
#      the CPU index's bits on 64 queries
#   3. a 2,000-image end-to-end build retrieving on the GPU, and the step that limits it
# and one summary table at the end (org.ctx4j.benchmarks.gpu.GpuCheck).
#
#   bash benchmarks/gpu/check.sh [--dry-run] [WORK_DIR]        (from anywhere)
#
# --dry-run runs the same steps on the CPU at toy sizes; the test suite runs it
# (GpuCheckDryRunTest), so the script cannot rot before a GPU is lent.
# Needs benchmarks/target/benchmarks.jar (mvn -B -ntp package -DskipTests), or CTX4J_CLASSPATH;
# on a GPU, DJL's CUDA natives (see docs/gpu.md: PYTORCH_LIBRARY_PATH to a libtorch 2.7.1+cu12x,
# and the classpath without pytorch-native-cpu). Nothing is downloaded (ai.djl.offline=true).
set -euo pipefail
cd "$(dirname "$0")/../.."
DRY=""
WORK=""
for a in "$@"; do
  case $a in
    --dry-run) DRY=--dry-run ;;
    -*) echo "unknown option $a (use --dry-run)" >&2; exit 2 ;;
    *) WORK=$a ;;
  esac
done
WORK=${WORK:-/tmp/ctx4j-gpu-check}
CP=${CTX4J_CLASSPATH:-benchmarks/target/benchmarks.jar}
if [ -z "$DRY" ]; then
  command -v nvidia-smi >/dev/null || { echo "no nvidia-smi: not a GPU machine (try --dry-run)"; exit 2; }
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  # DJL 0.36 needs libtorch 2.7.1 for CUDA 12.x: LIBTORCH_DIR, else a pip torch 2.7.1+cu12x's lib.
  if [ -z "${LIBTORCH_DIR:-}" ] && command -v python3 >/dev/null; then
    LIBTORCH_DIR=$(python3 -c 'import os, torch; v = torch.__version__; c = torch.version.cuda or ""
print(os.path.join(os.path.dirname(torch.__file__), "lib") if v.startswith("2.7.1") and c.startswith("12") else "")' 2>/dev/null || true)
  fi
  if [ -n "${LIBTORCH_DIR:-}" ]; then
    export PYTORCH_LIBRARY_PATH="$LIBTORCH_DIR" PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128
    echo "libtorch: $LIBTORCH_DIR"
  else
    echo "no libtorch 2.7.1+cu12x found (set LIBTORCH_DIR): DJL will see no GPU"
  fi
fi
echo "java: $(java -version 2>&1 | head -1); work dir $WORK"
start=$(date +%s)
HEAP=${HEAP:-$([ -n "$DRY" ] && echo 1g || echo 24g)}
java -Xmx$HEAP -Dai.djl.offline=true --add-modules jdk.incubator.vector \
  -cp "$CP" org.ctx4j.benchmarks.gpu.GpuCheck "$WORK" $DRY 2>&1 | grep -v -E '^WARNING: Using incubator|SLF4J'
echo "check took $(( $(date +%s) - start )) s"
