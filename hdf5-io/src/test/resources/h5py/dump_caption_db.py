"""Reads a ctx4j caption_db.hdf5 with h5py as the original's load_caption_db reads captions
(str(x, "utf-8") over f[...]["captions"][:]) and prints a canonical dump for the Java tests.

A file in the original layout (root groups "0", "1", ...) is read the way the original
retrieve_captions.py loads it: groups 0 .. len(f)-1 in turn, each group's keys, features and
captions concatenated in that order."""
import json
import sys

import h5py
import numpy as np


def arr(a):
    a = np.asarray(a)
    return f"{a.dtype.str}{list(a.shape)}:{a.tobytes().hex()}"


with h5py.File(sys.argv[1], "r") as f:
    print(f"members\t{sorted(f)}")
    for name in sorted(f.attrs):
        v = f.attrs[name]
        print(f"attr.{name}\t{type(v).__name__}:{v.tolist() if hasattr(v, 'tolist') else v}")
    if "keys" not in f:
        keys, features, captions, sizes = [], [], [], []
        for i in range(len(f)):
            keys.append(f[f"{i}/keys"][:])
            features.append(f[f"{i}/features"][:])
            captions.extend(str(x, "utf-8") for x in f[f"{i}/captions"][:])
            sizes.append(len(f[f"{i}/keys"]))
        print(f"groups\t{sizes}")
        print(f"keys\t{arr(np.concatenate(keys))}")
        print(f"features\t{arr(np.concatenate(features))}")
        print(f"captions\t{json.dumps(captions, ensure_ascii=False)}")
        sys.exit(0)
    print(f"keys\t{arr(f['keys'][:])}")
    print(f"features\t{arr(f['features'][:])}")
    print(f"captions\t{json.dumps([str(x, 'utf-8') for x in f['captions'][:]], ensure_ascii=False)}")
    print(f"keys.offset\t{f['keys'].id.get_offset()}")
    print(f"layouts\t{[f[n].id.get_create_plist().get_layout() for n in ('keys', 'features', 'captions')]}")
    print(f"compression\t{[f[n].compression for n in ('keys', 'features', 'captions')]}")
