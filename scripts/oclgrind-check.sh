#!/usr/bin/env bash
# GPU semantics of the kernels TornadoVM generates: every registered device family (plain, tiles, vector, local) runs
# once on a TornadoVM device (PoCL is enough) with its OpenCL C and NDRange captured, then under
# oclgrind-kernel --data-races --uninitialized on odd shapes with several work-groups and partial edge tiles.
# Fails (exit 1) naming each kernel Oclgrind flags and its message. Installs Debian's oclgrind when missing.
#   scripts/oclgrind-check.sh [--all] [--family F,...] [--device B:D] [--out DIR]
#   --all: every tuning value of every family (default: each family's default values)
#   --family: only these families (plain, tiles, vector, local; default all), e.g. --all --family vector
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/java-env.sh"
source "$root/scripts/tornado-env.sh"
source "$root/scripts/lib.sh"
if [ -z "${TORNADO_SDK:-}" ]; then
  echo "oclgrind-check: needs a TornadoVM SDK (set TORNADO_SDK, e.g. /opt/tornadovm/sdk) to generate the kernels" >&2
  exit 2
fi
if ! command -v oclgrind-kernel >/dev/null; then
  echo "oclgrind-check: installing Debian's oclgrind..." >&2
  apt_get install -y oclgrind >&2
fi
out="$root/runs/oclgrind"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --all) args+=(--all); shift ;;
    --family) args+=(--family "$2"); shift 2 ;;
    --device) args+=(--device "$2"); shift 2 ;;
    *) echo "oclgrind-check: unknown argument '$1' (expected --all, --family F,..., --device B:D, --out DIR)" >&2; exit 2 ;;
  esac
done
jar="$root/src/target/relu-tornado.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/src/tornado" "$root/tornado-kernels/src/main" -newer "$jar" -print -quit)" ] \
    || ! unzip -l "$jar" | grep -q 'relutornado/engine/tornado/OclgrindCheck.class'; then
  maven_package src
fi
rm -rf "$out"
tornado_java
exec "${tornado_java[@]}" --enable-native-access=ALL-UNNAMED -cp "$jar" relutornado.engine.tornado.OclgrindCheck --out "$out" "${args[@]}"
