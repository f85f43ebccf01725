#!/usr/bin/env bash
# The main job: the paper's ten rows -- FFNN on MNIST, Fashion-MNIST and WDBC, CNN on MNIST and
# Fashion-MNIST (the author's input: 256 PCA components as a 16x16 image), softmax and ReLU heads each --
# with the author's protocol, then one table beside the paper's numbers. A thin wrapper over the study
# runner: scripts/studies/paper.yaml run by 'relu-tornado study run' (cells in DIR/cells/ID, DIR/table.md).
#   scripts/reproduce.sh [--out DIR] [--rows mnist:ffnn,...] [--seeds N] [--resume] [any 'train' flag, e.g. --engine tornado --device 0:0]
#                        [any 'study run' flag: --executor slurm, --devices ..., --set seed=[1,2,3], --dry-run, --no-wait, ...]
# Train flags given here override the study file's (--protocol paper --folds 10 --epochs 32 --engine java-parallel):
# --flag VALUE and --flag=VALUE set a value (passed to the study as a YAML string, quotes and all), a --flag followed by
# another flag or by nothing is a switch (--scale, --full-train, --profile); the study checks every cell's
# flags as 'train' would before anything runs, so a misspelt or misused flag stops it with the flag named.
# --rows: a subset of mnist:ffnn, mnist:cnn, fashion:ffnn, fashion:cnn, wdbc:ffnn (both heads each).
# --seeds N: every row over seeds 1..N (--set seed=[1,...,N]); without it the study file's one seed.
# --resume: continue the study already in --out (finished cells are kept, a killed cell resumes from its checkpoint).
# Without it an --out that holds a study is refused, so that a second reproduction never mixes into a first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/runs/reproduce"
all_rows="mnist:ffnn,mnist:cnn,fashion:ffnn,fashion:cnn,wdbc:ffnn"
rows="$all_rows"
resume=0
dry_run=0
seeds=""
study_args=()
sets=()
die() { echo "reproduce.sh: $*" >&2; exit 2; }
# a YAML double-quoted string: backslashes and double quotes escaped, so any value arrives as it was typed
yaml_string() { local v=${1//\\/\\\\}; v=${v//\"/\\\"}; printf '"%s"' "$v"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || die "--out needs a folder"; out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --rows) [ $# -ge 2 ] || die "--rows needs a list"; rows="$2"; shift 2 ;;
    --rows=*) rows="${1#--rows=}"; shift ;;
    --seeds) [ $# -ge 2 ] || die "--seeds needs a number"; seeds="$2"; shift 2 ;;
    --seeds=*) seeds="${1#--seeds=}"; shift ;;
    --resume) resume=1; shift ;;
    --overwrite) die "a study keeps its finished cells: --resume continues the one in --out, a new --out starts afresh" ;;
    # the study runner's own flags
    --dry-run) dry_run=1; study_args+=("$1"); shift ;;
    --no-wait) study_args+=("$1"); shift ;;
    --executor|--devices|--partition|--time|--mem|--gres|--throttle|--cpus-per-task|--set)
      [ $# -ge 2 ] || die "$1 needs a value"; study_args+=("$1" "$2"); shift 2 ;;
    --executor=*|--devices=*|--partition=*|--time=*|--mem=*|--gres=*|--throttle=*|--cpus-per-task=*|--set=*) study_args+=("$1"); shift ;;
    # train flags become keys of the study: a value, or a switch when no value follows
    --*=*) key=${1%%=*}; sets+=(--set "${key#--}=$(yaml_string "${1#*=}")"); shift ;;
    --*) if [ $# -ge 2 ] && [[ "$2" != --* ]]; then sets+=(--set "${1#--}=$(yaml_string "$2")"); shift 2
         else sets+=(--set "${1#--}=true"); shift; fi ;;
    *) die "unexpected argument '$1' (flags start with --; see the top of scripts/reproduce.sh)" ;;
  esac
done
if [ -n "$seeds" ]; then
  [[ "$seeds" =~ ^[1-9][0-9]*$ ]] || die "--seeds must be a positive integer, got '$seeds'"
  [[ " ${sets[*]} " != *" seed="* ]] || die "--seed and --seeds exclude each other"
  sets+=(--set "seed=[$(seq -s, 1 "$seeds")]")
fi
if [ -f "$out/cells.json" ] && [ "$resume" = 0 ] && [ "$dry_run" = 0 ]; then
  die "$out holds a study already: pass --resume to continue it, or --out a new folder"
fi
IFS=',' read -r -a row_list <<< "$rows"
datasets=()
models=()
for row in "${row_list[@]}"; do
  case ",$all_rows," in
    *",$row,"*) ;;
    *) die "--rows: '$row' is not one of $all_rows" ;;
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
