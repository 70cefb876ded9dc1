#!/usr/bin/env bash
# Spark overhead: the same build as `ctx4j build` (one JVM) and as the Spark job on local[2]
# (org.ctx4j.spark.SparkBuild from target/ctx4j-spark.jar on Spark 4.2's own class path), on
# N generated images (default 2000) with the tiny CLIP model; runs them alternately ROUNDS times,
# checks the three files are byte-identical, prints wall times and the ratio. PARTS=n passes
# --parts n to the Spark job (default: its default parallelism); SPARK_OPTS adds JVM options to
# it (e.g. SPARK_OPTS=-Dspark.task.cpus=2: one two-core task at a time).
# Needs: cli/target/ctx4j.jar and spark/target/ctx4j-spark.jar (mvn -o -pl spark -am package),
# and Spark's jars resolved by Maven (the pom below; Maven's ordinary client, once).
set -euo pipefail
N=${1:-2000}
ROUNDS=${2:-2}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
W=${W:-/tmp/ctx4j-spark-bench}
mkdir -p "$W/cp"
cat > "$W/cp/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>bench</groupId><artifactId>spark-classpath</artifactId><version>1</version><packaging>pom</packaging>
<dependencies><dependency><groupId>org.apache.spark</groupId><artifactId>spark-sql_2.13</artifactId><version>4.2.0</version></dependency></dependencies>
</project>
POM
(cd "$W/cp" && mvn -B -ntp -q dependency:build-classpath -Dmdep.outputFile="$W/cp/spark.txt")
OPENS=$(sed -n 's#.*<spark.test.jvm.args>\(.*\)</spark.test.jvm.args>.*#\1#p' "$REPO/spark/pom.xml")
CLI="$REPO/cli/target/ctx4j.jar"
JOB="$REPO/spark/target/ctx4j-spark.jar"
if [ ! -d "$W/demo/data" ]; then
  java -jar "$CLI" demo --dir "$W/demo" --images "$N" > "$W/demo.log"
fi
D="$W/demo"
ARGS=(--coco "$D/data/coco" --vg "$D/data/visual_genome" --model "$D/model")
SPARK_ARGS=()
if [ -n "${PARTS:-}" ]; then SPARK_ARGS=(--parts "$PARTS"); fi
now() { date +%s.%N; }
for r in $(seq 1 "$ROUNDS"); do
  rm -rf "$W/one" "$W/spark"
  t0=$(now)
  java -Xmx2g -jar "$CLI" build "${ARGS[@]}" --out "$W/one" > "$W/one-$r.log" 2>&1
  t1=$(now)
  java $OPENS --add-modules jdk.incubator.vector -Xmx2g -Dspark.master='local[2]' ${SPARK_OPTS:-} \
    -Dspark.ui.enabled=false -cp "$JOB:$(cat "$W/cp/spark.txt")" \
    org.ctx4j.spark.SparkBuild build "${ARGS[@]}" "${SPARK_ARGS[@]}" --out "$W/spark" > "$W/spark-$r.log" 2>&1
  t2=$(now)
  for f in caption_db vis_ctx txt_ctx; do cmp "$W/one/$f.hdf5" "$W/spark/$f.hdf5"; done
  awk -v r="$r" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
    printf "round %d: one JVM %.1f s, Spark local[2] %.1f s, ratio %.3f (files identical)\n",
      r, b - a, c - b, (c - b) / (b - a) }'
done
