import Docker from 'dockerode';

import type { SandboxInfo } from '../../nodes/CodeInterpreter/backends/Backend';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import type { Language } from '../../nodes/CodeInterpreter/model/languages';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';
import { runOne } from '../helpers/runOne';

const backend = new DockerBackend(parseDockerSettings({}));
const docker = new Docker();
let sandbox: SandboxInfo;

const run = (code: string, language: Language = 'python', timeoutMs = 60_000) =>
	runOne(backend, sandbox.sandboxId, code, { language, timeoutMs });

beforeAll(async () => {
	sandbox = await backend.create({ timeoutSeconds: 600 });
}, 120_000);

afterAll(async () => {
	if (sandbox) await backend.kill(sandbox.sandboxId);
});

describe('a Docker sandbox (what only Docker has; the shared suite covers the rest)', () => {
	test('is a running container labelled with its id, listed by Get Many', async () => {
		expect(sandbox.sandboxId).toMatch(/^ci-[0-9a-f]{16}$/);
		const [container] = await docker.listContainers({ filters: { name: [sandbox.sandboxId] } });
		expect(container.Labels['io.n8n.code-interpreter.sandbox-id']).toBe(sandbox.sandboxId);
		expect(container.Labels['io.n8n.code-interpreter.version']).toBe(sandbox.template.split(':')[1]);
		const listed = await backend.list();
		expect(listed.map((s) => s.sandboxId)).toContain(sandbox.sandboxId);
	});

	// Docker only: through E2B the code server decides what happens to a kernel that ignores the interrupt.
	test('JavaScript: a kernel that ignores the interrupt is replaced by a fresh one, and says its state is lost', async () => {
		await run('const names = ["a", "b"]', 'javascript');
		const execution = await run('while (true) {}', 'javascript', 1_500);
		expect(execution.error?.name).toBe('TimeoutError');
		expect(execution.error?.value).toContain('was stopped');
		const after = await run('typeof names', 'javascript');
		expect(executionText(after)).toBe('undefined');
	}, 60_000);

	test('a sandbox image without the item runner still runs many Python items, one request each', async () => {
		const unpooled = new DockerBackend(parseDockerSettings({ poolSize: 0 }));
		const other = await unpooled.create({ timeoutSeconds: 300 });
		try {
			await runOne(backend, other.sandboxId, 'import sandbox_display\ndel sandbox_display.run_items', { language: 'python', timeoutMs: 30_000 });
			const runs = [1, 2, 3].map((n) => ({ code: 'print(item)\nitem * 2', options: { language: 'python' as const, timeoutMs: 30_000, variables: { item: n } } }));
			const outcomes = await backend.runCodeMany(other.sandboxId, runs, false);
			expect(outcomes.map((outcome) => ('execution' in outcome ? [outcome.execution.logs.stdout.join(''), executionText(outcome.execution)] : outcome.error.message))).toEqual([
				['1\n', '2'],
				['2\n', '4'],
				['3\n', '6'],
			]);
		} finally {
			await backend.kill(other.sandboxId);
		}
	}, 120_000);
});

test('a sandbox stops at its deadline without anyone watching, and the next sweep (Get Many, Create) removes it with its store volume', async () => {
	const shortLived = await backend.create({ timeoutSeconds: 2 });
	const running = async () => (await docker.listContainers({ filters: { name: [shortLived.sandboxId] } })).length > 0;
	const deadline = Date.now() + 20_000;
	while ((await running()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
	expect(await running()).toBe(false);
	const [stopped] = await docker.listContainers({ all: true, filters: { name: [shortLived.sandboxId] } });
	const volumes = (await docker.getContainer(stopped.Id).inspect()).Mounts.map((mount) => mount.Name);
	expect(volumes).toHaveLength(1);
	expect((await backend.list()).map((sandbox) => sandbox.sandboxId)).not.toContain(shortLived.sandboxId);
	expect(await docker.listContainers({ all: true, filters: { name: [shortLived.sandboxId] } })).toHaveLength(0);
	const left = (await docker.listVolumes()).Volumes?.map((volume) => volume.Name) ?? [];
	expect(left).not.toContain(volumes[0]);
}, 60_000);

test('Kill Sandbox removes the container', async () => {
	const doomed = await backend.create({ timeoutSeconds: 300 });
	await expect(backend.kill(doomed.sandboxId)).resolves.toBe(true);
	expect(await docker.listContainers({ all: true, filters: { name: [doomed.sandboxId] } })).toHaveLength(0);
});
