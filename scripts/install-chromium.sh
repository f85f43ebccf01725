#!/usr/bin/env bash
# Installs Debian's chromium for the report browser test (ReportBrowserTest): headless, no GPU, no network.
# Does nothing when a chromium is already on PATH. Needs root (CI runs as root) or passwordless sudo.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
echo "install-chromium.sh: installing Debian chromium (report browser test)" >&2
apt_get update -qq >&2 || true
apt_get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
