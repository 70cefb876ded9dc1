#!/usr/bin/env bash
set -uo pipefail
cd /work/wt/retrieval
export OMP_WAIT_POLICY=PASSIVE
O=/tmp/ret2/clip; mkdir -p $O
log() { echo "$(date -u +%H:%M:%S) $* | $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $O/log.txt; }
peer() { log "peer B=$1 #$2"; /usr/bin/python3 benchmarks/peers/clip_torch.py --threads 2 --batch $1 --seconds 15 --warmup 2 --tower text 2>&1 | tail -3 | tee -a $O/log.txt; }
ours() { log "ours B=$1"; java -jar benchmarks/target/benchmarks.jar 'ClipEncodeBenchmark.textTower' -p batch=$1 -f 1 -wi 1 -w 10s -i 3 -r 10s -rf json -rff $O/ours-b$1.json 2>&1 | grep -E "^# (JVM|VM options)|Iteration|^Clip|ops/s" | tee -a $O/log.txt; }
for B in 8 64; do peer $B 1; ours $B; peer $B 2; done
log done
