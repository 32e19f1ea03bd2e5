import { execFile } from 'child_process';
import { once } from 'events';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import Docker from 'dockerode';

import { DOCKER_REQUEST_TIMEOUT_MS } from '../../nodes/CodeInterpreter/backends/docker/connection';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { SandboxError } from '../../nodes/CodeInterpreter/model/errors';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';
import { LABELS } from '../../nodes/CodeInterpreter/backends/docker/labels';
import { runOne } from '../helpers/runOne';

const backend = new DockerBackend(parseDockerSettings({}));
/** The built package (npm test builds it first), for tests that need a process of their own. */
const DIST = join(__dirname, '..', '..', 'dist', 'nodes', 'CodeInterpreter');
const docker = new Docker();

const python = (sandboxId: string, code: string, timeoutMs = 30_000) => runOne(backend, sandboxId, code, { language: 'python', timeoutMs });

test('a container killed during an execution: a clear error within seconds, nothing left behind', async () => {
	const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
	const running = python(sandboxId, 'import time\ntime.sleep(60)');
	await new Promise((resolve) => setTimeout(resolve, 1_500));
	const killedAt = Date.now();
	const [container] = await docker.listContainers({ filters: { label: [`io.n8n.code-interpreter.sandbox-id=${sandboxId}`] } });
	await docker.getContainer(container.Id).kill();
	await expect(running).rejects.toThrow(`Sandbox "${sandboxId}" stopped during the execution`);
	expect(Date.now() - killedAt).toBeLessThan(10_000);
	await new Promise((resolve) => setTimeout(resolve, 1_000));
	expect(await docker.listContainers({ all: true, filters: { name: [sandboxId] } })).toHaveLength(0);
});

test('the kernel ends its own process: said so, and the next run starts a fresh kernel', async () => {
	const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
	try {
		await python(sandboxId, 'kept = 1');
		const started = Date.now();
		const died = await python(sandboxId, 'import os\nos._exit(1)');
		console.log(`os._exit reported after ${Date.now() - started} ms`);
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(died.error?.name).toBe('KernelDied');
		expect(died.error?.value).toContain("The code ended the kernel's own process (exit status 1, as os._exit does)");
		expect(died.error?.value).toContain('without the variables and imports of earlier runs');
		const after = await python(sandboxId, "'kept' in globals()");
		expect(executionText(after)).toBe('False');
	} finally {
		await backend.kill(sandboxId);
	}
});

test.each([
	['a malformed id', 'not-a-sandbox', '"not-a-sandbox" is not the ID of a Docker sandbox'],
	['an E2B sandbox id', 'ikp4bytl1pcd5srk3jjrc', '"ikp4bytl1pcd5srk3jjrc" is not the ID of a Docker sandbox'],
	['an unknown id', 'ci-0123456789abcdef', 'Sandbox "ci-0123456789abcdef" was not found'],
])('%s is a clear error', async (_, sandboxId, message) => {
	const error = await python(sandboxId, '1').then(
		() => undefined,
		(reason: unknown) => reason,
	);
	expect(error).toBeInstanceOf(SandboxError);
	expect((error as SandboxError).message).toBe(message);
	expect((error as SandboxError).description).toBeTruthy();
});

test('Docker unreachable and a missing image: clear errors that say what to do', async () => {
	const unreachable = new DockerBackend(parseDockerSettings({ socketPath: '/tmp/no-docker-here.sock' }));
	await expect(unreachable.create({ timeoutSeconds: 60 })).rejects.toThrow('Cannot reach the Docker engine at socket /tmp/no-docker-here.sock');
	const noImage = new DockerBackend(parseDockerSettings({ image: 'n8n-code-interpreter-sandbox:0.0.0-missing' }));
	await expect(noImage.create({ timeoutSeconds: 60 })).rejects.toMatchObject({
		message: 'The sandbox image "n8n-code-interpreter-sandbox:0.0.0-missing" does not exist on the Docker host',
		description: expect.stringContaining('npm run template:build'),
	});
});

