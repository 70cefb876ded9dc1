#!/usr/bin/env python3
"""IVF on clustered data, faiss-cpu against ctx4j at equal recall@16 (issue 14, part 3).

  ivf_clustered.py --make-data DIR          # Gaussian mixture: keys_100000.f32, queries.f32
  ivf_clustered.py --faiss DIR --json OUT   # faiss IndexIVFFlat (inner product), per nprobe
  ivf_clustered.py --report FAISS.jsonl OURS.jsonl

The data resembles text embeddings more than uniform random vectors do: 1,024 cluster centres on
the unit sphere with Zipf-like sizes, each vector its centre plus isotropic noise (cosine to its
centre about 0.75), L2-normalised; queries drawn from the same mixture. Ours:
org.ctx4j.benchmarks.retrieval.IvfRecallMain on the same files (benchmarks/peers/ivf_clustered.sh
runs both, alternately). Both sides: nlist = 2,530 (the original's round(8 sqrt(N))), k = 16,
4,096 queries per call, 2 threads, recall@16 against each side's exact search.
"""
import argparse
import json
import os
import time

import numpy as np

DIM = 512
N = 100_000
QUERIES = 4096
CENTRES = 1024
NOISE = 0.039  # per component: noise norm ~0.88, so cos(vector, centre) ~0.75
NLIST = 2530
K = 16


def make_data(out_dir):
    rng = np.random.default_rng(20261203)
    centres = rng.standard_normal((CENTRES, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    weights = 1.0 / np.arange(1, CENTRES + 1) ** 0.8
    weights /= weights.sum()

    def draw(count):
        which = rng.choice(CENTRES, size=count, p=weights)
        v = centres[which] + NOISE * rng.standard_normal((count, DIM)).astype(np.float32)
        return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype('<f4')

    os.makedirs(out_dir, exist_ok=True)
    draw(N).tofile(os.path.join(out_dir, f"keys_{N}.f32"))
    draw(QUERIES).tofile(os.path.join(out_dir, "queries.f32"))


def recall(found, truth):
    hits = sum(len(set(a) & set(b)) for a, b in zip(found, truth))
    return hits / (len(truth) * K)


def run_faiss(data_dir, json_out, nprobes):
    import faiss
    faiss.omp_set_num_threads(2)
    keys = np.fromfile(os.path.join(data_dir, f"keys_{N}.f32"), dtype='<f4').reshape(N, DIM)
    queries = np.fromfile(os.path.join(data_dir, "queries.f32"), dtype='<f4').reshape(-1, DIM)
    exact = faiss.IndexFlatIP(DIM)
    exact.add(keys)
    _, truth = exact.search(queries, K)
    start = time.perf_counter()
    quantizer = faiss.IndexFlatIP(DIM)
    index = faiss.IndexIVFFlat(quantizer, DIM, NLIST, faiss.METRIC_INNER_PRODUCT)
    index.train(keys)
    index.add(keys)
    build = time.perf_counter() - start
    with open(json_out, "a") as out:
        for nprobe in nprobes:
            index.nprobe = nprobe
            index.search(queries, K)  # warm-up
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                _, ids = index.search(queries, K)
                times.append(time.perf_counter() - t0)
            row = {"side": "faiss " + faiss.__version__, "nprobe": nprobe, "build_s": build,
                   "qps": len(queries) / float(np.median(times)), "recall": recall(ids, truth)}
            out.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)


def report(faiss_file, ours_file):
    def load(path):
        rows = [json.loads(l) for l in open(path) if l.strip().startswith("{")]
        by = {}
        for r in rows:
            by.setdefault(r["nprobe"], []).append(r)
        # median qps per nprobe over rounds; recall is deterministic per side
        return sorted(((float(np.median([r["qps"] for r in rs])), rs[0]["recall"], p)
                       for p, rs in by.items()), key=lambda t: t[1])

    def qps_at(curve, target):
        # the fastest setting that reaches the target recall
        ok = [q for q, r, _ in curve if r >= target]
        return max(ok) if ok else None

    peer, ours = load(faiss_file), load(ours_file)
    print("| recall@16 at least | faiss queries/s (nprobe) | ctx4j queries/s (nprobe) | ctx4j / faiss |")
    print("|---|---|---|---|")
    for target in (0.80, 0.90, 0.95, 0.99):
        p, o = qps_at(peer, target), qps_at(ours, target)
        pn = next((n for q, r, n in peer if q == p), None)
        on = next((n for q, r, n in ours if q == o), None)
        ratio = f"{o / p:.2f}x" if p and o else "n/a"
        print(f"| {target:.2f} | {p or 'not reached'} ({pn}) | {o or 'not reached'} ({on}) | {ratio} |"
              .replace("None", "-"))
    for name, curve in (("faiss", peer), ("ctx4j", ours)):
        print(name, ", ".join(f"nprobe {n}: {r:.4f} @ {q:.0f} q/s" for q, r, n in
                              sorted(curve, key=lambda t: t[2])))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--make-data", metavar="DIR")
    parser.add_argument("--faiss", metavar="DIR")
    parser.add_argument("--json")
    parser.add_argument("--nprobes", default="8,16,32,64,128,253")
    parser.add_argument("--report", nargs=2, metavar=("FAISS", "OURS"))
    a = parser.parse_args()
    if a.make_data:
        make_data(a.make_data)
    if a.faiss:
        run_faiss(a.faiss, a.json, [int(x) for x in a.nprobes.split(",")])
    if a.report:
        report(*a.report)
