#!/usr/bin/env node
// Create Sandbox with Packages (one wheel from a package index of the benchmark's own, on a Docker network it
// creates; no public index here) against the same create without them, both cold (sandboxes with packages never come
// from the warm pool), to the first result of print(1).
// Usage: npm run build && node bench/packages.js [creates=10]
const { execFileSync } = require('child_process');

const { DockerBackend } = require('../dist/nodes/CodeInterpreter/backends/docker/DockerBackend');
const { parseDockerSettings } = require('../dist/nodes/CodeInterpreter/backends/docker/settings');
const { startPackageIndex } = require('../test/helpers/packageIndex');
const { row, runAlone } = require('./lib/report');
const { percentile, time } = require('./lib/stats');
const { runOne } = require('./lib/runOne');

async function createToFirstResult(backend, packages) {
	const [ms, sandbox] = await time(async () => {
		const created = await backend.create({ timeoutSeconds: 300, packages });
		const execution = await runOne(backend, created.sandboxId, 'print(1)', { language: 'python', timeoutMs: 60_000 });
		if (execution.logs.stdout.join('') !== '1\n') throw new Error(`print(1) gave ${JSON.stringify(execution)}`);
		return created;
	});
	await backend.kill(sandbox.sandboxId);
	return ms;
}

async function measure(creates = 10) {
	const network = `n8n-bench-index-${process.pid}`;
	execFileSync('docker', ['network', 'create', network]);
	const index = await startPackageIndex(network).catch((error) => {
		execFileSync('docker', ['network', 'rm', network]);
		throw error;
	});
	try {
		const backend = new DockerBackend(parseDockerSettings({ jupyterAccess: 'containerAddress', network, poolSize: 0, packageIndexUrl: index.pythonIndexUrl }));
		const plain = [];
		const withPackages = [];
		// Interleaved, so that both see the same machine.
		for (let i = 0; i < creates; i++) {
			plain.push(await createToFirstResult(backend, []));
			withPackages.push(await createToFirstResult(backend, ['n8n-test-pkg==1.0']));
		}
		const p = (values) => `p50 ${percentile(values, 50).toFixed(0)} / p90 ${percentile(values, 90).toFixed(0)} ms`;
		return [row(`Create Sandbox with Packages (1 wheel, local index) → first result of print(1), ${creates} each`, p(withPackages), `${p(plain)} (no packages; both cold)`)];
	} finally {
		index.stop();
		execFileSync('docker', ['network', 'rm', network]);
	}
}

module.exports = { measure };

if (require.main === module) runAlone(() => measure(Number(process.argv[2]) || undefined));
