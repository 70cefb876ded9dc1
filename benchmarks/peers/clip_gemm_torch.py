#!/usr/bin/python3
"""Peer for org.ctx4j.benchmarks.clip.ClipLinearBenchmark: F.linear of the same shapes in
Debian's python3-torch (OpenBLAS), same threads. Prints ops/s and GFLOP/s per shape.

    /usr/bin/python3 benchmarks/peers/clip_gemm_torch.py --threads 1 --seconds 10
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--shapes", default="56x512x2048,400x768x3072")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    out = {"peer": "torch F.linear", "torch": torch.__version__, "threads": args.threads}
    with torch.inference_mode():
        for shape in args.shapes.split(","):
            m, k, n = (int(v) for v in shape.split("x"))
            x, w, b = torch.randn(m, k), torch.randn(n, k), torch.randn(n)
            for _ in range(20):
                F.linear(x, w, b)
            calls, start = 0, time.perf_counter()
            while time.perf_counter() - start < args.seconds:
                F.linear(x, w, b)[0, 0].item()
                calls += 1
            rate = calls / (time.perf_counter() - start)
            out[shape] = {"ops_per_s": rate, "gflops": rate * 2 * m * k * n / 1e9}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
