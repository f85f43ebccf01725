#!/usr/bin/env bash
# Builds the JMH benchmark jar and runs the kernel and training-step benchmarks on every engine
# (java = the baseline of every ratio, java-parallel-plain, java-parallel) and, when a TornadoVM SDK is
# present (TORNADO_SDK), on every TornadoVM device. Measures OpenBLAS sgemm on the same shapes through
# numpy when python3-numpy is installed. Writes JMH JSON per run and summary.md.
#   scripts/bench.sh [--quick | --full] [--out DIR] [--devices 0:0,1:0] [--no-tornado] [--no-openblas]
# --quick (default): 1 fork, short iterations, no 2048³ case for the sequential engine (~20 minutes on 2 cores).
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
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "${TORNADO_SDK:-}" ] || tornado=0
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
    # the forks inherit the SDK's JVM flags from this JVM
    # (signal chaining as in tornado-env.sh; the forks inherit the environment too)
    java=(env LD_PRELOAD="$TORNADO_JSIG${LD_PRELOAD:+:$LD_PRELOAD}" "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector
      @"$TORNADO_SDK/tornado-argfile" -Dtornado.recover.bailout=False)
    run_jmh tornado-kernels 'KernelBenchmark' "${jmh[@]}" -p kernel="$small,$big" -p engine=tornado -p device="$devices"
    run_jmh tornado-steps 'StepBenchmark' "${jmh[@]}" -p engine=tornado -p device="$devices"
    java=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector)
  else
    echo "bench.sh: TORNADO_SDK is set but 'relu-tornado devices' lists no device; skipping TornadoVM" >&2
  fi
fi

blas_args=()
if [ "$openblas" = 1 ]; then
  if python3 -c 'import numpy' 2>/dev/null; then
    echo "== openblas (numpy sgemm, same shapes)" >&2
    python3 - "$out/openblas.json" <<'EOF'
import json, sys, time, os
import numpy as np
# name -> (M, K, N, form): the dense kernels' products, with the same transposes
cases = {
    "dense_fwd_2048x2048x2048": (2048, 2048, 2048, "fwd"),
    "dense_fwd_256x256x512": (256, 256, 512, "fwd"),
    "dense_fwd_256x512x512": (256, 512, 512, "fwd"),
    "dense_bwd_in_256x512x512": (256, 512, 512, "bwd_in"),
    "dense_bwd_w_256x512x512": (256, 512, 512, "bwd_w"),
}
rng = np.random.default_rng(7)
out = {}
for name, (M, K, N, form) in cases.items():
    x = rng.standard_normal((M, K), dtype=np.float32)
    w = rng.standard_normal((K, N), dtype=np.float32)
    d = rng.standard_normal((M, N), dtype=np.float32)
    f = {"fwd": lambda: x @ w, "bwd_in": lambda: d @ w.T, "bwd_w": lambda: x.T @ d}[form]
    f()
    reps, best = max(3, int(2e10 / (2 * M * K * N))), float("inf")
    for _ in range(reps):
        t = time.perf_counter(); f(); best = min(best, time.perf_counter() - t)
    out[name] = 2 * M * K * N / best / 1e9
cfg = np.__config__.CONFIG if hasattr(np.__config__, "CONFIG") else {}
lib = cfg.get("Build Dependencies", {}).get("blas", {})
threads = int(os.environ.get("OPENBLAS_NUM_THREADS", os.cpu_count()))
json.dump({"library": f"numpy {np.__version__}, {lib.get('name', 'blas')} {lib.get('version', '')}".strip(),
           "threads": threads, "gflops": out}, open(sys.argv[1], "w"), indent=1)
for k, v in out.items():
    print(f"{k}: {v:.1f} GFLOP/s", file=sys.stderr)
EOF
    blas_args=(--openblas "$out/openblas.json")
  else
    echo "bench.sh: no numpy, so no OpenBLAS column (Debian: apt-get install python3-numpy)" >&2
  fi
fi

"${java[@]}" -cp "$jar" relutornado.bench.BenchReport "$out/summary.md" "${blas_args[@]}" "${results[@]}"
cat "$out/summary.md"
