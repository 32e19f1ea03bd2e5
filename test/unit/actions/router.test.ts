import { router } from '../../../nodes/CodeInterpreter/actions/router';
import { SandboxError } from '../../../nodes/CodeInterpreter/model/errors';
import { fakeBackend, fakeContext, type FakeContextOptions, SANDBOX } from './fakes';

const made: Array<[string, unknown, string]> = [];
let backend = fakeBackend().backend;
jest.mock('../../../nodes/CodeInterpreter/backends', () => ({
	...jest.requireActual('../../../nodes/CodeInterpreter/backends'),
	createBackend: (name: string, credentials: unknown, scope: string) => {
		made.push([name, credentials, scope]);
		return backend;
	},
}));

beforeEach(() => {
	made.length = 0;
	backend = fakeBackend().backend;
});

const kill = (sandboxIds: string[], options: Omit<FakeContextOptions, 'items'> = {}) =>
	fakeContext({ items: sandboxIds.map((sandboxId) => ({ sandboxId })), defaults: { resource: 'sandbox', operation: 'kill', backend: 'docker' }, ...options });

test('runs the operation once per item, pairs each output with its item, and makes one backend for the credential\'s scope', async () => {
	const { ctx } = kill(['ci-0000000000000001', 'ci-0000000000000002']);
	const [output] = await router.call(ctx);
	expect(output).toEqual([
		{ json: { sandboxId: 'ci-0000000000000001', killed: true }, pairedItem: { item: 0 } },
		{ json: { sandboxId: 'ci-0000000000000002', killed: true }, pairedItem: { item: 1 } },
	]);
	expect(made).toEqual([['docker', {}, 'credential:credential-1']]);
});

test('an item that fails stops the node, with the backend\'s message and advice; with continueOnFail it becomes an item', async () => {
	backend = fakeBackend({ kill: new SandboxError('Docker is down', { description: 'Start Docker.' }) }).backend;
	await expect(router.call(kill([SANDBOX.sandboxId]).ctx)).rejects.toMatchObject({ message: 'Docker is down', description: 'Start Docker.' });
	const [output] = await router.call(kill([SANDBOX.sandboxId, ''], { continueOnFail: true }).ctx);
	expect(output).toEqual([
		{ json: { error: 'Docker is down', details: 'Start Docker.' }, pairedItem: { item: 0 } },
		{ json: { error: '"Sandbox ID" is empty: give the ID of a sandbox made by Create Sandbox', details: expect.stringContaining('Create Sandbox') }, pairedItem: { item: 1 } },
	]);
});

test('as an AI Agent\'s tool, a failure goes back to the model as the tool\'s answer', async () => {
	backend = fakeBackend({ kill: new SandboxError('Docker is down', { description: 'Start Docker.' }) }).backend;
	const [output] = await router.call(kill([SANDBOX.sandboxId], { nodeType: 'n8n-nodes-code-interpreter.codeInterpreterTool' }).ctx);
	expect(output).toEqual([{ json: { error: 'Docker is down', details: 'Start Docker.' }, pairedItem: { item: 0 } }]);
});

test('an operation the node does not have is an error that names it', async () => {
	const { ctx } = fakeContext({ items: [{}], defaults: { resource: 'sandbox', operation: 'snapshot', backend: 'docker' } });
	await expect(router.call(ctx)).rejects.toThrow('The operation "snapshot" of "sandbox" is not supported');
	expect(made).toEqual([]);
});

test('every operation the node offers in the editor has a handler', async () => {
	const { CodeInterpreter } = await import('../../../nodes/CodeInterpreter/CodeInterpreter.node');
	const offered = new CodeInterpreter().description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) => (property.options as Array<{ value: string }>).map(({ value }) => [String(property.displayOptions?.show?.resource?.[0]), value]));
	expect(offered.length).toBe(11);
	for (const [resource, operation] of offered) {
		const { ctx } = fakeContext({ items: [{}], defaults: { resource, operation, backend: 'docker' }, continueOnFail: true });
		const [[output]] = await router.call(ctx);
		expect({ resource, operation, error: output.json.error }).not.toMatchObject({ error: expect.stringContaining('is not supported') });
	}
});