test('permission denied on the Docker socket: a clear error that says what to do', async () => {
	// A socket n8n's user may not open: owned by someone else, mode 600, opened by root without the capability to
	// override file permissions.
	const folder = mkdtempSync(join(tmpdir(), 'denied-'));
	const socketPath = join(folder, 'docker.sock');
	const server = createServer().listen(socketPath);
	await once(server, 'listening');
	try {
		chownSync(socketPath, 65534, 65534);
		chmodSync(socketPath, 0o600);
		const script = `
			const { DockerBackend } = require(${JSON.stringify(join(DIST, 'backends/docker/DockerBackend'))});
			const { parseDockerSettings } = require(${JSON.stringify(join(DIST, 'backends/docker/settings'))});
			new DockerBackend(parseDockerSettings({ socketPath: ${JSON.stringify(socketPath)} }))
				.create({ timeoutSeconds: 60 })
				.then(() => console.log('{}'), (error) => console.log(JSON.stringify({ message: error.message, description: error.description })));`;
		const { stdout } = await promisify(execFile)('setpriv', ['--bounding-set=-dac_override,-dac_read_search', '--', process.execPath, '-e', script]);
		expect(JSON.parse(stdout)).toEqual({
			message: `Permission denied on the Docker socket ${socketPath}`,
			description: expect.stringContaining('"docker" group'),
		});
	} finally {
		server.close();
		rmSync(folder, { recursive: true, force: true });
	}
});

test('a Docker engine that never answers: a clear error once the request limit passes, no hang', async () => {
	const folder = mkdtempSync(join(tmpdir(), 'silent-'));
	const socketPath = join(folder, 'docker.sock');
	const server = createServer(() => undefined).listen(socketPath);
	await once(server, 'listening');
	try {
		const started = Date.now();
		await expect(new DockerBackend(parseDockerSettings({ socketPath })).create({ timeoutSeconds: 60 })).rejects.toMatchObject({
			message: `The Docker engine at socket ${socketPath} stopped answering while trying to connect`,
			description: expect.stringContaining(`no answer within ${DOCKER_REQUEST_TIMEOUT_MS / 1000} s`),
		});
		expect(Date.now() - started).toBeLessThan(DOCKER_REQUEST_TIMEOUT_MS + 5_000);
	} finally {
		server.close();
		rmSync(folder, { recursive: true, force: true });
	}
}, 60_000);

test('a stopped sandbox left behind is removed by the next create', async () => {
	const leftover = await docker.createContainer({
		Image: parseDockerSettings({}).image,
		Entrypoint: ['true'],
		Labels: { [LABELS.sandboxId]: 'ci-ffffffffffffffff' },
	});
	await leftover.start();
	await leftover.wait();
	const { sandboxId } = await backend.create({ timeoutSeconds: 60 });
	await backend.kill(sandboxId);
	await expect(leftover.inspect()).rejects.toMatchObject({ statusCode: 404 });
});

test('10 sandboxes × 2 parallel executions each: all results correct and unmixed', async () => {
	const sandboxes = await Promise.all(Array.from({ length: 10 }, () => backend.create({ timeoutSeconds: 300 })));
	try {
		const started = Date.now();
		const runs = sandboxes.flatMap(({ sandboxId }, s) =>
			[0, 1].map(async (r) => {
				const execution = await python(sandboxId, `import time\nfor i in range(3):\n    print(${s}, ${r}, i)\n    time.sleep(0.2)\n${s} * 100 + ${r}`);
				return { s, r, execution };
			}),
		);
		for (const { s, r, execution } of await Promise.all(runs)) {
			expect(execution.error).toBeNull();
			expect(execution.logs.stdout.join('')).toBe(`${s} ${r} 0\n${s} ${r} 1\n${s} ${r} 2\n`);
			expect(executionText(execution)).toBe(String(s * 100 + r));
		}
		// Two runs of 0.6 s in one kernel queue one after the other; different sandboxes run side by side.
		expect(Date.now() - started).toBeLessThan(20_000);
	} finally {
		await Promise.all(sandboxes.map(({ sandboxId }) => backend.kill(sandboxId)));
	}
}, 180_000);
