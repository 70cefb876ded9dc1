#!/usr/bin/python3
"""Peer for org.ctx4j.benchmarks.clip: CLIP towers in PyTorch eager mode (Debian python3-torch).

The same architecture as HuggingFace transformers' modeling_clip.py (separate q/k/v projections,
matmul-softmax attention, quick_gelu, pre-LN layers, post-layernorm / final-layernorm pooling and
projection), float32, inference mode, random weights. Sizes default to ViT-B/32 (same FLOPs as
openai/clip-vit-base-patch32). It measures the same things as ClipEncodeBenchmark: images/s of
the vision tower and texts/s of the text tower for a batch, with the same thread count.

    /usr/bin/python3 benchmarks/peers/clip_torch.py --threads 2 --batch 32 --seconds 30
"""

import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# The phrases ClipEncodeBenchmark encodes (Visual Genome-like; ~4-9 tokens with start/end).
PHRASES = ["white dog", "man riding horse", "red car on the street", "tall tree",
           "a photo of a cat", "wooden table next to window", "blue sky", "green grass"]
UNIFORM_PHRASE = "man riding horse"


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.head_dim = heads, d // heads
        self.scale = self.head_dim ** -0.5
        self.q_proj, self.k_proj = nn.Linear(d, d), nn.Linear(d, d)
        self.v_proj, self.out_proj = nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x, mask=None):
        b, n, d = x.shape
        def split(t):
            return t.view(b, n, self.heads, self.head_dim).transpose(1, 2)
        q = split(self.q_proj(x) * self.scale)
        k = split(self.k_proj(x))
        v = split(self.v_proj(x))
        scores = q @ k.transpose(-1, -2)
        if mask is not None:
            scores = scores + mask
        probs = scores.softmax(dim=-1)
        out = (probs @ v).transpose(1, 2).reshape(b, n, d)
        return self.out_proj(out)


class Layer(nn.Module):
    def __init__(self, d, inter, heads):
        super().__init__()
        self.layer_norm1, self.layer_norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.self_attn = Attention(d, heads)
        self.fc1, self.fc2 = nn.Linear(d, inter), nn.Linear(inter, d)

    def forward(self, x, mask=None):
        x = x + self.self_attn(self.layer_norm1(x), mask)
        h = self.fc1(self.layer_norm2(x))
        return x + self.fc2(h * torch.sigmoid(1.702 * h))


class Vision(nn.Module):
    def __init__(self, d=768, layers=12, heads=12, inter=3072, image=224, patch=32, proj=512):
        super().__init__()
        self.patch = nn.Conv2d(3, d, patch, stride=patch, bias=False)
        self.cls = nn.Parameter(torch.randn(d))
        self.pos = nn.Parameter(torch.randn((image // patch) ** 2 + 1, d) * 0.02)
        self.pre, self.post = nn.LayerNorm(d), nn.LayerNorm(d)
        self.layers = nn.ModuleList(Layer(d, inter, heads) for _ in range(layers))
        self.proj = nn.Linear(d, proj, bias=False)

    def forward(self, pixels):
        x = self.patch(pixels).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], 1, -1), x], dim=1) + self.pos
        x = self.pre(x)
        for layer in self.layers:
            x = layer(x)
        pooled = self.post(x[:, 0])
        emb = self.proj(pooled)
        return pooled, emb / emb.norm(dim=-1, keepdim=True)


class Text(nn.Module):
    def __init__(self, d=512, layers=12, heads=8, inter=2048, vocab=49408, ctx=77, proj=512):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(ctx, d) * 0.01)
        self.layers = nn.ModuleList(Layer(d, inter, heads) for _ in range(layers))
        self.final = nn.LayerNorm(d)
        self.proj = nn.Linear(d, proj, bias=False)

    def forward(self, ids):
        n = ids.shape[1]
        x = self.tok(ids) + self.pos[:n]
        mask = torch.full((n, n), float("-inf"), device=ids.device, dtype=x.dtype).triu(1)
        for layer in self.layers:
            x = layer(x, mask)
        x = self.final(x)
        pooled = x[torch.arange(ids.shape[0], device=ids.device), ids.argmax(dim=-1)]
        emb = self.proj(pooled)
        return pooled, emb / emb.norm(dim=-1, keepdim=True)


def measure(fn, seconds, warmup):
    for _ in range(warmup):
        fn()
    calls, start = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and calls >= 3:
            return calls / elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--tower", choices=["vision", "text", "both"], default="both")
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--dtype", choices=["fp32", "fp16", "bf16"], default="fp32")
    ap.add_argument("--texts", choices=["mixed", "uniform"], default="mixed",
                    help="mixed: the 8 phrases in turn; uniform: one 5-token phrase throughout")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[args.dtype]
    result = {"peer": "pytorch-eager", "torch": torch.__version__, "threads": args.threads,
              "batch": args.batch, "device": args.device, "dtype": args.dtype,
              "texts": args.texts}

    def synced(fn):
        # GPU work is asynchronous: wait for it so that each call is timed whole.
        if device.type != "cuda":
            return fn
        def run():
            out = fn()
            torch.cuda.synchronize()
            return out
        return run

    with torch.inference_mode():
        if args.tower in ("vision", "both"):
            vision = Vision().eval().to(device, dtype)
            pixels = torch.randn(args.batch, 3, 224, 224).to(device, dtype)
            rate = measure(synced(lambda: vision(pixels)), args.seconds, args.warmup)
            result["vision_images_per_s"] = rate * args.batch
        if args.tower in ("text", "both"):
            text = Text().eval().to(device, dtype)
            # Token ids of the phrases: one id per word plus start/end, the lengths CLIP's real
            # tokenizer gives these phrases; padded to the batch's longest as HF and the original
            # do.
            texts = [UNIFORM_PHRASE if args.texts == "uniform" else PHRASES[i % len(PHRASES)]
                     for i in range(args.batch)]
            lengths = [len(t.split()) + 2 for t in texts]
            width = max(lengths)
            ids = torch.full((args.batch, width), 49407, dtype=torch.long)
            for i, n in enumerate(lengths):
                ids[i, 0] = 49406
                ids[i, 1 : n - 1] = torch.randint(1000, 40000, (n - 2,))
                ids[i, n - 1] = 49407
            ids = ids.to(device)
            rate = measure(synced(lambda: text(ids)), args.seconds, args.warmup)
            result["text_texts_per_s"] = rate * args.batch
    print(json.dumps(result))


if __name__ == "__main__":
    main()
