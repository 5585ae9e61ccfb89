#!/usr/bin/env bash
# Eleventy 3.1 (npm) for the real-generator tests: installed into .tools/node/ (never globally).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PREFIX="$ROOT/.tools/node"
BIN="$PREFIX/node_modules/.bin/eleventy"
if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q '^3\.1\.'; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
        echo "eleventy.sh: npm is missing; install Node.js >= 18 and npm (Debian: apt-get install nodejs npm)" >&2
        exit 1
    fi
fi
mkdir -p "$PREFIX"
[ -f "$PREFIX/package.json" ] || echo '{"private": true}' > "$PREFIX/package.json"
npm install --prefix "$PREFIX" --no-audit --no-fund --silent '@11ty/eleventy@~3.1.0' >/dev/null
"$BIN" --version >/dev/null || { echo "eleventy.sh: eleventy did not install into $PREFIX" >&2; exit 1; }
