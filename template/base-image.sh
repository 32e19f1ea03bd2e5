#!/usr/bin/env bash
# Makes the template's base image from Debian packages, for machines that cannot pull it from Docker Hub.
# Usage: base-image.sh TAG   (e.g. debian:bookworm-slim; the tag the Dockerfile's FROM names)
# The mirror is the one this machine's apt already uses, so nothing here names a host.
set -euo pipefail
tag="${1:?usage: base-image.sh TAG}"
suite="${SUITE:-bookworm}"

if [ "$(id -u)" != 0 ]; then
  echo "Making the base image with debootstrap needs root. Run as root, or pull $tag from a registry." >&2
  exit 1
fi

mirror="$(grep -rhoE '(URIs:|deb)[[:space:]]+https?://[^[:space:]]+/debian/?([[:space:]]|$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
  | grep -oE 'https?://[^[:space:]]+' | head -1 || true)"
if [ -z "$mirror" ]; then
  echo "No Debian mirror found in /etc/apt sources; cannot make the base image." >&2
  exit 1
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
echo "debootstrap $suite from $mirror ..."
debootstrap --variant=minbase "$suite" "$root" "$mirror" >/dev/null
# Same apt source inside the image as on this machine, so `apt-get install` in the Dockerfile uses it.
echo "deb $mirror $suite main" > "$root/etc/apt/sources.list"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import - "$tag" >/dev/null
echo "Imported $tag"
