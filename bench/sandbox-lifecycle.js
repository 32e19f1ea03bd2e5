#!/usr/bin/env node
// Create Sandbox → first result of print(1) on the Docker backend: cold (no pool) against the warm pool.
// Usage: npm run build && node bench/sandbox-lifecycle.js [creates=20]
const { DockerBackend } = require('../dist/nodes/CodeInterpreter/backends/docker/DockerBackend');
const { parseDockerSettings } = require('../dist/nodes/CodeInterpreter/backends/docker/settings');
const { row, runAlone } = require('./lib/report');
const { percentile, time } = require('./lib/stats');
const { runOne } = require('./lib/runOne');

/** Create Sandbox, then print(1) until its output is back; the sandbox is killed afterwards (not timed). */
async function createToFirstResult(backend) {
	const [ms, sandbox] = await time(async () => {
		const created = await backend.create({ timeoutSeconds: 300 });
		const execution = await runOne(backend, created.sandboxId, 'print(1)', { language: 'python', timeoutMs: 60_000 });
		if (execution.logs.stdout.join('') !== '1\n') throw new Error(`print(1) gave ${JSON.stringify(execution)}`);
		return created;
	});
	await backend.kill(sandbox.sandboxId);
	return ms;
}

async function measure(creates = 20) {
	// Limits of their own (1536 MB) keep these pools apart from any other on the machine.
	const cold = new DockerBackend(parseDockerSettings({ poolSize: 0, memoryMb: 1536 }));
	const pooled = new DockerBackend(parseDockerSettings({ poolSize: creates, memoryMb: 1536 }));
	const [fillMs] = await time(() => pooled.pool.refill());

	const coldMs = [];
	for (let i = 0; i < creates; i++) coldMs.push(await createToFirstResult(cold));
	// Each claim starts a background refill, as in n8n: the pool is measured with its refill running.
	const warmMs = [];
	for (let i = 0; i < creates; i++) warmMs.push(await createToFirstResult(pooled));
	await pooled.pool.drain();

	const p = (values) => `p50 ${percentile(values, 50).toFixed(0)} / p90 ${percentile(values, 90).toFixed(0)} ms`;
	return [
		row(
			`Create Sandbox → first result of print(1), ${creates} each`,
			`${p(warmMs)} (warm pool of ${creates}, filled in ${(fillMs / 1000).toFixed(1)} s)`,
			`${p(coldMs)} (cold: no pool)`,
			'warm p50 ≤ 100 ms',
			percentile(warmMs, 50) <= 100,
		),
	];
}

module.exports = { measure };

if (require.main === module) runAlone(() => measure(Number(process.argv[2]) || undefined));
