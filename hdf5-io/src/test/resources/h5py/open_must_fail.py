"""Exits 0 if h5py refuses to open the file given (as it must for a .partial file), 1 if it opens."""
import sys

import h5py

try:
    with h5py.File(sys.argv[1], "r") as f:
        print(f"h5py opened {sys.argv[1]} with {len(f)} members", file=sys.stderr)
        sys.exit(1)
except OSError as e:
    print(f"refused: {e}")
    sys.exit(0)
