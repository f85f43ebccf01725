#!/usr/bin/env bash
# Builds the JMH benchmark jar and runs the kernel and training-step benchmarks on every engine
# (java = the baseline of every ratio, java-parallel-plain, java-parallel) and, when a TornadoVM SDK is
# present (TORNADO_SDK), on every TornadoVM device. Then the baselines, each in interleaved rounds (a round measures
# the baseline and ours right after each other, alternating which goes first): the dense GEMMs against numpy's
# OpenBLAS sgemm on the same products (each in its NN, NT and TN storage forms, the fastest kept:
# scripts/openblas_bench.py), and one training step of the paper models (batch 256, softmax head) against PyTorch CPU
# (scripts/torch_bench.py) in the configurations its users would tune: Debian's python3-torch and pip's current
# wheel, whichever are installed (scripts/install-bench-python.sh installs both), each with OMP_WAIT_POLICY passive
# and active and torch.set_num_threads N and N/2; the summary names the fastest. Writes JMH JSON per run and summary.md.
#   scripts/bench.sh [--quick | --full] [--out DIR] [--devices 0:0,1:0] [--no-tornado] [--no-openblas] [--no-torch]
#                    [--gemm-only | --torch-only | --baselines-only] [--rounds N] [--threads N] [--gemm-rows 4|6|8]
#                    [--busy-core C] [--dry-run]
# --gemm-only, --torch-only, --baselines-only: just those interleaved rounds (a few minutes each).
# --threads N: the baseline rounds on N threads on every side (default: all cores). On a machine shared with other
# work, spinning thread pools (OpenMP in PyTorch, OpenBLAS) lose far more than ours when a core is taken away: there
# only --threads 1 compares the code rather than the scheduler.
# --busy-core C: a busy loop pinned to core C (taskset) runs through the baseline rounds, both sides under the same
# load: a shared cluster node where another job holds a core. summary.md says so in its first line.
# --gemm-rows 4|6|8: java-parallel's GEMM register tile, 4×2, 6×4 or 8×2 vectors (default: 8×2 with 512-bit vectors, and
# 6×4 for products of 1024+ in every dimension; 4×2 below), to compare them.
# --dry-run: check the arguments, print what would run (threads, rounds, baselines, PyTorch configurations), stop.
# --quick (default): 1 fork, short iterations, no 2048³ case for the sequential engine, 3 rounds (~25 minutes on 2
# cores, ~35 with one TornadoVM CPU device). --full: the annotations' settings, 2 forks, every case, 5 rounds.
# numpy runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (the environment may pin OpenBLAS to old kernels);
# the summary names the kernel OpenBLAS chose (threadpoolctl).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/java-env.sh
source "$root/scripts/java-env.sh"
source "$root/scripts/tornado-env.sh"
source "$root/scripts/lib.sh"

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
busy_core=""
dry_run=0
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
    --busy-core) busy_core="$2"; shift 2 ;;
    --busy-core=*) busy_core="${1#--busy-core=}"; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) script_help "${BASH_SOURCE[0]}"; exit 0 ;;
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
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --rounds must be a positive integer, got '$rounds'" >&2; exit 2; }
[[ -z "$threads" || "$threads" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --threads must be a positive integer, got '$threads'" >&2; exit 2; }
if [ -n "$busy_core" ]; then
  [[ "$busy_core" =~ ^[0-9]+$ ]] && [ "$busy_core" -lt "$(nproc)" ] \
    || { echo "bench.sh: --busy-core must be a core number below $(nproc), got '$busy_core'" >&2; exit 2; }
  command -v taskset >/dev/null || { echo "bench.sh: --busy-core needs taskset (util-linux)" >&2; exit 2; }
fi
case "$gemm_rows" in ''|4|6|8) ;; *) echo "bench.sh: --gemm-rows must be 4, 6 or 8, got '$gemm_rows'" >&2; exit 2 ;; esac
# java-parallel's GEMM tile (CpuGemm picks 8 rows with 512-bit vectors, 4 below): to compare both on one host
gemm_jvm=()
[ -z "$gemm_rows" ] || gemm_jvm=(-jvmArgsAppend "-Drelutornado.gemm.rows=$gemm_rows")
thread_jvm=()
if [ -n "$threads" ]; then
  # the baselines' pools (OpenBLAS, OpenMP, MKL, torch.set_num_threads via os.cpu_count) and ours (availableProcessors)
  export OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
  thread_jvm=(-jvmArgsPrepend "-XX:ActiveProcessorCount=$threads")
fi
cpu_engines="java,java-parallel-plain,java-parallel"
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

