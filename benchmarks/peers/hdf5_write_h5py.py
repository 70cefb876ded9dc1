"""Peer for org.ctx4j.benchmarks.hdf5: writes the same synthetic vis_ctx / txt_ctx with h5py the
way Xmodal-Ctx does (ctx/encode_images.py, ctx/retrieve_captions.py): one create_group per image,
create_dataset for features (float32), scores (float32) and texts (a list of Python str, stored by
h5py as variable-length UTF-8), default settings, no compression, no chunking.

The original reopens the file with mode "a" per batch of 32 images; this peer keeps it open (the
faster choice for h5py). Data is generated before the clock starts; texts have the same lengths
as the Java side's ("caption <n> of image <id>").

usage: hdf5_write_h5py.py txt|vis OUT N [k d | dim] [--repeat R]
prints one JSON line per repetition: seconds, images/s, MB/s of file, file bytes, max RSS.
"""
import argparse
import json
import os
import resource
import time

import h5py
import numpy as np

CROPS = (("whole", 1), ("five", 5), ("nine", 9))


def write_txt(path, n, k, d, rng):
    feats = {c: rng.standard_normal((max(1, m), k, d), dtype=np.float32) for c, m in CROPS}
    scores = {c: rng.random((max(1, m), k), dtype=np.float32) for c, m in CROPS}
    t0 = time.perf_counter()
    with h5py.File(path, "w") as f:
        for img_id in range(n):
            g1 = f.create_group(str(img_id))
            for crop, m in CROPS:
                texts = [[f"caption {(img_id + j * k + i) % 1000} of image {img_id}"
                          for i in range(k)] for j in range(m)]
                g = g1.create_group(crop)
                if crop == "whole":
                    g.create_dataset("features", data=feats[crop][0])
                    g.create_dataset("scores", data=scores[crop][0])
                    g.create_dataset("texts", data=texts[0])
                else:
                    g.create_dataset("features", data=feats[crop])
                    g.create_dataset("scores", data=scores[crop])
                    g.create_dataset("texts", data=texts)
    return time.perf_counter() - t0


def write_vis(path, n, dim, rng):
    feats = rng.standard_normal((64, dim), dtype=np.float32)
    t0 = time.perf_counter()
    with h5py.File(path, "w") as f:
        f.attrs["fdim"] = dim
        for img_id in range(n):
            f.create_dataset(str(img_id), data=feats[img_id % 64])
    return time.perf_counter() - t0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("kind", choices=["txt", "vis"])
    p.add_argument("out")
    p.add_argument("n", type=int)
    p.add_argument("dims", type=int, nargs="+")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--keep", action="store_true", help="keep the last file")
    a = p.parse_args()
    rng = np.random.default_rng(1)
    for r in range(a.repeat):
        if a.kind == "txt":
            secs = write_txt(a.out, a.n, a.dims[0], a.dims[1], rng)
        else:
            secs = write_vis(a.out, a.n, a.dims[0], rng)
        size = os.path.getsize(a.out)
        print(json.dumps({
            "tool": f"h5py {h5py.version.version} / HDF5 {h5py.version.hdf5_version}",
            "kind": a.kind, "images": a.n, "dims": a.dims, "seconds": round(secs, 3),
            "images_per_s": round(a.n / secs, 1), "file_mb_per_s": round(size / secs / 1e6, 1),
            "file_bytes": size,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}), flush=True)
        if not a.keep or r < a.repeat - 1:
            os.remove(a.out)


if __name__ == "__main__":
    main()
