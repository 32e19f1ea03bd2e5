import Docker from 'dockerode';
import { readFileSync } from 'fs';
import { join } from 'path';

import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { EXAMPLES_DIR, N8n, type WorkflowJson } from './n8n';
import { expectCancelStopsCode } from './scenarios';
import { chain, itemsFrom, runCode } from './workflow';

const docker = new Docker();
/** Sandboxes are the credential's: the tests reach n8n's ones in the scope of examples/credentials.json's credential. */
const backend = new DockerBackend(parseDockerSettings({}), 'credential:ciDockerLocal001');
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

	expect((await madeSince(before)).map((c) => c.Names)).toEqual([]);
});

/**
 * The containers made since `before` (stopped ones too, unless `all` is false), without the warm pool's: a temporary
 * sandbox may come from the pool, whose refill then adds a member.
 */
async function madeSince(before: Docker.ContainerInfo[], all = true): Promise<Docker.ContainerInfo[]> {
	const now = await docker.listContainers({ all });
	return now.filter((c) => !before.some((b) => b.Id === c.Id) && !c.Names.some((name) => /^\/(pool|warming)-/.test(name)));
}

const RATIO_ERROR = 'def ratio(a, b):\n    return a / b\n\nratio(1, 0)';

describe('a code error', () => {
	test('fails the node with the error and the traceback, and the temporary sandbox is removed', async () => {
		const failing = chain('codeErrorFails', [{ name: 'Run Code', parameters: runCode({ sandboxId: '', code: RATIO_ERROR }) }]);
		await n8n.importWorkflow(failing);
		const before = await docker.listContainers({ all: true });
		const error = await n8n.execute(failing.id).then(
			() => undefined,
			(reason: Error) => reason,
		);
		expect(error?.message).toContain('ZeroDivisionError: division by zero');
		expect(error?.message).toContain('return a / b');
		expect(await madeSince(before)).toEqual([]);
	});

	test('with "Continue" on error, gives an item carrying the error and its traceback', async () => {
		const continuing = chain('codeErrorContinues', [
			{ name: 'Run Code', parameters: runCode({ sandboxId: '', code: RATIO_ERROR }), onError: 'continueRegularOutput' },
		]);
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

	test('with "Continue (using error output)", the failed item goes to the error output with its traceback', async () => {
		const workflow = chain('codeErrorOutput', [
			{ name: 'Run Code', parameters: runCode({ sandboxId: '', code: RATIO_ERROR }), onError: 'continueErrorOutput' },
		]);
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
});

describe('bad input', () => {
	const perItem = runCode({ sandboxId: '={{ $json.sandboxId }}', language: '={{ $json.language }}', code: '={{ $json.code }}' });
	const badItems = [
		{ sandboxId: 'not-a-sandbox', language: 'python', code: '1' },
		{ sandboxId: 'ikp4bytl1pcd5srk3jjrc', language: 'python', code: '1' },
		{ sandboxId: 'ci-0123456789abcdef', language: 'python', code: '1' },
		{ sandboxId: '', language: 'cobol', code: '1' },
		{ sandboxId: '', language: 'python', code: '   ' },
		{ sandboxId: '', language: 'python', code: '6 * 7' },
	];

	test('with "Continue", each bad item becomes an error item saying what to do, and the good item still runs', async () => {
		const workflow = chain('badInputContinues', [...itemsFrom(badItems), { name: 'Run Code', parameters: perItem, onError: 'continueRegularOutput' }]);
		await n8n.importWorkflow(workflow);
		const before = await docker.listContainers({ all: true });
		const items = N8n.items(await n8n.execute(workflow.id), 'Run Code');

		expect(items.map((item) => item.pairedItem)).toEqual(badItems.map((_, item) => ({ item })));
		expect(items.slice(0, 5).map((item) => item.json.error)).toEqual([
			'"not-a-sandbox" is not the ID of a Docker sandbox',
			'"ikp4bytl1pcd5srk3jjrc" is not the ID of a Docker sandbox',
			'Sandbox "ci-0123456789abcdef" was not found',
			'"Language" must be one of python, javascript, typescript, r, bash, java',
			'"Code" is empty: enter the code to run',
		]);
		for (const item of items.slice(0, 5)) expect(item.json.details).toEqual(expect.any(String));
		expect(items[1].json.details).toContain('only works with that backend');
		expect(items[5].json).toMatchObject({ text: '42', error: null });
		expect(await madeSince(before)).toEqual([]);
	});

	test('without it, the workflow stops at the first bad item with the message and what to do', async () => {
		const workflow = chain('badInputFails', [...itemsFrom(badItems.slice(3)), { name: 'Run Code', parameters: perItem }]);
		await n8n.importWorkflow(workflow);
		const error = await n8n.execute(workflow.id).then(
			() => undefined,
			(reason: Error) => reason,
		);
		expect(error?.message).toContain('\\"Language\\" must be one of python');
		expect(error?.message).toContain('an expression must give one of');
	});
});

test('cancelling the workflow (its execution timeout) interrupts the running code', async () => {
	await expectCancelStopsCode(n8n, backend, 'cancelInterrupts');
});

test('n8n restarted: a sandbox made by one n8n process is found by its id in the next, with its state', async () => {
	const create = chain('restartCreates', [
		{ name: 'Create Sandbox', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 300 } },
		{ name: 'Run x = 21', parameters: runCode({ sandboxId: '={{ $json.sandboxId }}', code: 'x = 21' }) },
	]);
	await n8n.importWorkflow(create);
	const [{ json: made }] = N8n.items(await n8n.execute(create.id), 'Run x = 21');
	const sandboxId = made.sandboxId as string;

	const reuse = chain('restartFinds', [
		{ name: 'Run x * 2', parameters: runCode({ sandboxId, code: 'x * 2' }) },
		{ name: 'Kill Sandbox', parameters: { resource: 'sandbox', operation: 'kill', sandboxId } },
	]);
	await n8n.importWorkflow(reuse);
	const result = await n8n.execute(reuse.id);
	expect(N8n.items(result, 'Run x * 2')[0].json).toMatchObject({ sandboxId, text: '42', error: null });
	expect(N8n.items(result, 'Kill Sandbox')[0].json).toEqual({ sandboxId, killed: true });
	expect(await docker.listContainers({ all: true, filters: { name: [sandboxId] } })).toHaveLength(0);
});

test('Pause Sandbox in one execution, Resume Sandbox in the next (another n8n process): a DataFrame and a file come back; Get Many shows it paused meanwhile', async () => {
	const pause = chain('pauseSleeps', [
		{ name: 'Create Sandbox', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 300 } },
		{ name: 'Build State', parameters: runCode({ sandboxId: '={{ $json.sandboxId }}', code: 'import pandas as pd\ndf = pd.DataFrame({"v": [1, 2, 3]})\nopen("note.txt", "w").write("kept")' }) },
		{ name: 'Pause Sandbox', parameters: { resource: 'sandbox', operation: 'pause', sandboxId: '={{ $json.sandboxId }}' } },
		{ name: 'Get Many', parameters: { resource: 'sandbox', operation: 'getAll' } },
	]);
	await n8n.importWorkflow(pause);
	const slept = await n8n.execute(pause.id);
	const [paused] = N8n.items(slept, 'Pause Sandbox');
	const sandboxId = paused.json.sandboxId as string;
	expect(paused.json).toMatchObject({ state: 'paused', languages: { python: { saved: expect.arrayContaining(['pd', 'df']), notSaved: {} } } });
	expect(N8n.items(slept, 'Get Many').map((item) => item.json)).toContainEqual(expect.objectContaining({ sandboxId, state: 'paused' }));
	expect((await docker.listContainers({ filters: { name: [sandboxId] } })).length).toBe(0);

	const resume = chain('pauseWakes', [
		{ name: 'Resume Sandbox', parameters: { resource: 'sandbox', operation: 'resume', sandboxId, timeoutSeconds: 120 } },
		{ name: 'Use State', parameters: runCode({ sandboxId: '={{ $json.sandboxId }}', code: 'print(df.v.sum(), open("note.txt").read())' }) },
		{ name: 'Kill Sandbox', parameters: { resource: 'sandbox', operation: 'kill', sandboxId } },
	]);
	await n8n.importWorkflow(resume);
	const woke = await n8n.execute(resume.id);
	expect(N8n.items(woke, 'Resume Sandbox')[0].json).toMatchObject({ sandboxId, state: 'running', languages: { python: { restored: expect.arrayContaining(['df']) } } });
	expect(N8n.items(woke, 'Use State')[0].json).toMatchObject({ stdout: '6 kept\n', error: null });
	expect(N8n.items(woke, 'Kill Sandbox')[0].json).toEqual({ sandboxId, killed: true });
	expect(await docker.listContainers({ all: true, filters: { name: [sandboxId] } })).toHaveLength(0);
});

const PER_ITEM_CODE = [
	'import os',
	'os.makedirs("output", exist_ok=True)',
	'if item["n"] == 3:',
	'    raise ValueError("item 3 is bad")',
	'open(f"output/item-{item[\'n\']}.txt", "w").write(str(item["n"]))',
	'print("item", item["n"])',
	'item["n"] * 10',
].join('\n');

describe('items in and out', () => {
	const sales = [
		{ region: 'North', sales: 120 },
		{ region: 'South', sales: 80.5 },
		{ region: 'East', sales: 95 },
		{ region: 'West', sales: 143 },
		{ region: 'Central', sales: 60 },
	];
	const plot =
		'import pandas as pd\nimport matplotlib.pyplot as plt\ndf = pd.DataFrame(items)\nplt.bar(df["region"], df["sales"])\nplt.title("Sales by region")\nplt.ylabel("Sales (EUR)")';

	test('5 items → Run Code (all items) plots them → Get Chart gives the PNG and rows equal to the plotted values', async () => {
		const sandboxId = "={{ $('Create Sandbox').first().json.sandboxId }}";
		const workflow = chain('itemsToChart', [
			{ name: 'Create Sandbox', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 300 } },
			...itemsFrom(sales),
			{ name: 'Run Code', parameters: runCode({ sandboxId, mode: 'runOnceForAllItems', code: plot }) },
			{ name: 'Get Chart', parameters: { resource: 'chart', operation: 'get', sandboxId, code: '' } },
			{ name: 'Kill Sandbox', parameters: { resource: 'sandbox', operation: 'kill', sandboxId } },
		]);
		await n8n.importWorkflow(workflow);
		const result = await n8n.execute(workflow.id);

		const ran = N8n.items(result, 'Run Code');
		expect(ran).toHaveLength(1);
		expect(ran[0].json.error).toBeNull();
		expect(ran[0].pairedItem).toEqual(sales.map((_, item) => ({ item })));
		const charts = N8n.items(result, 'Get Chart');
		expect(charts).toHaveLength(1);
		expect(charts[0].json.chart).toMatchObject({ type: 'bar', title: 'Sales by region', y_label: 'Sales (EUR)', y_unit: 'EUR' });
		expect(charts[0].json.rows).toEqual(sales.map(({ region, sales: value }) => ({ label: region, group: null, value })));
		expect(charts[0].binary?.chart).toMatchObject({ mimeType: 'image/png', fileName: 'chart-1.png' });
		expect(N8n.items(result, 'Kill Sandbox')[0].json.killed).toBe(true);
	});

	test('Get Chart on code that plots nothing: a clear error, or no item when "Output Nothing" is chosen', async () => {
		const getChart = (options: Record<string, unknown>) => ({
			name: 'Get Chart',
			parameters: { resource: 'chart', operation: 'get', sandboxId: '', code: 'x = 1', options },
		});
		const failing = chain('noChartFails', [getChart({})]);
		const quiet = chain('noChartEmpty', [getChart({ whenNoChart: 'empty' })]);
		await n8n.importWorkflow(failing);
		await n8n.importWorkflow(quiet);
		const error = await n8n.execute(failing.id).then(
			() => undefined,
			(reason: Error) => reason,
		);
		expect(error?.message).toContain('The code made no chart');
		expect(error?.message).toContain('When No Chart Is Found');
		const result = await n8n.execute(quiet.id);
		expect(result.data.resultData.runData['Get Chart'][0].data?.main[0]).toEqual([]);
	});

	test('10 items run per item in one sandbox: item 3 raises (Continue On Fail), 4–10 still run, each keeps its output and files', async () => {
		const sandboxId = "={{ $('Create Sandbox').first().json.sandboxId }}";
		const workflow = chain('perItemTogether', [
			{ name: 'Create Sandbox', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 300 } },
			...itemsFrom(Array.from({ length: 10 }, (_, index) => ({ n: index + 1 }))),
			{ name: 'Run Code', parameters: runCode({ sandboxId, code: PER_ITEM_CODE, options: { outputFolder: 'output' } }), onError: 'continueRegularOutput' },
			{ name: 'Kill Sandbox', parameters: { resource: 'sandbox', operation: 'kill', sandboxId }, executeOnce: true },
		]);
		await n8n.importWorkflow(workflow);
		const result = await n8n.execute(workflow.id);

		const items = N8n.items(result, 'Run Code');
		expect(items.map((item) => item.pairedItem)).toEqual(Array.from({ length: 10 }, (_, item) => ({ item })));
		expect(items[2].json).toMatchObject({ stdout: '', error: { name: 'ValueError', value: 'item 3 is bad' } });
		for (const [index, item] of items.entries()) {
			if (index === 2) continue;
			const n = index + 1;
			expect(item.json).toMatchObject({ error: null, stdout: `item ${n}\n`, text: String(n * 10) });
			expect(item.json.outputFiles).toEqual([expect.objectContaining({ name: `item-${n}.txt`, binaryProperty: `item_${n}_txt` })]);
			expect(Object.keys(item.binary ?? {})).toEqual([`item_${n}_txt`]);
		}
		expect(N8n.items(result, 'Kill Sandbox')).toEqual([expect.objectContaining({ json: expect.objectContaining({ killed: true }) })]);
	});

	test('without Continue On Fail the node fails at item 3, and items 4–10 never run', async () => {
		const workflow = chain('perItemStops', [
			{ name: 'Create Sandbox', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 300 } },
			...itemsFrom(Array.from({ length: 10 }, (_, index) => ({ n: index + 1 }))),
			{ name: 'Run Code', parameters: runCode({ sandboxId: "={{ $('Create Sandbox').first().json.sandboxId }}", code: PER_ITEM_CODE }) },
		]);
		await n8n.importWorkflow(workflow);
		const before = await docker.listContainers();
		const error = await n8n.execute(workflow.id).then(
			() => undefined,
			(reason: Error) => reason,
		);
		const made = await madeSince(before, false);
		expect(made).toHaveLength(1);
		const sandboxId = made[0].Labels['io.n8n.code-interpreter.sandbox-id'];
		const written = await backend.listFiles(sandboxId, 'output', { depth: 1 });
		await backend.kill(sandboxId);
		expect(error?.message).toContain('ValueError: item 3 is bad');
		expect(written.map((file) => file.name).sort()).toEqual(['item-1.txt', 'item-2.txt']);
	});

	test('Run Once for All Items with "Result as Items": as many rows as items pair one to one', async () => {
		const workflow = chain('allItemsRows', [
			...itemsFrom(sales.slice(0, 3)),
			{
				name: 'Run Code',
				parameters: runCode({ sandboxId: '', mode: 'runOnceForAllItems', code: '[{"half": i["sales"] / 2} for i in items]', options: { resultAsItems: true } }),
			},
		]);
		await n8n.importWorkflow(workflow);
		const items = N8n.items(await n8n.execute(workflow.id), 'Run Code');
		expect(items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ half: 60 }, { item: 0 }],
			[{ half: 40.25 }, { item: 1 }],
			[{ half: 47.5 }, { item: 2 }],
		]);
	});

	test('each item is "item" in the code, and "Result as Items" gives one item per DataFrame row', async () => {
		const workflow = chain('itemsOut', [
			...itemsFrom(sales.slice(0, 2)),
			{
				name: 'Run Code',
				parameters: runCode({
					sandboxId: '',
					code: 'import pandas as pd\npd.DataFrame({"region": [item["region"]] * 2, "half": [item["sales"] / 2] * 2, "part": [1, 2]})',
					options: { resultAsItems: true },
				}),
			},
		]);
		await n8n.importWorkflow(workflow);
		const items = N8n.items(await n8n.execute(workflow.id), 'Run Code');
		expect(items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ region: 'North', half: 60, part: 1 }, { item: 0 }],
			[{ region: 'North', half: 60, part: 2 }, { item: 0 }],
			[{ region: 'South', half: 40.25, part: 1 }, { item: 1 }],
			[{ region: 'South', half: 40.25, part: 2 }, { item: 1 }],
		]);
	});
});

