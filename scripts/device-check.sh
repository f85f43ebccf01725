#!/usr/bin/env bash
# One command that checks every TornadoVM device (or --devices B:D,...): each kernel, plain and tuned, against
# the JVM; GFLOP/s of the GEMM-shaped kernels; samples/s of one training step per model; a short training
# (MNIST FFNN both heads, 3 epochs on 10,000 rows; pixels CNN-softmax, 1 epoch) with test accuracy, each beside
# java-parallel's figure from the same run. Writes OUT/device-check.md and OUT/device-check.csv.
#   scripts/device-check.sh [--devices 0:0,1:0] [--out DIR] [--device-kernels plain,tuned] [--seconds S] [--no-training]
# Runs from a checkout (builds the jar if needed) or from a bundle (scripts/relu-tornado there starts the bundled
# JDK); it never calls Maven itself. MNIST must be in data/ (scripts/setup.sh) unless --data-dir says where.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/runs/device-check"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ -x "$root/scripts/setup.sh" ] && [ ! -d "$root/data/mnist" ]; then
  bash "$root/scripts/setup.sh" >/dev/null
fi
mkdir -p "$out"
"$root/scripts/relu-tornado" device-check --out "$out" "${args[@]}" 2>&1 | tee "$out/device-check.log"
rc=${PIPESTATUS[0]}
echo "report: $out/device-check.md"
exit "$rc"
