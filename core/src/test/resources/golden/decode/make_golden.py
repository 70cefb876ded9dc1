#!/usr/bin/python3
"""Golden decoding results: what Pillow 9.4's Image.open(f).convert("RGB") returns.

Run with Debian's python3:  /usr/bin/python3 make_golden.py   (writes beside this file)

Writes small PNG and JPEG files in many modes (made with Pillow, or by hand-assembling PNG chunks
where Pillow cannot write the mode), the RGB bytes Pillow decodes from each (<name>.rgb.gz, HWC) and
files.csv: name,width,height,kind (png = must match exactly, jpeg = compared with a tolerance).
Also writes broken files (empty, truncated, not an image) for the error tests.
"""
import gzip
import io
import os
import struct
import zlib

import numpy as np
import PIL
from PIL import Image

assert PIL.__version__.startswith("9.4"), PIL.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
W, H = 37, 29


def gradient_rgb(w=W, h=H):
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([x * 255 // (w - 1), y * 255 // (h - 1), (x * y) % 256], -1).astype(np.uint8)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(width, height, bit_depth, color_type, rows, extra=b""):
    """A PNG with filter 0 rows given as big-endian bytes (Pillow cannot write 16-bit RGB)."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra
            + png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b""))


files = {}  # name -> (bytes, kind)


def save(name, image, kind, **params):
    buf = io.BytesIO()
    image.save(buf, format="PNG" if kind == "png" else "JPEG", **params)
    files[name] = (buf.getvalue(), kind)


rgb = gradient_rgb()
noise = rng.integers(0, 256, size=(H, W, 3), dtype=np.uint8)
save("rgb.png", Image.fromarray(noise, "RGB"), "png")
save("rgba.png", Image.fromarray(np.dstack([noise, rng.integers(0, 256, (H, W), np.uint8)]), "RGBA"), "png")
save("l.png", Image.fromarray(noise[..., 0], "L"), "png")
save("la.png", Image.fromarray(noise[..., :2], "LA"), "png")
save("one_bit.png", Image.fromarray(noise[..., 0] > 127), "png")
pal = Image.fromarray(noise, "RGB").quantize(colors=200)
save("p.png", pal, "png")
save("p_transparent.png", pal, "png", transparency=5)
save("p_4bit.png", Image.fromarray(noise, "RGB").quantize(colors=16), "png", bits=4)
# L with a tRNS colour, RGB with a tRNS colour: Pillow keeps the pixels as they are.
save("l_trns.png", Image.fromarray(noise[..., 0], "L"), "png", transparency=17)
save("rgb_trns.png", Image.fromarray(noise, "RGB"), "png", transparency=(1, 2, 3))
# 16-bit gray (Pillow mode I): values across the whole range, so the clipping to 255 shows.
g16 = rng.integers(0, 65536, size=(H, W), dtype=np.uint16)
g16[0, :10] = [0, 1, 254, 255, 256, 1000, 65535, 128, 300, 2]
files["gray16.png"] = (raw_png(W, H, 16, 0, [r.astype(">u2").tobytes() for r in g16]), "png")
rgb48 = rng.integers(0, 65536, size=(H, W, 3), dtype=np.uint16)
files["rgb48.png"] = (raw_png(W, H, 16, 2, [r.astype(">u2").tobytes() for r in rgb48]), "png")
rgba64 = rng.integers(0, 65536, size=(H, W, 4), dtype=np.uint16)
files["rgba64.png"] = (raw_png(W, H, 16, 6, [r.astype(">u2").tobytes() for r in rgba64]), "png")
la32 = rng.integers(0, 65536, size=(H, W, 2), dtype=np.uint16)
files["la16.png"] = (raw_png(W, H, 16, 4, [r.astype(">u2").tobytes() for r in la32]), "png")
g2 = rng.integers(0, 4, size=(H, W), dtype=np.uint8)
rows2 = [np.packbits(np.unpackbits(r[:, None], axis=1)[:, 6:].reshape(-1)).tobytes() for r in g2]
files["gray2.png"] = (raw_png(W, H, 2, 0, rows2), "png")
files["gray1x1.png"] = (raw_png(1, 1, 8, 0, [b"\x80"]), "png")

save("rgb_q90_420.jpg", Image.fromarray(rgb, "RGB"), "jpeg", quality=90)
save("rgb_q95_444.jpg", Image.fromarray(rgb, "RGB"), "jpeg", quality=95, subsampling=0)
save("rgb_progressive.jpg", Image.fromarray(rgb, "RGB"), "jpeg", quality=90, progressive=True)
save("noise_q85.jpg", Image.fromarray(noise, "RGB"), "jpeg", quality=85)
save("gray.jpg", Image.fromarray(rgb[..., 0], "L"), "jpeg", quality=90)
cmyk = np.dstack([rgb, rgb[..., :1] // 2]).astype(np.uint8)
save("cmyk.jpg", Image.fromarray(cmyk, "CMYK"), "jpeg", quality=95)


def without_app14(jpeg):
    """The same JPEG with its Adobe APP14 segment removed (Pillow still reads it as inverted CMYK)."""
    at = jpeg.find(b"\xff\xee")
    assert at > 0 and jpeg[at + 4:at + 9] == b"Adobe"
    length = struct.unpack(">H", jpeg[at + 2:at + 4])[0]
    return jpeg[:at] + jpeg[at + 2 + length:]


files["cmyk_no_adobe.jpg"] = (without_app14(files["cmyk.jpg"][0]), "jpeg")


def as_ycck(jpeg):
    """The same 4-component scans declared YCCK (Adobe transform 2): libjpeg then converts the
    first three components from YCbCr, as for a real YCCK file (Pillow cannot write one)."""
    at = jpeg.find(b"\xff\xeeObAdobe".replace(b"Ob", b"\x00\x0e"))
    assert at > 0 and jpeg[at + 15] == 0, jpeg[at:at + 16]
    return jpeg[:at + 15] + b"\x02" + jpeg[at + 16:]


files["ycck.jpg"] = (as_ycck(files["cmyk.jpg"][0]), "jpeg")

# Entropy data cut short but an EOI marker present: libjpeg only warns ("Corrupt JPEG data:
# premature end of data segment") and Pillow decodes it (rest of the image filled by libjpeg).
good = files["noise_q85.jpg"][0]
files["corrupt_segment.jpg"] = (good[: len(good) * 2 // 3] + b"\xff\xd9", "jpeg")

for name, (data, kind) in files.items():
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)

with open(os.path.join(HERE, "files.csv"), "w") as listing:
    listing.write("# name,width,height,kind,pillow_mode\n")
    for name, (data, kind) in files.items():
        image = Image.open(os.path.join(HERE, name))
        mode = image.mode
        converted = image.convert("RGB")
        array = np.asarray(converted)
        with gzip.GzipFile(os.path.join(HERE, name + ".rgb.gz"), "wb", mtime=0) as f:
            f.write(array.tobytes())
        listing.write(f"{name},{image.size[0]},{image.size[1]},{kind},{mode}\n")

# Broken inputs: every one must fail to decode in Pillow too.
good_jpeg = files["noise_q85.jpg"][0]
good_png = files["rgb.png"][0]
broken = {
    "broken_empty.jpg": b"",
    "broken_text.jpg": b"this is not an image\n",
    "broken_truncated.jpg": good_jpeg[: len(good_jpeg) // 2],
    "broken_truncated.png": good_png[: len(good_png) // 2],
    "broken_header_only.jpg": good_jpeg[:300],
    "broken_no_eoi.jpg": good_jpeg[:-2],  # complete data, only the EOI marker missing
}
for name, data in broken.items():
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    try:
        Image.open(io.BytesIO(data)).convert("RGB")
        raise AssertionError(name + " decodes in Pillow")
    except (OSError, SyntaxError, ValueError):
        pass
