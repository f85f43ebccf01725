# Sourced: finds a TornadoVM SDK and exports TORNADO_SDK (and TORNADOVM_HOME, the name TornadoVM's own
# scripts now read) plus TORNADO_MAVEN_FLAGS (-Ptornado -Dtornado.version=...) for builds against it.
# Looked for: TORNADO_SDK, TORNADOVM_HOME, then /opt/tornadovm/sdk, /opt/tornadovm, ~/tornadovm/sdk.
# A valid SDK has tornado-argfile and share/java/tornado/tornado-api-*.jar. TORNADO_ARGFILE is the argfile JVMs
# start with: RELU_TORNADO_ARGFILE when set (a bundle's run.sh writes its own copy there), else the SDK's.
tornado_api_jar() { ls "$1"/share/java/tornado/tornado-api-*.jar 2>/dev/null | head -n 1; }
tornado_sdk_ok() { [ -f "${RELU_TORNADO_ARGFILE:-$1/tornado-argfile}" ] && [ -n "$(tornado_api_jar "$1")" ]; }
: "${TORNADO_SDK:=${TORNADOVM_HOME:-}}"
if [ -n "$TORNADO_SDK" ]; then
  if ! tornado_sdk_ok "$TORNADO_SDK"; then
    echo "TORNADO_SDK=$TORNADO_SDK is not a TornadoVM SDK (it needs ${RELU_TORNADO_ARGFILE:-tornado-argfile} and share/java/tornado/tornado-api-*.jar)" >&2
    exit 2
  fi
else
  for d in /opt/tornadovm/sdk /opt/tornadovm "$HOME/tornadovm/sdk"; do
    if tornado_sdk_ok "$d"; then TORNADO_SDK="$d"; break; fi
  done
fi
TORNADO_MAVEN_FLAGS=""
if [ -n "$TORNADO_SDK" ]; then
  TORNADO_SDK=$(cd "$TORNADO_SDK" && pwd -P)
  export TORNADO_SDK TORNADOVM_HOME="$TORNADO_SDK"
  export PATH="$TORNADO_SDK/bin:$PATH"
  tornado_version=$(basename "$(tornado_api_jar "$TORNADO_SDK")" .jar)
  TORNADO_MAVEN_FLAGS="-Ptornado -Dtornado.version=${tornado_version#tornado-api-}"
  TORNADO_ARGFILE="${RELU_TORNADO_ARGFILE:-$TORNADO_SDK/tornado-argfile}"
else
  unset TORNADO_SDK
fi
# Signal chaining for every JVM started with the SDK. OpenCL drivers built on LLVM (PoCL, several vendors' CPU
# and FPGA runtimes) replace the JVM's SIGSEGV/SIGBUS/SIGILL/SIGFPE handlers when they load; HotSpot raises SIGSEGV
# on purpose (implicit null checks, safepoint polls), so the next such signal kills the process: "Segmentation
# fault", no hs_err file (seen with PoCL 3.1 / LLVM 15; -Xcheck:jni names libLLVM as the handler). HotSpot's
# libjsig keeps its own handlers first and chains the driver's. TORNADO_JSIG is that library, or empty.
TORNADO_JSIG=""
if [ -n "${TORNADO_SDK:-}" ] && [ -n "${JAVA_HOME:-}" ]; then
  for f in "$JAVA_HOME/lib/libjsig.so" "$JAVA_HOME/lib/server/libjsig.so"; do
    if [ -f "$f" ]; then TORNADO_JSIG="$f"; break; fi
  done
fi
