#!/usr/bin/env node
// Items through a real n8n: 1,000 items run once for each item — our Run Code (Python, one sandbox) against n8n's
// JavaScript Code node, in the same n8n — and 10,000 items run once for all items. Times are n8n's own
// executionTime of the node. Usage: npm run build && node bench/items-in-n8n.js [items=1000] [allItems=10000]
const { chain, jsCode, nodeRun, withN8n } = require('./lib/n8n');
const { row, runAlone } = require('./lib/report');

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

/** Runs a workflow of `count` items into `node`; resolves with that node's time, once its items are checked. */
async function timed(n8n, id, count, nodes, node, read) {
	const { runData } = await n8n.run(chain(id, nodes(jsCode('Items', 'runOnceForAllItems', ITEMS_CODE(count)))));
	const { items, ms } = nodeRun(runData, node);
	expectDoubled(items, count, read);
	return ms;
}

async function measure(n8n, perItemCount = 1000, allItemsCount = 10_000) {
	const text = (item) => Number(item.json.text);
	const doubled = (item) => item.json.doubled;
	const inSandbox = (runCode) => (items) => [createSandbox, startKernel, items, { name: 'Run Code', parameters: { resource: 'code', operation: 'run', ...runCode } }, killSandbox];
	const jsNode = (mode, code) => (items) => [items, jsCode('Double', mode, code)];
	const python = await timed(n8n, 'benchPerItemPython', perItemCount, inSandbox({ code: 'item["n"] * 2' }), 'Run Code', text);
	const js = await timed(n8n, 'benchPerItemJs', perItemCount, jsNode('runOnceForEachItem', 'return { json: { doubled: $json.n * 2 } };'), 'Double', doubled);
	const all = await timed(
		n8n,
		'benchAllItemsPython',
		allItemsCount,
		inSandbox({
			sandboxId: "={{ $('Create Sandbox').first().json.sandboxId }}",
			mode: 'runOnceForAllItems',
			code: '[{"doubled": i["n"] * 2} for i in items]',
			options: { resultAsItems: true },
		}),
		'Run Code',
		doubled,
	);
	const allJs = await timed(n8n, 'benchAllItemsJs', allItemsCount, jsNode('runOnceForAllItems', 'return $input.all().map((item) => ({ json: { doubled: item.json.n * 2 } }));'), 'Double', doubled);

	const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
	return [
		row(`${perItemCount.toLocaleString('en')} items, once for each item, in n8n`, `${seconds(python)} (Python, one sandbox)`, `${seconds(js)} (n8n's JavaScript Code node)`, '≤ 2 s', python <= 2000),
		row(`${allItemsCount.toLocaleString('en')} items, once for all items, in n8n`, `${seconds(all)} (Python, one item per result row)`, `${seconds(allJs)} (n8n's JavaScript Code node)`),
	];
}

module.exports = { measure };

if (require.main === module) {
	const [perItemCount, allItemsCount] = process.argv.slice(2).map(Number);
	runAlone(() => withN8n((n8n) => measure(n8n, perItemCount || undefined, allItemsCount || undefined)));
}
