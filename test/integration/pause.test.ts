import Docker from 'dockerode';

import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { LABELS } from '../../nodes/CodeInterpreter/backends/docker/labels';
import { PAUSED_STATUS } from '../../nodes/CodeInterpreter/backends/docker/pause';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import type { Language } from '../../nodes/CodeInterpreter/model/languages';
import { runOne } from '../helpers/runOne';

/**
 * Pause and Resume on Docker, past the shared suite: each language's kernel state, what does not survive, and what
 * the sandbox's code can do to a pause. A paused sandbox is its stopped container (status 75) with a store volume.
 */
const docker = new Docker();
const backend = new DockerBackend(parseDockerSettings({ poolSize: 0 }));

const run = async (sandboxId: string, code: string, language: Language = 'python', timeoutMs = 60_000) =>
	await runOne(backend, sandboxId, code, { language, timeoutMs });
const stdout = async (sandboxId: string, code: string, language: Language = 'python') => (await run(sandboxId, code, language)).logs.stdout.join('');

async function container(sandboxId: string): Promise<Docker.ContainerInspectInfo> {
	const [found] = await docker.listContainers({ all: true, filters: { label: [`${LABELS.sandboxId}=${sandboxId}`] } });
	return await docker.getContainer(found.Id).inspect();
}

test('each language: Python, R and Bash state comes back, JavaScript and Java are reported lost, an object that cannot be saved is named', async () => {
	const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
	try {
		await run(sandboxId, 'import socket, threading, time\nconnection = socket.socket()\nworker = threading.Thread(target=time.sleep, args=(600,), daemon=True)\nworker.start()\ntotal = 99\nsquare = lambda v: v * v');
		await run(sandboxId, 'library(stats)\nrates <- c(a = 1.5, b = 2.5)\nscale_by <- function(k) rates * k\nsetwd("/tmp")', 'r');
		await run(sandboxId, 'export REGION=eu\ncounts=(3 4 5)\ngreet() { echo "hello $1"; }\nalias ll="ls -l"\ncd /tmp', 'bash');
		await run(sandboxId, 'const fromJs = 1;', 'javascript');
		await run(sandboxId, 'int fromJava = 1;', 'java');

		const paused = await backend.pause(sandboxId);
		expect(paused.languages).toEqual({
			python: {
				saved: expect.arrayContaining(['socket', 'threading', 'total', 'square']),
				notSaved: { connection: "TypeError: cannot pickle 'socket' object", worker: expect.stringMatching(/^TypeError: /) },
			},
			r: { saved: ['rates', 'scale_by'], notSaved: {} },
			bash: { saved: ['REGION', 'counts', 'greet'], notSaved: {} },
			javascript: { lost: expect.stringContaining('do not survive a pause') },
			java: { lost: expect.stringContaining('do not survive a pause') },
		});
		const stopped = await container(sandboxId);
		expect({ running: stopped.State.Running, status: stopped.State.ExitCode }).toEqual({ running: false, status: PAUSED_STATUS });

		const resumed = await backend.resume(sandboxId, 300);
		expect(resumed.languages?.python).toEqual({ restored: expect.arrayContaining(['socket', 'total', 'square']), notRestored: { connection: expect.any(String), worker: expect.any(String) } });
		expect(resumed.languages?.r).toEqual({ restored: ['rates', 'scale_by'], notRestored: {} });
		// Threads do not survive: the one started before the pause went with its process.
		expect(await stdout(sandboxId, 'print(total + square(1), "connection" in globals(), "worker" in globals())')).toBe('100 False False\n');
		expect(await stdout(sandboxId, 'cat(scale_by(2), getwd(), "stats" %in% .packages(), "\\n")', 'r')).toBe('3 5 /tmp TRUE \n');
		expect(await stdout(sandboxId, 'echo "$REGION ${counts[2]} $(greet you) $PWD"; alias ll; env | grep -c ^REGION=', 'bash')).toBe("eu 5 hello you /tmp\nalias ll='ls -l'\n1\n");
		expect((await run(sandboxId, 'fromJs', 'javascript')).error?.value).toMatch(/fromJs is not defined/);
	} finally {
		await backend.kill(sandboxId);
	}
}, 240_000);

