#!/usr/bin/env bash
# One training step of the four paper models (WDBC FFNN, MNIST FFNN on 256 PCA inputs, the CNN on 16x16 and on
# 28x28), softmax and ReLU heads, against PyTorch: scripts/torch_agreement.py regenerates the fixtures in
# src/test/resources/agreement (loss, gradients, parameters after one Keras Adam step), then TorchAgreementTest runs
# the same step on the java and java-parallel engines (Vector API and plain kernels) and compares. The test runs in
# every build from the committed fixtures; this script is only needed to regenerate them.
#   scripts/torch-agreement.sh [--tornado]     (last line: agreement: N cases, max relative difference X)
# --tornado: also TornadoAgreementTest (the tornado engine, loss and parameters after the step) against the SDK that
# scripts/tornado-env.sh finds, on TornadoVM's default device.
# PyTorch: python3 with torch and numpy, else Debian's python3-torch for /usr/bin/python3 (apt-get install).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fixtures="$root/src/test/resources/agreement"
tolerance=1e-4
tests=TorchAgreementTest
case "${1:-}" in
  "") ;;
  --tornado) tests=TorchAgreementTest,TornadoAgreementTest ;;
  *) echo "torch-agreement.sh: unexpected argument '$1' (only --tornado)" >&2; exit 2 ;;
esac

python=python3
if ! python3 -c 'import torch, numpy' 2>/dev/null; then
  python=/usr/bin/python3
  if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
    echo "torch-agreement.sh: apt-get install python3-torch python3-numpy" >&2
    apt-get -o DPkg::Lock::Timeout=300 install -y -q python3-torch python3-numpy >&2 \
      || { apt-get update -q >&2 && apt-get -o DPkg::Lock::Timeout=300 install -y -q python3-torch python3-numpy >&2; } \
      || { echo "torch-agreement.sh: cannot install PyTorch (python3-torch); the committed fixtures stay as they are" >&2; exit 1; }
  fi
fi

OMP_NUM_THREADS=1 nice -n 10 "$python" "$root/scripts/torch_agreement.py" "$fixtures"

# shellcheck source=java-env.sh
source "$root/scripts/java-env.sh"
maven_flags=()
if [ "$tests" != TorchAgreementTest ]; then
  # shellcheck source=tornado-env.sh
  source "$root/scripts/tornado-env.sh"
  [ -n "$TORNADO_SDK" ] || { echo "torch-agreement.sh: --tornado needs a TornadoVM SDK (TORNADO_SDK)" >&2; exit 2; }
  read -r -a maven_flags <<< "$TORNADO_MAVEN_FLAGS"
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
(cd "$root" && nice -n 10 mvn -B -q "${maven_flags[@]}" -pl src -am test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false) >"$log" 2>&1 \
  || status=$?
grep '^torch agreement, ' "$log" || true
summary=$(sed -n 's/^torch agreement, .*max relative difference \([^ ]*\) .*/\1/p' "$log" \
  | awk '{ n++; if ($1 + 0 > max) max = $1 + 0 } END { printf "%d %.3e", n, max }')
read -r cases worst <<< "$summary"
if [ "$status" -ne 0 ] || [ "$cases" -lt 8 ] || ! awk -v x="$worst" -v t="$tolerance" 'BEGIN { exit !(x <= t) }'; then
  grep -E 'ERROR|FAIL' "$log" | head -n 20 >&2 || true
  echo "torch-agreement.sh: the engines do not agree with PyTorch (mvn exit $status, $cases cases, tolerance $tolerance)" >&2
  echo "agreement: $cases cases, max relative difference $worst"
  exit 1
fi
echo "agreement: $cases cases, max relative difference $worst"
