#!/usr/bin/env bash
# Installs Verdaccio (a private npm registry: the end-to-end tests publish this package to one and have n8n install it
# from there) into a cache folder outside the repo, once per version. Prints the install folder on stdout.
# VERDACCIO_VERSION and CODE_INTERPRETER_CACHE override the defaults. An install counts as done only when Verdaccio,
# started from it on the Node that runs this script, answers its ping; a half-finished one is made again.
set -euo pipefail
# 6.8.0: 6.9 and later want Node 22, and this machine's Node is 20.
version="${VERDACCIO_VERSION:-6.8.0}"
cache="${CODE_INTERPRETER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-code-interpreter}"
dir="$cache/verdaccio-$version"

# Starts Verdaccio on a free port of 127.0.0.1 with an empty storage and no uplink, waits (20 s at most) for /-/ping,
# and stops it; on failure prints why and the end of Verdaccio's output.
starts() {
  (cd "$dir" && node -e "
    const { spawn } = require('child_process');
    const { mkdtempSync, rmSync, writeFileSync } = require('fs');
    const { createServer } = require('net');
    const { tmpdir } = require('os');
    const { join } = require('path');
    const folder = mkdtempSync(join(tmpdir(), 'verdaccio-check-'));
    writeFileSync(join(folder, 'config.yaml'), JSON.stringify({
      storage: join(folder, 'storage'), packages: { '**': { access: '\$all' } }, web: { enable: false }, log: { type: 'stdout', level: 'warn' },
    }));
    createServer().listen(0, '127.0.0.1', function () {
      const { port } = this.address();
      this.close(() => check(port));
    });
    function check(port) {
      let output = '';
      const child = spawn(process.execPath, [require.resolve('verdaccio/bin/verdaccio'), '--config', join(folder, 'config.yaml'), '--listen', '127.0.0.1:' + port]);
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const finish = (problem) => {
        child.kill('SIGKILL');
        rmSync(folder, { recursive: true, force: true });
        if (problem) console.error(problem + '\n' + output.slice(-4000));
        process.exit(problem ? 1 : 0);
      };
      child.once('exit', (code, signal) => finish('Verdaccio exited (' + (code ?? signal) + ') before it answered:'));
      const deadline = Date.now() + 20000;
      const poll = () =>
        fetch('http://127.0.0.1:' + port + '/-/ping', { signal: AbortSignal.timeout(1000) }).then(
          (response) => (response.ok ? finish() : retry()),
          () => retry(),
        );
      const retry = () => (Date.now() > deadline ? finish('Verdaccio did not answer /-/ping within 20 s:') : setTimeout(poll, 200));
      poll();
    }
  " 2>&1)
}

if [ -f "$dir/.complete" ] && [ -f "$dir/node_modules/verdaccio/bin/verdaccio" ]; then
  echo "$dir"
  exit 0
fi

source "$(dirname "$0")/lib/step.sh"
step_where="$dir"

rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
# verdaccio-audit asks for node-fetch at the dist-tag "cjs", which the registry mirror here lacks: pin what it points to.
echo '{ "name": "verdaccio-runtime", "private": true, "overrides": { "node-fetch": "2.7.0" } }' > package.json
echo "Installing Verdaccio $version into $dir (seconds, once) ..." >&2
step "install Verdaccio $version" npm install --no-audit --no-fund --loglevel=error --ignore-scripts "verdaccio@$version"
if ! problem="$(starts)"; then
  echo "Installing Verdaccio failed: it does not start from $dir under $(node --version):" >&2
  echo "$problem" | tail -40 >&2
  exit 1
fi
touch .complete
echo "$dir"
