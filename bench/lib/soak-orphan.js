#!/usr/bin/env node
// The n8n-side process of bench/soak.js's first fault: creates a sandbox, starts a long run in it, and is SIGKILLed
// by the soak mid-run. Prints one JSON line per step. Usage: node bench/lib/soak-orphan.js <lifetime s> <envs JSON>
const { createBackend } = require('../../dist/nodes/CodeInterpreter/backends');
const { quietJupyterLogs } = require('./stats');
const { runOne } = require('./runOne');

/** The limit of the run that starts the kernel (the soak allows it 10 s more). */
const READY_RUN_MS = 20_000;

async function main() {
	const log = quietJupyterLogs();
	const step = (name, started, fields = {}) => log(JSON.stringify({ step: name, ms: Date.now() - started, ...fields }));
	const backend = createBackend('docker', { poolSize: 0 });
	let started = Date.now();
	const { sandboxId, expiresAt } = await backend.create({ timeoutSeconds: Number(process.argv[2]), envs: JSON.parse(process.argv[3]) });
	step('created', started, { sandboxId, expiresAt });
	started = Date.now();
	await runOne(backend, sandboxId, '1', { language: 'python', timeoutMs: READY_RUN_MS });
	step('ready', started);
	runOne(backend, sandboxId, 'import time\ntime.sleep(60)', { language: 'python', timeoutMs: 120_000 }).catch(() => undefined);
	// The kernel is already started: a second is ample for the run to be under way.
	started = Date.now();
	setTimeout(() => step('running', started), 1_000);
}

module.exports = { READY_RUN_MS };

if (require.main === module) {
	// Ends by itself should the soak never kill it.
	setTimeout(() => process.exit(1), 180_000).unref();
	main().catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}
