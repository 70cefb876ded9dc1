#!/usr/bin/python3
"""Peers for ctx4j's retrieval benchmarks, on the same data as the JMH benchmarks.

  retrieval_faiss.py --make-data DIR [--max-n 1000000] [--queries 4096]
      writes DIR/keys_<n>.f32 (n = 100000 and max-n) and DIR/queries.f32: raw float32
      little-endian, row-major, d = 512, L2-normalised Gaussian (numpy seed 0).
  retrieval_faiss.py --run DIR --n N [--ivf] [--small-batches | --per-call 288] [--sgemm] --json OUT
      measures, on that data: faiss IndexFlatIP (exact) with all queries in one call and,
      with --small-batches, the original's way (32 images per batch: 32, 160 and 288 queries
      per call); faiss IVF with the original's settings (index_factory "IVF{K},Flat", inner
      product, K = round(8*sqrt(N)), nprobe = K // 10) with recall@16 against exact; and numpy /
      OpenBLAS sgemm alone (the same shapes as ours: the full multiply, blocked, and the
      256 x 16384 x 512 kernel shape). Prints and writes one JSON object.

Use Debian's /usr/bin/python3 (python3-numpy, python3-faiss, libopenblas0-openmp). Which BLAS
numpy really calls (library, core, threads) is read from the loaded OpenBLAS and recorded.
"""
import argparse
import ctypes
import json
import math
import os
import time

import numpy as np

DIM = 512
K = 16


def make_data(out_dir, max_n, queries):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(0)
    keys = rng.standard_normal((max_n, DIM), dtype=np.float32)
    keys /= np.linalg.norm(keys, axis=1, keepdims=True)
    for n in sorted({100_000, max_n}):
        if n <= max_n:
            keys[:n].astype('<f4').tofile(os.path.join(out_dir, f"keys_{n}.f32"))
    q = rng.standard_normal((queries, DIM), dtype=np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    q.astype('<f4').tofile(os.path.join(out_dir, "queries.f32"))


def blas_info():
    libs = sorted({line.split()[-1] for line in open('/proc/self/maps') if 'openblas' in line})
    info = {"libraries": libs}
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            info.update(core=lib.openblas_get_corename().decode(),
                        config=lib.openblas_get_config().decode(),
                        threads=lib.openblas_get_num_threads())
            break
        except (OSError, AttributeError):
            continue
    info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE")
    return info


def timed(fn, repeats):
    """Best and median wall time of fn() over repeats runs (after one warm-up)."""
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[0], times[len(times) // 2]


def run(data_dir, n, do_ivf, per_call_sizes, do_sgemm, repeats):
    import faiss  # after numpy: both share the OpenBLAS loaded above
    keys = np.fromfile(os.path.join(data_dir, f"keys_{n}.f32"), dtype='<f4').reshape(n, DIM)
    queries = np.fromfile(os.path.join(data_dir, "queries.f32"), dtype='<f4').reshape(-1, DIM)
    nq = queries.shape[0]
    out = {"n": n, "d": DIM, "k": K, "queries": nq, "faiss": faiss.__version__,
           "numpy": np.__version__, "faiss_threads": faiss.omp_get_max_threads(), "blas": blas_info()}
    flops = 2.0 * nq * n * DIM

    flat = faiss.IndexFlatIP(DIM)
    flat.add(keys)
    best, median = timed(lambda: flat.search(queries, K), repeats)
    out["flat_q4096"] = {"best_s": best, "median_s": median, "qps": nq / median,
                         "gflops": flops / median / 1e9}
    _, exact_ids = flat.search(queries, K)

    if per_call_sizes:
        for per_call in per_call_sizes:
            def calls(per_call=per_call):
                for start in range(0, nq, per_call):
                    flat.search(queries[start:start + per_call], K)
            best, median = timed(calls, max(1, repeats - 1))
            out[f"flat_{per_call}_per_call"] = {"best_s": best, "median_s": median,
                                                "qps": nq / median, "gflops": flops / median / 1e9}

    if do_ivf:
        lists = round(8 * math.sqrt(n))
        ivf = faiss.index_factory(DIM, f"IVF{lists},Flat", faiss.METRIC_INNER_PRODUCT)
        t = time.perf_counter()
        ivf.train(keys)
        ivf.add(keys)
        build = time.perf_counter() - t
        ivf.nprobe = max(1, lists // 10)
        best, median = timed(lambda: ivf.search(queries, K), repeats)
        _, ivf_ids = ivf.search(queries, K)
        recall = np.mean([len(set(a) & set(b)) / K for a, b in zip(ivf_ids, exact_ids)])
        out["ivf_q4096"] = {"nlist": lists, "nprobe": ivf.nprobe, "build_s": build,
                            "best_s": best, "median_s": median, "qps": nq / median,
                            "recall_at_16": float(recall)}

    if do_sgemm:
        block = 16384  # the multiply alone, blocked over keys as a fused kernel must be
        def full():
            for start in range(0, n, block):
                np.dot(queries, keys[start:start + block].T)
        best, median = timed(full, repeats)
        out["sgemm_full"] = {"best_s": best, "median_s": median, "gflops": flops / best / 1e9}
        a = queries[:256].copy()
        b = keys[:16384].copy()
        kernel_flops = 2.0 * 256 * 16384 * DIM
        best, median = timed(lambda: np.dot(a, b.T), max(20, repeats))
        out["sgemm_256x16384x512"] = {"best_s": best, "median_s": median,
                                      "gflops": kernel_flops / best / 1e9}
    out["exact_ids_digest"] = int(np.asarray(exact_ids, dtype=np.int64).sum())
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--make-data", metavar="DIR")
    parser.add_argument("--max-n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=4096)
    parser.add_argument("--run", metavar="DIR")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--ivf", action="store_true")
    parser.add_argument("--small-batches", action="store_true",
                        help="the original's calls: 32, 160 and 288 queries per call")
    parser.add_argument("--per-call", default="",
                        help="comma-separated queries per call instead of --small-batches' sizes")
    parser.add_argument("--sgemm", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.make_data:
        make_data(args.make_data, args.max_n, args.queries)
    if args.run:
        sizes = [int(x) for x in args.per_call.split(",") if x] or (
            [32, 160, 288] if args.small_batches else [])
        result = run(args.run, args.n, args.ivf, sizes, args.sgemm, args.repeats)
        text = json.dumps(result, indent=1)
        print(text)
        if args.json:
            with open(args.json, "w") as f:
                f.write(text)


if __name__ == "__main__":
    main()
