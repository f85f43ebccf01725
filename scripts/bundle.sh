#!/usr/bin/env bash
# Makes a self-contained tarball for a GPU node with no Java and no network:
#   runtime/   a jlinked Java runtime (the JDK's own version) with only the modules the app and TornadoVM need
#   lib/       the shaded relu-tornado.jar, built with the TornadoVM engine (-Ptornado)
#   sdk/       the TornadoVM SDK named by TORNADO_SDK (or --sdk), less what is not needed at run time
#   data/      MNIST (the four IDX files)
#   scripts/   the launcher and scripts/device-check.sh; run.sh (scripts/bundle-run.sh) is the entry point:
#              ./run.sh devices | device-check [flags] | tune [flags] | train [flags] | env
#   tuning/    this checkout's tuning files (tuning/*.json), found from the bundle's folder as tuning/<device slug>.json;
#              device-check tunes a device without one first and copies each device's file to its --out folder (OUT/tuning/)
#   scripts/bundle.sh [--sdk DIR] [--out FILE.tar.xz] [--no-build]
# Default --out: runs/bundle/relu-tornado-bundle.tar.xz. The runtime comes from the JDK that scripts/java-env.sh
# picks (JAVA_HOME), which must match the SDK's JDK (a jdk25 SDK needs JDK 25). Bundle an OpenCL + PTX SDK for
# NVIDIA nodes: run.sh turns PTX on only where the driver's libcuda.so.1 is found. --no-build takes the jar in
# src/target as it is.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() { sed -n '2,/^[^#]/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
log() { echo "bundle: $*" >&2; }
die() { echo "bundle: error: $*" >&2; exit 2; }

out="$root/runs/bundle/relu-tornado-bundle.tar.xz"
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sdk) [ $# -ge 2 ] || die "--sdk needs a folder"; export TORNADO_SDK="$2"; shift 2 ;;
    --sdk=*) export TORNADO_SDK="${1#--sdk=}"; shift ;;
    --out) [ $# -ge 2 ] || die "--out needs a file name"; out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (usage: scripts/bundle.sh [--sdk DIR] [--out FILE.tar.xz] [--no-build])" ;;
  esac
done
case "$out" in *.tar.xz) ;; *) die "--out must end in .tar.xz, got '$out'" ;; esac

# shellcheck source=scripts/java-env.sh
source "$root/scripts/java-env.sh"
# shellcheck source=scripts/tornado-env.sh
source "$root/scripts/tornado-env.sh"
source "$root/scripts/lib.sh"
[ -n "${TORNADO_SDK:-}" ] || die "no TornadoVM SDK: set TORNADO_SDK (or pass --sdk DIR) to the SDK to bundle"
[ -x "$JAVA_HOME/bin/jlink" ] || die "$JAVA_HOME has no bin/jlink (a full JDK is needed to make the runtime)"
sdk_version=$(basename "$(tornado_api_jar "$TORNADO_SDK")" .jar)
sdk_version=${sdk_version#tornado-api-}
jdk=$(jdk_major "$JAVA_HOME")
case "$sdk_version" in
  *-jdk[0-9]*)
    want=${sdk_version##*-jdk}
    [ "$jdk" = "$want" ] || die "the SDK ($sdk_version) runs on JDK $want, but JAVA_HOME=$JAVA_HOME is JDK $jdk; set JAVA_HOME to a JDK $want" ;;
esac
[ -f "$TORNADO_SDK/tornado-argfile.template" ] || [ -f "$TORNADO_SDK/tornado-argfile" ] || die "$TORNADO_SDK has no tornado-argfile"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -f "$root/data/mnist/$f.gz" ] || [ -f "$root/data/mnist/$f" ] || die "data/mnist/$f[.gz] is missing: run scripts/setup.sh"
done

jar="$root/src/target/relu-tornado.jar"
if [ "$build" = 1 ]; then
  log "building the jar with the TornadoVM engine ($TORNADO_MAVEN_FLAGS)"
  maven_package src
