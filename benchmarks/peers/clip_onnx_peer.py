#!/usr/bin/env python3
"""Peer for ClipCpuRouteMain: a CLIP tower exported to ONNX and run by onnxruntime on the CPU.

Loads the SAME HuggingFace checkpoint directory ours reads (ViT-B/32 architecture, random weights
from the testing module's TinyClipModels, seed 1: `ClipCpuRouteMain --model-dir` prints/creates
it) with transformers' CLIPModel, exports the tower (plus projection and L2 normalisation) to ONNX
once per directory, then times onnxruntime at the given intra-op threads with all graph
optimisations on: whole calls for at least --seconds after --warmup calls, one JSON line out.
Texts are the phrases ClipEncodeBenchmark encodes, tokenised by the directory's tokenizer and
padded to the batch's longest with the end token (what HF and the original CLIP do); pooling at
the first end token, as HF does.

    benchmarks/peers/clip_onnx_peer.sh --model DIR --tower vision --batch 32 --threads 2
"""

import argparse
import json
import os
import time

import numpy as np
import onnxruntime as ort
import torch
from transformers import CLIPModel, CLIPTokenizer

PHRASES = ["white dog", "man riding horse", "red car on the street", "tall tree",
           "a photo of a cat", "wooden table next to window", "blue sky", "green grass"]
UNIFORM_PHRASE = "man riding horse"


class VisionTower(torch.nn.Module):
    def __init__(self, clip):
        super().__init__()
        self.vision, self.proj = clip.vision_model, clip.visual_projection

    def forward(self, pixel_values):
        pooled = self.vision(pixel_values=pixel_values).pooler_output
        emb = self.proj(pooled)
        return pooled, emb / emb.norm(dim=-1, keepdim=True)


class TextTower(torch.nn.Module):
    def __init__(self, clip, eos):
        super().__init__()
        self.text, self.proj, self.eos = clip.text_model, clip.text_projection, eos

    def forward(self, input_ids):
        # last_hidden_state is after the final layer norm; pool at each text's first end token.
        states = self.text(input_ids=input_ids).last_hidden_state
        first_end = (input_ids == self.eos).int().argmax(dim=-1)
        pooled = states[torch.arange(states.shape[0]), first_end]
        emb = self.proj(pooled)
        return pooled, emb / emb.norm(dim=-1, keepdim=True)


def export(model_dir, tower, out):
    clip = CLIPModel.from_pretrained(model_dir).eval()
    if tower == "vision":
        size = clip.config.vision_config.image_size
        module, example, name = VisionTower(clip), torch.randn(2, 3, size, size), "pixel_values"
        axes = {name: {0: "batch"}}
    else:
        eos = CLIPTokenizer.from_pretrained(model_dir).eos_token_id
        module, example, name = TextTower(clip, eos), torch.full((2, 7), eos, dtype=torch.long), \
            "input_ids"
        axes = {name: {0: "batch", 1: "tokens"}}
    axes.update({"pooled": {0: "batch"}, "embeddings": {0: "batch"}})
    with torch.no_grad():
        torch.onnx.export(module, (example,), out, input_names=[name],
                          output_names=["pooled", "embeddings"], dynamic_axes=axes,
                          opset_version=17, dynamo=False)


def measure(fn, seconds, warmup):
    for _ in range(warmup):
        fn()
    calls, start = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and calls >= 3:
            return calls / elapsed, calls


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="HF CLIP directory (ClipCpuRouteMain --model-dir)")
    ap.add_argument("--tower", choices=["vision", "text"], default="vision")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--texts", choices=["mixed", "uniform"], default="mixed")
    ap.add_argument("--onnx-dir", default=None, help="where the exported graphs go (default: model dir)")
    args = ap.parse_args()
    onnx_dir = args.onnx_dir or args.model
    path = os.path.join(onnx_dir, f"{args.tower}-tower.onnx")
    if not os.path.exists(path):
        export(args.model, args.tower, path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    tokens = 0
    if args.tower == "vision":
        size = session.get_inputs()[0].shape[2]
        rng = np.random.default_rng(0)
        feed = {"pixel_values": rng.standard_normal((args.batch, 3, size, size), dtype=np.float32)}
    else:
        tok = CLIPTokenizer.from_pretrained(args.model)
        texts = [UNIFORM_PHRASE if args.texts == "uniform" else PHRASES[i % len(PHRASES)]
                 for i in range(args.batch)]
        ids = [tok(t)["input_ids"] for t in texts]
        tokens = sum(len(i) for i in ids)
        width = max(len(i) for i in ids)
        feed = {"input_ids": np.array([i + [tok.eos_token_id] * (width - len(i)) for i in ids],
                                      dtype=np.int64)}
    rate, calls = measure(lambda: session.run(None, feed), args.seconds, args.warmup)
    print(json.dumps({"peer": "onnxruntime", "onnxruntime": ort.__version__,
                      "torch": torch.__version__, "tower": args.tower, "batch": args.batch,
                      "texts": args.texts, "tokens": tokens, "threads": args.threads,
                      "calls": calls, "per_s": round(rate * args.batch, 2)}))


if __name__ == "__main__":
    main()
