#!/usr/bin/python3
"""Peer for org.ctx4j.benchmarks.image.PreprocessBenchmark: the same work with Pillow + numpy.

Per operation: decode a 640x480 JPEG and convert("RGB"), cut the 15 views of the original Xmodal-Ctx
code (whole, torchvision five_crop at 0.6, the 3x3 nine_crop at 0.4) and run the transformers 4.17
CLIPFeatureExtractor steps on each (Pillow BICUBIC resize to short side 224, center crop 224,
float32 /255, normalise) into one 15x3x224x224 float32 array. Single process, single thread, as the
HF extractor runs inside a DataLoader worker. transformers is not installed here; its 4.17 steps are
restated from source (see core/src/test/resources/golden/pixels/make_golden.py, whose outputs the
Java side matches bit for bit).

    /usr/bin/python3 benchmarks/peers/preprocess_pillow.py --make-input   # writes the JPEG (once)
    OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/preprocess_pillow.py [--seconds 20]
"""
import argparse
import itertools
import os
import statistics
import time

import numpy as np
import PIL
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
INPUT = os.path.join(HERE, "..", "src", "main", "resources", "image", "bench_640x480.jpg")
MEAN = np.array([0.48145466, 0.4578275, 0.40821073]).astype(np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711]).astype(np.float32)


def make_input():
    """A photo-like 640x480 JPEG: smooth shapes plus sensor-like noise, quality 90, 4:2:0."""
    rng = np.random.default_rng(640480)
    y, x = np.mgrid[0:480, 0:640].astype(np.float64)
    r = 120 + 80 * np.sin(x / 53.0) * np.cos(y / 37.0)
    g = 100 + 90 * np.exp(-((x - 400) ** 2 + (y - 200) ** 2) / 9000.0)
    b = 60 + 120 * (y / 479.0)
    img = np.stack([r, g, b], -1) + rng.normal(0, 6, (480, 640, 3))
    img[150:330, 100:260] = [200, 40, 40]  # a hard-edged object
    os.makedirs(os.path.dirname(INPUT), exist_ok=True)
    Image.fromarray(img.clip(0, 255).astype(np.uint8), "RGB").save(INPUT, quality=90)


def resize(image, size=224):  # transformers 4.17 CLIPFeatureExtractor.resize
    width, height = image.size
    short, long = (width, height) if width <= height else (height, width)
    if short == size:
        return image
    new_short, new_long = size, int(size * long / short)
    new_w, new_h = (new_short, new_long) if width <= height else (new_long, new_short)
    return image.resize((new_w, new_h), Image.BICUBIC)


def center_crop(image, size=224):  # transformers 4.17 CLIPFeatureExtractor.center_crop
    w, h = image.size
    top, left = int((h - size + 1) * 0.5), int((w - size + 1) * 0.5)
    return image.crop((left, top, left + size, top + size))


def normalize(image):  # ImageFeatureExtractionMixin.normalize / to_numpy_array in 4.17
    array = np.array(image).astype(np.float32) / 255.0
    array = array.transpose(2, 0, 1)
    return (array - MEAN[:, None, None]) / STD[:, None, None]


def views(image):  # Xmodal-Ctx ctx/dataset.py
    from torchvision.transforms import functional as F  # here: importers of the helpers above need no torchvision
    w, h = image.size
    out = [image]
    out += list(F.five_crop(image, (h * 0.6, w * 0.6)))
    t = (0, int(0.3 * h), int(0.6 * h))
    b = (int(0.4 * h), int(0.7 * h), h)
    l = (0, int(0.3 * w), int(0.6 * w))
    r = (int(0.4 * w), int(0.7 * w), w)
    for (top, bottom), (left, right) in itertools.product(zip(t, b), zip(l, r)):
        out.append(F.crop(image, top, left, bottom - top, right - left))
    return out


def one_op(path):
    image = Image.open(path).convert("RGB")
    return np.stack([normalize(center_crop(resize(v))) for v in views(image)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--make-input", action="store_true")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    if args.make_input:
        make_input()
        return
    out = one_op(INPUT)
    assert out.shape == (15, 3, 224, 224) and out.dtype == np.float32, (out.shape, out.dtype)
    end = time.perf_counter() + 5.0  # warm-up
    while time.perf_counter() < end:
        one_op(INPUT)
    # Thread CPU time besides wall time: on an oversubscribed machine wall time mostly measures
    # the neighbours (the Java side, PreprocessCpuTime, reports the same two figures).
    wall, cpu = [], []
    end = time.perf_counter() + args.seconds
    while time.perf_counter() < end:
        t0, c0 = time.perf_counter(), time.thread_time()
        for _ in range(10):
            one_op(INPUT)
        wall.append((time.perf_counter() - t0) / 10 * 1000)
        cpu.append((time.thread_time() - c0) / 10 * 1000)

    def summary(v):
        return f"mean {statistics.mean(v):.2f} median {statistics.median(v):.2f} min {min(v):.2f}"

    print(f"Pillow {PIL.__version__} + numpy {np.__version__}: cpu {summary(cpu)} | "
          f"wall {summary(wall)} ms/op ({len(wall)} x 10 ops), "
          f"checksum {float(out.astype(np.float64).sum()):.6f}")


if __name__ == "__main__":
    main()
