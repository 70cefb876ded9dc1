#!/usr/bin/env bash
# Short GPU check of the DJL retrieval path, for a machine with an NVIDIA GPU: exact top-16 of 4096
# queries over N random keys on the GPU (libtorch matmul + topk per key block) against the core
# index on the CPU; prints both times and the id agreement (exit 0 when > 99.9 %).
#
#   benchmarks/peers/retrieval_gpu_check.sh [N]
#
# The benchmarks jar carries DJL's CPU natives; for the GPU put the CUDA build of libtorch where DJL
# finds it: PYTORCH_LIBRARY_PATH=/path/to/libtorch/lib (with PYTORCH_VERSION / PYTORCH_FLAVOR as
# DJL documents), or build with ai.djl.pytorch:pytorch-native-cu* instead of pytorch-native-cpu.
set -euo pipefail
cd "$(dirname "$0")/../.."
J=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ -x "$J" ] || J=java
exec "$J" --add-modules jdk.incubator.vector -Xmx16g -cp benchmarks/target/benchmarks.jar \
  org.ctx4j.benchmarks.retrieval.GpuRetrievalCheck "${1:-200000}"
