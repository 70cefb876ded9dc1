#!/usr/bin/python3
"""Golden CLIP preprocessing outputs from Pillow 9.4 + the transformers 4.17 CLIPFeatureExtractor steps.

Run with Debian's python3:  /usr/bin/python3 make_golden.py   (writes beside this file)

transformers is not installed on the build machine, so the three steps of transformers 4.17
CLIPFeatureExtractor.__call__ are restated below from its source (resize, center_crop, normalize with
ImageFeatureExtractionMixin.to_numpy_array); all image work is done by Pillow itself. Crops come
from the original Xmodal-Ctx code (torchvision five_crop / nine_crop on the PIL image).

Outputs:
  img_*.png            source images (RGB, lossless), generated with a fixed seed
  cases.csv            image,strategy,crop_index,shortest_edge,crop_size,u8_offset,f32_offset
  expected_u8.bin.gz   per case the resized + center-cropped uint8 HWC pixels (what numpy receives)
  expected_f32.bin.gz  per case (small crop sizes only) the normalized float32 CHW tensor, little endian
"""
import gzip
import itertools
import os

import numpy as np
import PIL
from PIL import Image
from torchvision.transforms import functional as F

assert PIL.__version__.startswith("9.4"), PIL.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]


# --- transformers 4.17 CLIPFeatureExtractor, restated -------------------------------------------
def hf_resize(image, size, resample=Image.BICUBIC):
    width, height = image.size
    short, long = (width, height) if width <= height else (height, width)
    if short == size:
        return image
    new_short, new_long = size, int(size * long / short)
    new_w, new_h = (new_short, new_long) if width <= height else (new_long, new_short)
    return image.resize((new_w, new_h), resample)


def hf_center_crop(image, size):
    image_width, image_height = image.size
    crop_height, crop_width = (size, size)
    crop_top = int((image_height - crop_height + 1) * 0.5)
    crop_left = int((image_width - crop_width + 1) * 0.5)
    return image.crop((crop_left, crop_top, crop_left + crop_width, crop_top + crop_height))


def hf_normalize(image):
    array = np.array(image)
    array = array.astype(np.float32) / 255.0  # to_numpy_array(rescale=True) in 4.17
    array = array.transpose(2, 0, 1)
    mean = np.array(MEAN).astype(array.dtype)
    std = np.array(STD).astype(array.dtype)
    return (array - mean[:, None, None]) / std[:, None, None]


# --- Xmodal-Ctx crops ---------------------------------------------------------------------------
def five_crop(image, ratio=0.6):
    w, h = image.size
    return F.five_crop(image, (h * ratio, w * ratio))


def nine_crop(image, ratio=0.4):
    w, h = image.size
    t = (0, int((0.5 - ratio / 2) * h), int((1.0 - ratio) * h))
    b = (int(ratio * h), int((0.5 + ratio / 2) * h), h)
    l = (0, int((0.5 - ratio / 2) * w), int((1.0 - ratio) * w))
    r = (int(ratio * w), int((0.5 + ratio / 2) * w), w)
    out = []
    for (top, bottom), (left, right) in itertools.product(zip(t, b), zip(l, r)):
        out.append(F.crop(image, top, left, bottom - top, right - left))
    return out


# --- source images ------------------------------------------------------------------------------
rng = np.random.default_rng(20221129)


def smooth(w, h):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 127.5 + 127.5 * np.sin(x / 7.0 + y / 23.0)
    g = 255.0 * x / max(w - 1, 1)
    b = 255.0 * ((x * y) % 97) / 96.0
    a = np.stack([r, g, b], axis=-1)
    a[(x.astype(int) // 16 + y.astype(int) // 16) % 2 == 0] *= 0.5  # hard edges: ringing, clipping
    return a.round().clip(0, 255).astype(np.uint8)


def noise(w, h):
    return rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)


IMAGES = {
    "noise_1x1": noise(1, 1),
    "noise_3x500": noise(3, 500),
    "noise_257x173": noise(257, 173),
    "noise_41x300": noise(41, 300),
    "smooth_640x480": smooth(640, 480),
    "smooth_500x333": smooth(500, 333),
    "smooth_224x300": smooth(224, 300),
    "smooth_1000x225": smooth(1000, 225),
}

# (shortest_edge, crop_size, store_float32, crops): small sizes keep the files small and exercise
# down- and upscaling; 224/224 is the real setting.
SETTINGS = [(224, 224, False, "whole"), (32, 24, True, "all"), (20, 28, True, "whole,five:4")]

cases = []
u8 = bytearray()
f32 = bytearray()
for name, array in IMAGES.items():
    Image.fromarray(array, "RGB").save(os.path.join(HERE, f"img_{name}.png"), optimize=True)
    image = Image.open(os.path.join(HERE, f"img_{name}.png")).convert("RGB")
    assert np.array_equal(np.array(image), array)
    w, h = image.size
    views = [("whole", 0, image)]
    views += [("five", i, c) for i, c in enumerate(five_crop(image))]
    if w >= 3 and h >= 3:
        views += [("nine", i, c) for i, c in enumerate(nine_crop(image))]
    for size, crop, store_float, which in SETTINGS:
        if name.startswith("smooth_6") and size == 224:
            which = "whole,five:0,five:4,nine:0,nine:8"
        for strategy, index, view in views:
            if which != "all" and strategy not in which.split(",") and f"{strategy}:{index}" not in which.split(","):
                continue
            if crop > 200 and name in ("noise_3x500", "noise_41x300"):
                continue  # incompressible at 224: the small settings cover these shapes
            pixels = hf_center_crop(hf_resize(view, size), crop)
            assert pixels.size == (crop, crop)
            f32_offset = -1
            if store_float:
                f32_offset = len(f32) // 4
                f32 += hf_normalize(pixels).astype("<f4").tobytes()
            cases.append((name, strategy, index, size, crop, len(u8), f32_offset))
            u8 += np.array(pixels).tobytes()

with open(os.path.join(HERE, "cases.csv"), "w") as f:
    f.write("# image,strategy,crop_index,shortest_edge,crop_size,u8_offset,f32_offset\n")
    for case in cases:
        f.write(",".join(map(str, case)) + "\n")
with gzip.GzipFile(os.path.join(HERE, "expected_u8.bin.gz"), "wb", mtime=0) as f:
    f.write(bytes(u8))
with gzip.GzipFile(os.path.join(HERE, "expected_f32.bin.gz"), "wb", mtime=0) as f:
    f.write(bytes(f32))
print(len(cases), "cases,", len(u8), "u8 bytes,", len(f32), "f32 bytes")
