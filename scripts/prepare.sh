#!/usr/bin/env bash
# Everything `npm start` and `npm test` need, made idempotent: dependencies, a running Docker engine,
# the build, the sandbox image (rebuilt only when template/ changed) and n8n (installed once into a cache).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/step.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "install the project's dependencies" npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/docker-engine.sh
step "build the package" npm run --silent build
node scripts/template-build.js --if-stale
