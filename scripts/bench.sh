#!/usr/bin/env bash
# Builds the JMH benchmark jar and runs the kernel and training-step benchmarks on every engine
# (java = the baseline of every ratio, java-parallel-plain, java-parallel) and, when a TornadoVM SDK is
# present (TORNADO_SDK), on every TornadoVM device. Then the baselines, each in interleaved rounds (a round measures
# the baseline and ours right after each other, alternating which goes first): the dense GEMMs against numpy's
# OpenBLAS sgemm on the same shapes, and one training step of the paper models (batch 256, softmax head) against
# PyTorch CPU — Debian's python3-torch and pip's current wheel, whichever are installed
# (scripts/install-bench-python.sh installs both). Writes JMH JSON per run and summary.md.
#   scripts/bench.sh [--quick | --full] [--out DIR] [--devices 0:0,1:0] [--no-tornado] [--no-openblas] [--no-torch]
#                    [--gemm-only | --torch-only | --baselines-only] [--rounds N] [--threads N] [--gemm-rows 4|8]
# --gemm-only, --torch-only, --baselines-only: just those interleaved rounds (a few minutes each).
# --threads N: the baseline rounds on N threads on every side (default: all cores). On a machine shared with other
# work, spinning thread pools (OpenMP in PyTorch, OpenBLAS) lose far more than ours when a core is taken away: there
# only --threads 1 compares the code rather than the scheduler.
# --gemm-rows 4|8: java-parallel's GEMM register tile (default: 8 rows with 512-bit vectors, 4 below), to compare both.
# --quick (default): 1 fork, short iterations, no 2048³ case for the sequential engine, 3 rounds (~25 minutes on 2
# cores, ~35 with one TornadoVM CPU device). --full: the annotations' settings, 2 forks, every case, 5 rounds.
# numpy runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (the environment may pin OpenBLAS to old kernels);
# the summary names the kernel OpenBLAS chose (threadpoolctl).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/java-env.sh
source "$root/scripts/java-env.sh"
source "$root/scripts/tornado-env.sh"

profile=quick
out="$root/runs/bench"
devices=""
tornado=1
openblas=1
baselines_only=0
torch=1
torch_only=0
rounds=""
threads=""
gemm_rows=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) profile=quick; shift ;;
    --full) profile=full; shift ;;
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --devices) devices="$2"; shift 2 ;;
    --devices=*) devices="${1#--devices=}"; shift ;;
    --no-tornado) tornado=0; shift ;;
    --no-openblas) openblas=0; shift ;;
    --no-torch) torch=0; shift ;;
    --gemm-only) baselines_only=1; torch=0; shift ;;
    --torch-only) torch_only=1; openblas=0; shift ;;
    --baselines-only) baselines_only=1; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --rounds=*) rounds="${1#--rounds=}"; shift ;;
    --threads) threads="$2"; shift 2 ;;
    --threads=*) threads="${1#--threads=}"; shift ;;
    --gemm-rows) gemm_rows="$2"; shift 2 ;;
    --gemm-rows=*) gemm_rows="${1#--gemm-rows=}"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "${TORNADO_SDK:-}" ] || tornado=0
if [ "$baselines_only" = 1 ] && [ "$openblas" = 0 ] && [ "$torch" = 0 ]; then
  echo "bench.sh: nothing to run: the baselines need OpenBLAS or PyTorch (drop --no-openblas or --no-torch)" >&2; exit 2
fi
[ "$torch_only" = 0 ] || baselines_only=1
if [ -z "$rounds" ]; then
  if [ "$profile" = quick ]; then rounds=3; else rounds=5; fi