test('a run going on is interrupted by the pause, what it had done kept; a process still writing files does not stop the pause', async () => {
	const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
	try {
		await run(sandboxId, 'import subprocess\nwriter = subprocess.Popen(["sh", "-c", "while true; do date >> /home/user/log.txt; done"])');
		const running = run(sandboxId, 'import time\nsteps = 0\nwhile True:\n    steps += 1\n    time.sleep(0.1)', 'python', 120_000).catch((error: Error) => error);
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		const paused = await backend.pause(sandboxId);
		expect(paused.languages?.python).toMatchObject({ saved: expect.arrayContaining(['steps']), interrupted: true });
		await running;
		await backend.resume(sandboxId, 300);
		expect(Number(await stdout(sandboxId, 'print(steps)'))).toBeGreaterThan(5);
		expect(Number(await stdout(sandboxId, 'print(len(open("/home/user/log.txt").readlines()))'))).toBeGreaterThan(0);
	} finally {
		await backend.kill(sandboxId);
	}
}, 240_000);

test('the sandbox\'s code cannot write the store, so it can neither fill the Docker host\'s disk through it nor fake a pause', async () => {
	const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
	try {
		const attempt = ['import os', 'for path in ["/run/sandbox/store/paused", "/run/sandbox/store/files.tar"]:', '    try:', '        open(path, "w")', '        print("written", path)', '    except OSError as error:', '        print(type(error).__name__)'].join('\n');
		expect(await stdout(sandboxId, attempt)).toBe('PermissionError\nPermissionError\n');
		const volume = (await container(sandboxId)).Mounts.find((mount) => mount.Destination === '/run/sandbox/store');
		expect(volume?.Type).toBe('volume');
	} finally {
		await backend.kill(sandboxId);
	}
}, 120_000);

test('the sandbox\'s Environment Variables reach its kernels, and no root process (PYTHONWARNINGS would run BROWSER in a Python at its start)', async () => {
	const envs = { REGION: 'eu', PYTHONWARNINGS: 'ignore::antigravity.x', BROWSER: "sh -c 'id -u >> /tmp/browser-ran' %s" };
	const { sandboxId } = await backend.create({ timeoutSeconds: 300, envs });
	try {
		expect(await stdout(sandboxId, 'import os\nprint(os.environ["REGION"])')).toBe('eu\n');
		expect(await stdout(sandboxId, 'echo "$REGION"', 'bash')).toBe('eu\n');
		await backend.pause(sandboxId);
		await backend.resume(sandboxId, 300);
		await backend.setTimeout(sandboxId, 300);
		const ran = await stdout(sandboxId, 'import os\nprint(sorted(set(open("/tmp/browser-ran").read().split())) if os.path.exists("/tmp/browser-ran") else [])');
		// The kernels are the user's own: they may run it, as the user; root never does.
		expect(ran).not.toContain("'0'");
		expect(ran).toContain("'1900000000'");
	} finally {
		await backend.kill(sandboxId);
	}
}, 180_000);

test('Kill of a paused sandbox removes its container and its store volume, with the saved state in it', async () => {
	const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
	await run(sandboxId, 'big = "x" * 10_000_000');
	await backend.pause(sandboxId);
	const volume = (await container(sandboxId)).Mounts.find((mount) => mount.Destination === '/run/sandbox/store')?.Name;
	expect(volume).toBeDefined();
	expect(await backend.kill(sandboxId)).toBe(true);
	expect(await docker.listContainers({ all: true, filters: { label: [`${LABELS.sandboxId}=${sandboxId}`] } })).toEqual([]);
	expect((await docker.listVolumes()).Volumes?.map((found) => found.Name)).not.toContain(volume);
}, 120_000);

test('a warm-pool sandbox claimed with On Timeout pause pauses at its deadline, and keeps its creation time', async () => {
	const pooled = new DockerBackend(parseDockerSettings({ poolSize: 1 }));
	await pooled.pool.refill();
	const claimed = await pooled.create({ timeoutSeconds: 4, onTimeout: 'pause' });
	try {
		await runOne(pooled, claimed.sandboxId, 'kept = 5', { language: 'python', timeoutMs: 30_000 });
		const until = Date.now() + 60_000;
		while ((await container(claimed.sandboxId)).State.Running && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 500));
		expect((await container(claimed.sandboxId)).State.ExitCode).toBe(PAUSED_STATUS);
		const resumed = await pooled.resume(claimed.sandboxId, 120);
		expect(resumed.createdAt).toBe(claimed.createdAt);
		expect((await runOne(pooled, claimed.sandboxId, 'print(kept)', { language: 'python', timeoutMs: 30_000 })).logs.stdout.join('')).toBe('5\n');
	} finally {
		await pooled.kill(claimed.sandboxId);
		await pooled.pool.drain();
	}
}, 240_000);