test('a CSV from a Code node → Upload File → Run Code (pandas writes output/summary.csv) → the item carries summary.csv; Download File gives the same bytes', async () => {
	const sandboxId = "={{ $('Create Sandbox').first().json.sandboxId }}";
	const rows = [
		{ region: 'North', sales: 120 },
		{ region: 'South', sales: 80 },
		{ region: 'North', sales: 30 },
	];
	const workflow = chain('filesRoundTrip', [
		{ name: 'Create Sandbox', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 300 } },
		{ name: 'Make Rows', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `return ${JSON.stringify(rows.map((json) => ({ json })))};` } },
		{ name: 'To CSV', type: 'n8n-nodes-base.convertToFile', typeVersion: 1.1, parameters: { operation: 'csv', options: { fileName: 'sales.csv' } } },
		{ name: 'Upload File', parameters: { resource: 'file', operation: 'upload', sandboxId, path: 'input/sales.csv' } },
		{
			name: 'Summarize',
			parameters: runCode({
				sandboxId,
				code: 'import pandas as pd, os\nos.makedirs("output", exist_ok=True)\npd.read_csv("input/sales.csv").groupby("region", as_index=False)["sales"].sum().to_csv("output/summary.csv", index=False)',
				options: { outputFolder: 'output' },
			}),
		},
		{ name: 'Download File', parameters: { resource: 'file', operation: 'download', sandboxId, path: 'input/sales.csv' } },
		{ name: 'Kill Sandbox', parameters: { resource: 'sandbox', operation: 'kill', sandboxId } },
	]);
	await n8n.importWorkflow(workflow);
	const result = await n8n.execute(workflow.id);

	const csv = N8n.items(result, 'To CSV')[0].binary!.data;
	const [uploaded] = N8n.items(result, 'Upload File');
	expect(uploaded.json).toEqual({ sandboxId: expect.stringMatching(/^ci-/), path: '/home/user/input/sales.csv', size: n8n.binaryContent(csv).length });

	const [summarized] = N8n.items(result, 'Summarize');
	expect(summarized.json.error).toBeNull();
	expect(summarized.json.outputFiles).toEqual([
		{ name: 'summary.csv', path: '/home/user/output/summary.csv', size: expect.any(Number), binaryProperty: 'summary_csv' },
	]);
	expect(summarized.binary?.summary_csv).toMatchObject({ fileName: 'summary.csv', mimeType: 'text/csv' });
	expect(n8n.binaryContent(summarized.binary!.summary_csv).toString()).toBe('region,sales\nNorth,150\nSouth,80\n');

	const [downloaded] = N8n.items(result, 'Download File');
	expect(downloaded.binary?.data).toMatchObject({ fileName: 'sales.csv', mimeType: 'text/csv' });
	expect(n8n.binaryContent(downloaded.binary!.data).equals(n8n.binaryContent(csv))).toBe(true);
	expect(N8n.items(result, 'Kill Sandbox')[0].json.killed).toBe(true);
});

