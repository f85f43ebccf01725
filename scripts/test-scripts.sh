#!/usr/bin/env bash
# Tests the scripts' argument handling in a few seconds, with fakes in place of Java, TornadoVM and the training:
#   reproduce.sh       train flags -> study keys (switches, values with quotes, --seeds, --resume refusal)
#   relu-tornado       the TornadoVM JVM for 'engine: tornado' in a study file; -Xmx8g with RELU_TORNADO_JVM_OPTS
#   compare-devices.sh a second run into the same folder (each device's run replaced), --rounds
#   device-check.sh    the tuning flags (--tune, --no-tune, --tune-budget, --tune-models, --tune-seconds) reach the CLI
#   bench.sh           --threads, --rounds, --gemm-rows, --busy-core, --help, --dry-run (nothing timed); openblas_bench.py's --cases
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
source "$root/scripts/lib.sh"  # check, checks_done

# --- a copy of the scripts with a fake launcher (its arguments, one per line, appended to $t/calls) and set-up ---
repo="$t/repo"
mkdir -p "$repo/scripts/studies"
cp "$root/scripts/reproduce.sh" "$root/scripts/compare-devices.sh" "$root/scripts/device-check.sh" "$root/scripts/lib.sh" "$repo/scripts/"
cp "$root/scripts/studies/paper.yaml" "$repo/scripts/studies/"
printf '#!/bin/sh\nexit 0\n' > "$repo/scripts/setup.sh"
cat > "$repo/scripts/relu-tornado" <<'EOF'
#!/usr/bin/env bash
# fake launcher: records the call; 'train' refuses an --out that holds a run unless --overwrite, as the CLI does
printf '%s\n' "$@" "--" >> "$CALLS"
if [ "$1" = train ]; then
  out="" overwrite=0 prev=""
  for a in "$@"; do [ "$prev" = --out ] && out=$a; [ "$a" = --overwrite ] && overwrite=1; prev=$a; done
  if [ -f "$out/run.json" ] && [ "$overwrite" = 0 ]; then echo "relu-tornado: $out already holds a run" >&2; exit 2; fi
  mkdir -p "$out" && echo '{}' > "$out/run.json"
elif [ "$1" = compare ]; then
  out=${*: -1}; echo "| table |" > "$out.md"
fi
EOF
chmod +x "$repo/scripts/relu-tornado"
export CALLS="$t/calls"

reproduce() {  # reproduce ARGS...: the keys the study gets, one --set value a line, in $t/sets
  : > "$CALLS"
  bash "$repo/scripts/reproduce.sh" --out "$t/study" "$@" > "$t/out" 2>&1 || return 1
  awk 'prev == "--set" { print } { prev = $0 }' "$CALLS" > "$t/sets"
}
yaml_value() {  # yaml_value KEY: the study key's value as a YAML parser reads it
  python3 -c 'import sys, yaml
for line in open(sys.argv[1]):
    k, _, v = line.rstrip("\n").partition("=")
    if k == sys.argv[2]: print(yaml.safe_load(v))' "$t/sets" "$1"
}

check "reproduce: a switch is not a value taker" reproduce --profile --epochs 2 --engine tornado
check "  profile=true" grep -qx 'profile=true' "$t/sets"
check "  epochs=2" test "$(yaml_value epochs)" = 2
check "  engine=tornado" test "$(yaml_value engine)" = tornado
check "reproduce: a switch last" reproduce --epochs=3 --scale
check "  scale=true, epochs=3" bash -c "grep -qx 'scale=true' '$t/sets' && grep -qx 'epochs=\"3\"' '$t/sets'"
quoted="/data/it's \"here\" \\ too"
check "reproduce: a value with quotes and a backslash" reproduce --data-dir "$quoted"
check "  arrives as typed" test "$(yaml_value data-dir)" = "$quoted"
check "reproduce: --limit -5 (a value that starts with a dash)" reproduce --limit -5
check "  limit=-5" test "$(yaml_value limit)" = -5
check "reproduce: --seeds 5" reproduce --seeds 5
check "  seed=[1,2,3,4,5]" grep -qx 'seed=\[1,2,3,4,5\]' "$t/sets"
check "reproduce: --overwrite refused, --resume named" bash -c "! bash '$repo/scripts/reproduce.sh' --out '$t/s0' --overwrite > '$t/o' 2>&1 && grep -q -- '--resume' '$t/o'"
check "reproduce: --seeds 0 refused" bash -c "! bash '$repo/scripts/reproduce.sh' --out '$t/s0' --seeds 0 > '$t/o' 2>&1 && grep -q -- '--seeds must be' '$t/o'"
check "reproduce: --seeds with --seed refused" bash -c "! bash '$repo/scripts/reproduce.sh' --out '$t/s1' --seed 3 --seeds 2 > '$t/o' 2>&1 && grep -q 'exclude each other' '$t/o'"
check "reproduce: study flags pass through" reproduce --executor slurm --dry-run --set head=relu
check "  --executor slurm --dry-run --set head=relu" bash -c "tr '\n' ' ' < '$CALLS' | grep -q -- '--executor slurm --dry-run --set head=relu'"
mkdir -p "$t/study" && echo '{}' > "$t/study/cells.json"
check "reproduce: an --out holding a study needs --resume" bash -c "! bash '$repo/scripts/reproduce.sh' --out '$t/study' > '$t/o' 2>&1 && grep -q -- '--resume' '$t/o'"
check "reproduce: --resume continues it" reproduce --resume
check "  the study ran" grep -qx 'study' "$CALLS"

