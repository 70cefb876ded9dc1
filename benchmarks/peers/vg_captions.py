#!/usr/bin/python3
"""Peer for VisualGenomeCaptions: the original's parse_annotations (json.load of both files), as
transcribed in core/src/test/resources/golden/vg/make_golden.py, timed on the same files.

Usage: /usr/bin/time -v /usr/bin/python3 vg_captions.py DIR_WITH_attributes.json_AND_relationships.json
Prints captions, wall seconds, CPU seconds and peak RSS (MiB).
"""
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "core/src/test/resources/golden/vg"))
import make_golden  # noqa: E402

if __name__ == "__main__":
    start, cpu = time.perf_counter(), time.process_time()
    captions = make_golden.parse_annotations(Path(sys.argv[1]))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"captions={len(captions)} seconds={wall:.1f} cpuSeconds={cpu:.1f} peakRssMiB={rss:.0f}")
