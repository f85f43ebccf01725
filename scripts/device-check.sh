#!/usr/bin/env bash
# One command that checks every TornadoVM device (or --devices B:D,...): each kernel, plain and tuned, against
# the JVM; GFLOP/s of the GEMM-shaped kernels; samples/s of one training step per model; a short training
# (MNIST FFNN both heads, 3 epochs on 10,000 rows; pixels CNN-softmax, 1 epoch) with test accuracy, each beside
# java-parallel's figure from the same run. Writes OUT/device-check.md and OUT/device-check.csv.
#   scripts/device-check.sh [--devices 0:0,1:0] [--out DIR] [--device-kernels plain,tuned,tiles,vector] [--seconds S] [--no-training] [--tuning FILE (with one --devices entry)]
#                           [--tune | --no-tune] [--tune-budget MINUTES] [--tune-models ffnn,cnn,cnn-pixels] [--tune-seconds S]
# A device without a tuning file (--tuning, else tuning/<device slug>.json) is tuned first, by relu-tornado tune's
# tuner (--tune-budget minutes, default 5), when its tuned kernels are checked or trained; --no-tune never tunes,
# --tune always does (updating the file in place). Each device's tuning file is copied to OUT/tuning/.
# Runs from a checkout (the launcher builds the jar if needed) or from a bundle (run.sh sets RELU_TORNADO_DATA and
# the launcher starts the bundled runtime); it never calls Maven itself. Data: --data-dir, else $RELU_TORNADO_DATA,
# else data/ of this checkout (filled by scripts/setup.sh when MNIST is missing).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/runs/device-check"
data="${RELU_TORNADO_DATA:-}"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --data-dir) data="$2"; shift 2 ;;
    --data-dir=*) data="${1#--data-dir=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ -z "$data" ]; then
  data="$root/data"
  if [ ! -d "$data/mnist" ] && [ -f "$root/scripts/setup.sh" ]; then
    bash "$root/scripts/setup.sh" >/dev/null
  fi
fi
mkdir -p "$out"
set +e
"$root/scripts/relu-tornado" device-check --out "$out" --data-dir "$data" "${args[@]}" 2>&1 | tee "$out/device-check.log"
rc=${PIPESTATUS[0]}
echo "report: $out/device-check.md"
exit "$rc"
