#!/usr/bin/env bash
# run.sh of a relu-tornado bundle (made by scripts/bundle.sh; this file is copied there as run.sh).
# Runs with the bundle's own Java runtime, jar, TornadoVM SDK and MNIST only: no Java, Maven or network needed.
#   ./run.sh devices                      engines and TornadoVM devices (BACKEND:DEVICE, runtime, platform, name)
#   ./run.sh device-check [flags]         scripts/device-check.sh (report in runs/device-check/ unless --out): a device
#                                         without a tuning file is tuned first (--tune-budget MINUTES, --no-tune) and
#                                         each device's tuning file comes back in OUT/tuning/
#   ./run.sh tune --device 0:0 [flags]    the tuner alone (tuning/<device slug>.json from the current folder)
#   ./run.sh train [flags]                e.g. train --dataset mnist --engine tornado --device 0:0 --out runs/x
#   ./run.sh COMMAND [flags]              any other relu-tornado command (table, compare, ...)
#   ./run.sh env                          what this bundle runs with
# TornadoVM's PTX backend needs the NVIDIA driver's libcuda.so.1 and kills the JVM where it is missing, so the
# argfile enables PTX only when libcuda.so.1 is found (RELU_TORNADO_PTX=on|off overrides); RELU_TORNADO_OPENCL=off
# leaves OpenCL out (for a node whose OpenCL finds no platform). Data: bundled data/, or RELU_TORNADO_DATA / --data-dir.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
die() { echo "run.sh: $*" >&2; exit 2; }
case "$here" in
  *[[:space:]]*) die "the bundle's path has a space in it ('$here'): Java argfiles split on spaces; move it" ;;
esac
[ -x "$here/runtime/bin/java" ] || die "no runtime/bin/java under $here: is this an unpacked bundle?"

export RELU_TORNADO_RUNTIME="$here/runtime" RELU_TORNADO_JAR="$here/lib/relu-tornado.jar"
export RELU_TORNADO_DATA="${RELU_TORNADO_DATA:-$here/data}"
export TORNADO_SDK="$here/sdk"
unset TORNADOVM_HOME

# a shared library where the dynamic loader finds it: LD_LIBRARY_PATH, the loader cache, the usual folders
have_lib() {
  local d c dirs=()
  IFS=: read -r -a dirs <<< "${LD_LIBRARY_PATH:-}"
  for d in "${dirs[@]}" /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/nvidia/lib64 /usr/lib/wsl/lib; do
    [ -n "$d" ] && [ -e "$d/$1" ] && return 0
  done
  for c in /sbin/ldconfig /usr/sbin/ldconfig; do
    # no grep -q: with pipefail an early exit would SIGPIPE ldconfig and read as "not found"
    if [ -x "$c" ] && "$c" -p 2>/dev/null | grep -F " $1 " >/dev/null; then return 0; fi
  done
  return 1
}

# Which backends: those in the SDK's template, PTX only where libcuda.so.1 is (RELU_TORNADO_PTX=on|off|auto),
# OpenCL unless RELU_TORNADO_OPENCL=off (TornadoVM stops when the OpenCL backend finds no platform at all,
# e.g. a container without /etc/OpenCL/vendors: PTX alone then still runs).
template="$TORNADO_SDK/tornado-argfile.template"
[ -f "$template" ] || die "no $template in the bundle"
backends=() off=()
for be in opencl ptx; do
  grep "tornado\.drivers\.$be" "$template" >/dev/null || continue
  if [ "$be" = ptx ]; then mode=${RELU_TORNADO_PTX:-auto}; else mode=${RELU_TORNADO_OPENCL:-on}; fi
  case "$be:$mode" in
    *:on|opencl:auto) backends+=("$be") ;;
    *:off) off+=("$be") ;;
    ptx:auto) if have_lib libcuda.so.1; then backends+=("$be"); else off+=("$be"); fi ;;
    *) die "RELU_TORNADO_${be^^} must be on, off or auto, got '$mode'" ;;
  esac
