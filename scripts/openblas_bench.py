"""OpenBLAS baseline for scripts/bench.sh: numpy's sgemm on the products of the dense kernels, each product timed in
OpenBLAS's three storage forms and the fastest kept, as a user of OpenBLAS would store the operands:

  NN  a @ b        a (m, k) and b (k, n) row-major
  NT  a @ bt.T     b stored transposed, bt (n, k) row-major
  TN  at.T @ b     a stored transposed, at (k, m) row-major

As JMH measures ours: a warm-up window, then the mean throughput over timed windows. bench.sh runs this with
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (pinned, OpenBLAS runs older kernels).
  python3 scripts/openblas_bench.py OUT.json [--cases NAME,...] [--warmup S] [--window S] [--windows N]
"""
import argparse
import json
import os
import sys
import time

import numpy as np

# kernel name -> the product (m, k, n) it computes: out (m, n) = a (m, k) . b (k, n)
#   dense_fwd_BxIxO:    x (B, I) . W (I, O)
#   dense_bwd_in_BxIxO: dOut (B, O) . W^T (O, I)
#   dense_bwd_w_BxIxO:  x^T (I, B) . dOut (B, O)
CASES = {
    "dense_fwd_256x256x512": (256, 256, 512),
    "dense_fwd_256x512x512": (256, 512, 512),
    "dense_bwd_in_256x512x512": (256, 512, 512),
    "dense_bwd_w_256x512x512": (512, 256, 512),
    "dense_fwd_2048x2048x2048": (2048, 2048, 2048),
}
FORMS = ("NN", "NT", "TN")


def product(form, m, k, n, rng):
    """The product in one storage form, as a call without arguments."""
    a = rng.standard_normal((m, k) if form != "TN" else (k, m), dtype=np.float32)
    b = rng.standard_normal((k, n) if form != "NT" else (n, k), dtype=np.float32)
    if form == "NN":
        return lambda: a @ b
    if form == "NT":
        return lambda: a @ b.T
    return lambda: a.T @ b


def gflops(f, flops, warmup, window, windows):
    def timed(seconds):
        calls, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            f()
            calls += 1
        return calls, time.perf_counter() - t0

    timed(warmup)
    runs = [timed(window) for _ in range(windows)]
    return flops * sum(c for c, _ in runs) / sum(t for _, t in runs) / 1e9


def library():
    cfg = np.__config__.CONFIG if hasattr(np.__config__, "CONFIG") else {}
    lib = cfg.get("Build Dependencies", {}).get("blas", {})
    name = f"numpy {np.__version__}, {lib.get('name', 'blas')} {lib.get('version', '')}".strip()
    kernel = "kernel unknown: no threadpoolctl"
    try:  # the kernel OpenBLAS chose at run time (its DYNAMIC_ARCH core name)
        import threadpoolctl
        blas = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
        if blas:
            kernel = f"{blas[0].get('internal_api')} {blas[0].get('version')}, {blas[0].get('architecture')} kernel"
    except ImportError:
        pass
    return f"{name} ({kernel})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--window", type=float, default=2.0)
    ap.add_argument("--windows", type=int, default=2)
    a = ap.parse_args()
    rng = np.random.default_rng(7)
    best, forms = {}, {}
    for name in a.cases.split(","):
        if name not in CASES:
            sys.exit(f"openblas_bench.py: --cases: unknown case '{name}' ({', '.join(CASES)})")
        m, k, n = CASES[name]
        forms[name] = {f: gflops(product(f, m, k, n, rng), 2 * m * k * n, a.warmup, a.window, a.windows) for f in FORMS}
        best[name] = max(forms[name].values())
    threads = int(os.environ.get("OPENBLAS_NUM_THREADS", os.cpu_count()))
    with open(a.out, "w") as f:
        json.dump({"library": library(), "threads": threads, "gflops": best, "forms": forms}, f, indent=1)
    print(f"  {library()}: " + ", ".join(f"{k} {v:.0f} ({max(forms[k], key=forms[k].get)})" for k, v in best.items())
          + " GFLOP/s", file=sys.stderr)


if __name__ == "__main__":
    main()
