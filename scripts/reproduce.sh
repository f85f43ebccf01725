#!/usr/bin/env bash
# The main job: the paper's ten rows -- FFNN on MNIST, Fashion-MNIST and WDBC, CNN on MNIST and
# Fashion-MNIST (the author's input: 256 PCA components as a 16x16 image), softmax and ReLU heads each --
# with the author's protocol, then one table beside the paper's numbers.
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
for row in mnist:ffnn mnist:cnn fashion:ffnn fashion:cnn wdbc:ffnn; do
  dataset=${row%%:*}
  model=${row#*:}
  for head in softmax relu; do
    dir="$out/$dataset-$model-$head"
    echo "== $dataset ${model^^}-$head -> $dir" >&2
    "$root/scripts/relu-tornado" train --dataset "$dataset" --model "$model" --head "$head" \
      --protocol paper --folds 10 --epochs 32 --batch 256 --seed 10 --engine java-parallel \
      "${args[@]}" --out "$dir"
    runs+=("$dir")
  done
done
"$root/scripts/relu-tornado" table "${runs[@]}" --out "$out/table.md"
cat "$out/table.md"
