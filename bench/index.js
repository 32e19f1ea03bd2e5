#!/usr/bin/env node
// `npm run bench`: every benchmark in one run, printed as one table (each figure next to what it is measured against
// in the same run, and its target). The parts run alone too: node bench/<part>.js.
const idleSandboxes = require('./idle-sandboxes');
const itemsInN8n = require('./items-in-n8n');
const largeOutputs = require('./large-outputs');
const packages = require('./packages');
const pause = require('./pause');
const { withN8n } = require('./lib/n8n');
const { printTable } = require('./lib/report');
const { quietJupyterLogs } = require('./lib/stats');
const sandboxLifecycle = require('./sandbox-lifecycle');
const warmExecution = require('./warm-execution');

async function main() {
	const log = quietJupyterLogs();
	const rows = [];
	const part = async (name, measure) => {
		const started = Date.now();
		rows.push(...(await measure()));
		log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	};
	await part('sandbox lifecycle', () => sandboxLifecycle.measure());
	await part('packages at create', () => packages.measure());
	await part('pause and resume', () => pause.measure());
	await withN8n(async (n8n) => {
		await part('warm execution', () => warmExecution.measure(n8n));
		await part('items in n8n', () => itemsInN8n.measure(n8n));
		await part('large outputs', () => largeOutputs.measure(n8n));
	});
	await part('idle sandboxes', () => idleSandboxes.measure());
	await part('soak', () => require('./soak').measure());
	log('');
	printTable(rows, log);
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
