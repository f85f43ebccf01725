#!/usr/bin/env bash
# The main job: the paper's ten rows -- FFNN on MNIST, Fashion-MNIST and WDBC, CNN on MNIST and
# Fashion-MNIST (the author's input: 256 PCA components as a 16x16 image), softmax and ReLU heads each --
# with the author's protocol, then one table beside the paper's numbers. A thin wrapper over the study
# runner: scripts/studies/paper.yaml run by 'relu-tornado study run' (cells in DIR/cells/ID, DIR/table.md).
#   scripts/reproduce.sh [--out DIR] [--rows mnist:ffnn,...] [--resume] [any 'train' flag, e.g. --engine tornado --device 0:0]
#                        [any 'study run' flag: --executor slurm, --devices ..., --set seed=[1,2,3], --dry-run, --no-wait, ...]
# Train flags given here override the study file's (--protocol paper --folds 10 --epochs 32 --engine java-parallel).
# --rows: a subset of mnist:ffnn, mnist:cnn, fashion:ffnn, fashion:cnn, wdbc:ffnn (both heads each).
# --resume: accepted for compatibility; the study runner always keeps finished cells and resumes a killed one
# from its checkpoint.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/runs/reproduce"
all_rows="mnist:ffnn,mnist:cnn,fashion:ffnn,fashion:cnn,wdbc:ffnn"
rows="$all_rows"
study_args=()
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --rows) rows="$2"; shift 2 ;;
    --rows=*) rows="${1#--rows=}"; shift ;;
    --resume) shift ;;
    # the study runner's own flags
    --dry-run|--no-wait) study_args+=("$1"); shift ;;
    --executor|--devices|--partition|--time|--mem|--gres|--throttle|--cpus-per-task|--set) study_args+=("$1" "$2"); shift 2 ;;
    --executor=*|--devices=*|--partition=*|--time=*|--mem=*|--gres=*|--throttle=*|--cpus-per-task=*|--set=*) study_args+=("$1"); shift ;;
    # train switches and flags become keys of the study
    --scale|--full-train|--profile) sets+=(--set "${1#--}=true"); shift ;;
    --*=*) key=${1%%=*}; sets+=(--set "${key#--}='${1#*=}'"); shift ;;
    --*) [ $# -ge 2 ] || { echo "reproduce.sh: $1 needs a value" >&2; exit 2; }
         sets+=(--set "${1#--}='$2'"); shift 2 ;;
    *) echo "reproduce.sh: unexpected argument '$1'" >&2; exit 2 ;;
  esac
done
IFS=',' read -r -a row_list <<< "$rows"
datasets=()
models=()
for row in "${row_list[@]}"; do
  case ",$all_rows," in
    *",$row,"*) ;;
    *) echo "reproduce.sh: --rows: '$row' is not one of $all_rows" >&2; exit 2 ;;
  esac
  d=${row%%:*}; m=${row#*:}
  [[ " ${datasets[*]} " == *" $d "* ]] || datasets+=("$d")
  [[ " ${models[*]} " == *" $m "* ]] || models+=("$m")
done
# the chosen rows as a grid: their data sets x their models, minus the pairs not chosen
exclude=()
for d in "${datasets[@]}"; do
  for m in "${models[@]}"; do
    [[ ",$rows," == *",$d:$m,"* ]] || exclude+=("{dataset: $d, model: $m}")
  done
done
join() { local IFS=,; echo "$*"; }
sets+=(--set "dataset=[$(join "${datasets[@]}")]" --set "model=[$(join "${models[@]}")]" --set "exclude=[$(join "${exclude[@]}")]")
bash "$root/scripts/setup.sh"
"$root/scripts/relu-tornado" study run "$root/scripts/studies/paper.yaml" --out "$out" "${sets[@]}" "${study_args[@]}"