fi
case "$rounds" in ''|*[!0-9]*|0) echo "bench.sh: --rounds must be a positive integer, got '$rounds'" >&2; exit 2 ;; esac
case "$threads" in ''|[1-9]|[1-9][0-9]) ;; *) echo "bench.sh: --threads must be a positive integer, got '$threads'" >&2; exit 2 ;; esac
case "$gemm_rows" in ''|4|8) ;; *) echo "bench.sh: --gemm-rows must be 4 or 8, got '$gemm_rows'" >&2; exit 2 ;; esac
# java-parallel's GEMM tile (CpuGemm picks 8 rows with 512-bit vectors, 4 below): to compare both on one host
gemm_jvm=()
[ -z "$gemm_rows" ] || gemm_jvm=(-jvmArgsAppend "-Drelutornado.gemm.rows=$gemm_rows")
thread_jvm=()
if [ -n "$threads" ]; then
  # the baselines' pools (OpenBLAS, OpenMP, MKL, torch.set_num_threads via os.cpu_count) and ours (availableProcessors)
  export OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
  thread_jvm=(-jvmArgsPrepend "-XX:ActiveProcessorCount=$threads")
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

read -r -a build_flags <<< "$TORNADO_MAVEN_FLAGS"
echo "bench.sh: building the benchmark jar ($JAVA_HOME)..." >&2
(cd "$root" && mvn -B -q -DskipTests -pl bench -am package "${build_flags[@]}") >&2
jar="$root/bench/target/benchmarks.jar"
java=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector)

if [ "$profile" = quick ]; then
  jmh=(-f 1 -wi 2 -w 2s -i 3 -r 2s)
  jmh_big=(-f 1 -wi 2 -w 2s -i 2 -r 4s)
else
  jmh=(-f 2)
  jmh_big=(-f 2 -wi 1 -w 10s -i 3 -r 10s)
fi
small="dense_fwd_256x256x512,dense_fwd_256x512x512,dense_bwd_in_256x512x512,dense_bwd_w_256x512x512"
small="$small,conv_fwd_256x32x26x26_32k3,conv_bwd_in_256x32x26x26_32k3,conv_bwd_w_256x32x26x26_32k3"
small="$small,softmax_head_256x10,relu_head_256x10,adam_ffnn"
big="dense_fwd_2048x2048x2048"
cpu_engines="java,java-parallel-plain,java-parallel"
results=()

run_jmh() { # name, then JMH arguments (the profile's fork and iteration settings included)
  local name=$1; shift
  echo "== $name" >&2
  "${java[@]}" -jar "$jar" "$@" "${gemm_jvm[@]}" -rf json -rff "$out/$name.json" | tee "$out/$name.log" \
    | grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)' >&2 || true
  [ -s "$out/$name.json" ] || { echo "bench.sh: JMH wrote no results for $name (see $out/$name.log)" >&2; exit 1; }
  results+=("$out/$name.json")
}

if [ "$baselines_only" = 0 ]; then
  run_jmh kernels 'KernelBenchmark' "${jmh[@]}" -p kernel="$small" -p engine="$cpu_engines"
  if [ "$profile" = quick ]; then
    # the sequential engine needs ~20 s per 2048³ product: left to --full
    run_jmh kernels-2048 'KernelBenchmark' "${jmh_big[@]}" -p kernel="$big" -p engine=java-parallel-plain,java-parallel
  else
    run_jmh kernels-2048 'KernelBenchmark' "${jmh_big[@]}" -p kernel="$big" -p engine="$cpu_engines"
  fi
  run_jmh steps 'StepBenchmark' "${jmh[@]}" -p engine="$cpu_engines"

  if [ "$tornado" = 1 ]; then
    if [ -z "$devices" ]; then
      devices=$("$root/scripts/relu-tornado" devices 2>/dev/null | sed -n 's/^ *\([0-9][0-9]*:[0-9][0-9]*\) .*/\1/p' | paste -sd, -)
    fi
    if [ -n "$devices" ]; then
      # the forks inherit the SDK's JVM flags and the environment (signal chaining, see tornado-env.sh) from this JVM
      java=(env LD_PRELOAD="$TORNADO_JSIG${LD_PRELOAD:+:$LD_PRELOAD}" "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector
        @"$TORNADO_SDK/tornado-argfile" -Dtornado.recover.bailout=False)
      run_jmh tornado-kernels 'KernelBenchmark' "${jmh[@]}" -p kernel="$small,$big" -p engine=tornado,tornado-plain -p device="$devices"
      run_jmh tornado-steps 'StepBenchmark' "${jmh[@]}" -p engine=tornado,tornado-plain -p device="$devices"
      java=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector)
    else
      echo "bench.sh: TORNADO_SDK is set but 'relu-tornado devices' lists no device; skipping TornadoVM" >&2
    fi
  fi
