#!/usr/bin/env bash
# Puts the three data sets in data/ (never committed), checking every file:
#   mnist/    the four MNIST IDX .gz files: from ../shared/data/mnist (beside the repo or its
#             local origin) when present, else downloaded; MD5-checked
#   fashion/  the four Fashion-MNIST IDX .gz files from the Debian package dataset-fashion-mnist
#             (/usr/share/datasets/fashion-mnist; installed with apt-get when missing); content MD5-checked
#   wdbc/     breast_cancer.csv, extracted from the Debian package python3-sklearn (apt-get download + dpkg -x;
#             nothing is installed); checked for its header and 569 rows
# Idempotent: files already in place and correct are left alone, so a second run changes nothing.
#   scripts/setup.sh [DIR | --data-dir DIR]      (default: <repo>/data)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

source "$root/scripts/lib.sh"
# the comment block at the top of this file is the help text
usage() { script_help "${BASH_SOURCE[0]}"; }
log() { echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

data_dir="$root/data"
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) [ $# -ge 2 ] || die "--data-dir needs a folder"; data_dir="$2"; shift 2 ;;
    --data-dir=*) data_dir="${1#--data-dir=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option '$1' (usage: scripts/setup.sh [DIR | --data-dir DIR])" ;;
    *) data_dir="$1"; shift ;;
  esac
done
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)

