#!/usr/bin/env bash
# Tests the bundle's run.sh (scripts/bundle-run.sh) on a fake bundle, in under a second: the tornado-argfile it
# writes for each backend choice (PTX off leaves no trace of PTX: exports, module, jars on the module path), that
# each choice gets its own file (concurrent array tasks never rewrite each other's), the libcuda.so.1 detection,
# and its refusals; that device-check's and tune's tuning flags reach the TornadoVM JVM. No Java, no SDK needed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
source "$root/scripts/lib.sh"  # check, checks_done

b="$t/bundle"
mkdir -p "$b/runtime/bin" "$b/sdk/share/java/tornado" "$b/sdk/share/java/graalJars" "$b/scripts" "$t/nocuda" "$t/cuda"
printf '#!/bin/sh\necho fake-java "$@"\n' > "$b/runtime/bin/java"
chmod +x "$b/runtime/bin/java"
for j in tornado-api-5.2.0-jdk25 tornado-runtime-5.2.0-jdk25 tornado-drivers-common-5.2.0-jdk25 \
    tornado-drivers-opencl-5.2.0-jdk25 tornado-drivers-opencl-jni-5.2.0-jdk25-libs \
    tornado-drivers-ptx-5.2.0-jdk25 tornado-drivers-ptx-jni-5.2.0-jdk25-libs; do
  : > "$b/sdk/share/java/tornado/$j.jar"
done
touch "$t/cuda/libcuda.so.1"
# the shape of TornadoVM 5.2.0's generated template (bin/gen-tornado-argfile-template.py), shortened
cat > "$b/sdk/tornado-argfile.template" <<'EOF'
-XX:+EnableJVMCI
-Djava.library.path=${TORNADOVM_HOME}/lib
--module-path .:${TORNADOVM_HOME}/share/java/tornado
--upgrade-module-path ${TORNADOVM_HOME}/share/java/graalJars
--add-modules ALL-SYSTEM,tornado.runtime,tornado.drivers.common,tornado.drivers.opencl,tornado.drivers.ptx
--enable-native-access=tornado.drivers.opencl,tornado.drivers.ptx
# ===: common-exports ===
--add-exports=jdk.graal.compiler/jdk.graal.compiler.nodes=tornado.runtime,tornado.drivers.common
# === opencl-exports ===
--add-reads=tornado.drivers.opencl=jdk.graal.compiler
--add-exports=jdk.internal.vm.ci/jdk.vm.ci.meta=tornado.drivers.opencl
# === ptx-exports ===
--add-reads=tornado.drivers.ptx=jdk.graal.compiler
--add-opens=java.base/java.lang=tornado.drivers.ptx
EOF
cp "$root/scripts/bundle-run.sh" "$b/run.sh"
cp "$root/scripts/relu-tornado" "$root/scripts/java-env.sh" "$root/scripts/tornado-env.sh" "$root/scripts/lib.sh" \
  "$root/scripts/device-check.sh" "$b/scripts/"
mkdir -p "$b/lib" && : > "$b/lib/relu-tornado.jar"
chmod +x "$b/run.sh"
sdk=$(cd "$b/sdk" && pwd -P)

run() {  # run [VAR=value...]: run.sh writes the argfile and names it (a failure shows in the checks that follow)
  env -i PATH=/usr/bin:/bin HOME="$t" LD_LIBRARY_PATH="$t/nocuda" "$@" "$b/run.sh" env > "$t/out" 2>&1 || cat "$t/out"
  argfile=$(sed -n 's/^argfile: *//p' "$t/out")
  [ -n "$argfile" ] || argfile="$t/none"
}
modpath() { sed -n 's/^--module-path //p' "$argfile" | tr ':' '\n'; }

run RELU_TORNADO_PTX=on
check "PTX on: the template, expanded" diff <(sed "s|\${TORNADOVM_HOME}|$sdk|g" "$b/sdk/tornado-argfile.template") "$argfile"
ptx_on="$argfile"
cp "$ptx_on" "$t/ptx-on.copy"
check "the argfile is the bundle's own copy, not the SDK's tornado-argfile" test "$argfile" != "$sdk/tornado-argfile"

run RELU_TORNADO_PTX=off
check "PTX off: no ptx left" bash -c "! grep -i ptx '$argfile'"
check "PTX off: OpenCL exports kept" grep -qx -- '--add-reads=tornado.drivers.opencl=jdk.graal.compiler' "$argfile"
check "PTX off: --add-modules without ptx" grep -qx -- '--add-modules ALL-SYSTEM,tornado.runtime,tornado.drivers.common,tornado.drivers.opencl' "$argfile"
check "PTX off: native access for opencl only" grep -qx -- '--enable-native-access=tornado.drivers.opencl' "$argfile"
check "PTX off: module path = jars minus ptx" \
  diff <(modpath) <(echo .; find "$sdk/share/java/tornado" -name '*.jar' ! -name 'tornado-drivers-ptx*' | sort)
