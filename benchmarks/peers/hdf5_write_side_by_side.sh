#!/usr/bin/env bash
# Side-by-side HDF5 write runs: ctx4j (HdfWriteRun) vs h5py (hdf5_write_h5py.py) vs jhdf, same
# session, alternating so machine noise hits both. Writes JSON lines to $LOG; see
# benchmarks/results/hdf5-write.md. usage: hdf5_write_side_by_side.sh CLASSPATH OUTDIR LOG
set -uo pipefail
CP=$1; OUT=$2; LOG=$3
PY=/usr/bin/python3
PEER="$(dirname "$0")/hdf5_write_h5py.py"
JAVA="java -Xmx512m -cp $CP org.ctx4j.benchmarks.hdf5.HdfWriteRun"
mkdir -p "$OUT"
run() { echo "# $*" >>"$LOG"; "$@" 2>&1 | grep -v SLF4J >>"$LOG"; }
timed() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; local rc=$?; echo "{\"cmd\": \"$*\", \"rc\": $rc, \"seconds\": $(echo "$(date +%s.%N) - $s" | bc)}" >>"$LOG"; }

# 1. throughput: txt_ctx k=16 d=512, 5,000 images, two rounds each, alternating
for round in 1 2; do
  run $JAVA txt "$OUT/ctx4j_txt.hdf5" 5000 16 512
  run $PY "$PEER" txt "$OUT/h5py_txt.hdf5" 5000 16 512
done
# 2. scale: 12,328 and 123,287 images under -Xmx512m (txt k=16 d=8; vis 768)
for n in 12328 123287; do
  run $JAVA txt "$OUT/ctx4j_txt_$n.hdf5" $n 16 8 --keep
  run $PY "$PEER" txt "$OUT/h5py_txt_$n.hdf5" $n 16 8 --keep
  run $JAVA vis "$OUT/ctx4j_vis_$n.hdf5" $n 768 --keep
  run $PY "$PEER" vis "$OUT/h5py_vis_$n.hdf5" $n 768 --keep
done
# 3. tools on the 123k files
for f in ctx4j_txt_123287 h5py_txt_123287 ctx4j_vis_123287 h5py_vis_123287; do
  timed timeout 600 h5dump -H "$OUT/$f.hdf5"
  timed timeout 600 h5ls "$OUT/$f.hdf5"
done
# 4. jhdf's writer at the 12,328 point (DESIGN.md has the 123k figures)
run java -Xmx2g -cp "$CP" org.ctx4j.benchmarks.hdf5.HdfWriteRun jhdf-txt "$OUT/jhdf_txt_12328.hdf5" 12328 16 8 --keep
timed timeout 600 h5ls "$OUT/jhdf_txt_12328.hdf5"
echo "# done" >>"$LOG"
