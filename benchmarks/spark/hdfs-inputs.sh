#!/usr/bin/env bash
# Inputs through Hadoop's API: the Spark build (local[2]) of N generated images (default 2000)
# with its COCO, Visual Genome and model once on local disk and once on an HDFS started in the
# JVM (MiniDFSCluster), alternated ROUNDS times (default 3), PARTS image parts (default 2);
# checks the files are the same. Runs org.ctx4j.spark.HdfsInputsBenchmark (spark's test classes).
# Usage: benchmarks/spark/hdfs-inputs.sh [N] [ROUNDS] [PARTS]
set -euo pipefail
W=${W:-/tmp/ctx4j-hdfs-inputs-bench}
mkdir -p "$W"
W="$W" "$(dirname "$0")/test-program.sh" HdfsInputsBenchmark "$W" "${1:-2000}" "${2:-3}" \
  "${3:-2}" 2> "$W/stderr.log"
