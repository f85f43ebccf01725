#!/usr/bin/env bash
# The Python baselines of scripts/bench.sh (never needed by the tests):
#  - Debian's python3-numpy, python3-threadpoolctl and python3-torch (PyTorch 1.13) for /usr/bin/python3 (apt), with
#    libopenblas0-pthread: Debian's PyTorch calls whichever libblas.so.3 is the alternative, and without OpenBLAS that
#    is the reference BLAS (the FFNN step many times slower);
#  - a venv (default target/bench-venv, or $BENCH_VENV) with pip's current numpy, threadpoolctl and torch (2.x CPU
#    wheel) from the configured package index; without torch when pip cannot install it.
#   scripts/install-bench-python.sh [VENV]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib.sh"
venv=${1:-${BENCH_VENV:-$root/target/bench-venv}}

if ! /usr/bin/python3 -c 'import numpy, threadpoolctl, torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "install-bench-python.sh: apt-get install python3-numpy python3-threadpoolctl python3-torch libopenblas0-pthread" >&2
  apt_get install -y -q python3-numpy python3-threadpoolctl python3-torch libopenblas0-pthread >&2 \
    || echo "install-bench-python.sh: apt-get failed; no Debian PyTorch baseline" >&2
fi

if ! "$venv/bin/python" -c 'import numpy, threadpoolctl, torch' 2>/dev/null; then
  echo "install-bench-python.sh: pip install numpy threadpoolctl torch into $venv" >&2
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q numpy threadpoolctl torch >&2 \
    || { echo "install-bench-python.sh: pip could not install torch; numpy and threadpoolctl only" >&2
         "$venv/bin/python" -m pip install -q numpy threadpoolctl >&2; }
fi
