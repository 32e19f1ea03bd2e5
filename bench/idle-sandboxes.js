#!/usr/bin/env node
// Idle sandboxes on the Docker backend: memory of one (its Python kernel started and idle), and how many run at once
// before anything fails — up to a cap (default 50). Usage: npm run build && node bench/idle-sandboxes.js [cap=50]
const { DockerBackend } = require('../dist/nodes/CodeInterpreter/backends/docker/DockerBackend');
const { parseDockerSettings } = require('../dist/nodes/CodeInterpreter/backends/docker/settings');
const Docker = require('dockerode');

const { row, runAlone } = require('./lib/report');
const { runOne } = require('./lib/runOne');

const MiB = 1024 * 1024;

/** The container's memory use as `docker stats` shows it: usage without the page cache. */
async function memoryMiB(docker, sandboxId) {
	// The container's name also holds its credential's scope: find it by its label.
	const [container] = await docker.listContainers({ filters: { label: [`io.n8n.code-interpreter.sandbox-id=${sandboxId}`] } });
	const stats = await docker.getContainer(container.Id).stats({ stream: false });
	const cache = stats.memory_stats.stats?.inactive_file ?? stats.memory_stats.stats?.total_inactive_file ?? 0;
	return (stats.memory_stats.usage - cache) / MiB;
}

async function measure(cap = 50) {
	const backend = new DockerBackend(parseDockerSettings({ poolSize: 0 }));
	const docker = new Docker();
	const sandboxes = [];
	let failure;
	try {
		while (sandboxes.length < cap) {
			const sandbox = await backend.create({ timeoutSeconds: 1800 });
			sandboxes.push(sandbox);
			const execution = await runOne(backend, sandbox.sandboxId, '1 + 1', { language: 'python', timeoutMs: 60_000 });
			if (execution.results[0]?.text !== '2') throw new Error(`sandbox ${sandboxes.length} answered ${JSON.stringify(execution)}`);
		}
	} catch (error) {
		failure = error;
	}
	// Every sandbox still answers once all are up.
	const answering = await Promise.all(
		sandboxes.map((sandbox) =>
			runOne(backend, sandbox.sandboxId, '1 + 1', { language: 'python', timeoutMs: 60_000 }).then(
				(execution) => execution.results[0]?.text === '2',
				() => false,
			),
		),
	);
	await new Promise((resolve) => setTimeout(resolve, 2_000));
	const memory = (await Promise.all(sandboxes.map((sandbox) => memoryMiB(docker, sandbox.sandboxId)))).sort((a, b) => a - b);
	await Promise.all(sandboxes.map((sandbox) => backend.kill(sandbox.sandboxId).catch(() => undefined)));

	const p50 = memory[Math.floor(memory.length / 2)];
	const answered = answering.filter(Boolean).length;
	return [
		row('memory of one idle sandbox (Python kernel started)', `p50 ${p50.toFixed(0)} MiB, max ${memory.at(-1).toFixed(0)} MiB`, '', '≤ 100 MiB', p50 <= 100),
		row(
			`idle sandboxes running at once (cap ${cap})`,
			`${sandboxes.length}${failure ? ` (then: ${failure.message})` : ''}, ${answered} answering with all up; ${(memory.reduce((sum, value) => sum + value, 0) / 1024).toFixed(2)} GiB together`,
			'',
			'50',
			sandboxes.length >= 50 && answered === sandboxes.length,
		),
	];
}

module.exports = { measure };

if (require.main === module) runAlone(() => measure(Number(process.argv[2]) || undefined));
