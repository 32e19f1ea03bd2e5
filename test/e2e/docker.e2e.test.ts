import Docker from 'dockerode';
import { readFileSync } from 'fs';
import { join } from 'path';

import { EXAMPLES_DIR, N8n, type WorkflowJson } from './n8n';

const docker = new Docker();
let n8n: N8n;

function example(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
}

beforeAll(async () => {
	n8n = await N8n.start();
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
});

test('Create Sandbox → Run x = 21 → Run x * 2 → Kill Sandbox keeps state and removes the container', async () => {
	const workflow = example('stateful-sandbox.json');
	await n8n.importWorkflow(workflow);
	const result = await n8n.execute(workflow.id);

	const [created] = N8n.items(result, 'Create Sandbox');
	const sandboxId = created.json.sandboxId as string;
	expect(sandboxId).toMatch(/^ci-[0-9a-f]{16}$/);
	expect(created.json).toMatchObject({ backend: 'docker', template: expect.stringContaining('n8n-code-interpreter-sandbox:') });

	const [first] = N8n.items(result, 'Run x = 21');
	expect(first.json).toMatchObject({ sandboxId, language: 'python', stdout: 'x is set\n', error: null });

	const [second] = N8n.items(result, 'Run x * 2');
	expect(second.json).toMatchObject({ sandboxId, text: '42', error: null });
	expect(second.json.executionCount).toBe((first.json.executionCount as number) + 1);
	expect(second.pairedItem).toEqual({ item: 0 });

	const [killed] = N8n.items(result, 'Kill Sandbox');
	expect(killed.json).toEqual({ sandboxId, killed: true });
	const left = await docker.listContainers({ all: true, filters: { name: [sandboxId] } });
	expect(left).toHaveLength(0);
});

test('a matplotlib plot comes back as a PNG binary property, from a temporary sandbox that is removed', async () => {
	const workflow = example('matplotlib-chart.json');
	await n8n.importWorkflow(workflow);
	const before = await docker.listContainers({ all: true });
	const result = await n8n.execute(workflow.id);

	const [item] = N8n.items(result, 'Plot Sales');
	const results = item.json.results as Array<Record<string, unknown>>;
	expect(results).toHaveLength(1);
	expect(results[0]).toMatchObject({ isMainResult: false, binaryProperty: 'data', formats: expect.arrayContaining(['png', 'text']) });
	expect(results[0]).not.toHaveProperty('png');
	expect(item.binary?.data).toMatchObject({ mimeType: 'image/png', fileName: 'result-1.png' });
	expect(Number((item.binary?.data as { bytes?: number }).bytes)).toBeGreaterThan(1000);

	const after = await docker.listContainers({ all: true });
	expect(after.map((c) => c.Id).filter((id) => !before.some((c) => c.Id === id))).toEqual([]);
});

describe('a code error', () => {
	const workflow = (file: string) => JSON.parse(readFileSync(join(__dirname, 'workflows', file), 'utf8')) as WorkflowJson;

	test('fails the node with the error and the traceback, and the temporary sandbox is removed', async () => {
		const failing = workflow('code-error-fails.json');
		await n8n.importWorkflow(failing);
		const before = await docker.listContainers({ all: true });
		const error = await n8n.execute(failing.id).then(
			() => undefined,
			(reason: Error) => reason,
		);
		expect(error?.message).toContain('ZeroDivisionError: division by zero');
		expect(error?.message).toContain('return a / b');
		const after = await docker.listContainers({ all: true });
		expect(after.filter((c) => !before.some((b) => b.Id === c.Id))).toEqual([]);
	});

	test('with "Continue" on error, gives an item carrying the error and its traceback', async () => {
		const continuing = workflow('code-error-continues.json');
		await n8n.importWorkflow(continuing);
		const result = await n8n.execute(continuing.id);
		const [item] = N8n.items(result, 'Run Code');
		expect(item.json).toMatchObject({
			language: 'python',
			text: null,
			error: { name: 'ZeroDivisionError', value: 'division by zero', traceback: expect.stringContaining('ratio(1, 0)') },
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});
});

test('with "Continue (using error output)", the failed item goes to the error output with its traceback', async () => {
	const workflow = JSON.parse(readFileSync(join(__dirname, 'workflows', 'code-error-output.json'), 'utf8')) as WorkflowJson;
	await n8n.importWorkflow(workflow);
	const result = await n8n.execute(workflow.id);
	const outputs = result.data.resultData.runData['Run Code'][0].data!.main;
	expect(outputs[0]).toEqual([]);
	expect(outputs[1]).toHaveLength(1);
	expect(outputs[1][0].json).toMatchObject({
		message: 'ZeroDivisionError: division by zero',
		error: { name: 'ZeroDivisionError', traceback: expect.stringContaining('return a / b') },
		details: { language: 'python', stdout: '' },
	});
});
