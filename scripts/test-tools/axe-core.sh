#!/usr/bin/env bash
# axe-core (the WCAG rules engine the browser tests inject into pages), from npm into .tools/node/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PREFIX="$ROOT/.tools/node"
VERSION="4.10.3"
if [ -f "$PREFIX/node_modules/axe-core/axe.min.js" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends npm >/dev/null
    else
        echo "axe-core.sh: npm is missing; install Node.js and npm" >&2
        exit 1
    fi
fi
mkdir -p "$PREFIX"
npm install --prefix "$PREFIX" --no-audit --no-fund --silent "axe-core@$VERSION"
test -f "$PREFIX/node_modules/axe-core/axe.min.js"