# --- compare-devices.sh twice into the same folder ---
: > "$CALLS"
check "compare-devices: first run" bash "$repo/scripts/compare-devices.sh" --devices java,java-parallel --out "$t/cmp"
check "compare-devices: second run into the same folder" bash "$repo/scripts/compare-devices.sh" --devices java,java-parallel --out "$t/cmp"
: > "$CALLS"
check "compare-devices: --tuning FILE" bash "$repo/scripts/compare-devices.sh" --devices java-parallel,0:0 --tuning t.json --out "$t/cmp2"
check "  goes to the device run only" bash -c "test \"\$(grep -c -x -- --tuning '$CALLS')\" = 1 && tr '\n' ' ' < '$CALLS' | grep -q -- '--device 0:0 --tuning t.json'"

: > "$CALLS"
check "compare-devices: --rounds 2" bash "$repo/scripts/compare-devices.sh" --devices java-parallel,0:0 --rounds 2 --out "$t/cmp3"
check "  each device twice, round after round, into round folders" bash -c "test \"\$(awk 'prev == \"--out\" { print } { prev = \$0 }' '$CALLS' | head -4 | tr '\n' ' ')\" = '$t/cmp3/java-parallel/round-1 $t/cmp3/0-0/round-1 $t/cmp3/java-parallel/round-2 $t/cmp3/0-0/round-2 '"
check "  compare gets the rounds" bash -c "tr '\n' ' ' < '$CALLS' | grep -q -- 'compare $t/cmp3/java-parallel/round-1 .* --rounds 2 --out $t/cmp3/compare'"
check "compare-devices: --rounds 0 refused" bash -c "! bash '$repo/scripts/compare-devices.sh' --rounds 0 --out '$t/cmp4' > '$t/o' 2>&1 && grep -q -- '--rounds must be' '$t/o'"

# --- device-check.sh: the tuning flags pass through to device-check, in order, beside --out ---
: > "$CALLS"
check "device-check.sh: tuning flags" bash "$repo/scripts/device-check.sh" --devices 0:0 --tune --tune-budget 2 --tune-models ffnn \
  --tune-seconds 0.1 --tuning t.json --out "$t/dc"
check "  reach device-check with --out" bash -c "tr '\n' ' ' < '$CALLS' | grep -q -- 'device-check --out $t/dc --data-dir .* --devices 0:0 --tune --tune-budget 2 --tune-models ffnn --tune-seconds 0.1 --tuning t.json'"
: > "$CALLS"
check "device-check.sh: --no-tune" bash "$repo/scripts/device-check.sh" --no-tune --out "$t/dc"
check "  reaches device-check" grep -qx -- '--no-tune' "$CALLS"

