#!/usr/bin/env bash
# The main job: the paper's FFNN rows (MNIST, Fashion-MNIST, WDBC x softmax, ReLU heads) with the
# author's protocol, then one table beside the paper's numbers.
#   scripts/reproduce.sh [--out DIR] [any 'train' flag, e.g. --engine tornado --device 0:0, --epochs 2 --limit 5000]
# Flags given here override the defaults (--protocol paper --folds 10 --epochs 32 --engine java-parallel).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/runs/reproduce"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
bash "$root/scripts/setup.sh"
mkdir -p "$out"
runs=()
for dataset in mnist fashion wdbc; do
  for head in softmax relu; do
    dir="$out/$dataset-ffnn-$head"
    echo "== $dataset FFNN-$head -> $dir" >&2
    "$root/scripts/relu-tornado" train --dataset "$dataset" --model ffnn --head "$head" \
      --protocol paper --folds 10 --epochs 32 --batch 256 --seed 10 --engine java-parallel \
      "${args[@]}" --out "$dir"
    runs+=("$dir")
  done
done
"$root/scripts/relu-tornado" table "${runs[@]}" --out "$out/table.md"
cat "$out/table.md"
