#!/usr/bin/env bash
# The Java route's GEMM kernel (GemmCeilingMain, one thread, ViT-B/32 layer shapes at 400 rows)
# next to the core's 512-bit FMA ceiling (fma_peak.c, built here with the system C compiler), run
# alternately: ceiling, ours, ceiling. Needs benchmarks/target/benchmarks.jar
# (mvn -B -ntp -o package -DskipTests) and gcc.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(mktemp -d)/fma_peak
gcc -O2 -mavx512f -mfma benchmarks/peers/fma_peak.c -o "$bin"
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin"
java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
  org.ctx4j.benchmarks.clip.GemmCeilingMain "${1:-400}" 2>/dev/null
"$bin"
