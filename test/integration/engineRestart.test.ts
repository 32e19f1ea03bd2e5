import { execFile } from 'child_process';
import { readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import Docker from 'dockerode';

import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';
import { runOne } from '../helpers/runOne';

const ENGINE_SCRIPT = join(__dirname, '..', '..', 'scripts', 'docker-engine.sh');

/** Only an engine that scripts/docker-engine.sh started (with live-restore) may be restarted by a test. */
function engineStartedByOurScript(): boolean {
	try {
		const pid = readFileSync(join(process.env.TMPDIR ?? tmpdir(), 'n8n-code-interpreter-dockerd.pid'), 'utf8').trim();
		return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'dockerd';
	} catch {
		return false;
	}
}

const ours = engineStartedByOurScript();
if (!ours) console.log('SKIPPED: the Docker engine restart test, because this Docker engine was not started by scripts/docker-engine.sh.');

(ours ? test : test.skip)('Docker engine restarted: a running sandbox works again, and a paused one resumes, with their state and files', async () => {
	const backend = new DockerBackend(parseDockerSettings({}));
	const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
	const sleeping = await backend.create({ timeoutSeconds: 300 });
	try {
		const before = await runOne(backend, sandboxId, 'x = 41\nopen("kept.txt", "w").write("yes")', { language: 'python', timeoutMs: 30_000 });
		expect(before.error).toBeNull();
		await runOne(backend, sleeping.sandboxId, 'y = 7\nopen("slept.txt", "w").write("zzz")', { language: 'python', timeoutMs: 30_000 });
		await backend.pause(sleeping.sandboxId);

		const started = Date.now();
		await promisify(execFile)('bash', [ENGINE_SCRIPT, '--restart']);
		console.log(`Docker engine restarted in ${Date.now() - started} ms`);

		const after = await runOne(backend, sandboxId, 'x + 1', { language: 'python', timeoutMs: 30_000 });
		expect(executionText(after)).toBe('42');
		const fromAnotherProcess = new DockerBackend(parseDockerSettings({}));
		const file = await runOne(fromAnotherProcess, sandboxId, 'open("kept.txt").read()', { language: 'python', timeoutMs: 30_000 });
		expect(executionText(file)).toBe('yes');
		expect((await fromAnotherProcess.list()).map((sandbox) => sandbox.sandboxId)).toContain(sandboxId);

		expect((await fromAnotherProcess.list()).find((sandbox) => sandbox.sandboxId === sleeping.sandboxId)).toMatchObject({ state: 'paused' });
		await fromAnotherProcess.resume(sleeping.sandboxId, 120);
		const woken = await runOne(fromAnotherProcess, sleeping.sandboxId, 'print(y * 6, open("slept.txt").read())', { language: 'python', timeoutMs: 30_000 });
		expect(woken.logs.stdout.join('')).toBe('42 zzz\n');
	} finally {
		await backend.kill(sandboxId);
		await backend.kill(sleeping.sandboxId);
	}
	expect(await new Docker().listContainers({ all: true, filters: { name: [sandboxId] } })).toHaveLength(0);
}, 120_000);
