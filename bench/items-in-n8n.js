#!/usr/bin/env node
// Items through a real n8n: 1,000 items run once for each item — our Run Code (Python, one sandbox) against n8n's
// JavaScript Code node, in the same n8n — and 10,000 items run once for all items. Times are n8n's own
// executionTime of the node. Usage: npm run build && node bench/items-in-n8n.js [items=1000] [allItems=10000]
const { chain, jsCode, nodeRun, withN8n } = require('./lib/n8n');
const { printTable, row } = require('./lib/report');

const ITEMS_CODE = (count) => `const { sandboxId } = $input.first().json;\nreturn Array.from({ length: ${count} }, (_, n) => ({ json: { n, sandboxId } }));`;
const createSandbox = { name: 'Create Sandbox', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 900 } };
// Starts the sandbox's Python kernel, so that the measured node does not (a claim from a warm pool has it started).
const startKernel = { name: 'Start Kernel', parameters: { resource: 'code', operation: 'run', code: '1' } };
const killSandbox = {
	name: 'Kill Sandbox',
	parameters: { resource: 'sandbox', operation: 'kill', sandboxId: "={{ $('Create Sandbox').first().json.sandboxId }}" },
	executeOnce: true,
};

function expectDoubled(items, count, read) {
	const wrong = items.findIndex((item, n) => read(item) !== n * 2);
	if (items.length !== count || wrong !== -1) throw new Error(`expected ${count} doubled items, got ${items.length} (first wrong: ${wrong})`);
}

async function measure(n8n, perItemCount = 1000, allItemsCount = 10_000) {
	const perItem = await n8n.run(
		chain('benchPerItemPython', [
			createSandbox,
			startKernel,
			jsCode('Items', 'runOnceForAllItems', ITEMS_CODE(perItemCount)),
			{ name: 'Run Code', parameters: { resource: 'code', operation: 'run', code: 'item["n"] * 2' } },
			killSandbox,
		]),
	);
	const python = nodeRun(perItem.runData, 'Run Code');
	expectDoubled(python.items, perItemCount, (item) => Number(item.json.text));

	const perItemJs = await n8n.run(
		chain('benchPerItemJs', [
			jsCode('Items', 'runOnceForAllItems', ITEMS_CODE(perItemCount)),
			jsCode('Double', 'runOnceForEachItem', 'return { json: { doubled: $json.n * 2 } };'),
		]),
	);
	const js = nodeRun(perItemJs.runData, 'Double');
	expectDoubled(js.items, perItemCount, (item) => item.json.doubled);

	const allItems = await n8n.run(
		chain('benchAllItemsPython', [
			createSandbox,
			startKernel,
			jsCode('Items', 'runOnceForAllItems', ITEMS_CODE(allItemsCount)),
			{
				name: 'Run Code',
				parameters: {
					resource: 'code',
					operation: 'run',
					sandboxId: "={{ $('Create Sandbox').first().json.sandboxId }}",
					mode: 'runOnceForAllItems',
					code: '[{"doubled": i["n"] * 2} for i in items]',
					options: { resultAsItems: true },
				},
			},
			killSandbox,
		]),
	);
	const all = nodeRun(allItems.runData, 'Run Code');
	expectDoubled(all.items, allItemsCount, (item) => item.json.doubled);

	const allItemsJs = await n8n.run(
		chain('benchAllItemsJs', [
			jsCode('Items', 'runOnceForAllItems', ITEMS_CODE(allItemsCount)),
			jsCode('Double', 'runOnceForAllItems', 'return $input.all().map((item) => ({ json: { doubled: item.json.n * 2 } }));'),
		]),
	);
	const allJs = nodeRun(allItemsJs.runData, 'Double');
	expectDoubled(allJs.items, allItemsCount, (item) => item.json.doubled);

	const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
	return [
		row(`${perItemCount.toLocaleString('en')} items, once for each item, in n8n`, `${seconds(python.ms)} (Python, one sandbox)`, `${seconds(js.ms)} (n8n's JavaScript Code node)`, '≤ 2 s', python.ms <= 2000),
		row(`${allItemsCount.toLocaleString('en')} items, once for all items, in n8n`, `${seconds(all.ms)} (Python, one item per result row)`, `${seconds(allJs.ms)} (n8n's JavaScript Code node)`),
	];
}

module.exports = { measure };

if (require.main === module) {
	const [perItemCount, allItemsCount] = process.argv.slice(2).map(Number);
	withN8n(async (n8n) => printTable(await measure(n8n, perItemCount || undefined, allItemsCount || undefined))).catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
