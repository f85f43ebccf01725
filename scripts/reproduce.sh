#!/usr/bin/env bash
# The main job: the paper's ten rows -- FFNN on MNIST, Fashion-MNIST and WDBC, CNN on MNIST and
# Fashion-MNIST (the author's input: 256 PCA components as a 16x16 image), softmax and ReLU heads each --
# with the author's protocol, then one table beside the paper's numbers.
#   scripts/reproduce.sh [--out DIR] [--rows mnist:ffnn,...] [--resume] [any 'train' flag, e.g. --engine tornado --device 0:0]
# Flags given here override the defaults (--protocol paper --folds 10 --epochs 32 --engine java-parallel).
# --rows: a subset of mnist:ffnn, mnist:cnn, fashion:ffnn, fashion:cnn, wdbc:ffnn (both heads each).
# --resume: keep the rows that already have a result.csv in DIR (a long job picks up where it stopped).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/runs/reproduce"
all_rows="mnist:ffnn,mnist:cnn,fashion:ffnn,fashion:cnn,wdbc:ffnn"
rows="$all_rows"
resume=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --rows) rows="$2"; shift 2 ;;
    --rows=*) rows="${1#--rows=}"; shift ;;
    --resume) resume=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
IFS=',' read -r -a row_list <<< "$rows"
for row in "${row_list[@]}"; do
  case ",$all_rows," in
    *",$row,"*) ;;
    *) echo "reproduce.sh: --rows: '$row' is not one of $all_rows" >&2; exit 2 ;;
  esac
done
bash "$root/scripts/setup.sh"
mkdir -p "$out"
runs=()
for row in "${row_list[@]}"; do
  dataset=${row%%:*}
  model=${row#*:}
  for head in softmax relu; do
    dir="$out/$dataset-$model-$head"
    runs+=("$dir")
    if [ "$resume" = 1 ] && [ -f "$dir/result.csv" ]; then
      echo "== $dataset ${model^^}-$head: kept ($dir/result.csv exists)" >&2
      continue
    fi
    echo "== $dataset ${model^^}-$head -> $dir" >&2
    # a row folder that holds an unfinished run: --resume continues it; without --resume, train refuses it
    resume_flag=()
    if [ "$resume" = 1 ]; then resume_flag=(--resume); fi
    "$root/scripts/relu-tornado" train --dataset "$dataset" --model "$model" --head "$head" \
      --protocol paper --folds 10 --epochs 32 --batch 256 --seed 10 --engine java-parallel \
      "${args[@]}" "${resume_flag[@]}" --out "$dir"
  done
done
"$root/scripts/relu-tornado" table "${runs[@]}" --out "$out/table.md"
cat "$out/table.md"