# MD5s of the original MNIST files (yann.lecun.com), as .gz and after gzip -d (a decompressed copy is fine too)
declare -A MNIST_GZ_MD5=(
  [train-images-idx3-ubyte]=f68b3c2dcbeaaa9fbdd348bbdeb94873
  [train-labels-idx1-ubyte]=d53e105ee54ea40749a09fcbcd1e9432
  [t10k-images-idx3-ubyte]=9fb629c4189551a2d022fa330f9573f3
  [t10k-labels-idx1-ubyte]=ec29112dd5afa0611ce80d1b7f02629c
)
declare -A MNIST_RAW_MD5=(
  [train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
  [train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
  [t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
  [t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)
# Fashion-MNIST: MD5 of the decompressed files. Debian recompressed the .gz files (their MD5s differ from
# Zalando's 8d4fb7e6..., 25c81989..., bef4ecab..., bb300cfd...), but the content is Zalando's, byte for byte.
declare -A FASHION_RAW_MD5=(
  [train-images-idx3-ubyte]=f4a8712d7a061bf5bd6d2ca38dc4d50a
  [train-labels-idx1-ubyte]=9018921c3c673c538a1fc5bad174d6f9
  [t10k-images-idx3-ubyte]=8181f5470baa50b63fa0f6fddb340f0a
  [t10k-labels-idx1-ubyte]=15d484375f8d13e6eb1aabb0c3f46965
)
IDX_NAMES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
MNIST_MIRRORS=(https://ossci-datasets.s3.amazonaws.com/mnist/ https://storage.googleapis.com/cvdf-datasets/mnist/)
SHARED_MNIST="$root/../shared/data/mnist"
# a clone of a local checkout (a clean clone for CI, anywhere) finds the shared copy beside its origin
origin=$(git -C "$root" config --get remote.origin.url 2>/dev/null || true)
if [ ! -d "$SHARED_MNIST" ] && [ -n "$origin" ] && [ -d "$origin/../shared/data/mnist" ]; then
  SHARED_MNIST="$origin/../shared/data/mnist"
fi
if [ -d "$SHARED_MNIST" ]; then SHARED_MNIST=$(cd "$SHARED_MNIST" && pwd); fi
FASHION_SRC=/usr/share/datasets/fashion-mnist
WDBC_HEADER="569,30,malignant,benign"

summary=()
tmp=""
cleanup() { if [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT

md5_of() { md5sum "$1" | cut -d' ' -f1; }
is_gzip() { [ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' \n')" = "1f8b" ]; }
# MD5 of a file's content: decompressed when it is gzipped (told by its magic bytes, as the Java reader does)
content_md5() {
  if is_gzip "$1"; then gzip -dc "$1" | md5sum | cut -d' ' -f1; else md5_of "$1"; fi
}


# apt-get as root for a Debian package; one `apt-get update` and a retry when the first try fails (stale lists).
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  can_be_root || return 1
  apt_get install -y -q "$1" >&2 && return 0
  apt_get update -q >&2 && apt_get install -y -q "$1" >&2
}

new_tmp() { if [ -z "$tmp" ]; then tmp=$(mktemp -d); fi; }

# ---- MNIST -------------------------------------------------------------------------------------------------
# A name is in place when NAME.gz has the original .gz MD5, or NAME (decompressed) has the original content MD5.
mnist_ok() {
  local dir="$1" name="$2"
  { [ -f "$dir/$name.gz" ] && [ "$(md5_of "$dir/$name.gz")" = "${MNIST_GZ_MD5[$name]}" ]; } ||
    { [ -f "$dir/$name" ] && [ "$(md5_of "$dir/$name")" = "${MNIST_RAW_MD5[$name]}" ]; }
}

download() {
  local url="$1" out="$2"
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 --connect-timeout 20 -o "$out" "$url"
  elif command -v wget >/dev/null 2>&1; then
    wget -q --tries=3 --timeout=20 -O "$out" "$url"
  else
    die "neither curl nor wget is installed: cannot download $url"
  fi
}

setup_mnist() {
  local dir="$data_dir/mnist" name part bad sum copied=0 fetched=0 mirror got
  for name in "${IDX_NAMES[@]}"; do
    if mnist_ok "$dir" "$name"; then continue; fi
    mkdir -p "$dir"
    for bad in "$dir/$name" "$dir/$name.gz"; do
      if [ -f "$bad" ]; then log "MNIST: $bad has the wrong MD5; replacing it"; rm -f "$bad"; fi
    done
    part="$dir/.$name.gz.part"
    if [ -f "$SHARED_MNIST/$name.gz" ]; then
      cp "$SHARED_MNIST/$name.gz" "$part"
      chmod 644 "$part"  # the shared copies are read-only
      copied=$((copied + 1))
    else
      got=0
      for mirror in "${MNIST_MIRRORS[@]}"; do
        log "MNIST: downloading $mirror$name.gz"
        if download "$mirror$name.gz" "$part"; then got=1; break; fi
        log "MNIST: $mirror$name.gz failed"
      done
      [ "$got" = 1 ] || { rm -f "$part"; die "MNIST: could not download $name.gz from ${MNIST_MIRRORS[*]}; put the four .gz files in $dir by hand"; }
      fetched=$((fetched + 1))
    fi
    sum=$(md5_of "$part")
    if [ "$sum" != "${MNIST_GZ_MD5[$name]}" ]; then
      rm -f "$part"
      die "MNIST: $name.gz has MD5 $sum, expected ${MNIST_GZ_MD5[$name]} (corrupt copy or download)"
    fi
    mv "$part" "$dir/$name.gz"
  done
  local how="already in place"
  if [ "$copied" -gt 0 ] && [ "$fetched" -gt 0 ]; then how="copied $copied from $SHARED_MNIST, downloaded $fetched"
  elif [ "$copied" -gt 0 ]; then how="copied $copied from $SHARED_MNIST"
  elif [ "$fetched" -gt 0 ]; then how="downloaded $fetched"
  fi
  summary+=("mnist    $dir: 4 files, MD5 OK ($how)")
}

# ---- Fashion-MNIST -----------------------------------------------------------------------------------------
fashion_ok() {
  local dir="$1" name="$2"
  { [ -f "$dir/$name.gz" ] && [ "$(content_md5 "$dir/$name.gz")" = "${FASHION_RAW_MD5[$name]}" ]; } ||
    { [ -f "$dir/$name" ] && [ "$(content_md5 "$dir/$name")" = "${FASHION_RAW_MD5[$name]}" ]; }
}

setup_fashion() {
  local dir="$data_dir/fashion" name missing=() copied=0 how installed=""
  for name in "${IDX_NAMES[@]}"; do
    fashion_ok "$dir" "$name" || missing+=("$name")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    summary+=("fashion  $dir: 4 files, content MD5 OK (already in place)")
    return 0
  fi
  local src_complete=1
  for name in "${missing[@]}"; do [ -f "$FASHION_SRC/$name.gz" ] || src_complete=0; done
  if [ "$src_complete" = 0 ]; then
    log "Fashion-MNIST: $FASHION_SRC is missing; installing the Debian package dataset-fashion-mnist"
    apt_install dataset-fashion-mnist ||
      die "Fashion-MNIST: could not install dataset-fashion-mnist (needs apt-get and root or sudo). Run
  sudo apt-get install dataset-fashion-mnist
or put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz in $dir"
    installed=", package installed now"
  fi
  mkdir -p "$dir"
  for name in "${missing[@]}"; do
    [ -f "$FASHION_SRC/$name.gz" ] || die "Fashion-MNIST: $FASHION_SRC/$name.gz not found after installing dataset-fashion-mnist"
    rm -f "$dir/$name" "$dir/$name.gz"
    cp "$FASHION_SRC/$name.gz" "$dir/.$name.gz.part"
    if [ "$(content_md5 "$dir/.$name.gz.part")" != "${FASHION_RAW_MD5[$name]}" ]; then
      rm -f "$dir/.$name.gz.part"
      die "Fashion-MNIST: $FASHION_SRC/$name.gz does not decompress to the published content (MD5 ${FASHION_RAW_MD5[$name]})"
    fi
    mv "$dir/.$name.gz.part" "$dir/$name.gz"
    copied=$((copied + 1))
  done
  how="copied $copied from $FASHION_SRC$installed"
  summary+=("fashion  $dir: 4 files, content MD5 OK ($how)")
}

# ---- WDBC --------------------------------------------------------------------------------------------------
# sklearn's CSV: the header line, then 569 data rows.
wdbc_csv_ok() {
  [ -f "$1" ] && [ "$(head -n 1 "$1" | tr -d '\r')" = "$WDBC_HEADER" ] && [ "$(grep -c . "$1")" -eq 570 ]
}

setup_wdbc() {
  local dir="$data_dir/wdbc" deb csv version
  if wdbc_csv_ok "$dir/breast_cancer.csv"; then
    summary+=("wdbc     $dir/breast_cancer.csv: 569 rows (already in place)")
    return 0
  fi
  if [ -f "$dir/breast_cancer.csv" ]; then
    die "WDBC: $dir/breast_cancer.csv is not sklearn's file (header '$WDBC_HEADER' and 569 rows); remove it and re-run"
  fi
  if [ -f "$dir/wdbc.data" ]; then
    summary+=("wdbc     $dir/wdbc.data: UCI layout supplied by you (left alone)")
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
    die "WDBC: needs apt-get and dpkg to fetch python3-sklearn; or put sklearn's breast_cancer.csv or UCI's wdbc.data in $dir"
  fi
  new_tmp
  # apt-get download needs no root; as root, say so, or apt warns that its _apt user cannot write to the temp dir
  local apt_opts=()
  if [ "$(id -u)" -eq 0 ]; then apt_opts=(-o APT::Sandbox::User=root); fi
  if ! (cd "$tmp" && apt-get download -q "${apt_opts[@]}" python3-sklearn >&2); then
    log "WDBC: apt-get download failed; refreshing the package lists and trying again"
    { can_be_root && as_root apt-get update -q >&2 && (cd "$tmp" && apt-get download -q "${apt_opts[@]}" python3-sklearn >&2); } ||
      die "WDBC: could not download the Debian package python3-sklearn (apt-get download python3-sklearn);
or put sklearn's breast_cancer.csv or UCI's wdbc.data in $dir"
  fi
  deb=$(find "$tmp" -maxdepth 1 -name 'python3-sklearn_*.deb' | head -n 1)
  [ -n "$deb" ] || die "WDBC: apt-get download left no python3-sklearn_*.deb in $tmp"
  version=$(dpkg-deb -f "$deb" Version)
  dpkg -x "$deb" "$tmp/x"
  csv=$(find "$tmp/x" -path '*/sklearn/datasets/data/breast_cancer.csv' | head -n 1)
  [ -n "$csv" ] || die "WDBC: no sklearn/datasets/data/breast_cancer.csv in $(basename "$deb")"
  wdbc_csv_ok "$csv" || die "WDBC: $(basename "$deb")'s breast_cancer.csv lacks the header '$WDBC_HEADER' or 569 rows"
  mkdir -p "$dir"
  cp "$csv" "$dir/.breast_cancer.csv.part"
  mv "$dir/.breast_cancer.csv.part" "$dir/breast_cancer.csv"
  summary+=("wdbc     $dir/breast_cancer.csv: 569 rows (extracted from python3-sklearn $version)")
}

setup_mnist
setup_fashion
setup_wdbc

echo "setup: data in $data_dir"
for line in "${summary[@]}"; do echo "  $line"; done
