import { execute } from '../../../../nodes/CodeInterpreter/actions/code/run.operation';
import type { CodeRun } from '../../../../nodes/CodeInterpreter/backends/Backend';
import { execution, fakeBackend, fakeContext, SANDBOX } from '../fakes';

const defaults = { resource: 'code', operation: 'run', backend: 'docker', sandboxId: SANDBOX.sandboxId, language: 'python', mode: 'runOnceForEachItem', timeoutSeconds: 60, code: 'item["n"] * 2', options: {} };
const nameError = { name: 'NameError', value: "name 'x' is not defined", traceback: 'Traceback …\nNameError' };

test('runs the item\'s code with the item as `item`, in the given sandbox, and outputs the run as one item', async () => {
	const { ctx } = fakeContext({ items: [{}], defaults });
	const { backend, called } = fakeBackend({ runCodeMany: () => [{ execution: execution('0', { logs: { stdout: ['hi\n'], stderr: [] } }) }] });
	const [item] = await execute.call(ctx, 0, backend);
	expect(item).toMatchObject({ json: { sandboxId: SANDBOX.sandboxId, language: 'python', text: '0', stdout: 'hi\n', error: null }, pairedItem: { item: 0 } });
	const [[sandboxId, runs, stopOnError, outputFolder]] = called('runCodeMany') as Array<[string, CodeRun[], boolean, string | undefined]>;
	expect([sandboxId, stopOnError, outputFolder]).toEqual([SANDBOX.sandboxId, true, undefined]);
	expect(runs[0]).toMatchObject({ code: 'item["n"] * 2', options: { language: 'python', timeoutMs: 60_000, variables: { item: { n: 0 } } } });
});

test('"Run Once for All Items": one run with every item as `items`, paired with all of them', async () => {
	const { ctx } = fakeContext({ items: [{}, {}, {}], defaults: { ...defaults, mode: 'runOnceForAllItems', code: 'len(items)' } });
	const { backend, called } = fakeBackend();
	expect(await execute.call(ctx, 0, backend)).toEqual([expect.objectContaining({ pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }] })]);
	expect(await execute.call(ctx, 1, backend)).toEqual([]);
	expect((called('runCodeMany')[0][1] as CodeRun[])[0].options.variables).toEqual({ items: [{ n: 0 }, { n: 1 }, { n: 2 }] });
});

test('a failing run is the node\'s error, with the traceback as its description; with continueOnFail, an item that carries it', async () => {
	const failing = { runCodeMany: () => [{ execution: execution(undefined, { error: nameError }) }] };
	const { ctx } = fakeContext({ items: [{}], defaults });
	await expect(execute.call(ctx, 0, fakeBackend(failing).backend)).rejects.toMatchObject({ message: "NameError: name 'x' is not defined", description: nameError.traceback });
	const continuing = fakeContext({ items: [{}], defaults, continueOnFail: true });
	expect(await execute.call(continuing.ctx, 0, fakeBackend(failing).backend)).toEqual([expect.objectContaining({ json: expect.objectContaining({ error: nameError }), pairedItem: { item: 0 } })]);
});

test('no Sandbox ID: a temporary sandbox for the run, killed afterwards even when the run fails', async () => {
	const { ctx } = fakeContext({ items: [{ sandboxId: '' }], defaults });
	const { backend, called } = fakeBackend({ runCodeMany: new Error('lost') });
	await expect(execute.call(ctx, 0, backend)).rejects.toThrow('lost');
	expect(called('create')).toEqual([[{ timeoutSeconds: 120 }]]);
	expect(called('kill')).toEqual([[SANDBOX.sandboxId]]);
});

test('Result as Items: one item per row, and a hint when Max Items cut the rows', async () => {
	const table = { ...execution(), results: [{ isMainResult: true, data: { city: ['Oslo', 'Rome', 'Lima'] } }] };
	const { ctx, hints } = fakeContext({ items: [{ options: { resultAsItems: true, maxItems: 2 } }], defaults });
	const items = await execute.call(ctx, 0, fakeBackend({ runCodeMany: () => [{ execution: table }] }).backend);
	expect(items).toEqual([{ json: { city: 'Oslo' }, pairedItem: { item: 0 } }, { json: { city: 'Rome' }, pairedItem: { item: 0 } }]);
	expect(hints).toEqual([expect.stringContaining('the first 2 of 3 rows')]);
});

test('as an AI Agent\'s tool: the conversation\'s sandbox, files in output/ by default, and a short answer for the model', async () => {
	const { ctx } = fakeContext({ items: [{ sandboxId: '', conversationId: 'chat-1', conversationIdleMinutes: 15, maxAnswerLength: 20000 }], defaults, nodeType: 'n8n-nodes-code-interpreter.codeInterpreterTool' });
	const { backend, called } = fakeBackend({ runCodeMany: () => [{ execution: execution(undefined, { error: nameError }), writtenFiles: [] }] });
	const [item] = await execute.call(ctx, 0, backend);
	expect(called('openNamed')).toEqual([['workflow-1/chat-1', { timeoutSeconds: 900, onTimeout: 'pause' }]]);
	expect(called('runCodeMany')[0][3]).toBe('output');
	expect(item.json).toMatchObject({ status: 'error', error: "NameError: name 'x' is not defined" });
});

test('an empty Code is an error before anything runs', async () => {
	const { ctx } = fakeContext({ items: [{ code: '  ' }], defaults });
	const { backend, calls } = fakeBackend();
	await expect(execute.call(ctx, 0, backend)).rejects.toThrow('"Code" is empty: enter the code to run');
	expect(calls).toEqual([]);
});
