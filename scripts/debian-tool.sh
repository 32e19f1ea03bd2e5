#!/usr/bin/env bash
# Makes sure a tool the tests drive comes from Debian's packages, and prints the path of its binary on stdout.
# Idempotent: installs with apt only when the binary is missing.
# Usage: debian-tool.sh chromium      (the screenshot test drives it with playwright-core)
#        debian-tool.sh redis-server  (the queue-mode test's job queue)
set -euo pipefail
package="${1:?usage: debian-tool.sh chromium|redis-server}"
case "$package" in
  # The binary itself: /usr/bin/chromium is a wrapper script that adds flags of its own.
  chromium) binary=/usr/lib/chromium/chromium ;;
  redis-server) binary=/usr/bin/redis-server ;;
  *) echo "debian-tool.sh: unknown tool $package" >&2; exit 2 ;;
esac

# Quiet unless it fails (apt's debconf and needrestart chatter on stderr even when all went well).
install() {
  local output
  output="$(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" 2>&1)" || {
    echo "$output" >&2
    return 1
  }
}

if ! [ -x "$binary" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "$package is not installed and installing it needs root: apt-get install $package, and run this again." >&2
    exit 1
  fi
  echo "Installing Debian's $package ..." >&2
  # Package lists that are missing or stale (a removed version gives a 404) are refreshed, once.
  if ! apt-cache show "$package" >/dev/null 2>&1 || ! install; then
    apt-get update -qq >&2
    install
  fi
fi
echo "$binary"
