#!/usr/bin/env bash
# Caption keys on executors: memory-mapped from a shared file (what the build does) vs a Spark
# broadcast from the driver. Runs org.ctx4j.spark.KeysDeliveryBenchmark (spark's test classes) on a
# standalone cluster it starts on this machine: EXECUTORS workers of one core, each executor its
# own JVM with EXECUTOR_MEMORY of heap; N keys of 512 float32 (default 250000 = 512 MB), ROUNDS
# alternated rounds (default 3). Prints each route's times and executor heaps per round.
# Usage: benchmarks/spark/keys.sh [N] [ROUNDS] [EXECUTORS] [EXECUTOR_MEMORY]
set -euo pipefail
W=${W:-/tmp/ctx4j-keys-bench}
mkdir -p "$W"
W="$W" "$(dirname "$0")/test-program.sh" KeysDeliveryBenchmark "$W" "${1:-250000}" "${2:-3}" \
  "${3:-2}" "${4:-6g}" 2> "$W/stderr.log"