fi

# The baselines' Pythons: numpy from the bench venv (pip's current numpy) if it has one, else python3; PyTorch from
# Debian (/usr/bin/python3) and from the venv, whichever import it.
venv=${BENCH_VENV:-$root/target/bench-venv}
numpy_py=python3
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import numpy' 2>/dev/null; then numpy_py="$venv/bin/python"; fi
torch_pys=()
torch_labels=()
if [ "$torch" = 1 ]; then
  if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    torch_pys+=(/usr/bin/python3); torch_labels+=("Debian python3-torch")
  fi
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import torch' 2>/dev/null; then
    torch_pys+=("$venv/bin/python"); torch_labels+=("pip wheel")
  fi
  if [ "${#torch_pys[@]}" = 0 ]; then
    echo "bench.sh: no PyTorch found, so no PyTorch comparison (scripts/install-bench-python.sh installs it)" >&2
    torch=0
  fi
fi

# Dense GEMMs against OpenBLAS (numpy's sgemm, same shapes and transposes), in interleaved rounds: this
# machine's throughput drifts (a VM), so each round measures OpenBLAS and ours right after each other (which goes
# first alternates), and the summary takes each round's ratio. Both sides alike: warm-up, then mean throughput over
# 2 x 2 s windows. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for numpy only: pinned, OpenBLAS runs older kernels.
openblas_gflops() { # OUT.json
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$numpy_py" - "$1" <<'EOF'
import json, sys, time, os
import numpy as np
# name -> (M, K, N, form): the dense kernels' products, with the same transposes
cases = {
    "dense_fwd_256x256x512": (256, 256, 512, "fwd"),
    "dense_fwd_256x512x512": (256, 512, 512, "fwd"),
    "dense_bwd_in_256x512x512": (256, 512, 512, "bwd_in"),
    "dense_bwd_w_256x512x512": (256, 512, 512, "bwd_w"),
    "dense_fwd_2048x2048x2048": (2048, 2048, 2048, "fwd"),
}
rng = np.random.default_rng(7)
out = {}
for name, (M, K, N, form) in cases.items():
    x = rng.standard_normal((M, K), dtype=np.float32)
    w = rng.standard_normal((K, N), dtype=np.float32)
    d = rng.standard_normal((M, N), dtype=np.float32)
    f = {"fwd": lambda: x @ w, "bwd_in": lambda: d @ w.T, "bwd_w": lambda: x.T @ d}[form]
    # as JMH measures ours: a warm-up, then the mean throughput over timed windows (not the best single call)
    def window(seconds):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            f(); n += 1
        return n, time.perf_counter() - t0
    window(2.0)
    runs = [window(2.0) for _ in range(2)]
    out[name] = 2 * M * K * N * sum(n for n, _ in runs) / sum(t for _, t in runs) / 1e9
cfg = np.__config__.CONFIG if hasattr(np.__config__, "CONFIG") else {}
lib = cfg.get("Build Dependencies", {}).get("blas", {})
library = f"numpy {np.__version__}, {lib.get('name', 'blas')} {lib.get('version', '')}".strip()
kernel = "kernel unknown: no threadpoolctl"
try:  # the kernel OpenBLAS chose at run time (its DYNAMIC_ARCH core name)
    import threadpoolctl
    blas = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
    if blas:
        kernel = f"{blas[0].get('internal_api')} {blas[0].get('version')}, {blas[0].get('architecture')} kernel"
except ImportError:
    pass
threads = int(os.environ.get("OPENBLAS_NUM_THREADS", os.cpu_count()))
json.dump({"library": f"{library} ({kernel})", "threads": threads, "gflops": out}, open(sys.argv[1], "w"), indent=1)
print(f"  {library} ({kernel}): " + ", ".join(f"{k} {v:.0f}" for k, v in out.items()) + " GFLOP/s", file=sys.stderr)
EOF
}