done
[ ${#backends[@]} -gt 0 ] || die "no TornadoVM backend left on (RELU_TORNADO_PTX, RELU_TORNADO_OPENCL)"
backend_list=$(IFS=,; echo "${backends[*]}")
# TornadoVM's OpenCL library needs an ICD loader (libOpenCL.so.1); the bundle brings one for nodes without
if [[ ",$backend_list," == *,opencl,* ]] && ! have_lib libOpenCL.so.1 && [ -d "$TORNADO_SDK/lib/icd-loader" ]; then
  export LD_LIBRARY_PATH="$TORNADO_SDK/lib/icd-loader${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

# The SDK's argfile for this location: the template with ${TORNADOVM_HOME} expanded and, for each backend off,
# its exports, its module and its jars dropped (service binding would load a backend found on the module path).
# Written to a file named by its content (tornado-argfile.CKSUM), never rewritten in place: array tasks starting at
# once with other backends each start from their own file; the launcher reads it from RELU_TORNADO_ARGFILE.
jars=$(find "$TORNADO_SDK/share/java/tornado" -name '*.jar' | sort)
for be in "${off[@]}"; do jars=$(grep -v "/tornado-drivers-$be" <<< "$jars"); done
modpath=".:$(paste -sd: - <<< "$jars")"
tmp=$(mktemp "$TORNADO_SDK/.tornado-argfile.XXXXXX") || die "cannot write in $TORNADO_SDK: unpack the bundle where you can write"
awk -v home="$TORNADO_SDK" -v off="${off[*]}" -v modpath="$modpath" '
  BEGIN { n = split(off, offs, " ") }
  function expand(line,   key, out, i) {
    key = "${TORNADOVM_HOME}"; out = ""
    while ((i = index(line, key)) > 0) { out = out substr(line, 1, i - 1) home; line = substr(line, i + length(key)) }
    return out line
  }
  function off_section(line,   i) { for (i = 1; i <= n; i++) if (line == "# === " offs[i] "-exports ===") return 1; return 0 }
  { $0 = expand($0) }
  /^# ===/ { skip = off_section($0); if (skip) next }
  skip { next }
  /^--add-modules / || /^--enable-native-access=/ {
    for (i = 1; i <= n; i++) gsub("tornado\\.drivers\\." offs[i] ",?", "")
    sub(/,$/, ""); if ($0 ~ /=$/) next
  }
  n && /^--module-path / { print "--module-path " modpath; next }
  { print }
' "$template" > "$tmp"
argfile="$TORNADO_SDK/tornado-argfile.$(cksum < "$tmp" | cut -d' ' -f1)"
mv -f "$tmp" "$argfile"
export RELU_TORNADO_ARGFILE="$argfile"

cmd="${1:-help}"
case "$cmd" in
  device-check)
    shift
    [ -f "$here/scripts/device-check.sh" ] || die "this bundle has no scripts/device-check.sh (made from a checkout without it)"
    echo "run.sh: TornadoVM backends $backend_list" >&2
    exec bash "$here/scripts/device-check.sh" "$@" ;;
  env)
    echo "bundle:   $here ($(cat "$here/BUNDLE.txt" 2>/dev/null | sed -n 's/^made from: //p'))"
    echo "runtime:  $("$here/runtime/bin/java" -version 2>&1 | head -n 1)"
    echo "modules:  $("$here/runtime/bin/java" --list-modules | sed 's/@.*//' | paste -sd, -)"
    echo "sdk:      $TORNADO_SDK ($(basename "$(ls "$TORNADO_SDK"/share/java/tornado/tornado-api-*.jar)" .jar))"
    echo "backends: $backend_list (libcuda.so.1: $(have_lib libcuda.so.1 && echo found || echo not found);" \
      "libOpenCL.so.1: $(have_lib libOpenCL.so.1 && echo found || echo "not found")${LD_LIBRARY_PATH:+; LD_LIBRARY_PATH=$LD_LIBRARY_PATH})"
    echo "argfile:  $argfile"
    echo "data:     $RELU_TORNADO_DATA" ;;
  help|-h|--help)
    sed -n '2,/^[^#]/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" ;;
  *)
    [ "$cmd" = devices ] && echo "run.sh: TornadoVM backends $backend_list" >&2
    exec bash "$here/scripts/relu-tornado" "$@" ;;
esac
