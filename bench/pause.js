#!/usr/bin/env node
// Pause and Resume on Docker, for a sandbox holding 500 MB of DataFrames: how long each takes, and the memory and disk
// the sandbox holds running and paused, side by side with a fresh create plus recomputing the same state.
// Usage: npm run build && node bench/pause.js [rounds=3]
const Docker = require('dockerode');

const { DockerBackend } = require('../dist/nodes/CodeInterpreter/backends/docker/DockerBackend');
const { parseDockerSettings } = require('../dist/nodes/CodeInterpreter/backends/docker/settings');
const { DEFAULT_IMAGE } = require('../dist/nodes/CodeInterpreter/packageInfo');
const { row, runAlone } = require('./lib/report');
const { percentile, time } = require('./lib/stats');
const { runOne } = require('./lib/runOne');

const MiB = 1024 * 1024;
// Five DataFrames of 1.25 million rows by 10 float columns: 100 MB each.
const STATE = 'import numpy as np, pandas as pd\nframes = [pd.DataFrame(np.random.default_rng(i).random((1_250_000, 10))) for i in range(5)]';
const CHECK = 'print(sum(frame.memory_usage(index=False).sum() for frame in frames) // 1_000_000)';

async function python(backend, sandboxId, code) {
	const execution = await runOne(backend, sandboxId, code, { language: 'python', timeoutMs: 300_000 });
	if (execution.error) throw new Error(`${execution.error.name}: ${execution.error.value}`);
	return execution.logs.stdout.join('');
}

async function containerOf(docker, sandboxId) {
	const [found] = await docker.listContainers({ all: true, filters: { label: [`io.n8n.code-interpreter.sandbox-id=${sandboxId}`] } });
	return docker.getContainer(found.Id);
}

/** Memory without the page cache, as `docker stats` shows it; 0 for a container that is not running. */
async function memoryMiB(container) {
	if (!(await container.inspect()).State.Running) return 0;
	const stats = await container.stats({ stream: false });
	const cache = stats.memory_stats.stats?.inactive_file ?? stats.memory_stats.stats?.total_inactive_file ?? 0;
	return (stats.memory_stats.usage - cache) / MiB;
}

/** The bytes in the container's store volume, counted by a throwaway container of the same image. */
async function storeMiB(docker, container) {
	const volume = (await container.inspect()).Mounts.find((mount) => mount.Destination === '/run/sandbox/store').Name;
	const counter = await docker.createContainer({ Image: DEFAULT_IMAGE, Entrypoint: ['du', '-sb', '/store'], HostConfig: { Binds: [`${volume}:/store:ro`] } });
	try {
		await counter.start();
		await counter.wait();
		const logs = (await counter.logs({ stdout: true })).toString().replace(/[\x00-\x08]/g, '');
		return Number(/(\d+)\s+\/store/.exec(logs)[1]) / MiB;
	} finally {
		await counter.remove({ force: true });
	}
}

async function measure(rounds = 3) {
	const docker = new Docker();
	const backend = new DockerBackend(parseDockerSettings({ poolSize: 0 }));
	const figures = { pause: [], resume: [], recreate: [], running: [], paused: [], disk: [] };
	for (let round = 0; round < rounds; round++) {
		const { sandboxId } = await backend.create({ timeoutSeconds: 900 });
		try {
			await python(backend, sandboxId, STATE);
			const container = await containerOf(docker, sandboxId);
			figures.running.push(await memoryMiB(container));
			figures.pause.push((await time(() => backend.pause(sandboxId)))[0]);
			figures.paused.push(await memoryMiB(container));
			figures.disk.push(await storeMiB(docker, container));
			const [resumeMs, size] = await time(async () => {
				await backend.resume(sandboxId, 900);
				return await python(backend, sandboxId, CHECK);
			});
			if (size.trim() !== '500') throw new Error(`the resumed sandbox holds ${size.trim()} MB of DataFrames, not 500`);
			figures.resume.push(resumeMs);
		} finally {
			await backend.kill(sandboxId);
		}
		const [recreateMs, fresh] = await time(async () => {
			const created = await backend.create({ timeoutSeconds: 900 });
			await python(backend, created.sandboxId, STATE);
			await python(backend, created.sandboxId, CHECK);
			return created;
		});
		figures.recreate.push(recreateMs);
		await backend.kill(fresh.sandboxId);
	}
	const p50 = (values, unit, digits = 0) => `${percentile(values, 50).toFixed(digits)} ${unit}`;
	const label = `${rounds} rounds, 500 MB of DataFrames (5 × 100 MB), Docker`;
	return [
		row(`Pause Sandbox, ${label}`, `p50 ${p50(figures.pause, 'ms')}`, ''),
		row(`Resume Sandbox → first result using the state, ${label}`, `p50 ${p50(figures.resume, 'ms')}`, `p50 ${p50(figures.recreate, 'ms')} (fresh Create Sandbox, no pool, + recomputing the state)`),
		row(`memory held, ${label}`, `paused: p50 ${p50(figures.paused, 'MiB')} (no running container)`, `running: p50 ${p50(figures.running, 'MiB')}`),
		row(`disk held while paused (the store volume), ${label}`, `p50 ${p50(figures.disk, 'MiB')}`, 'running: 0 MiB (the state lives in memory and tmpfs)'),
	];
}

module.exports = { measure };

if (require.main === module) runAlone(() => measure(Number(process.argv[2]) || undefined));
