#!/usr/bin/env bash
# Makes sure Debian's chromium is installed (the screenshot test drives it with playwright-core) and prints the
# path of its browser binary on stdout. Idempotent: installs with apt only when it is missing.
set -euo pipefail
# The binary itself: /usr/bin/chromium is a wrapper script that adds flags of its own.
binary=/usr/lib/chromium/chromium

# Quiet unless it fails (apt's debconf and needrestart chatter on stderr even when all went well).
install() {
  local output
  output="$(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium 2>&1)" || {
    echo "$output" >&2
    return 1
  }
}

if ! [ -x "$binary" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Chromium is not installed and installing it needs root: apt-get install chromium, and run this again." >&2
    exit 1
  fi
  echo "Installing Debian's chromium ..." >&2
  # Package lists that are missing or stale (a removed version gives a 404) are refreshed, once.
  if ! apt-cache show chromium >/dev/null 2>&1 || ! install; then
    apt-get update -qq >&2
    install
  fi
fi
echo "$binary"
