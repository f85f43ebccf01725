#!/usr/bin/env bash
# The test command: sets up the data, then builds and runs every test (unit, kernel, integration).
# With a TornadoVM SDK (TORNADO_SDK, or a standard path) the TornadoVM engine and its tests are included.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/java-env.sh"
source "$root/scripts/tornado-env.sh"
bash "$root/scripts/setup.sh"
bash "$root/scripts/install-chromium.sh" && export RELU_TORNADO_REQUIRE_BROWSER=1  # report.html browser test
bash "$root/scripts/test-bundle-run.sh"   # the bundle's run.sh on a fake bundle (1 s)
bash "$root/scripts/test-scripts.sh"      # reproduce.sh, the launcher, compare-devices.sh, bench.sh: arguments, with fakes
cd "$root"
if [ -n "${TORNADO_SDK:-}" ]; then
  echo "test.sh: TornadoVM SDK at $TORNADO_SDK: building and testing the TornadoVM engine too" >&2
else
  echo "test.sh: no TornadoVM SDK found: TornadoVM engine tests are skipped" >&2
fi
read -r -a flags <<< "$TORNADO_MAVEN_FLAGS"
# a one-node Slurm cluster for the study runner's Slurm test, stopped when the tests end
eval "$(bash "$root/scripts/slurm-local.sh" start)" && export RELU_TORNADO_SLURM_TEST=1 && trap 'bash "$root/scripts/slurm-local.sh" stop' EXIT
mvn -B "${flags[@]}" verify "$@"
