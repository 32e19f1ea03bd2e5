import Docker from 'dockerode';
import { execFile } from 'child_process';
import { join } from 'path';
import { promisify } from 'util';

import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { LABELS } from '../../nodes/CodeInterpreter/backends/docker/labels';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';
import { runOne } from '../helpers/runOne';

/** The warm pool, with limits of its own (memory 640 MB) so that its pool is apart from every other test's. */
const credential = { poolSize: 20, memoryMb: 640 };
const backend = new DockerBackend(parseDockerSettings(credential));
const docker = new Docker();
const run = promisify(execFile);

async function poolContainers(): Promise<Docker.ContainerInfo[]> {
	return await docker.listContainers({ all: true, filters: { label: [`${LABELS.pool}=${backend.pool.key}`] } });
}

afterAll(async () => await backend.pool.drain(), 120_000);

test('20 concurrent claims from two processes get 20 distinct sandboxes, all taken from the pool', async () => {
	const filling = Date.now();
	await backend.pool.refill();
	console.log(`warm pool of 20 filled in ${Date.now() - filling} ms`);
	const ready = (await poolContainers()).filter((c) => c.Names[0].startsWith('/pool-'));
	expect(ready).toHaveLength(20);

	const script = join(__dirname, '..', 'helpers', 'claimSandboxes.js');
	const processes = await Promise.all([0, 1].map(() => run(process.execPath, [script, JSON.stringify(credential), '10'])));
	const claims = processes.flatMap(({ stdout }) => JSON.parse(stdout.trim()) as Array<{ sandboxId: string; ms: number }>);
	const ids = claims.map((claim) => claim.sandboxId);
	expect(ids).toHaveLength(20);
	expect(new Set(ids).size).toBe(20);
	// Each is one of the pool's containers, renamed out of it: the pool's 20 are exactly the 20 claimed.
	expect(ids.sort()).toEqual(ready.map((c) => c.Names[0].replace('/pool-', '')).sort());
	const ms = claims.map((claim) => claim.ms).sort((a, b) => a - b);
	console.log(`20 concurrent claims (2 processes × 10): p50 ${ms[10]} ms, max ${ms[19]} ms`);

	// Each works, as a sandbox of its own.
	const executions = await Promise.all(ids.map((id) => runOne(backend, id, `import os\nos.getpid(), "${id}"`, { language: 'python', timeoutMs: 30_000 })));
	executions.forEach((execution, index) => expect(executionText(execution)).toContain(ids[index]));
	await Promise.all(ids.map((id) => backend.kill(id)));
}, 600_000);

test('a claimed sandbox has its own deadline and creation time, a warm kernel, and a fresh execution count', async () => {
	await backend.pool.refill();
	const before = Date.now();
	const sandbox = await backend.create({ timeoutSeconds: 90 });
	try {
		expect(Date.parse(sandbox.createdAt)).toBeGreaterThanOrEqual(before - 1_000);
		expect(Math.abs(Date.parse(sandbox.expiresAt) - (before + 90_000))).toBeLessThan(5_000);
		const listed = (await backend.list()).find((s) => s.sandboxId === sandbox.sandboxId);
		expect(listed).toMatchObject({ createdAt: sandbox.createdAt });
		expect(Math.abs(Date.parse(listed!.expiresAt) - Date.parse(sandbox.expiresAt))).toBeLessThan(1_500);
		const first = await runOne(backend, sandbox.sandboxId, 'import sys\n"pandas" in sys.modules', { language: 'python', timeoutMs: 10_000 });
		expect(executionText(first)).toBe('True');
		expect(first.executionCount).toBe(1);
		// Unclaimed pool sandboxes are nobody's: Get Many does not list them.
		const poolIds = (await poolContainers()).filter((c) => c.State === 'running' && c.Names[0].startsWith('/pool-')).map((c) => c.Names[0].slice('/pool-'.length));
		expect(poolIds.length).toBeGreaterThan(0);
		expect((await backend.list()).map((s) => s.sandboxId)).not.toEqual(expect.arrayContaining([poolIds[0]]));
	} finally {
		await backend.kill(sandbox.sandboxId);
	}
}, 600_000);

test('options a pool sandbox does not have (internet access, variables) start a sandbox instead', () => {
	expect(backend.pool.serves({ timeoutSeconds: 60 })).toBe(true);
	expect(backend.pool.serves({ timeoutSeconds: 60, internetAccess: true })).toBe(false);
	expect(backend.pool.serves({ timeoutSeconds: 60, envs: { A: '1' } })).toBe(false);
	expect(new DockerBackend(parseDockerSettings({ poolSize: 0 })).pool.serves({ timeoutSeconds: 60 })).toBe(false);
});
