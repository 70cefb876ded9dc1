#!/usr/bin/env python3
"""Ratios of a clip_onnx_peer.sh run: each figure of ours over the mean of the onnxruntime figures
measured just before and just after it (same case). Prints a Markdown table.

    python3 benchmarks/peers/clip_onnx_report.py OUT_DIR
"""

import json
import statistics
import sys
from collections import defaultdict


def main():
    out = sys.argv[1]
    peers, ours = defaultdict(list), defaultdict(list)
    for line in open(f"{out}/peer.jsonl"):
        d = json.loads(line)
        peers[(d["tower"], d["batch"], d["texts"])].append(d["per_s"])
    for line in open(f"{out}/ours.jsonl"):
        d = json.loads(line)
        ours[(d["ours"], d["tower"], d["batch"], d["texts"])].append(d["per_s"])
    print("| tower, batch | ours | figures of ours (per s) | onnxruntime figures | ratio to the"
          " peers around it | median ratio |")
    print("|---|---|---|---|---|---|")
    for (backend, tower, batch, texts), figures in sorted(ours.items()):
        p = peers[(tower, batch, texts)]
        ratios = [f / statistics.mean(p[i:i + 2]) for i, f in enumerate(figures) if i + 1 < len(p)]
        what = f"{tower}, {batch}" + (f" ({texts})" if tower == "text" else "")
        print(f"| {what} | {backend} | {', '.join(f'{f:.2f}' for f in figures)} |"
              f" {', '.join(f'{f:.2f}' for f in p)} | {', '.join(f'{r:.2f}x' for r in ratios)} |"
              f" {statistics.median(ratios):.2f}x |")


if __name__ == "__main__":
    main()
