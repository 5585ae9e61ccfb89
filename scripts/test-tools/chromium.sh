#!/usr/bin/env bash
# Headless Chromium for the browser tests (tests/browser/). Uses an existing chromium,
# chromium-browser or google-chrome; otherwise installs Debian's `chromium` package when root.
set -euo pipefail
for candidate in "${ASA2_CHROMIUM:-}" chromium chromium-browser google-chrome google-chrome-stable; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
        exit 0
    fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
    command -v chromium >/dev/null 2>&1 && exit 0
fi
echo "chromium.sh: no Chromium found; install Debian's 'chromium' package (apt-get install chromium) or set ASA2_CHROMIUM" >&2
exit 1
