#!/usr/bin/env bash
# `npm test`: the whole suite on a fresh machine: lint and types, unit tests, integration tests against real
# containers, and end-to-end tests in a real n8n with this package installed from `npm pack`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare.sh
# Every n8n version the e2e smoke test runs on (test/e2e/n8nVersions.e2e.test.ts).
for version in $(node -p "require('./package.json').codeInterpreter.testedN8nVersions.join(' ')"); do
  N8N_VERSION="$version" bash scripts/n8n-install.sh >/dev/null
done
bash scripts/debian-tool.sh chromium >/dev/null
bash scripts/debian-tool.sh redis-server >/dev/null
npm run --silent lint
npm run --silent typecheck
# Sandboxes made by the tests, running or paused (a stopped container with status 75); the warm pool's (pool-…,
# warming-…) are kept on purpose.
sandboxes() {
  docker ps -a --filter label=io.n8n.code-interpreter.sandbox-id --format '{{.ID}} {{.Names}} {{.Status}}' \
    | grep -E ' (Up|Exited \(75\))' | grep -Ev ' (pool|warming)-' | cut -d' ' -f1,2 | sort || true
}
before="$(sandboxes)"
npx jest --runInBand "$@"

# The tests clean up after themselves: no sandbox they made may still be running.
left="$(comm -13 <(echo "$before") <(sandboxes))"
if [ -n "$left" ]; then
  echo "Sandboxes left running or paused by the tests (ID, name, created, deadline given at creation, pool):" >&2
  for id in $(echo "$left" | cut -d' ' -f1); do
    docker inspect "$id" --format '{{.Id}} {{.Name}} {{.Created}} {{index .Config.Labels "io.n8n.code-interpreter.expires-at"}} {{index .Config.Labels "io.n8n.code-interpreter.pool"}}' >&2 || true
  done
  exit 1
fi
echo "No sandbox left running or paused by the tests."
