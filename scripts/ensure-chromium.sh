#!/usr/bin/env bash
# The browser test drives Debian's Chromium at /usr/bin/chromium: install it when missing and we may (root + apt),
# otherwise say why that one test will skip. Playwright's own browser download is never used (no internet).
set -uo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium package for the browser test" >&2
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
    exit 0
  fi
  echo "Could not install chromium: the browser test will skip (and fail under CI=true)." >&2
else
  echo "/usr/bin/chromium is missing and we are not root: the browser test will skip (apt-get install chromium)." >&2
fi
exit 0
