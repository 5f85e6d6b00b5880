#!/usr/bin/env bash
# Tests and benchmarks start Debian's redis-server on a free port in a temp dir: install it when missing and we
# may (root + apt); otherwise the Redis tests skip with the reason (and fail under CI=true).
set -uo pipefail

if command -v redis-server >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's redis-server package for the shared-cache tests" >&2
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; then
    exit 0
  fi
  echo "Could not install redis-server: the shared-cache tests will skip (and fail under CI=true)." >&2
else
  echo "redis-server is missing and we are not root: the shared-cache tests will skip (apt-get install redis-server)." >&2
fi
exit 0
