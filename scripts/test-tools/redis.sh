#!/usr/bin/env bash
# redis-server for the shared-backend tests (tests/shared/): the suite starts its own server on a free
# loopback port and stops it. Debian's redis-server package is used (installed with apt-get when
# running as root): a real server, the same one users run, with no binary downloaded from elsewhere.
# It must be built with TLS (Debian's is, since Redis 6): the rediss:// tests start it with --tls-port.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends redis-server >/dev/null
    # The package starts a system service on some hosts; the tests never use it.
    if command -v redis-server >/dev/null 2>&1; then
        exit 0
    fi
fi
echo "redis-server is missing: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)" >&2
exit 1
