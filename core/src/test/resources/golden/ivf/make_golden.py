#!/usr/bin/env python3
"""faiss's training parameters for the original's index, IndexIVFFlat with inner product, as
faiss itself sets them: what IvfOptions.defaults() must match (IvfOptionsTest). Run with a Python
that has faiss (Debian's python3-faiss or the faiss-cpu wheel):

    python3 core/src/test/resources/golden/ivf/make_golden.py
"""
import json
import os

import faiss

d, nlist = 512, 64
index = faiss.IndexIVFFlat(faiss.IndexFlatIP(d), d, nlist, faiss.METRIC_INNER_PRODUCT)
cp = index.cp
golden = {
    "faiss": faiss.__version__,
    "niter": cp.niter,
    "max_points_per_centroid": cp.max_points_per_centroid,
    "spherical": bool(cp.spherical),
    "seed": cp.seed,
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "faiss_ivf_defaults.json"), "w") as f:
    json.dump(golden, f, indent=1)
    f.write("\n")
print(golden)