test('Upload File without the binary property: an error naming the properties the item has', async () => {
	const workflow = chain('missingBinary', [
		{ name: 'Make Rows', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: 'return [{ json: { a: 1 } }];' } },
		{ name: 'To CSV', type: 'n8n-nodes-base.convertToFile', typeVersion: 1.1, parameters: { operation: 'csv', options: {} } },
		{
			name: 'Upload File',
			parameters: { resource: 'file', operation: 'upload', sandboxId: 'ci-0000000000000000', binaryPropertyName: 'file' },
			onError: 'continueRegularOutput',
		},
	]);
	await n8n.importWorkflow(workflow);
	const [item] = N8n.items(await n8n.execute(workflow.id), 'Upload File');
	expect(item.json).toEqual({
		error: 'The item has no binary property "file"',
		details: 'Its binary properties are: data. Set "Input Binary Field" to one of them.',
	});
});

test('a sandbox belongs to its credential: another Docker credential on the same engine cannot list, use or kill it', async () => {
	const other = { codeInterpreterDockerApi: { id: 'ciDockerOther001', name: 'Code Interpreter Docker (another user)' } };
	await n8n.importCredentials([{ ...other.codeInterpreterDockerApi, type: 'codeInterpreterDockerApi', data: {} }]);
	const sandboxId = "={{ $('Create Sandbox').first().json.sandboxId }}";
	const workflow = chain('credentialScope', [
		{ name: 'Create Sandbox', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 120 } },
		{ name: 'Secret', parameters: runCode({ sandboxId, code: 'secret = "customer data"' }) },
		{ name: 'Read As Other', parameters: runCode({ sandboxId, code: 'secret' }), credentials: other, onError: 'continueRegularOutput' },
		{ name: 'Kill As Other', parameters: { resource: 'sandbox', operation: 'kill', sandboxId }, credentials: other },
		{ name: 'Read As Owner', parameters: runCode({ sandboxId, code: 'secret' }) },
		{ name: 'List As Owner', parameters: { resource: 'sandbox', operation: 'getAll' } },
		{ name: 'List As Other', parameters: { resource: 'sandbox', operation: 'getAll' }, credentials: other, executeOnce: true },
	]);
	await n8n.importWorkflow(workflow);
	const result = await n8n.execute(workflow.id);
	const created = N8n.items(result, 'Create Sandbox')[0].json.sandboxId as string;
	try {
		expect(N8n.items(result, 'Read As Other')[0].json).toMatchObject({ error: `Sandbox "${created}" was not found` });
		expect(N8n.items(result, 'Kill As Other')[0].json).toEqual({ sandboxId: created, killed: false });
		expect(N8n.items(result, 'Read As Owner')[0].json).toMatchObject({ text: 'customer data', error: null });
		expect(N8n.items(result, 'List As Owner').map((item) => item.json.sandboxId)).toContain(created);
		const listedToOther = result.data.resultData.runData['List As Other']?.[0]?.data?.main[0] ?? [];
		expect(listedToOther.map((item) => item.json.sandboxId)).not.toContain(created);
	} finally {
		expect(await backend.kill(created)).toBe(true);
	}
});

