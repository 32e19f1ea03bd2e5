#!/usr/bin/env bash
# `npm test`: the whole suite on a fresh machine: lint and types, unit tests, integration tests against real
# containers, and end-to-end tests in a real n8n with this package installed from `npm pack`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare.sh
bash scripts/n8n-install.sh >/dev/null
npm run --silent lint
npm run --silent typecheck
npx jest --runInBand "$@"
