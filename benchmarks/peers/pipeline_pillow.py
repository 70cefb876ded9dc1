#!/usr/bin/python3
"""Peer for org.ctx4j.benchmarks.pipeline.PipelineBenchmark: the original Xmodal-Ctx data path
over the same image folder, as its DataLoader workers run it — per image: Pillow decode +
convert("RGB"), the 15 views (whole, five_crop at 0.6, nine_crop at 0.4), transformers 4.17
CLIPFeatureExtractor steps (BICUBIC resize to 224, center crop, /255, normalise) → 15x3x224x224.

The per-image work is preprocess_pillow.one_op (the image helper's peer, same directory), mapped
over the files by a multiprocessing pool of N processes (N = DataLoader num_workers). It measures
the data path only — no encoder, retrieval or writing — so it bounds the original's throughput
from above.

    OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/pipeline_pillow.py IMAGE_DIR [N...]
"""
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from preprocess_pillow import one_op  # noqa: E402


def work(path):
    return one_op(path).shape[0]


def main():
    image_dir = sys.argv[1]
    workers = [int(n) for n in sys.argv[2:]] or [1, 2]
    files = sorted(os.path.join(image_dir, f) for f in os.listdir(image_dir) if f.endswith(".jpg"))
    for n in workers:
        with multiprocessing.Pool(n) as pool:
            pool.map(work, files[: 4 * n])  # warm-up
            t0 = time.perf_counter()
            views = sum(pool.imap(work, files, chunksize=8))
            wall = time.perf_counter() - t0
        assert views == 15 * len(files)
        print(f"python data path, {n} processes: {len(files)} images in {wall:.1f} s = "
              f"{len(files) / wall:.1f} images/s")


if __name__ == "__main__":
    main()
