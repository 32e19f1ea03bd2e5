import { readFileSync } from 'fs';
import { join } from 'path';

import { conversationSandboxes, removeConversationSandboxes } from './conversationSandboxes';
import { EXAMPLES_DIR, N8n, type WorkflowJson } from './n8n';
import { N8nServer } from './n8nServer';
import { ScriptedModel } from './scriptedModel';

/** The example workflows a user imports (examples/), executed as they are in a real n8n. */
let n8n: N8n;

async function runExample(file: string) {
	const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
	await n8n.importWorkflow(workflow);
	return await n8n.execute(workflow.id);
}

beforeAll(async () => {
	n8n = await N8n.start();
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
});

test('csv-report: rows → CSV → Upload → pandas summary and a chart PNG ready to email → Kill', async () => {
	const result = await runExample('csv-report.json');
	const [uploaded] = N8n.items(result, 'Upload CSV');
	expect(uploaded.json).toMatchObject({ path: '/home/user/sales.csv' });
	const [report] = N8n.items(result, 'Summarise and Plot');
	expect(report.json.error).toBeNull();
	// The same sums, worked out here from the rule the example's Code node makes its rows by.
	const totals = new Map<string, number>();
	for (let i = 0; i < 24; i++) {
		const region = ['North', 'South', 'East', 'West'][i % 4];
		totals.set(region, (totals.get(region) ?? 0) + 100 + ((i * 37) % 90));
	}
	const byRegion = [...totals].sort((a, b) => b[1] - a[1]);
	expect((report.json.results as Array<{ data?: unknown }>)[0].data).toEqual({
		region: byRegion.map(([region]) => region),
		amount: byRegion.map(([, amount]) => amount),
	});
	expect(report.json.outputFiles).toEqual([expect.objectContaining({ name: 'sales-by-region.png', binaryProperty: 'sales_by_region_png' })]);
	expect(report.binary?.sales_by_region_png).toMatchObject({ mimeType: 'image/png', fileName: 'sales-by-region.png' });
	expect(n8n.binaryContent(report.binary!.sales_by_region_png).subarray(1, 4).toString()).toBe('PNG');
	expect(N8n.items(result, 'Kill Sandbox')[0].json).toMatchObject({ killed: true });
});

test('r-and-bash: a paired t-test in R, its p-value checked by a Bash step', async () => {
	const result = await runExample('r-and-bash.json');
	const [test] = N8n.items(result, 'R: t-test');
	expect(test.json.error).toBeNull();
	expect(test.json.stdout).toMatch(/^mean difference 0\.8\d\d, p-value 0\.000\d\d\n$/);
	const [check] = N8n.items(result, 'Bash: Check Significance');
	expect(check.json.error).toBeNull();
	expect(check.json.stdout).toMatch(/^significant \(p=/);
});

test('scheduled-pipeline: orders → pandas daily totals of paid orders → one item per day, ready for a spreadsheet', async () => {
	const result = await runExample('scheduled-pipeline.json');
	const rows = N8n.items(result, 'Daily Totals');
	// The same totals, worked out here from the rule the example's Code node makes its orders by.
	const days = new Map<string, { orders: number; revenue: number }>();
	for (let i = 0; i < 30; i++) {
		if (i % 7 === 0) continue;
		const day = `2026-11-${20 + (i % 3)}`;
		const totals = days.get(day) ?? { orders: 0, revenue: 0 };
		days.set(day, { orders: totals.orders + 1, revenue: totals.revenue + 20 + ((i * 13) % 50) });
	}
	expect(rows.map((row) => row.json)).toEqual(
		[...days].sort().map(([day, { orders, revenue }]) => ({ day, orders, revenue, average: Math.round((revenue / orders) * 100) / 100 })),
	);
	expect(rows.map((row) => row.pairedItem)).toEqual(rows.map(() => Array.from({ length: 30 }, (_, item) => ({ item }))));
});

describe('ai-data-analyst: chat messages to a published Chat Trigger, answered by an AI Agent running Python', () => {
	const SALES_CODE = 'import pandas as pd\nsales = pd.DataFrame({"month": range(1, 13), "revenue": [100 + 15 * m for m in range(12)]})\nprint(len(sales), "months loaded")';
	const PLOT_CODE = 'import matplotlib.pyplot as plt\nplt.plot(sales["month"], sales["revenue"])\nplt.title("Monthly revenue")\nplt.xlabel("month")\nplt.ylabel("revenue")\nplt.show()\nint(sales["revenue"].sum())';
	const SESSIONS = ['analyst-session-a', 'analyst-session-b'];
	let model: ScriptedModel;
	let server: N8nServer | undefined;

	beforeAll(async () => {
		model = await ScriptedModel.start({
			'Load the monthly sales.': [{ toolCall: { code: SALES_CODE } }, { text: 'Loaded 12 months of sales.' }],
			'Plot the trend.': [{ toolCall: { code: PLOT_CODE } }, { text: 'Revenue grows every month: 2190 in total.' }],
			// Another conversation: the sales are not loaded there; the agent reads the traceback and fixes its code.
			'Plot the sales trend.': [
				{ toolCall: { code: PLOT_CODE } },
				{ toolCall: { code: `${SALES_CODE}\n${PLOT_CODE}` } },
				{ text: 'I loaded the sales first: 2190 in total.' },
			],
		});
		await n8n.importCredentials([{ id: 'ciExampleOpenAi01', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: 'sk-scripted', url: model.url } }]);
		const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'ai-data-analyst.json'), 'utf8')) as WorkflowJson;
		await n8n.importWorkflow(workflow);
		await N8nServer.publishWorkflow(n8n, workflow.id);
		server = await N8nServer.start({ n8n });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		await model?.stop();
		await removeConversationSandboxes('ciExampleAiAnalyst', SESSIONS);
	});

	test('one sandbox per chat session; a failed call comes back as a traceback and the agent fixes its code', async () => {
		const chat = async (sessionId: string, chatInput: string) => {
			const response = await fetch(`${server!.url}/webhook/3f1c2b6e-8d4a-4c1e-9b7a-5e2d0c9a1f01/chat`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ action: 'sendMessage', sessionId, chatInput }),
				signal: AbortSignal.timeout(120_000),
			});
			expect(response.status).toBe(200);
			return ((await response.json()) as { output: string }).output;
		};
		expect(await chat(SESSIONS[0], 'Load the monthly sales.')).toBe('Loaded 12 months of sales.');
		expect(await chat(SESSIONS[0], 'Plot the trend.')).toBe('Revenue grows every month: 2190 in total.');
		expect(await chat(SESSIONS[1], 'Plot the sales trend.')).toBe('I loaded the sales first: 2190 in total.');

		const chartLine = 'line chart "Monthly revenue"; x axis "month", y axis "revenue"; 1 series, 12 points';
		expect(model.toolResults()).toEqual([
			[{ status: 'ok', stdout: '12 months loaded\n' }],
			// Each message is its own workflow execution: `sales` survived in the session's sandbox.
			[{ status: 'ok', result: '2190', charts: [chartLine] }],
			[expect.objectContaining({ status: 'error', error: "NameError: name 'sales' is not defined", traceback: expect.stringContaining('NameError') })],
			[{ status: 'ok', stdout: '12 months loaded\n', result: '2190', charts: [chartLine] }],
		]);
		const [sandboxA, sandboxB] = await conversationSandboxes('ciExampleAiAnalyst', SESSIONS);
		expect(sandboxA && sandboxB && sandboxA.Id !== sandboxB.Id).toBe(true);
	}, 300_000);
});