ours_jmh() { # NAME, then JMH arguments: one short java-parallel run for a round
  local name=$1; shift
  "${java[@]}" -jar "$jar" "$@" -f 1 -wi 2 -w 2s -i 2 -r 2s -p engine=java-parallel "${thread_jvm[@]}" "${gemm_jvm[@]}" \
    -rf json -rff "$out/$name.json" > "$out/$name.log"
  [ -s "$out/$name.json" ] || { echo "bench.sh: JMH wrote no results for $name (see $out/$name.log)" >&2; exit 1; }
}

round_args=()
if [ "$openblas" = 1 ]; then
  if "$numpy_py" -c 'import numpy' 2>/dev/null; then
    gemm="dense_fwd_256x256x512,dense_fwd_256x512x512,dense_bwd_in_256x512x512,dense_bwd_w_256x512x512,dense_fwd_2048x2048x2048"
    for r in $(seq 1 "$rounds"); do
      if [ $((r % 2)) = 1 ]; then
        echo "== gemm round $r of $rounds: OpenBLAS, then java-parallel" >&2
        openblas_gflops "$out/openblas-$r.json"
        ours_jmh "gemm-$r" KernelBenchmark -p kernel="$gemm"
      else
        echo "== gemm round $r of $rounds: java-parallel, then OpenBLAS" >&2
        ours_jmh "gemm-$r" KernelBenchmark -p kernel="$gemm"
        openblas_gflops "$out/openblas-$r.json"
      fi
      round_args+=(--round "$out/openblas-$r.json" "$out/gemm-$r.json")
    done
  else
    echo "bench.sh: no numpy, so no OpenBLAS comparison (scripts/install-bench-python.sh installs it)" >&2
  fi
fi

# One training step of the paper models (batch 256, softmax head) against PyTorch CPU, in interleaved rounds as above:
# scripts/torch_bench.py builds the same models (StepBenchmark's model names) and times them as JMH times ours.
torch_round() { # ROUND: every PyTorch in turn; sets torch_files (comma-separated JSON files)
  local files=() i
  for i in "${!torch_pys[@]}"; do
    "${torch_pys[$i]}" "$root/scripts/torch_bench.py" "$out/torch-$i-$1.json" --label "${torch_labels[$i]}" ${threads:+--threads "$threads"}
    files+=("$out/torch-$i-$1.json")
  done
  torch_files=$(IFS=,; echo "${files[*]}")
}
if [ "$torch" = 1 ]; then
  for r in $(seq 1 "$rounds"); do
    if [ $((r % 2)) = 1 ]; then
      echo "== training-step round $r of $rounds: PyTorch, then java-parallel" >&2
      torch_round "$r"
      ours_jmh "steps-$r" StepBenchmark -p head=softmax
    else
      echo "== training-step round $r of $rounds: java-parallel, then PyTorch" >&2
      ours_jmh "steps-$r" StepBenchmark -p head=softmax
      torch_round "$r"
    fi
    round_args+=(--torch-round "$out/steps-$r.json" "$torch_files")
  done
fi

"${java[@]}" -cp "$jar" relutornado.bench.BenchReport "$out/summary.md" "${round_args[@]}" "${results[@]}"
cat "$out/summary.md"
