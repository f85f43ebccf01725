#!/usr/bin/env bash
# Runs the same training job on several engines/devices and writes one CSV + Markdown table:
# time per epoch (first epoch, which includes TornadoVM's JIT compilation, and the mean of the rest),
# test accuracy, and with --profile kernel vs copy time from TornadoVM's profiler; and DIR/report.html, one page over the runs.
#   scripts/compare-devices.sh --devices java,java-parallel,0:0,0:0:plain,opencl:pocl,spirv:pocl:plain [--profile] [--rounds N] [--out DIR] [train flags...]
# --profile turns TornadoVM's profiler on for the device runs: it times every task, which costs the device time
# (docs/devices.md), so epoch times are compared without it unless asked.
# Default job: WDBC FFNN-ReLU, 1 fold, 8 epochs. A B:D entry (or a name pattern such as spirv:pocl, as --device takes
# it) means --engine tornado --device B:D (tuned device kernels, the default); B:D:plain, spirv:pocl:tiles, ... choose
# --device-kernels. --tuning FILE goes to the device runs only (a tuning file is one device's; without it each device
# reads tuning/<device slug>.json when there is one).
# Each device's run goes to DIR/<device> (default DIR: runs/compare) and replaces the run there (train --overwrite), so
# running the script again into the same DIR measures afresh; folders of devices not named this time are left alone.
# --rounds N (default 1) runs every device N times, round after round in the --devices order (DIR/<device>/round-R), and
# the table gives each device's median and range over the rounds, its speed-up taken against the first device's run
# of the same round: on a host whose speed drifts between runs, a ratio of back-to-back runs, repeated.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
devices="java,java-parallel"
out="$root/runs/compare"
profile=()
rounds=1
tuning=()
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --devices) devices="$2"; shift 2 ;;
    --devices=*) devices="${1#--devices=}"; shift ;;
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --profile) profile=(--profile); shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --rounds=*) rounds="${1#--rounds=}"; shift ;;
    --tuning) tuning=(--tuning "$2"); shift 2 ;;
    --tuning=*) tuning=(--tuning "${1#--tuning=}"); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$rounds" in
  ''|*[!0-9]*|0) echo "compare-devices: --rounds must be a whole number >= 1, got '$rounds'" >&2; exit 2 ;;
esac
bash "$root/scripts/setup.sh" >/dev/null
mkdir -p "$out"
runs=()
IFS=',' read -r -a list <<< "$devices"
for d in "${list[@]}"; do
  case "$d" in
    java|java-parallel|*:plain|*:tuned|*:tiles|*:vector|[0-9]*:[0-9]*|opencl*|spirv*|ptx*|OpenCL*|SPIRV*|PTX*) ;;
    *) echo "compare-devices: --devices entries are java, java-parallel, or a TornadoVM device (B:D or a pattern such as spirv:pocl), optionally followed by :plain|:tuned|:tiles|:vector, got '$d'" >&2; exit 2 ;;
  esac
done
for ((r = 1; r <= rounds; r++)); do
  for d in "${list[@]}"; do
    case "$d" in
      java|java-parallel) engine=(--engine "$d") ;;
      # a device as --device takes it (B:D indices, or a name pattern BACKEND[:TEXT] such as spirv:pocl), then :KIND optionally
      *:plain|*:tuned|*:tiles|*:vector) engine=(--engine tornado --device "${d%:*}" --device-kernels "${d##*:}" ${profile[@]+"${profile[@]}"} ${tuning[@]+"${tuning[@]}"}) ;;
      *) engine=(--engine tornado --device "$d" ${profile[@]+"${profile[@]}"} ${tuning[@]+"${tuning[@]}"}) ;;
    esac
    dir="$out/${d//:/-}"
    [ "$rounds" -gt 1 ] && dir="$dir/round-$r"
    echo "== $d -> $dir" >&2
    "$root/scripts/relu-tornado" train --dataset wdbc --model ffnn --head relu --folds 1 --epochs 8 \
      ${args[@]+"${args[@]}"} "${engine[@]}" --out "$dir" --overwrite
    runs+=("$dir")
  done
done
"$root/scripts/relu-tornado" compare "${runs[@]}" --rounds "$rounds" --out "$out/compare"
# one page over the devices: time per epoch split into kernel / copy / compile, accuracy, a link to each run's page
"$root/scripts/relu-tornado" report "$out" "${runs[@]}" >&2
cat "$out/compare.md"
