#!/usr/bin/env node
// Create Sandbox → first result of print(1) on the Docker backend: cold (no pool) against the warm pool, then warm runs.
// Usage: npm run build && node bench/sandbox-lifecycle.js [creates=20] [warmRuns=50]
const { DockerBackend } = require('../dist/nodes/CodeInterpreter/backends/docker/DockerBackend');
const { parseDockerSettings } = require('../dist/nodes/CodeInterpreter/backends/docker/connection');

const creates = Number(process.argv[2] ?? 20);
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

/** Create Sandbox, then print(1) until its output is back; the sandbox is killed afterwards (not timed). */
async function createToFirstResult(backend) {
	const [ms, sandbox] = await time(async () => {
		const created = await backend.create({ timeoutSeconds: 300 });
		const execution = await backend.runCode(created.sandboxId, 'print(1)', { language: 'python', timeoutMs: 60_000 });
		if (execution.logs.stdout.join('') !== '1\n') throw new Error(`print(1) gave ${JSON.stringify(execution)}`);
		return created;
	});
	await backend.kill(sandbox.sandboxId);
	return ms;
}

async function main() {
	// @jupyterlab/services logs every WebSocket it opens.
	console.debug = () => {};
	const log = console.log;
	console.log = (...args) => (String(args[0]).startsWith('Starting WebSocket') ? undefined : log(...args));

	// Limits of their own (1536 MB) keep these pools apart from any other on the machine.
	const cold = new DockerBackend(parseDockerSettings({ poolSize: 0, memoryMb: 1536 }));
	const pooled = new DockerBackend(parseDockerSettings({ poolSize: creates, memoryMb: 1536 }));
	const [fillMs] = await time(() => pooled.pool.refill());

	const coldMs = [];
	for (let i = 0; i < creates; i++) coldMs.push(await createToFirstResult(cold));
	// Each claim starts a background refill, as in n8n: the pool is measured with its refill running.
	const warmMs = [];
	for (let i = 0; i < creates; i++) warmMs.push(await createToFirstResult(pooled));

	const sandbox = await cold.create({ timeoutSeconds: 300 });
	const run = (code) => cold.runCode(sandbox.sandboxId, code, { language: 'python', timeoutMs: 30_000 });
	await run('x = 1');
	const runMs = [];
	for (let j = 0; j < warmRuns; j++) runMs.push((await time(() => run('x + 1')))[0]);
	await cold.kill(sandbox.sandboxId);
	await pooled.pool.drain();

	const row = (name, values) =>
		`| ${name.padEnd(44)} | ${String(values.length).padStart(3)} | ${percentile(values, 50).toFixed(0).padStart(6)} | ${percentile(values, 90).toFixed(0).padStart(6)} |`;
	log(`warm pool of ${creates} filled in ${(fillMs / 1000).toFixed(1)} s`);
	log('| Docker backend, this machine                  |   n | p50 ms | p90 ms |');
	log('|----------------------------------------------|-----|--------|--------|');
	log(row('Create → first result of print(1), cold', coldMs));
	log(row('Create → first result of print(1), warm pool', warmMs));
	log(row('warm Python run (x + 1)', runMs));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
