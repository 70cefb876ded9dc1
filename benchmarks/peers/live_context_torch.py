#!/usr/bin/python3
"""Peer for org.ctx4j.benchmarks.live.LiveContextBenchmark: the live context of one image in
Python, as a service built on the original's stack would compute it — Pillow decode +
convert("RGB"), the 15 views (whole, five_crop at 0.6, the 3x3 nine_crop at 0.4), the transformers
4.17 CLIPFeatureExtractor steps (preprocess_pillow.py's), a PyTorch eager CLIP vision tower of the
same architecture (clip_torch.py's Vision, random weights: timing only), then exact top-16 of the
15 normalised embeddings over the caption db's keys (one matmul + torch.topk) and the captions'
texts and features gathered. Keys, features and captions are read from the same caption_db.hdf5
into memory first. Sequential requests over the same JPEGs, p50/p99 and per-step medians.

    /usr/bin/python3 benchmarks/peers/live_context_torch.py IMAGE_DIR CAPTION_DB tiny|vitb32 \
        [--requests 20] [--threads 2]

torchvision is not needed: five_crop is restated (torchvision 0.x: crop size kept as floats,
center box top/left int(round((side - crop) / 2)), PIL rounds the float box).
"""
import argparse
import itertools
import os
import statistics
import sys
import time

import h5py
import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clip_torch import Vision  # noqa: E402
from preprocess_pillow import center_crop, normalize, resize  # noqa: E402

SPECS = {  # d, layers, heads, inter, image, patch, proj (TinyClipSpec / PipelineBenchmark)
    "tiny": dict(d=32, layers=2, heads=4, inter=64, image=224, patch=32, proj=16),
    "vitb32": dict(d=768, layers=12, heads=12, inter=3072, image=224, patch=32, proj=512),
}


def views(image):
    w, h = image.size
    ch, cw = h * 0.6, w * 0.6
    out = [image]
    out.append(image.crop((0, 0, cw, ch)))
    out.append(image.crop((w - cw, 0, w, ch)))
    out.append(image.crop((0, h - ch, cw, h)))
    out.append(image.crop((w - cw, h - ch, w, h)))
    top, left = int(round((h - ch) / 2.0)), int(round((w - cw) / 2.0))
    out.append(image.crop((left, top, left + cw, top + ch)))
    t = (0, int(0.3 * h), int(0.6 * h))
    b = (int(0.4 * h), int(0.7 * h), h)
    l = (0, int(0.3 * w), int(0.6 * w))
    r = (int(0.4 * w), int(0.7 * w), w)
    for (y0, y1), (x0, x1) in itertools.product(zip(t, b), zip(l, r)):
        out.append(image.crop((x0, y0, x1, y1)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("images")
    ap.add_argument("caption_db")
    ap.add_argument("model", choices=sorted(SPECS))
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--k", type=int, default=16)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with h5py.File(args.caption_db, "r") as f:
        keys = torch.from_numpy(f["keys"][:])
        features = f["features"][:]
        captions = [c.decode("utf-8") if isinstance(c, bytes) else c for c in f["captions"][:]]
    vision = Vision(**SPECS[args.model]).eval()
    files = sorted(os.path.join(args.images, n) for n in os.listdir(args.images) if n.endswith(".jpg"))
    steps = {"decode": [], "crop+preprocess": [], "encode": [], "retrieve": [], "gather": []}
    total = []
    with torch.inference_mode():
        for i in range(args.requests + 3):
            t0 = time.perf_counter()
            image = Image.open(files[i % len(files)]).convert("RGB")
            t1 = time.perf_counter()
            pixels = torch.from_numpy(
                np.stack([normalize(center_crop(resize(v))) for v in views(image)]))
            t2 = time.perf_counter()
            pooled, emb = vision(pixels)
            t3 = time.perf_counter()
            scores, ids = torch.topk(emb @ keys.T, args.k, dim=1)
            t4 = time.perf_counter()
            ids = ids.numpy()
            texts = [[captions[j] for j in row] for row in ids]
            feats = features[ids]
            t5 = time.perf_counter()
            assert len(texts) == 15 and feats.shape[:2] == (15, args.k)
            if i < 3:
                continue  # warm-up
            total.append(t5 - t0)
            for name, dt in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                steps[name].append(dt)
    total.sort()
    p99 = total[min(len(total) - 1, int(np.ceil(0.99 * len(total))) - 1)]
    print(f"[{args.model}] python peer (torch {torch.__version__}, {args.threads} threads), "
          f"{len(keys)} keys: p50 {statistics.median(total) * 1e3:.1f} ms, p99 {p99 * 1e3:.1f} ms "
          f"({args.requests} requests)")
    print(f"[{args.model}] python peer steps (p50): "
          + ", ".join(f"{n} {statistics.median(v) * 1e3:.1f} ms" for n, v in steps.items()))


if __name__ == "__main__":
    main()
