#!/usr/bin/env bash
# CLIP towers on the CPU side by side: onnxruntime (clip_onnx_peer.py, the tower exported to ONNX
# from the same checkpoint) and ours (ClipCpuRouteMain, Java route; PYTORCH too when asked), run
# alternately peer, ours, peer, ours, peer for each case, so that each figure of ours has a peer
# figure measured just before and just after it on this shared box. Same threads, batch and texts.
#
#   benchmarks/peers/clip_onnx_peer.sh OUT_DIR [CASE ...]
#
# A case is TOWER:BATCH[:TEXTS], e.g. vision:32 text:64:mixed. Needs
# benchmarks/target/benchmarks.jar (mvn -B -ntp -o package -DskipTests). Creates its own venv
# (VENV, default benchmarks/peers/.venv-onnx) from pip wheels: torch (CPU), onnxruntime, onnx,
# transformers, safetensors, numpy. BACKENDS="JAVA PYTORCH" adds libtorch to ours.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: clip_onnx_peer.sh OUT_DIR [CASE ...]}
shift
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  cases=(vision:8 vision:32 text:8:mixed text:64:mixed)
fi
threads=${THREADS:-2}
seconds=${SECONDS_PER_RUN:-12}
backends=${BACKENDS:-JAVA}
venv=${VENV:-benchmarks/peers/.venv-onnx}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet torch onnxruntime onnx transformers safetensors numpy
fi
mkdir -p "$out"
jar=benchmarks/target/benchmarks.jar
log() { echo "$(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) | $*" | tee -a "$out/log.txt"; }
model=$(java -cp "$jar" org.ctx4j.benchmarks.clip.ClipCpuRouteMain --model-dir 2>/dev/null | tail -1)
mkdir -p "$out/onnx"

peer() { # tower batch texts round
  log "peer $1 batch=$2 texts=$3 round=$4"
  "$venv/bin/python" benchmarks/peers/clip_onnx_peer.py --model "$model" --onnx-dir "$out/onnx" \
    --tower "$1" --batch "$2" --texts "$3" --threads "$threads" --seconds "$seconds" 2>/dev/null \
    | tee -a "$out/peer.jsonl" "$out/log.txt"
}

ours() { # tower batch texts round
  for b in $backends; do
    log "ours $b $1 batch=$2 texts=$3 round=$4"
    java --add-modules jdk.incubator.vector -Xmx3g -cp "$jar" \
      org.ctx4j.benchmarks.clip.ClipCpuRouteMain --model "$model" --backend "$b" --tower "$1" \
      --batch "$2" --texts "$3" --threads "$threads" --seconds "$seconds" 2>/dev/null \
      | grep '^{' | tee -a "$out/ours.jsonl" "$out/log.txt"
  done
}

log "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for c in "${cases[@]}"; do
  IFS=: read -r tower batch texts <<<"$c"
  texts=${texts:-mixed}
  peer "$tower" "$batch" "$texts" 1
  ours "$tower" "$batch" "$texts" 1
  peer "$tower" "$batch" "$texts" 2
  ours "$tower" "$batch" "$texts" 2
  peer "$tower" "$batch" "$texts" 3
done
log done
