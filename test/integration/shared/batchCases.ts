import type { CodeRun, CodeRunOutcome, RanExecution } from '../../../nodes/CodeInterpreter/backends/Backend';
import { executionText } from '../../../nodes/CodeInterpreter/model/execution';
import type { Language } from '../../../nodes/CodeInterpreter/model/languages';
import type { SuiteContext } from './suite';

/** Runs of many items sent together (Run Code, Run Once for Each Item, one sandbox). */
export function batchCases({ backend, sandbox, run, test }: SuiteContext): void {
	const runsOf = (codes: string[], language: Language = 'python', signal?: AbortSignal): CodeRun[] =>
		codes.map((code, n) => ({ code, options: { language, timeoutMs: 60_000, signal, variables: { item: { n } } } }));
	const ran = (outcomes: CodeRunOutcome[]): RanExecution[] =>
		outcomes.map((outcome) => {
			if ('error' in outcome) throw outcome.error;
			return outcome;
		});

	test('ten items sent together keep their order, outputs and errors; item 3 raises and items 4–10 still run', async () => {
		const codes = Array.from({ length: 10 }, (_, n) =>
			n === 2 ? 'raise ValueError(f"item {item[\'n\'] + 1} is bad")' : 'print("item", item["n"] + 1)\nitem["n"] * 10',
		);
		const outcomes = ran(await backend().runCodeMany(sandbox().sandboxId, runsOf(codes), false));
		expect(outcomes).toHaveLength(10);
		outcomes.forEach(({ execution }, n) => {
			if (n === 2) {
				expect(execution.error).toMatchObject({ name: 'ValueError', value: 'item 3 is bad', traceback: expect.stringContaining('item 3 is bad') });
				expect(execution.logs.stdout).toEqual([]);
				return;
			}
			expect(execution.error).toBeNull();
			expect(execution.logs.stdout.join('')).toBe(`item ${n + 1}\n`);
			expect(executionText(execution)).toBe(String(n * 10));
		});
		const counts = outcomes.map(({ execution }) => execution.executionCount ?? 0);
		expect(counts).toEqual([...counts].sort((a, b) => a - b));
		expect(new Set(counts).size).toBe(10);
	});

	const writeCode = {
		python: 'import os\nos.makedirs("batch-out/deep/er", exist_ok=True)\nopen(f"batch-out/deep/er/item-{item[\'n\']}.txt", "w").write(str(item["n"]))',
		// Absolute: an earlier case may have moved the Bash kernel's working folder.
		bash: 'n=$(echo "$item" | tr -dc 0-9); mkdir -p ~/batch-out/deep/er && printf "$n" > ~/batch-out/deep/er/item-$n.txt',
	};
	const rewriteCode = { python: 'open("batch-out/deep/er/item-2.txt", "w").write("rewritten")', bash: 'printf rewritten > ~/batch-out/deep/er/item-2.txt' };
	for (const language of ['python', 'bash'] as const) {
		test(`${language}: items back to back each get the files they wrote in the output folder, and no others`, async () => {
			await run('import os, shutil\nshutil.rmtree("batch-out", ignore_errors=True)\nos.makedirs("batch-out")\nopen("batch-out/before.txt", "w").write("old")');
			const codes = Array.from({ length: 12 }, (_, n) => (n === 5 ? 'true' : n === 8 ? rewriteCode[language] : writeCode[language]));
			if (language === 'python') codes[5] = 'pass';
			const outcomes = ran(await backend().runCodeMany(sandbox().sandboxId, runsOf(codes, language), false, 'batch-out'));
			expect(outcomes.map(({ execution }) => execution.error)).toEqual(Array(12).fill(null));
			const written = outcomes.map(({ writtenFiles }) => writtenFiles?.map(({ name, size, type }) => `${name} ${size} ${type}`));
			expect(written).toEqual(
				Array.from({ length: 12 }, (_, n) => (n === 5 ? [] : n === 8 ? ['item-2.txt 9 file'] : [`item-${n}.txt ${String(n).length} file`])),
			);
			expect(outcomes[0].writtenFiles?.[0].path).toBe('/home/user/batch-out/deep/er/item-0.txt');
		});
	}

	test('an output folder the code never makes: no files, no error', async () => {
		const outcomes = ran(await backend().runCodeMany(sandbox().sandboxId, runsOf(['1 + 1']), false, 'no-such-folder'));
		expect(outcomes.map(({ execution, writtenFiles }) => [executionText(execution), writtenFiles])).toEqual([['2', []]]);
	});

	test('with stop on error, the items after a failing one are skipped and never run', async () => {
		await run('ran = []');
		const codes = Array.from({ length: 10 }, (_, n) => (n === 2 ? 'raise ValueError("stop here")' : 'ran.append(item["n"])'));
		const outcomes = ran(await backend().runCodeMany(sandbox().sandboxId, runsOf(codes), true));
		expect(outcomes.map(({ execution }) => execution.error?.name ?? 'ok')).toEqual(['ok', 'ok', 'ValueError', ...Array(7).fill('NotRun')]);
		expect(outcomes[3].execution.error?.value).toBe('An earlier run sent with this one failed, so this code was skipped.');
		expect(executionText(await run('ran'))).toBe('[0, 1]');
	});

	test('the plot of each item comes back with that item, as a PNG with its chart', async () => {
		const plot = 'import matplotlib.pyplot as plt\nplt.plot([0, item["n"]])\n_ = plt.title(f"item {item[\'n\']}")';
		const outcomes = ran(await backend().runCodeMany(sandbox().sandboxId, runsOf([plot, 'print("no plot")', plot]), false));
		const charts = outcomes.map(({ execution }) => execution.results.map((result) => (result.chart as { title?: string } | undefined)?.title));
		expect(charts).toEqual([['item 0'], [], ['item 2']]);
		expect(outcomes[2].execution.results[0].png?.length).toBeGreaterThan(1000);
	});

	test('an item that passes its time limit is stopped with a TimeoutError; the items after it still run', async () => {
		const runs = runsOf(['item["n"]', 'import time\ntime.sleep(30)', 'item["n"]', 'item["n"]']).map((run) => ({ ...run, options: { ...run.options, timeoutMs: 1_500 } }));
		const started = Date.now();
		const outcomes = ran(await backend().runCodeMany(sandbox().sandboxId, runs, false));
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(outcomes.map(({ execution }) => execution.error?.name ?? executionText(execution))).toEqual(['0', 'TimeoutError', '2', '3']);
		expect(outcomes[1].execution.error?.value).toBe('Execution exceeded its 1.5 s limit and was interrupted. The sandbox and its state are kept.');
	}, 60_000);

	for (const [language, code, text] of [
		['javascript', 'item.n * 2', (n: number) => String(n * 2)],
		['typescript', 'const doubled: number = item.n * 2; doubled', (n: number) => String(n * 2)],
		['r', 'item$n * 2', (n: number) => `[1] ${n * 2}`],
		['bash', 'echo "$item"', undefined],
	] as const) {
		test(`${language}: items sent together each read their own item`, async () => {
			const outcomes = ran(await backend().runCodeMany(sandbox().sandboxId, runsOf(Array(5).fill(code), language), false));
			outcomes.forEach(({ execution }, n) => {
				expect(execution.error).toBeNull();
				if (text) expect(execution.results.map((result) => result.text)).toEqual([text(n)]);
				else expect(execution.logs.stdout.join('')).toBe(`${JSON.stringify({ n })}\n`);
			});
		});
	}

	test('cancelling stops the running item and starts none of the others; the kernel answers at once', async () => {
		await run('ran = []');
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 1_000);
		const started = Date.now();
		const codes = Array.from({ length: 30 }, () => 'import time\ntime.sleep(20)\nran.append(item["n"])');
		const outcomes = ran(await backend().runCodeMany(sandbox().sandboxId, runsOf(codes, 'python', controller.signal), false));
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(outcomes.map(({ execution }) => execution.error?.name)).toEqual(Array(30).fill('ExecutionCancelled'));
		expect(executionText(await run('ran'))).toBe('[]');
	}, 60_000);
}
