"""Reads the demo's files with h5py exactly as the seed README's snippets do (Xmodal-Ctx ctx/README.md)
and prints what they return as JSON, for DemoTest to compare with our readers.

usage: /usr/bin/python3 readme_snippets.py OUT_DIR IMG_ID
"""
import json
import sys

import h5py

out_dir, img_id = sys.argv[1], int(sys.argv[2])
result = {}

# Visual context snippet.
with h5py.File(f"{out_dir}/vis_ctx.hdf5", "r") as f:
    feat_img = f[str(img_id)][:]
    result["vis_shape"] = list(feat_img.shape)
    result["vis_type"] = type(feat_img).__name__
    result["vis_dtype"] = str(feat_img.dtype)
    result["vis_values"] = [float(v) for v in feat_img]
    result["fdim"] = int(f.attrs["fdim"])

# Textual context snippet.
top_k = 4
crop_n = 2
with h5py.File(f"{out_dir}/txt_ctx.hdf5", "r") as f:
    features = f[f"{img_id}/five/features"][crop_n, :top_k]
    scores = f[f"{img_id}/five/scores"][crop_n, :top_k]
    texts = f[f"{img_id}/five/texts"][crop_n, :top_k]
    result["features_shape"] = list(features.shape)
    result["features_dtype"] = str(features.dtype)
    result["features"] = [[float(v) for v in row] for row in features]
    result["scores_shape"] = list(scores.shape)
    result["scores"] = [float(v) for v in scores]
    result["texts_len"] = len(texts)
    result["texts"] = [t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in texts]
    k = 16
    result["whole_features_shape"] = list(f[f"{img_id}/whole/features"][:k].shape)
    result["nine_features_shape"] = list(f[f"{img_id}/nine/features"][:, :k].shape)

print(json.dumps(result))
