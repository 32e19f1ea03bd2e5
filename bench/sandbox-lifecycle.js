#!/usr/bin/env node
// Times the Docker backend's sandbox lifecycle: create, the first Python run (starts the kernel) and warm runs.
// Usage: npm run build && node bench/sandbox-lifecycle.js [sandboxes=5] [warmRuns=50]
const { DockerBackend } = require('../dist/nodes/CodeInterpreter/backends/docker/DockerBackend');
const { parseDockerSettings } = require('../dist/nodes/CodeInterpreter/backends/docker/connection');

const sandboxes = Number(process.argv[2] ?? 5);
const warmRuns = Number(process.argv[3] ?? 50);

const percentile = (values, p) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function time(fn) {
	const started = process.hrtime.bigint();
	const value = await fn();
	return [Number(process.hrtime.bigint() - started) / 1e6, value];
}

async function main() {
	// Silence @jupyterlab/services' per-connection debug line so the table stays readable.
	console.debug = () => {};
	const backend = new DockerBackend(parseDockerSettings({}));
	const create = [];
	const first = [];
	const warm = [];
	for (let i = 0; i < sandboxes; i++) {
		const [createMs, sandbox] = await time(() => backend.create({ timeoutSeconds: 300 }));
		create.push(createMs);
		const run = (code) => backend.runCode(sandbox.sandboxId, code, { language: 'python', timeoutMs: 30_000 });
		first.push((await time(() => run('x = 1')))[0]);
		for (let j = 0; j < warmRuns / sandboxes; j++) warm.push((await time(() => run('x + 1')))[0]);
		await backend.kill(sandbox.sandboxId);
	}
	const row = (name, values) =>
		`| ${name.padEnd(34)} | ${String(values.length).padStart(3)} | ${percentile(values, 50).toFixed(0).padStart(6)} | ${percentile(values, 90).toFixed(0).padStart(6)} |`;
	console.log('| Docker backend, this machine        |   n | p50 ms | p90 ms |');
	console.log('|------------------------------------|-----|--------|--------|');
	console.log(row('Create Sandbox (cold container)', create));
	console.log(row('first Python run (kernel start)', first));
	console.log(row('warm Python run (x + 1)', warm));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
