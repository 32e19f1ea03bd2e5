#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine: installs Debian's docker.io when no dockerd exists,
# starts it detached when it is not running, and waits (bounded) until `docker info` answers.
#
# An engine this script starts runs the way a systemd install of Docker does with live-restore: containerd on its
# own and dockerd with --live-restore, so that sandboxes keep running while the engine restarts.
# `docker-engine.sh --restart` restarts an engine this script started (the engine-restart test uses it) and
# refuses to touch any other.
set -euo pipefail

state_dir="${TMPDIR:-/tmp}"
pid_file="$state_dir/n8n-code-interpreter-dockerd.pid"
containerd_socket=/run/containerd/containerd.sock

wait_for_engine() {
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  echo "dockerd did not answer within 30 s; see $state_dir/dockerd.log" >&2
  tail -20 "$state_dir/dockerd.log" >&2
  return 1
}

start_dockerd() {
  if ! [ -S "$containerd_socket" ] || ! pgrep -x containerd >/dev/null; then
    setsid containerd >"$state_dir/containerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 40); do
      [ -S "$containerd_socket" ] && break
      sleep 0.25
    done
  fi
  echo "Starting dockerd (log: $state_dir/dockerd.log) ..."
  setsid dockerd --live-restore --containerd="$containerd_socket" >"$state_dir/dockerd.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  wait_for_engine
}

if [ "${1:-}" = "--restart" ]; then
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  if [ -z "$pid" ] || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]; then
    echo "The running Docker engine was not started by this script: not restarting it." >&2
    exit 2
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  start_dockerd
  exit 0
fi

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

start_dockerd
