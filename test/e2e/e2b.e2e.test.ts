import { readFileSync } from 'fs';
import { join } from 'path';

import { createBackend } from '../../nodes/CodeInterpreter/backends';
import { startE2BDouble, type E2BDouble } from '../e2b/double/startE2BDouble';
import { EXAMPLES_DIR, N8n, type WorkflowJson } from './n8n';
import { expectCancelStopsCode } from './scenarios';
import { chain, runCode } from './workflow';

/** The node with `backend: e2b`, in a real n8n, against the local double of E2B's endpoints. */
let double: E2BDouble;
let n8n: N8n;

const E2B_CREDENTIAL = { e2bApi: { id: 'e2bLocalDouble01', name: 'E2B (local double)' } };
const WRONG_KEY_CREDENTIAL = { e2bApi: { id: 'e2bWrongKey00001', name: 'E2B (wrong key)' } };
const WRONG_KEY = 'e2b_this_key_was_never_issued_0123456789';

beforeAll(async () => {
	double = await startE2BDouble();
	n8n = await N8n.start();
	const where = { apiUrl: double.apiUrl, sandboxUrl: double.sandboxUrl };
	await n8n.importCredentials([
		{ ...E2B_CREDENTIAL.e2bApi, type: 'e2bApi', data: { apiKey: double.apiKey, ...where } },
		{ ...WRONG_KEY_CREDENTIAL.e2bApi, type: 'e2bApi', data: { apiKey: WRONG_KEY, ...where } },
	]);
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	await double?.close();
});

/** The example workflow of the Docker backend, with every Code Interpreter node switched to E2B. */
function onE2B(file: string): WorkflowJson {
	const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson & {
		nodes: Array<{ type: string; parameters: Record<string, unknown>; credentials?: unknown }>;
	};
	for (const node of workflow.nodes) {
		if (!node.type.endsWith('.codeInterpreter')) continue;
		node.parameters = { backend: 'e2b', ...node.parameters };
		node.credentials = E2B_CREDENTIAL;
	}
	return { ...workflow, id: `${workflow.id}E2b`.slice(0, 21) };
}

test('Create Sandbox → Run x = 21 → Run x * 2 → Kill Sandbox on E2B keeps state, and the sandbox is gone', async () => {
	const workflow = onE2B('stateful-sandbox.json');
	await n8n.importWorkflow(workflow);
	const result = await n8n.execute(workflow.id);

	const [created] = N8n.items(result, 'Create Sandbox');
	const sandboxId = created.json.sandboxId as string;
	expect(sandboxId).toMatch(/^[a-z0-9]{20}$/);
	expect(created.json).toMatchObject({ backend: 'e2b', template: 'code-interpreter-v1' });

	const [first] = N8n.items(result, 'Run x = 21');
	expect(first.json).toMatchObject({ sandboxId, language: 'python', stdout: 'x is set\n', error: null });
	const [second] = N8n.items(result, 'Run x * 2');
	expect(second.json).toMatchObject({ sandboxId, text: '42', error: null });
	expect(second.json.executionCount).toBe((first.json.executionCount as number) + 1);

	const [killed] = N8n.items(result, 'Kill Sandbox');
	expect(killed.json).toEqual({ sandboxId, killed: true });
	expect(double.sandboxes.has(sandboxId)).toBe(false);
});

test('a wrong API key fails the node with "E2B rejected the API key", and the key appears nowhere', async () => {
	const workflow = chain('e2bWrongKey', [
		{ name: 'Create Sandbox', parameters: { backend: 'e2b', resource: 'sandbox', operation: 'create', timeoutSeconds: 60 }, credentials: WRONG_KEY_CREDENTIAL },
	]);
	await n8n.importWorkflow(workflow);
	const error = await n8n.execute(workflow.id).then(
		() => undefined,
		(reason: Error) => reason,
	);
	expect(error?.message).toContain('E2B rejected the API key');
	expect(error?.message).toContain('e2b.dev/dashboard');
	expect(error?.message).not.toContain(WRONG_KEY);
});

test('a killed sandbox gives "was not found" with how to keep one alive, not a stack trace', async () => {
	const sandboxIdOfCreate = "={{ $('Create Sandbox').item.json.sandboxId }}";
	const workflow = chain('e2bKilledSandbox', [
		{ name: 'Create Sandbox', parameters: { backend: 'e2b', resource: 'sandbox', operation: 'create', timeoutSeconds: 120 }, credentials: E2B_CREDENTIAL },
		{ name: 'Kill Sandbox', parameters: { backend: 'e2b', resource: 'sandbox', operation: 'kill' }, credentials: E2B_CREDENTIAL },
		{
			name: 'Run Code',
			parameters: runCode({ backend: 'e2b', sandboxId: sandboxIdOfCreate, code: '1 + 1' }),
			credentials: E2B_CREDENTIAL,
			onError: 'continueRegularOutput',
		},
	]);
	await n8n.importWorkflow(workflow);
	const result = await n8n.execute(workflow.id);
	const sandboxId = N8n.items(result, 'Create Sandbox')[0].json.sandboxId as string;
	const [item] = N8n.items(result, 'Run Code');
	expect(item.json).toEqual({
		error: `Sandbox "${sandboxId}" was not found`,
		details: expect.stringContaining('E2B ends a sandbox when its timeout passes'),
	});
	expect(item.json.details).toContain('Set Timeout');
	expect(JSON.stringify(item.json)).not.toMatch(/\bat \S+ \(/);
});

test('cancelling the workflow (its execution timeout) stops the code running on E2B', async () => {
	// In the scope of n8n's credential, which must reach the sandbox the test makes.
	const backend = createBackend('e2b', { apiKey: double.apiKey, apiUrl: double.apiUrl, sandboxUrl: double.sandboxUrl }, `credential:${E2B_CREDENTIAL.e2bApi.id}`);
	await expectCancelStopsCode(n8n, backend, 'e2bCancelInterrupts', { parameters: { backend: 'e2b' }, credentials: E2B_CREDENTIAL });
});
