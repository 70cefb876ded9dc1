#!/usr/bin/env bash
# Runs a benchmark program of the spark module's test classes (KeysDeliveryBenchmark,
# HdfsInputsBenchmark) with that module's test class path and the JVM flags Spark 4 needs.
# Usage: benchmarks/spark/test-program.sh CLASS ARGS... (W: work directory for the class path file)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
W=${W:-/tmp/ctx4j-spark-programs}
mkdir -p "$W"
(cd "$REPO" && mvn -B -ntp -o -q -pl spark -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$W/cp.txt")
CP="$REPO/spark/target/test-classes:$REPO/spark/target/classes:$(cat "$W/cp.txt")"
OPENS=$(sed -n 's#.*<spark.test.jvm.args>\(.*\)</spark.test.jvm.args>.*#\1#p' "$REPO/spark/pom.xml")
CLASS=$1
shift
exec java $OPENS -Xmx6g -Dspark.log.structuredLogging.enabled=false -cp "$CP" \
  "org.ctx4j.spark.$CLASS" "$@"
