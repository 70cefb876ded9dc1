#!/usr/bin/python3
"""Prints the side-by-side table of retrieval_side_by_side.sh from its JSON files (argument: dir)."""
import glob
import json
import os
import statistics
import sys

D = 512


def load(path):
    with open(path) as f:
        return json.load(f)


def ours(out, pattern):
    """{(benchmark, params tuple): [ms/op per file]} of the JMH files matching pattern."""
    rows = {}
    for path in sorted(glob.glob(os.path.join(out, pattern))):
        for r in load(path):
            name = r["benchmark"].rsplit(".", 2)[-2]
            params = tuple(sorted(r.get("params", {}).items()))
            rows.setdefault((name, params), []).append(r["primaryMetric"]["score"])
    return rows


def p(params, key, default=None):
    return dict(params).get(key, default)


def main(out):
    lines = []
    peers = [load(f) for f in sorted(glob.glob(os.path.join(out, "r*-peer-100k.json")))]
    mine = ours(out, "r*-ours-exact-100k.json")
    lines.append("| round | Q per call | ctx4j q/s | faiss Flat q/s | ratio |")
    lines.append("|---|---|---|---|---|")
    for i, peer in enumerate(peers):
        for q, key in ((4096, "flat_q4096"), (288, "flat_288_per_call"), (160, "flat_160_per_call"),
                       (32, "flat_32_per_call")):
            ms = [v[i] for (name, params), v in mine.items()
                  if p(params, "q") == str(q) and len(v) > i]
            if not ms or key not in peer:
                continue
            qps = q / (ms[0] / 1000)
            lines.append(f"| {i + 1} | {q} | {qps:,.0f} | {peer[key]['qps']:,.0f} | "
                         f"{qps / peer[key]['qps']:.2f} |")
    lines.append("")
    kernel = ours(out, "r*-ours-kernel.json")
    lines.append("| round | multiply core (256×16384×512, k=16) | ctx4j GFLOP/s | sgemm same shape GFLOP/s | sgemm full GFLOP/s | ctx4j / best sgemm |")
    lines.append("|---|---|---|---|---|---|")
    flops = 2.0 * 256 * 16384 * D
    for i, peer in enumerate(peers):
        for (name, params), v in sorted(kernel.items()):
            if len(v) <= i:
                continue
            g = flops / (v[i] / 1000) / 1e9
            best = max(peer["sgemm_256x16384x512"]["gflops"], peer["sgemm_full"]["gflops"])
            lines.append(f"| {i + 1} | threads={p(params, 'threads')} | {g:.1f} | "
                         f"{peer['sgemm_256x16384x512']['gflops']:.1f} | {peer['sgemm_full']['gflops']:.1f} | "
                         f"{g / best:.2f} |")
    lines.append("")
    lines.append("| round | config (N=100k, Q=4096) | ms/search | GFLOP/s | key bytes |")
    lines.append("|---|---|---|---|---|")
    full = 2.0 * 4096 * 100_000 * D
    for pattern in ("r*-ours-exact-100k.json", "r*-ours-storage-100k.json", "r*-ours-threads-100k.json"):
        for (name, params), v in sorted(ours(out, pattern).items()):
            if p(params, "q") != "4096":
                continue
            prec = p(params, "precision")
            size = 100_000 * D * (4 if prec == "FLOAT32" else 2)
            for i, ms in enumerate(v):
                lines.append(f"| {i + 1} | {prec} {p(params, 'storage')} threads={p(params, 'threads')} | "
                             f"{ms:.0f} | {full / (ms / 1000) / 1e9:.1f} | {size / 1e6:.0f} MB |")
    lines.append("")
    for path in sorted(glob.glob(os.path.join(out, "*ivf*.json"))) + sorted(glob.glob(os.path.join(out, "*djl*.json"))) \
            + sorted(glob.glob(os.path.join(out, "*java17*.json"))) + sorted(glob.glob(os.path.join(out, "*1m*.json"))):
        data = load(path)
        if isinstance(data, dict):
            summary = {k: v for k, v in data.items() if k in ("ivf_q4096", "flat_q4096", "blas")}
            lines.append(f"- {os.path.basename(path)}: `{json.dumps(summary)}`")
        else:
            for r in data:
                lines.append(f"- {os.path.basename(path)}: {r['benchmark'].rsplit('.', 2)[-2]} "
                             f"{r.get('params')} {r['primaryMetric']['score']:.1f} ms/op")
    if peers:
        lines.append(f"- peer BLAS: `{json.dumps(peers[0]['blas'])}`, faiss {peers[0]['faiss']}, "
                     f"threads {peers[0]['faiss_threads']}")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])
