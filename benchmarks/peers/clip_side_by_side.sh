#!/usr/bin/env bash
# CLIP towers side by side: PyTorch eager in Python (clip_torch.py) and ours (ClipEncodeBenchmark),
# alternated peer, ours, peer, ours, peer for each case, so that each figure of ours has a peer
# figure measured just before and just after it. Same threads (2), same batch, same texts.
#
#   benchmarks/peers/clip_side_by_side.sh OUT_DIR [CASE ...]
#
# A case is TOWER:BATCH[:TEXTS], e.g. vision:8 text:64:mixed text:64:uniform. Needs
# benchmarks/target/benchmarks.jar (mvn -B -ntp package -DskipTests) and Debian's python3-torch
# with libopenblas0-openmp. OMP_WAIT_POLICY=PASSIVE for both sides: with libgomp's default
# spin-waiting, the JVM's own threads and the OpenMP workers fight over the 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: clip_side_by_side.sh OUT_DIR [CASE ...]}
shift
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  cases=(vision:8 text:8:mixed text:64:mixed text:64:uniform text:256:mixed)
fi
mkdir -p "$out"
export OMP_WAIT_POLICY=PASSIVE
log() { echo "$(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) | $*" | tee -a "$out/log.txt"; }

peer() { # tower batch texts round
  log "peer $1 batch=$2 texts=$3 round=$4"
  ${PY:-/usr/bin/python3} benchmarks/peers/clip_torch.py --threads 2 --batch "$2" --seconds 15 \
    --warmup 2 --tower "$1" --texts "$3" | tee -a "$out/peer.jsonl" "$out/log.txt"
}

ours() { # tower batch texts round
  log "ours $1 batch=$2 texts=$3 round=$4"
  local method=visionTower
  [ "$1" = text ] && method=textTower
  java -jar benchmarks/target/benchmarks.jar "ClipEncodeBenchmark.$method" \
    -p batch="$2" -p texts="$3" -f 1 -wi 1 -w 10s -i 3 -r 10s \
    -rf json -rff "$out/ours-$1-b$2-$3-r$4.json" 2>&1 \
    | grep -E '^# [0-9]+ texts|^# VM version|^Iteration|^ClipEncode' | tee -a "$out/log.txt"
}

log "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
log "blas: $(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | awk '/^Value:/ {print $2}')"
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