test('a 1 TB sparse file in the output folder is left out with a note, the run and its other files kept, nothing written to n8n\'s disk', async () => {
	const code = [
		'import os',
		'os.makedirs("output", exist_ok=True)',
		'open("output/huge.csv", "wb").truncate(2**40)',
		'os.symlink("/dev/zero", "output/zero")',
		'open("output/ok.txt", "w").write("ok")',
		'"done"',
	].join('\n');
	const workflow = chain('sparseOutputFile', [{ name: 'Run Code', parameters: runCode({ code, options: { outputFolder: 'output' } }) }]);
	await n8n.importWorkflow(workflow);
	const started = Date.now();
	const result = await n8n.execute(workflow.id);
	expect(Date.now() - started).toBeLessThan(60_000);
	const [item] = N8n.items(result, 'Run Code');
	expect(item.json).toMatchObject({ text: 'done', error: null });
	expect((item.json.outputFiles as Array<{ name: string }>).map((file) => file.name)).toEqual(['ok.txt']);
	expect(item.json.truncated).toEqual([
		'The output file "/home/user/output/huge.csv" was left out: "/home/user/output/huge.csv" is 1048576 MB, more than the 100 MB a file read from the sandbox may be.',
	]);
	expect(Object.keys(item.binary ?? {})).toEqual(['ok_txt']);
});
