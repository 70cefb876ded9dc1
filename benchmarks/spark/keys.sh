#!/usr/bin/env bash
# Caption keys on executors: memory-mapped from a shared file (what the build does) vs a Spark
# broadcast from the driver. Runs org.ctx4j.spark.KeysDeliveryBenchmark (spark's test classes) on a
# standalone cluster it starts on this machine: EXECUTORS workers of one core, each executor its
# own JVM with EXECUTOR_MEMORY of heap; N keys of 512 float32 (default 250000 = 512 MB), ROUNDS
# alternated rounds (default 3). Prints each route's times and executor heaps per round.
# Usage: benchmarks/spark/keys.sh [N] [ROUNDS] [EXECUTORS] [EXECUTOR_MEMORY]
set -euo pipefail
N=${1:-250000}
ROUNDS=${2:-3}
EXECUTORS=${3:-2}
MEMORY=${4:-6g}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
W=${W:-/tmp/ctx4j-keys-bench}
mkdir -p "$W"
(cd "$REPO" && mvn -B -ntp -o -q -pl spark -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$W/cp.txt")
CP="$REPO/spark/target/test-classes:$REPO/spark/target/classes:$(cat "$W/cp.txt")"
OPENS=$(sed -n 's#.*<spark.test.jvm.args>\(.*\)</spark.test.jvm.args>.*#\1#p' "$REPO/spark/pom.xml")
java $OPENS -Xmx6g -Dspark.log.structuredLogging.enabled=false -cp "$CP" \
  org.ctx4j.spark.KeysDeliveryBenchmark "$W" "$N" "$ROUNDS" "$EXECUTORS" "$MEMORY" 2> "$W/stderr.log"
