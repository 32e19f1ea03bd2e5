import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runItemCode } from '../../../../nodes/CodeInterpreter/actions/codeRuns/runItemCode';
import type { Backend, CodeRun, CodeRunOutcome } from '../../../../nodes/CodeInterpreter/backends/Backend';
import { emptyExecution } from '../../../../nodes/CodeInterpreter/model/execution';

/** Items whose parameters come from `perItem`; the rest are the node's defaults. */
function context(perItem: Array<Record<string, unknown>>, continueOnFail = true): IExecuteFunctions {
	const items: INodeExecutionData[] = perItem.map((_, n) => ({ json: { n } }));
	const defaults: Record<string, unknown> = { resource: 'code', operation: 'run', backend: 'docker', language: 'python', mode: 'runOnceForEachItem', timeoutSeconds: 60, code: 'item["n"]', options: {} };
	return {
		getInputData: () => items,
		getNodeParameter: (name: string, index: number, fallback?: unknown) => perItem[index][name] ?? defaults[name] ?? fallback,
		continueOnFail: () => continueOnFail,
		getExecutionCancelSignal: () => undefined,
		getNode: () => ({ name: 'Code Interpreter', type: 'n8n-nodes-code-interpreter.codeInterpreter', typeVersion: 1, parameters: {} }),
	} as unknown as IExecuteFunctions;
}

/** A backend that records what was sent together and answers each run with the item it read. */
function recordingBackend() {
	const batches: Array<{ sandboxId: string; items: unknown[]; stopOnError: boolean }> = [];
	const backend = {
		name: 'docker',
		runCodeMany: async (sandboxId: string, runs: CodeRun[], stopOnError: boolean): Promise<CodeRunOutcome[]> => {
			batches.push({ sandboxId, items: runs.map((run) => (run.options.variables?.item as { n: number }).n), stopOnError });
			return runs.map((run) => ({
				execution: { ...emptyExecution(), results: [{ isMainResult: true, text: JSON.stringify(run.options.variables?.item) }] },
			}));
		},
	} as unknown as Backend;
	return { backend, batches };
}

async function runAll(ctx: IExecuteFunctions, backend: Backend) {
	const texts: unknown[] = [];
	for (let index = 0; index < ctx.getInputData().length; index++) {
		const run = await runItemCode(ctx, index, backend, (item) => ctx.getNodeParameter('code', item) as string, { batched: true });
		texts.push(run?.execution.results[0].text);
	}
	return texts;
}

test('consecutive items for the same sandbox go together; a change of sandbox or language starts a new batch', async () => {
	const ctx = context([{ sandboxId: 'a' }, { sandboxId: 'a' }, { sandboxId: 'b' }, { sandboxId: 'b' }, { sandboxId: 'b', language: 'r' }, { sandboxId: 'a' }]);
	const { backend, batches } = recordingBackend();
	const texts = await runAll(ctx, backend);
	expect(batches.map(({ sandboxId, items }) => [sandboxId, items])).toEqual([
		['a', [0, 1]],
		['b', [2, 3]],
		['b', [4]],
		['a', [5]],
	]);
	expect(texts).toEqual([0, 1, 2, 3, 4, 5].map((n) => JSON.stringify({ n })));
});

test('an item whose parameters do not read ends the batch before it, and fails on its own turn', async () => {
	const ctx = context([{ sandboxId: 'a' }, { sandboxId: 'a', timeoutSeconds: 'soon' }, { sandboxId: 'a' }]);
	const { backend, batches } = recordingBackend();
	await expect(runAll(ctx, backend)).rejects.toThrow('"Timeout (Seconds)" must be a number of seconds');
	expect(batches.map(({ items }) => items)).toEqual([[0]]);
});

test('stop on error is asked for exactly when Continue On Fail is off', async () => {
	for (const continueOnFail of [true, false]) {
		const { backend, batches } = recordingBackend();
		await runAll(context([{ sandboxId: 'a' }, { sandboxId: 'a' }], continueOnFail), backend);
		expect(batches).toEqual([{ sandboxId: 'a', items: [0, 1], stopOnError: !continueOnFail }]);
	}
});
