#!/usr/bin/python3
"""Golden crop boxes for CropStrategy, from the reference libraries themselves.

Run with Debian's python3 (Pillow 9.4, torchvision 0.14):
    /usr/bin/python3 make_golden.py      (writes boxes.csv beside this file)

For every image size it runs the original Xmodal-Ctx crop code (ctx/dataset.py: torchvision
five_crop at (h*0.6, w*0.6) and the 3x3 nine_crop with ratio 0.4) on a real PIL image and records
the boxes PIL actually cropped. Image.crop is wrapped to capture the box it receives; PIL's own
rounding (int(round(c)) per coordinate) is then checked against the cropped image: its size and a
pixel probe (each source pixel encodes its own coordinates) must agree with the recorded box.

One line per size: w,h then 14 boxes (5 five + 9 nine) as left,top,right,bottom (PIL convention,
right/bottom exclusive). WHOLE is the image itself and needs no golden.
"""
import itertools
import os

import numpy as np
import PIL
import torchvision
from PIL import Image
from torchvision.transforms import functional as F

assert PIL.__version__.startswith("9.4"), PIL.__version__
assert torchvision.__version__.startswith("0.14"), torchvision.__version__


def five_crop(image, ratio=0.6):  # verbatim geometry of Xmodal-Ctx ctx/dataset.py
    w, h = image.size
    hw = (h * ratio, w * ratio)
    return F.five_crop(image, hw)


def nine_crop(image, ratio=0.4):  # verbatim geometry of Xmodal-Ctx ctx/dataset.py
    w, h = image.size
    t = (0, int((0.5 - ratio / 2) * h), int((1.0 - ratio) * h))
    b = (int(ratio * h), int((0.5 + ratio / 2) * h), h)
    l = (0, int((0.5 - ratio / 2) * w), int((1.0 - ratio) * w))
    r = (int(ratio * w), int((0.5 + ratio / 2) * w), w)
    h, w = list(zip(t, b)), list(zip(l, r))
    images = []
    for s in itertools.product(h, w):
        h, w = s
        top, left = h[0], w[0]
        height, width = h[1] - h[0], w[1] - w[0]
        images.append(F.crop(image, top, left, height, width))
    return images


recorded = []
_original_crop = Image.Image.crop


def recording_crop(self, box=None):
    out = _original_crop(self, box)
    x0, y0, x1, y1 = map(int, map(round, box))  # what Image._crop does with the box
    assert out.size == (x1 - x0, y1 - y0), (box, out.size)
    if out.size[0] > 0 and out.size[1] > 0:
        probe = out.getpixel((0, 0))  # pixel value = (x+1) + (y+1)*8192, 0 means padding
        assert probe == (x0 + 1) + (y0 + 1) * 8192, (box, probe)
    recorded.append((x0, y0, x1, y1))
    return out


Image.Image.crop = recording_crop


def boxes_for(w, h):
    xs = np.arange(1, w + 1, dtype=np.int32)[None, :]
    ys = np.arange(1, h + 1, dtype=np.int32)[:, None]
    image = Image.fromarray((xs + ys * 8192).astype(np.int32), mode="I")
    recorded.clear()
    five_crop(image)
    nine_crop(image)
    assert len(recorded) == 14
    return list(recorded)


SIZES = [(w, h) for h in range(1, 65) for w in range(1, 65)] + [
    (500, 333), (333, 500), (640, 480), (480, 640), (225, 1000), (37, 53), (229, 224),
    (4000, 3000), (1, 1000), (1000, 1),
]

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "boxes.csv"), "w") as f:
    f.write("# w,h then 14 boxes (five: TL,TR,BL,BR,C; nine: row-major) as left,top,right,bottom\n")
    for w, h in SIZES:
        flat = [c for box in boxes_for(w, h) for c in box]
        f.write(",".join(map(str, [w, h] + flat)) + "\n")
