#!/usr/bin/python3
"""Peer for org.ctx4j.benchmarks.hdf5read: h5py doing the same random txt_ctx lookups.

  make  OUT N [--k 16] [--dim 8]   write a txt_ctx of N images (ids 1..N) with the groups,
                                   datasets and dtypes Xmodal-Ctx retrieve_captions.py writes
                                   (h5py, old-style groups, vlen UTF-8 texts; see make());
                                   123,287 images at d=8 is ~3.2 GB.
  bench FILE [--threads 1,8] [--lookups 20000] [--seed 1]
                                   random (image, crop, crop index, k) lookups exactly as the seed
                                   README's snippet does them on one open file, per thread count:
                                   median and p99 latency per lookup; plus open+lookup+close (the
                                   original trainer's path without preload) and open time.
Run with Debian's interpreter (/usr/bin/python3, python3-h5py).
"""
import argparse
import os
import statistics
import threading
import time

import h5py
import numpy as np

CROPS = (("whole", 1), ("five", 5), ("nine", 9))


def write_images(f, ids, rng, k, texts, features):
    """Image groups exactly as retrieve_captions.py creates them (h5py, vlen UTF-8 texts)."""
    for img_id in ids:
        g1 = f.create_group(str(img_id))
        for name, count in CROPS:
            idx = rng.randint(0, len(texts), size=(count, k))
            scores = -np.sort(-rng.random((count, k)).astype(np.float32), axis=1)
            g = g1.create_group(name)
            if name == "whole":
                g.create_dataset("features", data=features[idx[0]])
                g.create_dataset("scores", data=scores[0])
                g.create_dataset("texts", data=[texts[j] for j in idx[0]])
            else:
                g.create_dataset("features", data=features[idx.flatten()].reshape((count, k, -1)))
                g.create_dataset("scores", data=scores)
                g.create_dataset("texts", data=[[texts[j] for j in row] for row in idx])


def make(out, n, k, dim, seed=7, n_captions=1000, templates=256):
    """Writes `templates` images the original way, then copies them round-robin (H5Ocopy) to ids
    1..n: the same groups, datasets, dtypes and old-style group structures, ~8x faster to make on
    a busy 2-core box than creating every object from Python (which took ~1 image/50 ms here).
    Image i holds the contents of template i % templates."""
    rng = np.random.RandomState(seed)
    texts = [f"caption {i} é" for i in range(n_captions)]
    features = rng.standard_normal((n_captions, dim)).astype(np.float32)
    template_file = out + ".templates"
    with h5py.File(template_file, "w") as t:
        write_images(t, range(templates), rng, k, texts, features)
    batch = 4096
    with h5py.File(out, "w"):
        pass
    with h5py.File(template_file, "r") as t:
        for start in range(1, n + 1, batch):
            with h5py.File(out, "a") as f:
                for img_id in range(start, min(n, start + batch - 1) + 1):
                    t.copy(t[str(img_id % templates)], f, name=str(img_id))
            print(f"{min(n, start + batch - 1)}/{n}", flush=True)
    os.remove(template_file)


def queries(n_images, k, count, seed):
    """The same pseudo-random query stream the JMH benchmark draws (documented, not shared code)."""
    rng = np.random.RandomState(seed)
    out = []
    for _ in range(count):
        img = int(rng.randint(1, n_images + 1))
        crop, n = CROPS[int(rng.randint(0, 3))]
        out.append((img, crop, int(rng.randint(0, n)), int(rng.randint(1, k + 1))))
    return out


def lookup(f, img_id, crop, crop_n, top_k):
    if crop == "whole":
        features = f[f"{img_id}/{crop}/features"][:top_k]
        scores = f[f"{img_id}/{crop}/scores"][:top_k]
        texts = f[f"{img_id}/{crop}/texts"][:top_k]
    else:
        features = f[f"{img_id}/{crop}/features"][crop_n, :top_k]
        scores = f[f"{img_id}/{crop}/scores"][crop_n, :top_k]
        texts = f[f"{img_id}/{crop}/texts"][crop_n, :top_k]
    return features, scores, [str(t, "utf-8") for t in texts]


def bench(path, threads_list, lookups, seed):
    t0 = time.perf_counter()
    with h5py.File(path, "r") as f:
        n_images = len(f)
        k = f["1/whole/scores"].shape[0]
    print(f"open+len: {(time.perf_counter() - t0) * 1e3:.2f} ms, images={n_images}, k={k}")
    opens = []
    for _ in range(200):
        t = time.perf_counter()
        with h5py.File(path, "r") as f:
            pass
        opens.append(time.perf_counter() - t)
    print(f"open+close: median {statistics.median(opens) * 1e3:.3f} ms")
    qs = queries(n_images, k, lookups, seed)
    with h5py.File(path, "r") as f:
        for q in qs[:2000]:  # warm the page cache and h5py's metadata cache
            lookup(f, *q)
        for threads in threads_list:
            lat = [[] for _ in range(threads)]

            def worker(t):
                for q in qs[t::threads]:
                    s = time.perf_counter()
                    lookup(f, *q)
                    lat[t].append(time.perf_counter() - s)

            start = time.perf_counter()
            ts = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            wall = time.perf_counter() - start
            all_lat = sorted(x for l in lat for x in l)
            print(f"threads={threads}: median {all_lat[len(all_lat) // 2] * 1e3:.3f} ms, "
                  f"p99 {all_lat[int(len(all_lat) * 0.99)] * 1e3:.3f} ms, "
                  f"throughput {len(all_lat) / wall:.0f} lookups/s")
    oc = []
    for q in qs[:500]:
        s = time.perf_counter()
        with h5py.File(path, "r") as f:
            lookup(f, *q)
        oc.append(time.perf_counter() - s)
    print(f"open+lookup+close: median {statistics.median(oc) * 1e3:.3f} ms")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("out")
    m.add_argument("n", type=int)
    m.add_argument("--k", type=int, default=16)
    m.add_argument("--dim", type=int, default=8)
    b = sub.add_parser("bench")
    b.add_argument("file")
    b.add_argument("--threads", default="1,8")
    b.add_argument("--lookups", type=int, default=20000)
    b.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.cmd == "make":
        make(a.out, a.n, a.k, a.dim)
    else:
        bench(a.file, [int(t) for t in a.threads.split(",")], a.lookups, a.seed)