fi
[ -f "$jar" ] || die "$jar is missing (drop --no-build)"
"$JAVA_HOME/bin/jar" tf "$jar" | grep 'relutornado/engine/tornado/TornadoEngine.class' >/dev/null \
  || die "$jar has no TornadoVM engine: build it with the SDK (drop --no-build)"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
name=relu-tornado-bundle
b="$stage/$name"
mkdir -p "$b/lib" "$b/scripts" "$b/data"

# --- the SDK, less tests, benchmarks, examples and the libraries only they use ---
log "copying the SDK $TORNADO_SDK ($sdk_version)"
cp -a "$TORNADO_SDK" "$b/sdk"
rm -rf "$b/sdk/examples" "$b/sdk/CHANGELOG.rst" "$b/sdk/CONTRIBUTING.md" "$b/sdk/tornado-argfile" "$b/sdk"/bin/*.cmd "$b/sdk"/bin/*.bat
( cd "$b/sdk/share/java/tornado" && rm -f tornado-unittests-* tornado-benchmarks-* tornado-examples-* tornado-fuzz-* \
    tornado-matrices-* tornado-cublas-* tornado-cudnn-* tornado-cufft-* tornado-cusparse-* tornado-cutlass-* \
    junit-* hamcrest-* jmh-core-* jopt-simple-* lucene-core-* log4j-* commons-lang3-* ejml-* jsr305-* )
# Truffle and the polyglot API: only for TornadoVM's polyglot mode (the compiler itself needs neither)
( cd "$b/sdk/share/java/graalJars" && rm -f truffle-api-* polyglot-* graal-sdk-* )
# an OpenCL ICD loader (libOpenCL.so.1, needed by the OpenCL backend's library) for nodes without one;
# run.sh puts it on LD_LIBRARY_PATH only where the system has none
icd=$( { /sbin/ldconfig -p 2>/dev/null || true; } | awk '$1 == "libOpenCL.so.1" && /x86-64/ { print $NF; exit }')
if [ -n "$icd" ] && [ -f "$icd" ]; then
  mkdir -p "$b/sdk/lib/icd-loader"
  cp -L "$icd" "$b/sdk/lib/icd-loader/libOpenCL.so.1"
  pkg_doc=$(dpkg -S "$(readlink -f "$icd")" 2>/dev/null | cut -d: -f1 | head -n 1 || true)
  [ -n "$pkg_doc" ] && [ -f "/usr/share/doc/$pkg_doc/copyright" ] && cp "/usr/share/doc/$pkg_doc/copyright" "$b/sdk/lib/icd-loader/COPYRIGHT"
else
  log "warning: no libOpenCL.so.1 here to bring along: nodes without an OpenCL ICD loader will need one"
fi
if [ ! -f "$b/sdk/tornado-argfile.template" ]; then
  # an SDK without a template: make one from its argfile (run.sh expands ${TORNADOVM_HOME} for where it lands)
  sed "s|$TORNADO_SDK|\${TORNADOVM_HOME}|g" "$TORNADO_SDK/tornado-argfile" > "$b/sdk/tornado-argfile.template"
fi

# --- the runtime: the modules the jar (jdeps) and the SDK's modules need, and those the argfile names ---
# jdk.graal.compiler comes from the SDK's graalJars (--upgrade-module-path), so the JDK's own copy stays out.
requires_of() {  # java.*/jdk.* modules a modular jar requires at run time (not 'requires static')
  "$JAVA_HOME/bin/jar" --describe-module --file "$1" 2>/dev/null \
    | awk '$1 == "requires" { m = ($2 == "transitive") ? $3 : $2; if ($2 != "static") print m }'
}
modules=$( {
  "$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release "$jdk" --print-module-deps "$jar" 2> >(grep -v 'incubator modules' >&2) \
    | tr ',' '\n'
  for j in "$b"/sdk/share/java/tornado/*.jar "$b"/sdk/share/java/graalJars/*.jar; do requires_of "$j"; done
  grep -oE -- '--add-(exports|opens|reads)=[A-Za-z0-9_.]+' "$b/sdk/tornado-argfile.template" | sed 's/^[^=]*=//'
  echo jdk.incubator.vector   # the launcher's --add-modules (java-parallel's CPU kernels)
  echo jdk.unsupported        # sun.misc.Unsafe, reached by reflection (Gson, TornadoVM)
} | grep -E '^(java|jdk)\.' | grep -v '^jdk\.graal\.compiler' | sort -u | paste -sd, -)
log "jlink: $modules"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --output "$b/runtime"

# --- the app, its launcher and scripts, the data ---
cp "$jar" "$b/lib/relu-tornado.jar"
cp "$root/scripts/bundle-run.sh" "$b/run.sh"
cp "$root/scripts/relu-tornado" "$root/scripts/java-env.sh" "$root/scripts/tornado-env.sh" "$root/scripts/lib.sh" "$b/scripts/"
if [ -f "$root/scripts/device-check.sh" ]; then
  cp "$root/scripts/device-check.sh" "$b/scripts/"
else
  log "warning: scripts/device-check.sh is not in this checkout: the bundle's './run.sh device-check' will say so"
fi
chmod +x "$b/run.sh" "$b"/scripts/*
cp -rL "$root/data/mnist" "$b/data/mnist"
mkdir -p "$b/tuning"
if compgen -G "$root/tuning/*.json" >/dev/null; then
  cp "$root"/tuning/*.json "$b/tuning/"
fi

commit=$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)
backends=opencl
grep 'tornado\.drivers\.ptx' "$b/sdk/tornado-argfile.template" >/dev/null && backends=opencl,ptx
cat > "$b/BUNDLE.txt" <<EOF
relu-tornado bundle
made from: relu-tornado $commit, $(date -u +%Y-%m-%dT%H:%MZ)
runtime:   $("$b/runtime/bin/java" -version 2>&1 | head -n 1) (jlink of $JAVA_HOME)
modules:   $modules
sdk:       TornadoVM $sdk_version from $TORNADO_SDK, backends $backends
data:      data/mnist
tuning:    $(cd "$b/tuning" && ls | paste -sd' ' - | sed 's/^$/none/')

Unpack anywhere you can write (no spaces in the path), then:
  ./run.sh devices                 TornadoVM devices: indices, backend, runtime, platform, name (--device takes
                                   the indices or a name pattern such as spirv:pocl or opencl:nvidia)
  ./run.sh device-check            tunes a device without a tuning file (--tune-budget MINUTES, default 5; --no-tune),
                                   then kernels, GFLOP/s, samples/s, short trainings (report in runs/device-check/,
                                   the tuning files in runs/device-check/tuning/; --out DIR for another folder)
  ./run.sh tune --device 0:0       the tuner alone: writes tuning/<device slug>.json
  ./run.sh train --dataset mnist --model ffnn --engine tornado --device 0:0 --out runs/mnist
  ./run.sh env                     what runs: Java, modules, SDK, backends
PTX (NVIDIA) needs only the driver's libcuda.so.1; run.sh enables it when found (RELU_TORNADO_PTX=on|off).
EOF

mkdir -p "$(dirname "$out")"
log "compressing (xz)"
tar -C "$stage" -cf - "$name" | xz -T"$(nproc 2>/dev/null || echo 1)" > "$out.tmp"
mv -f "$out.tmp" "$out"
size=$(stat -c %s "$out")
mib=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')
log "$out: $mib MiB ($(du -sh "$b" | cut -f1) unpacked)"
if [ "$size" -gt $((60 * 1048576)) ]; then
  log "warning: over 60 MiB"
fi
echo "$out"