# PyTorch's configurations, as its users would tune them: OpenMP's wait policy (read when the process starts, so one
# process each) and torch.set_num_threads, the thread count and its half (OpenMP pools fight other pools on few cores)
torch_threads=${threads:-$(nproc)}
torch_thread_counts=("$torch_threads")
[ "$torch_threads" -lt 2 ] || torch_thread_counts+=($((torch_threads / 2)))
torch_policies=(PASSIVE ACTIVE)

if [ "$dry_run" = 1 ]; then
  echo "bench.sh: would run $profile profile, $rounds rounds, threads ${threads:-all cores ($(nproc))}, out $out"
  [ -z "$busy_core" ] || echo "  a busy loop pinned to core $busy_core through the baseline rounds"
  [ "$baselines_only" = 1 ] || echo "  JMH kernels and steps on $cpu_engines$([ "$tornado" = 1 ] && echo ", TornadoVM ${devices:-every device}")"
  [ "$openblas" = 0 ] || echo "  OpenBLAS: $numpy_py scripts/openblas_bench.py (NN, NT, TN; the fastest)"
  if [ "$torch" = 1 ]; then
    for i in "${!torch_pys[@]}"; do
      for w in "${torch_policies[@]}"; do
        for n in "${torch_thread_counts[@]}"; do echo "  PyTorch: ${torch_labels[$i]} (${torch_pys[$i]}), OMP_WAIT_POLICY=$w, set_num_threads($n)"; done
      done
    done
  fi
  exit 0
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)

echo "bench.sh: building the benchmark jar ($JAVA_HOME)..." >&2
maven_package bench
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
      tornado_java
      java=("${tornado_java[@]}")
      run_jmh tornado-kernels 'KernelBenchmark' "${jmh[@]}" -p kernel="$small,$big" -p engine=tornado,tornado-plain -p device="$devices"
      run_jmh tornado-steps 'StepBenchmark' "${jmh[@]}" -p engine=tornado,tornado-plain -p device="$devices"
      java=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector)
    else
      echo "bench.sh: TORNADO_SDK is set but 'relu-tornado devices' lists no device; skipping TornadoVM" >&2
    fi
  fi
fi

# Dense GEMMs against OpenBLAS (numpy's sgemm, same products, the fastest storage form), in interleaved rounds: this
# machine's throughput drifts (a VM), so each round measures OpenBLAS and ours right after each other (which goes
# first alternates), and the summary takes each round's ratio. Both sides alike: warm-up, then mean throughput over
# 2 x 2 s windows. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for numpy only: pinned, OpenBLAS runs older kernels.
openblas_gflops() { # OUT.json
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$numpy_py" "$root/scripts/openblas_bench.py" "$1"
}

ours_jmh() { # NAME, then JMH arguments: one short java-parallel run for a round
  local name=$1; shift
  "${java[@]}" -jar "$jar" "$@" -f 1 -wi 2 -w 2s -i 2 -r 2s -p engine=java-parallel "${thread_jvm[@]}" "${gemm_jvm[@]}" \
    -rf json -rff "$out/$name.json" > "$out/$name.log"
  [ -s "$out/$name.json" ] || { echo "bench.sh: JMH wrote no results for $name (see $out/$name.log)" >&2; exit 1; }
}

# the shared node: another job's busy loop on one core, started before the rounds and stopped with the script
busy_pid=""
if [ -n "$busy_core" ]; then
  taskset -c "$busy_core" bash -c 'while :; do :; done' &
  busy_pid=$!
  trap 'kill "$busy_pid" 2>/dev/null || true' EXIT
  echo "== core $busy_core busy (pid $busy_pid) through the baseline rounds" >&2
fi

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
torch_round() { # ROUND: every PyTorch configuration in turn; sets torch_files (comma-separated JSON files)
  local files=() i w n f
  for i in "${!torch_pys[@]}"; do
    for w in "${torch_policies[@]}"; do
      for n in "${torch_thread_counts[@]}"; do
        f="$out/torch-$i-$w-$n-$1.json"
        OMP_WAIT_POLICY=$w "${torch_pys[$i]}" "$root/scripts/torch_bench.py" "$f" --label "${torch_labels[$i]}" --threads "$n"
        files+=("$f")
      done
    done
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

if [ -n "$busy_pid" ]; then
  kill "$busy_pid" 2>/dev/null || true
  trap - EXIT
fi
"${java[@]}" -cp "$jar" relutornado.bench.BenchReport "$out/summary.md" "${round_args[@]}" "${results[@]}"
if [ -n "$busy_core" ]; then
  { echo "Load: core $busy_core held by a pinned busy loop through the baseline rounds (both sides)."; echo; cat "$out/summary.md"; } > "$out/summary.tmp"
  mv "$out/summary.tmp" "$out/summary.md"
fi
cat "$out/summary.md"
