#!/usr/bin/env bash
# Side-by-side HDF5 write runs: ctx4j (HdfWriteRun) vs h5py (hdf5_write_h5py.py) vs jhdf, same
# session, alternating so machine noise hits both. Appends JSON lines to LOG; see
# benchmarks/results/hdf5-write.md.
# usage: hdf5_write_side_by_side.sh CLASSPATH OUTDIR LOG [SECTION...]
#   sections: throughput (txt k=16 d=512, 5,000 images, 2 rounds), scale (ctx4j txt d=8 and vis 768
#   at 12,328 and 123,287 images, -Xmx512m, then h5dump -H / h5ls on the 123k files), jhdf (jhdf's
#   writer at 12,328), peer-scale (h5py at 12,328). Use a copy of the classes: a rebuild during a
#   run breaks it.
set -uo pipefail
CP=$1; OUT=$2; LOG=$3; shift 3
SECTIONS=${*:-throughput scale jhdf peer-scale}
PY=${PY:-/usr/bin/python3}
PEER="$(dirname "$0")/hdf5_write_h5py.py"
JAVA="java -Xmx512m -cp $CP org.ctx4j.benchmarks.hdf5.HdfWriteRun"
mkdir -p "$OUT"
run() { echo "# $*" | sed "s|$CP|\$CP|" >>"$LOG"; "$@" 2>&1 | grep -v SLF4J >>"$LOG"; }
timed() {
  local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; local rc=$?
  echo "{\"cmd\": \"$*\", \"rc\": $rc, \"seconds\": $(echo "$(date +%s.%N) - $s" | bc)}" >>"$LOG"
}
for section in $SECTIONS; do
  case $section in
    throughput)
      for round in 1 2; do
        run $JAVA txt "$OUT/ctx4j_txt.hdf5" 5000 16 512
        run $PY "$PEER" txt "$OUT/h5py_txt.hdf5" 5000 16 512
      done ;;
    scale)
      for n in 12328 123287; do
        run $JAVA txt "$OUT/ctx4j_txt_$n.hdf5" $n 16 8 --keep
        run $JAVA vis "$OUT/ctx4j_vis_$n.hdf5" $n 768 --keep
      done
      for f in ctx4j_txt_123287 ctx4j_vis_123287; do
        timed timeout 600 h5dump -H "$OUT/$f.hdf5"
        timed timeout 600 h5ls "$OUT/$f.hdf5"
        timed $PY -c "import h5py,sys; f=h5py.File(sys.argv[1]); print(len(f), f['123286'])" "$OUT/$f.hdf5"
      done ;;
    jhdf)
      run java -Xmx2g -cp "$CP" org.ctx4j.benchmarks.hdf5.HdfWriteRun jhdf-txt "$OUT/jhdf_txt_12328.hdf5" 12328 16 8 --keep
      timed timeout 600 h5ls "$OUT/jhdf_txt_12328.hdf5"
      timed timeout 600 h5dump -H "$OUT/jhdf_txt_12328.hdf5" ;;
    peer-scale)
      run $PY "$PEER" txt "$OUT/h5py_txt_12328.hdf5" 12328 16 8 --keep
      run $PY "$PEER" vis "$OUT/h5py_vis_12328.hdf5" 12328 768 --keep ;;
  esac
done
echo "# done $SECTIONS" >>"$LOG"
