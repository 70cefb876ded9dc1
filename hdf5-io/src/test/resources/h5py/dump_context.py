"""Reads a ctx4j-written vis_ctx/txt_ctx file with h5py exactly as the Xmodal-Ctx README and
trainer do, and prints a canonical dump that the Java tests compare with what they wrote.

usage: dump_context.py vis|txt|compact FILE ID...
Every line: key<TAB>value. Arrays are printed as dtype, shape and the hex of their bytes, so the
comparison is bit-exact; texts as JSON lists of decoded strings plus the Python type h5py returned.
"""
import json
import sys

import h5py
import numpy as np


def arr(a):
    a = np.asarray(a)
    return f"{a.dtype.str}{list(a.shape)}:{a.tobytes().hex()}"


def texts(t):
    kinds = sorted({type(x).__name__ for x in np.asarray(t).ravel()})
    return json.dumps([[str(x, "utf-8") for x in row] if np.ndim(row) else str(row, "utf-8")
                       for row in t], ensure_ascii=False) + " " + ",".join(kinds)


def main():
    kind, path, ids = sys.argv[1], sys.argv[2], [int(x) for x in sys.argv[3:]]
    with h5py.File(path, "r") as f:
        print(f"len\t{len(f)}")
        for name in sorted(f.attrs):
            v = f.attrs[name]
            print(f"attr.{name}\t{type(v).__name__}:{v.tolist() if hasattr(v, 'tolist') else v}")
        for img_id in ids:
            if kind == "vis":
                print(f"{img_id}\t{arr(f[str(img_id)][:])}")
                continue
            g = f[str(img_id)]
            for crop in sorted(g):
                field = "ids" if kind == "compact" else "features"
                print(f"{img_id}/{crop}/{field}\t{arr(f[f'{img_id}/{crop}/{field}'][:])}")
                print(f"{img_id}/{crop}/scores\t{arr(f[f'{img_id}/{crop}/scores'][:])}")
                if kind == "txt":
                    print(f"{img_id}/{crop}/texts\t{texts(f[f'{img_id}/{crop}/texts'][:])}")
            if kind == "txt":
                # the README's snippets and the trainer's access pattern
                top_k, crop_n = 2, 1
                print(f"readme.five.{img_id}\t{arr(f[f'{img_id}/five/features'][crop_n, :top_k])}"
                      f" {arr(f[f'{img_id}/five/scores'][crop_n, :top_k])}"
                      f" {texts([f[f'{img_id}/five/texts'][crop_n, :top_k]])}")
                print(f"readme.whole.{img_id}\t{arr(f[f'{img_id}/whole/features'][:top_k])}")
                print(f"readme.nine.{img_id}\t{arr(f[f'{img_id}/nine/features'][:, :top_k])}")


if __name__ == "__main__":
    main()
