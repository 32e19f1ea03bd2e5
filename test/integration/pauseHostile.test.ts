import Docker from 'dockerode';

import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { LABELS } from '../../nodes/CodeInterpreter/backends/docker/labels';
import { PAUSED_STATUS } from '../../nodes/CodeInterpreter/backends/docker/pause';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { runOne } from '../helpers/runOne';

/** What a sandbox's code (and its workflow's Environment Variables) did to Docker pauses in an attack, each a test. */
const docker = new Docker();
const backend = new DockerBackend(parseDockerSettings({ poolSize: 0 }));
const another = new DockerBackend(parseDockerSettings({ poolSize: 0 }));

const stdout = async (target: DockerBackend, sandboxId: string, code: string) =>
	(await runOne(target, sandboxId, code, { language: 'python', timeoutMs: 60_000 })).logs.stdout.join('');

async function state(sandboxId: string): Promise<Docker.ContainerInspectInfo['State']> {
	const [found] = await docker.listContainers({ all: true, filters: { label: [`${LABELS.sandboxId}=${sandboxId}`] } });
	return (await docker.getContainer(found.Id).inspect()).State;
}

async function untilStopped(sandboxId: string, withinMs: number): Promise<Docker.ContainerInspectInfo['State']> {
	const until = Date.now() + withinMs;
	while ((await state(sandboxId)).Running && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 500));
	return await state(sandboxId);
}

test('a pause at the deadline is held neither by files its tar may not read nor by a process that stops tar: the sandbox pauses', async () => {
	const { sandboxId } = await backend.create({ timeoutSeconds: 20, onTimeout: 'pause' });
	try {
		const hostile = [
			'import os, subprocess',
			'os.makedirs("/tmp/unreadable")',
			'for i in range(1000):',
			'    path = "/tmp/unreadable/" + "n" * 200 + str(i)',
			'    open(path, "w").close()',
			'    os.chmod(path, 0)',
			'subprocess.Popen(["sh", "-c", "while true; do pkill -STOP -x tar; pkill -STOP -x find; done"], start_new_session=True)',
			'kept = "yes"',
		].join('\n');
		expect((await runOne(backend, sandboxId, hostile, { language: 'python', timeoutMs: 60_000 })).error).toBeNull();
		expect(await untilStopped(sandboxId, 90_000)).toMatchObject({ Running: false, ExitCode: PAUSED_STATUS });
		// The files the code made unreadable to itself are left out of the pause, not the rest.
		expect(await stdout(backend, sandboxId, 'print(kept, os.path.isdir("/tmp/unreadable"))')).toBe('yes True\n');
	} finally {
		await backend.kill(sandboxId);
	}
}, 180_000);

test('a package of the code\'s own named sandbox_pause in the home folder is not what restores the kernels', async () => {
	const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
	try {
		const plant = ['import os', 'os.makedirs("/home/user/sandbox_pause", exist_ok=True)', 'open("/home/user/sandbox_pause/__init__.py", "w").write("")', 'open("/home/user/sandbox_pause/__main__.py", "w").write("open(\'/tmp/shadow-ran\', \'w\').write(\'yes\')")', 'x = 5'].join('\n');
		expect((await runOne(backend, sandboxId, plant, { language: 'python', timeoutMs: 60_000 })).error).toBeNull();
		await backend.pause(sandboxId);
		const resumed = await backend.resume(sandboxId, 300);
		expect(resumed.languages?.python).toMatchObject({ restored: ['os', 'x'] });
		expect(await stdout(backend, sandboxId, 'print(x, os.path.exists("/tmp/shadow-ran"))')).toBe('5 False\n');
	} finally {
		await backend.kill(sandboxId);
	}
}, 180_000);

test('a Pause while another process resumes the sandbox waits for the restore: the state is kept', async () => {
	const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
	try {
		await runOne(backend, sandboxId, 'import pandas as pd\nframe = pd.DataFrame({"v": range(1_000_000)})\nx = 41', { language: 'python', timeoutMs: 60_000 });
		await backend.pause(sandboxId);
		const resuming = another.resume(sandboxId, 300);
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		const pausing = backend.pause(sandboxId);
		const outcomes = await Promise.allSettled([resuming, pausing]);
		expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { state: 'paused' } });
		expect(await stdout(backend, sandboxId, 'print(x + 1, len(frame))')).toBe('42 1000000\n');
	} finally {
		await backend.kill(sandboxId);
	}
}, 180_000);

test('two Pauses at once: both end with the sandbox paused, one of them reporting what was kept', async () => {
	const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
	try {
		await runOne(backend, sandboxId, 'x = 6', { language: 'python', timeoutMs: 60_000 });
		const both = await Promise.all([backend.pause(sandboxId), another.pause(sandboxId)]);
		expect(both.map((paused) => paused.state)).toEqual(['paused', 'paused']);
		expect(both.filter((paused) => paused.languages?.python?.saved?.includes('x'))).toHaveLength(1);
		expect(await stdout(backend, sandboxId, 'print(x * 7)')).toBe('42\n');
	} finally {
		await backend.kill(sandboxId);
	}
}, 180_000);

test('Environment Variables: 60 KB of them work, more than 100 KB together is refused with what to do', async () => {
	const { sandboxId } = await backend.create({ timeoutSeconds: 120, envs: { BIG: 'x'.repeat(60_000) } });
	try {
		expect(await stdout(backend, sandboxId, 'import os\nprint(len(os.environ["BIG"]))')).toBe('60000\n');
	} finally {
		await backend.kill(sandboxId);
	}
	await expect(backend.create({ timeoutSeconds: 120, envs: { A: 'x'.repeat(60_000), B: 'y'.repeat(60_000) } })).rejects.toMatchObject({
		message: 'The Environment Variables take 118 KB together; at most 100 KB fit',
		description: expect.stringContaining('File Upload'),
	});
}, 120_000);
