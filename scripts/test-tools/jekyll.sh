#!/usr/bin/env bash
# Jekyll 4.3 from Debian's packages for the real-generator tests (apt-get when root).
set -euo pipefail
if command -v jekyll >/dev/null 2>&1 && jekyll --version 2>/dev/null | grep -q '^jekyll 4\.'; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends jekyll >/dev/null
else
    echo "jekyll.sh: Jekyll 4 is missing; install it as root with 'apt-get install jekyll'" >&2
    exit 1
fi
jekyll --version >/dev/null || { echo "jekyll.sh: jekyll did not install" >&2; exit 1; }
