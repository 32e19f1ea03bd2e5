#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine: installs Debian's docker.io when no dockerd exists,
# starts it detached when it is not running, and waits (bounded) until `docker info` answers.
set -euo pipefail

if docker info >/dev/null 2>&1; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "No Docker engine answers and dockerd is not installed. Install Docker, start it, and run this again." >&2
    exit 1
  fi
  echo "Installing Debian's docker.io ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

if [ "$(id -u)" != 0 ]; then
  echo "The Docker engine is installed but not running, and starting it needs root: start it (systemctl start docker) and run this again." >&2
  exit 1
fi

log="${TMPDIR:-/tmp}/dockerd.log"
echo "Starting dockerd (log: $log) ..."
setsid dockerd >"$log" 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 0.5
done
echo "dockerd did not answer within 30 s; see $log" >&2
tail -20 "$log" >&2
exit 1
