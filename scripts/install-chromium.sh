#!/usr/bin/env bash
# Installs Debian's chromium for the report browser test (ReportBrowserTest): headless, no GPU, no network.
# Does nothing when a chromium is already on PATH. Needs root (CI runs as root) or passwordless sudo.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo -n"; fi
echo "install-chromium.sh: installing Debian chromium (report browser test)" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 || true
$sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