# --- the launcher, with a fake runtime (a java that prints its arguments) and a fake SDK ---
mkdir -p "$t/rt/bin" "$t/sdk/share/java/tornado" "$t/bin"
printf '#!/bin/sh\necho "$@"\n' > "$t/rt/bin/java" && chmod +x "$t/rt/bin/java"
: > "$t/sdk/tornado-argfile" && : > "$t/sdk/share/java/tornado/tornado-api-5.2.0.jar" && : > "$t/app.jar"
printf 'name: s\nengine: tornado\n' > "$t/tornado.yaml"
printf 'name: s\nengine: [java, java-parallel]\n' > "$t/jvm.yaml"
sdk=$(cd "$t/sdk" && pwd -P)
launch() {  # launch [VAR=value...] -- ARGS...: the fake java's command line in $t/java
  local vars=()
  while [ "$1" != -- ]; do vars+=("$1"); shift; done; shift
  env -i PATH=/usr/bin:/bin HOME="$t" RELU_TORNADO_RUNTIME="$t/rt" RELU_TORNADO_JAR="$t/app.jar" ${vars[@]+"${vars[@]}"} \
    bash "$root/scripts/relu-tornado" "$@" > "$t/java" 2>&1
}
check "launcher: engine: tornado in a study file starts the TornadoVM JVM" launch TORNADO_SDK="$t/sdk" -- study run "$t/tornado.yaml" --out "$t/o"
check "  with the SDK's argfile" grep -qF -- "@$sdk/tornado-argfile" "$t/java"
check "launcher: a study file without tornado" launch TORNADO_SDK="$t/sdk" -- study run "$t/jvm.yaml" --out "$t/o"
check "  starts the plain JVM" bash -c "! grep -qF -- '@' '$t/java'"
check "launcher: tune with an SDK" launch TORNADO_SDK="$t/sdk" -- tune --device 0:0
check "  starts the TornadoVM JVM (the tuner times TornadoVM devices)" grep -qF -- "@$sdk/tornado-argfile" "$t/java"
check "launcher: device-check --tune-budget 2 with an SDK" launch TORNADO_SDK="$t/sdk" -- device-check --tune-budget 2
check "  starts the TornadoVM JVM, the flag passed on" bash -c "grep -qF -- '@$sdk/tornado-argfile' '$t/java' && grep -qF -- 'device-check --tune-budget 2' '$t/java'"
check "launcher: -Xmx8g on the TornadoVM path" launch TORNADO_SDK="$t/sdk" -- train --engine tornado
check "  there" grep -qF -- "-Xmx8g" "$t/java"
check "launcher: RELU_TORNADO_JVM_OPTS after -Xmx8g (plain JVM)" launch RELU_TORNADO_JVM_OPTS="-Xmx2g -Dx=1" -- train --engine java
check "  -Xmx8g -Xmx2g -Dx=1" grep -qF -- "-Xmx8g -Xmx2g -Dx=1" "$t/java"
check "launcher: RELU_TORNADO_JVM_OPTS after -Xmx8g (TornadoVM JVM)" launch TORNADO_SDK="$t/sdk" RELU_TORNADO_JVM_OPTS="-Xmx2g" -- train --engine=tornado
check "  -Xmx8g -Xmx2g" grep -qF -- "-Xmx8g -Xmx2g" "$t/java"

# --- bench.sh: argument handling only (--dry-run stops before anything is built or timed) ---
bench() { bash "$root/scripts/bench.sh" --no-torch --no-tornado "$@" > "$t/bench" 2>&1; }
check "bench.sh --threads 128 (a 128-core node)" bench --threads 128 --dry-run
check "  runs on 128 threads" grep -q 'threads 128' "$t/bench"
for bad in 0 -1 x 1x 007; do
  check "bench.sh --threads $bad refused, named" bash -c "! bash '$root/scripts/bench.sh' --threads '$bad' --dry-run > '$t/o' 2>&1 && grep -q -- '--threads must be' '$t/o'"
done
check "bench.sh --busy-core 0 (a shared node)" bench --busy-core 0 --dry-run
check "  says the core is busy" grep -q "busy loop pinned to core 0" "$t/bench"
for bad in -1 x 4096; do
  check "bench.sh --busy-core $bad refused, named" bash -c "! bash '$root/scripts/bench.sh' --busy-core '$bad' --dry-run > '$t/o' 2>&1 && grep -q -- '--busy-core must be' '$t/o'"
done
check "bench.sh --rounds 0 refused" bash -c "bash '$root/scripts/bench.sh' --rounds 0 2>&1 | grep -q -- '--rounds must be'"
check "bench.sh --gemm-rows 5 refused" bash -c "bash '$root/scripts/bench.sh' --gemm-rows 5 2>&1 | grep -q -- '--gemm-rows must be'"
check "bench.sh unknown flag refused" bash -c "bash '$root/scripts/bench.sh' --fast 2>&1 | grep -q 'unknown argument'"
check "bench.sh --help is its comment block, to the last line" \
  bash -c "bash '$root/scripts/bench.sh' --help | head -1 | grep -q '^Builds the JMH' && bash '$root/scripts/bench.sh' --help | grep -q -- '--dry-run: check the arguments'"
if python3 -c 'import numpy' 2>/dev/null; then
  check "openblas_bench.py --cases bogus refused, named" bash -c "! python3 '$root/scripts/openblas_bench.py' '$t/ob.json' --cases bogus 2>'$t/ob' && grep -q \"unknown case 'bogus'\" '$t/ob'"
fi

checks_done test-scripts
