# Sourced by the other scripts: the jobs they share, written once.
#   script_help FILE        the comment block at the top of FILE (after the #! line): a script's --help
#   as_root CMD...          CMD as root: directly, or through sudo (no password prompt unless on a terminal)
#   apt_get ARGS...         apt-get as root, non-interactive, waiting for the dpkg lock
#   maven_package MODULE    builds MODULE's jar (and the modules it needs), tests skipped, with the TornadoVM
#                           profile when an SDK was found (TORNADO_MAVEN_FLAGS from tornado-env.sh)
#   check NAME CONDITION... (test scripts) counts CONDITION's outcome, prints NAME when it fails;
#   checks_done SCRIPT      then the tally, exit 1 on any failure
#   tornado_java            sets the array tornado_java: the command that starts a TornadoVM JVM (the SDK's argfile,
#                           bailout recovery off, the Vector API module, signal chaining); needs tornado-env.sh
# No `set -euo pipefail` here: this file runs in the caller's shell, which sets its own options.

script_help() { sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$1"; }

can_be_root() { [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; }; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif can_be_root; then
    sudo "$@"
  else
    echo "$(basename "$0"): '$*' needs root: run as root or with sudo" >&2
    return 1
  fi
}

apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"; }

maven_package() {
  local flags=()
  read -r -a flags <<< "${TORNADO_MAVEN_FLAGS:-}"
  (cd "$root" && mvn -B -q -DskipTests -pl "$1" -am package "${flags[@]}") >&2
}

tornado_java() {
  tornado_java=("$JAVA_HOME/bin/java")
  # signal chaining (see tornado-env.sh): without it an LLVM-based OpenCL driver can crash the JVM
  [ -z "${TORNADO_JSIG:-}" ] || tornado_java=(env LD_PRELOAD="$TORNADO_JSIG${LD_PRELOAD:+:$LD_PRELOAD}" "$JAVA_HOME/bin/java")
  tornado_java+=(--add-modules jdk.incubator.vector @"$TORNADO_ARGFILE" -Dtornado.recover.bailout=False)
}

check_fails=0 check_passed=0
check() {
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then check_passed=$((check_passed + 1)); else echo "FAIL $name"; check_fails=$((check_fails + 1)); fi
}
checks_done() {
  [ "$check_fails" = 0 ] || { echo "$1: $check_fails failed, $check_passed passed" >&2; exit 1; }
  echo "$1: $check_passed checks passed"
}
