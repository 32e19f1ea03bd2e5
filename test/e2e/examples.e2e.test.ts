import { readFileSync } from 'fs';
import { join } from 'path';

import { EXAMPLES_DIR, N8n, type WorkflowJson } from './n8n';

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
