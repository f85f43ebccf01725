# Sourced by the other scripts: finds a JDK >= 21 and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME (if >= 21), /usr/lib/jvm/temurin-25-jdk-amd64, the newest /usr/lib/jvm/* >= 21,
# then `java` on PATH. A JDK means bin/java and bin/javac (Maven compiles). None found: a message, exit 1.
# In a bundle (scripts/bundle.sh) RELU_TORNADO_RUNTIME names its jlinked runtime: that one, java only, nothing else.
# No `set -euo pipefail` here: this file runs in the caller's shell, which sets its own options.

# Major version of a JDK home ("1.8.0_392" -> 8, "21.0.2" -> 21, "25-ea" -> 25), or nothing.
jdk_major() {
  local home="$1" version=""
  if [ -f "$home/release" ]; then
    # JAVA_VERSION="21.0.2"
    version=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}.*/\1/p' "$home/release" | head -n 1)
  fi
  if [ -z "$version" ] && [ -x "$home/bin/java" ]; then
    # first line: openjdk version "17.0.15" 2025-04-15   or   java version "1.8.0_392"
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  case "$version" in
    1.*) version=${version#1.} ;;
  esac
  version=${version%%[!0-9]*}
  [ -n "$version" ] && echo "$version"
}

# True when $1 is a JDK (java and javac) of version >= 21.
jdk_ok() {
  local major
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major=$(jdk_major "$1")
  [ -n "$major" ] && [ "$major" -ge 21 ]
}

find_jdk() {
  local candidate best="" best_major=0 major java_bin
  if jdk_ok "${JAVA_HOME:-}"; then echo "$JAVA_HOME"; return 0; fi
  if jdk_ok /usr/lib/jvm/temurin-25-jdk-amd64; then echo /usr/lib/jvm/temurin-25-jdk-amd64; return 0; fi
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] || continue
    if jdk_ok "$candidate"; then
      major=$(jdk_major "$candidate")
      if [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
    fi
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  if java_bin=$(command -v java 2>/dev/null); then
    # /usr/bin/java -> /etc/alternatives/java -> /usr/lib/jvm/X/bin/java
    candidate=$(dirname "$(dirname "$(readlink -f "$java_bin")")")
    if jdk_ok "$candidate"; then echo "$candidate"; return 0; fi
  fi
  return 1
}

if [ -n "${RELU_TORNADO_RUNTIME:-}" ]; then
  if [ ! -x "$RELU_TORNADO_RUNTIME/bin/java" ]; then
    echo "RELU_TORNADO_RUNTIME=$RELU_TORNADO_RUNTIME has no bin/java (a bundle's runtime/ folder is meant)" >&2
    case $- in *i*) return 1 ;; *) exit 1 ;; esac
  fi
  export JAVA_HOME="$RELU_TORNADO_RUNTIME"
  export PATH="$JAVA_HOME/bin:$PATH"
elif relu_jdk=$(find_jdk); then
  export JAVA_HOME="$relu_jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
  unset relu_jdk
else
  echo "relu-tornado needs a JDK >= 21 (java and javac); none found in \$JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm or on PATH." >&2
  echo "  Install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it: export JAVA_HOME=/path/to/jdk" >&2
  # exit the calling script; from an interactive shell, return instead of closing it
  case $- in
    *i*) return 1 ;;
    *) exit 1 ;;
  esac
fi
