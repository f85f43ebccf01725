"""PyTorch CPU baseline for scripts/bench.sh: one training step (forward, loss, backward, Adam) of the paper models
at batch 256, the same models as relutornado.model.ModelSpec (and StepBenchmark's -p model names):

  ffnn        256 -> [Dense 512, ReLU, Dropout 0.1] x 3 -> Dense 10              (ModelSpec.ffnn("mnist", 256, ...))
  cnn-pca     1x16x16 -> Conv 32 3x3 valid, ReLU -> Conv 32 3x3, ReLU -> MaxPool 2 -> Dropout 0.25
              -> Conv 64 3x3, ReLU -> Conv 64 3x3, ReLU -> MaxPool 2 -> Dropout 0.25
              -> Flatten -> Dense 256, ReLU -> Dropout 0.5 -> Dense 10          (ModelSpec.cnn(1, 16, 16, ...))
  cnn-pixels  the same CNN on 1x28x28                                             (ModelSpec.cnn(1, 28, 28, ...))

Softmax head: cross-entropy on the logits (mean over the batch), Adam lr 1e-3. float32, NCHW, all cores
(or --threads; Debian's 1.13 starts with one thread, so the count is always set explicitly). As JMH measures ours: a warm-up window,
then the mean throughput over timed windows. The JSON's "settings" names the configuration: OMP_WAIT_POLICY (from the
environment: OpenMP reads it at start, so bench.sh starts one process per policy) and torch.set_num_threads.
  python3 scripts/torch_bench.py OUT.json [--label L] [--models ffnn,cnn-pca,cnn-pixels] [--warmup S] [--window S] [--windows N]
      [--threads N] [--clock wall|cpu]
"""
import argparse
import json
import os
import sys
import time

import torch
from torch import nn

BATCH = 256
CLASSES = 10


def ffnn():
    layers, width = [], 256
    for _ in range(3):
        layers += [nn.Linear(width, 512), nn.ReLU(), nn.Dropout(0.1)]
        width = 512
    return nn.Sequential(*layers, nn.Linear(width, CLASSES)), (256,)


def cnn(side):
    out = side - 4  # two valid 3x3 convolutions
    out = (out // 2 - 4) // 2  # pool, two more, pool
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(64 * out * out, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, CLASSES)), (1, side, side)


MODELS = {"ffnn": ffnn, "cnn-pca": lambda: cnn(16), "cnn-pixels": lambda: cnn(28)}
# parameter counts of ModelSpec (CNN_PAPER_PARAMETERS, CNN_PIXELS_PARAMETERS; the FFNN's 256-512-512-512-10)
PARAMETERS = {"ffnn": 256 * 512 + 512 + 2 * (512 * 512 + 512) + 512 * 10 + 10, "cnn-pca": 84_202, "cnn-pixels": 329_962}


def samples_per_second(name, warmup, window, windows, clock):
    torch.manual_seed(1)
    model, shape = MODELS[name]()
    params = sum(p.numel() for p in model.parameters())
    if params != PARAMETERS[name]:
        sys.exit(f"torch_bench.py: {name} has {params} parameters, ModelSpec's has {PARAMETERS[name]}")
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(BATCH, *shape)
    y = torch.randint(0, CLASSES, (BATCH,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()

    def timed(seconds):
        n, t0 = 0, clock()
        while clock() - t0 < seconds:
            step()
            n += 1
        return n, clock() - t0

    timed(warmup)
    runs = [timed(window) for _ in range(windows)]
    return BATCH * sum(n for n, _ in runs) / sum(t for _, t in runs)


def cpu_capability():
    """The SIMD level PyTorch's own kernels dispatch to (AVX2, AVX512); 1.13 has no call for it."""
    cpu = getattr(torch.backends, "cpu", None)
    return cpu.get_cpu_capability() if cpu is not None and hasattr(cpu, "get_cpu_capability") else ""


def blas():
    """The BLAS PyTorch was built for (the wheel's MKL is linked in, invisible to threadpoolctl) and the BLAS libraries
    threadpoolctl sees loaded (Debian's PyTorch calls the libblas.so.3 alternative; numpy brings its own OpenBLAS)."""
    import re
    built = re.search(r"BLAS_INFO=([\w-]+)", torch.__config__.show())
    try:
        import threadpoolctl
        libs = [f"{i.get('internal_api')} {i.get('version')}" + (f" {i['architecture']}" if i.get("architecture") else "")
                for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
        loaded = ", ".join(libs) or "none"
    except ImportError:
        loaded = "unknown (no threadpoolctl)"
    return f"built for {built.group(1) if built else 'unknown'}, loaded: {loaded}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--label", default="")
    ap.add_argument("--models", default="ffnn,cnn-pca,cnn-pixels")
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--window", type=float, default=2.0)
    ap.add_argument("--windows", type=int, default=2)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="cpu: the process's CPU time (with --threads 1 on a shared machine, as StepProfile times ours)")
    a = ap.parse_args()
    threads = a.threads
    if threads < 1:
        sys.exit(f"torch_bench.py: --threads must be >= 1, got {threads}")
    torch.set_num_threads(threads)
    result = {}
    for name in a.models.split(","):
        if name not in MODELS:
            sys.exit(f"torch_bench.py: --models: unknown model '{name}' (ffnn, cnn-pca, cnn-pixels)")
        result[name] = samples_per_second(name, a.warmup, a.window, a.windows,
                                          time.process_time if a.clock == "cpu" else time.perf_counter)
    label = a.label or f"torch {torch.__version__}"
    with open(a.out, "w") as f:
        settings = f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}, set_num_threads({threads})"
        json.dump({"library": label, "version": torch.__version__, "threads": threads, "settings": settings,
                   "capability": cpu_capability(), "blas": blas(), "clock": a.clock,
                   "samples_per_s": result}, f, indent=1)
    print(f"  {label} ({settings}): " + ", ".join(f"{k} {v:.0f}" for k, v in result.items()) + " samples/s", file=sys.stderr)


if __name__ == "__main__":
    main()
