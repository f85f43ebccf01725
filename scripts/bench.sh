#!/usr/bin/env bash
# Builds the JMH benchmark jar and runs the kernel and training-step benchmarks on every engine
# (java = the baseline of every ratio, java-parallel-plain, java-parallel) and, when a TornadoVM SDK is
# present (TORNADO_SDK), on every TornadoVM device. With numpy (python3-numpy), the dense GEMMs against
# OpenBLAS sgemm on the same shapes, in interleaved rounds. Writes JMH JSON per run and summary.md.
#   scripts/bench.sh [--quick | --full] [--out DIR] [--devices 0:0,1:0] [--no-tornado] [--no-openblas] [--gemm-only]
# --gemm-only: just the interleaved GEMM rounds against OpenBLAS (a few minutes).
# --quick (default): 1 fork, short iterations, no 2048³ case for the sequential engine (~25 minutes on 2 cores,
# ~35 with one TornadoVM CPU device).
# --full: the annotations' settings (warm-up 2×, 3 measured iterations), 2 forks, every case.
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
gemm_only=0
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
    --gemm-only) gemm_only=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "${TORNADO_SDK:-}" ] || tornado=0
if [ "$gemm_only" = 1 ] && [ "$openblas" = 0 ]; then echo "bench.sh: --gemm-only needs OpenBLAS (drop --no-openblas)" >&2; exit 2; fi
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
  "${java[@]}" -jar "$jar" "$@" -rf json -rff "$out/$name.json" | tee "$out/$name.log" \
    | grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)' >&2 || true
  [ -s "$out/$name.json" ] || { echo "bench.sh: JMH wrote no results for $name (see $out/$name.log)" >&2; exit 1; }
  results+=("$out/$name.json")
}

if [ "$gemm_only" = 0 ]; then
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

# Dense GEMMs against OpenBLAS (numpy's sgemm, same shapes and transposes), in interleaved rounds: this
# machine's throughput drifts (a VM), so each round measures OpenBLAS and then ours right after it, and the
# summary takes each round's ratio. Both sides alike: warm-up, then mean throughput over 2 x 2 s windows.
openblas_gflops() { # OUT.json
  python3 - "$1" <<'EOF'
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
threads = int(os.environ.get("OPENBLAS_NUM_THREADS", os.cpu_count()))
json.dump({"library": f"numpy {np.__version__}, {lib.get('name', 'blas')} {lib.get('version', '')}".strip(),
           "threads": threads, "gflops": out}, open(sys.argv[1], "w"), indent=1)
print("  openblas: " + ", ".join(f"{k} {v:.0f}" for k, v in out.items()) + " GFLOP/s", file=sys.stderr)
EOF
}

round_args=()
if [ "$openblas" = 1 ]; then
  if python3 -c 'import numpy' 2>/dev/null; then
    gemm="dense_fwd_256x256x512,dense_fwd_256x512x512,dense_bwd_in_256x512x512,dense_bwd_w_256x512x512,dense_fwd_2048x2048x2048"
    if [ "$profile" = quick ]; then rounds=3; else rounds=5; fi
    for r in $(seq 1 "$rounds"); do
      echo "== gemm round $r of $rounds: OpenBLAS, then java-parallel" >&2
      openblas_gflops "$out/openblas-$r.json"
      "${java[@]}" -jar "$jar" KernelBenchmark -f 1 -wi 2 -w 2s -i 2 -r 2s -p kernel="$gemm" -p engine=java-parallel \
        -rf json -rff "$out/gemm-$r.json" > "$out/gemm-$r.log"
      [ -s "$out/gemm-$r.json" ] || { echo "bench.sh: JMH wrote no results for gemm round $r (see $out/gemm-$r.log)" >&2; exit 1; }
      round_args+=(--round "$out/openblas-$r.json" "$out/gemm-$r.json")
    done
  else
    echo "bench.sh: no numpy, so no OpenBLAS comparison (Debian: apt-get install python3-numpy)" >&2
  fi
fi

"${java[@]}" -cp "$jar" relutornado.bench.BenchReport "$out/summary.md" "${round_args[@]}" "${results[@]}"
cat "$out/summary.md"