check "PTX off: nothing unexpanded" bash -c "! grep -F '\${' '$argfile'"
check "PTX off: common exports kept" grep -qx -- '--add-exports=jdk.graal.compiler/jdk.graal.compiler.nodes=tornado.runtime,tornado.drivers.common' "$argfile"
check "PTX off: a file of its own" test "$argfile" != "$ptx_on"
check "PTX off left the PTX-on task's argfile as it was" diff "$t/ptx-on.copy" "$ptx_on"

run RELU_TORNADO_PTX=on RELU_TORNADO_OPENCL=off
check "OpenCL off: no opencl left" bash -c "! grep -i opencl '$argfile'"
check "OpenCL off: PTX kept" grep -qx -- '--enable-native-access=tornado.drivers.ptx' "$argfile"

check "both off: refused" bash -c "! env -i PATH=/usr/bin:/bin RELU_TORNADO_PTX=off RELU_TORNADO_OPENCL=off '$b/run.sh' help >/dev/null 2>&1"
check "bad value: refused, named" bash -c "env -i PATH=/usr/bin:/bin RELU_TORNADO_PTX=yes '$b/run.sh' help 2>&1 | grep -q 'RELU_TORNADO_PTX must be'"

env -i PATH=/usr/bin:/bin HOME="$t" LD_LIBRARY_PATH="$t/cuda" "$b/run.sh" env > "$t/out" 2>&1 || true
argfile=$(sed -n 's/^argfile: *//p' "$t/out")
check "auto: libcuda.so.1 on LD_LIBRARY_PATH -> PTX on" grep -q 'tornado.drivers.ptx' "${argfile:-$t/none}"
if ! /sbin/ldconfig -p 2>/dev/null | grep -F ' libcuda.so.1 ' >/dev/null && [ ! -e /usr/lib/x86_64-linux-gnu/libcuda.so.1 ] \
    && [ ! -e /usr/lib64/libcuda.so.1 ]; then
  run
  check "auto: no libcuda.so.1 -> PTX off" bash -c "! grep -q ptx '$argfile'"
else
  echo "skip auto: no libcuda.so.1 (this machine has the NVIDIA driver)"
fi

# the launcher starts the JVM (here a fake java that prints its arguments) with the argfile run.sh wrote
env -i PATH=/usr/bin:/bin HOME="$t" LD_LIBRARY_PATH="$t/nocuda" RELU_TORNADO_PTX=off "$b/run.sh" train --engine tornado > "$t/java" 2>&1 || true
off_file=$(env -i PATH=/usr/bin:/bin HOME="$t" LD_LIBRARY_PATH="$t/nocuda" RELU_TORNADO_PTX=off "$b/run.sh" env | sed -n 's/^argfile: *//p')
check "the JVM starts with run.sh's argfile" grep -qF -- "@$off_file " "$t/java"

# device-check tunes first: its tuning flags and --out (where it copies each device's tuning file, OUT/tuning/) reach
# the TornadoVM JVM unchanged; the tuner alone too
env -i PATH=/usr/bin:/bin HOME="$t" LD_LIBRARY_PATH="$t/nocuda" RELU_TORNADO_PTX=off "$b/run.sh" device-check --devices 0:0 --tune \
  --tune-budget 2 --tune-models ffnn --tuning "$t/gpu.json" --out "$t/dc" > "$t/java" 2>&1 || true
check "device-check: the TornadoVM JVM with run.sh's argfile" grep -qF -- "@$off_file " "$t/java"
check "device-check: --out and the tuning flags passed on" grep -qF -- "device-check --out $t/dc --data-dir $b/data --devices 0:0 --tune --tune-budget 2 --tune-models ffnn --tuning $t/gpu.json" "$t/java"
check "device-check: its log in OUT" grep -qF -- "--tune-budget 2" "$t/dc/device-check.log"
env -i PATH=/usr/bin:/bin HOME="$t" LD_LIBRARY_PATH="$t/nocuda" RELU_TORNADO_PTX=off "$b/run.sh" device-check --no-tune --out "$t/dc2" > "$t/java" 2>&1 || true
check "device-check: --no-tune passed on" grep -qE -- "device-check --out $t/dc2 .*--no-tune" "$t/java"
env -i PATH=/usr/bin:/bin HOME="$t" LD_LIBRARY_PATH="$t/nocuda" RELU_TORNADO_PTX=off "$b/run.sh" tune --device 0:0 --budget 1 > "$t/java" 2>&1 || true
check "tune: the TornadoVM JVM, its flags passed on" bash -c "grep -qF -- '@$off_file ' '$t/java' && grep -qF -- 'relutornado.cli.Main tune --device 0:0 --budget 1' '$t/java'"

mkdir -p "$t/with space"
cp -a "$b" "$t/with space/"
check "a path with a space: refused" bash -c "! env -i PATH=/usr/bin:/bin '$t/with space/bundle/run.sh' help >/dev/null 2>&1"

checks_done test-bundle-run
