#!/usr/bin/env node
// One warm execution of print(1) on the Docker backend, three ways in the same run: a raw @jupyterlab/services round
// trip on an open connection, our backend's runCode (finds the sandbox, connects, runs), and our node inside a real
// n8n (n8n's executionTime of a Run Code node in a chain of them). Usage: npm run build && node bench/warm-execution.js [runs=30]
const { KernelAPI, KernelConnection, ServerConnection } = require('@jupyterlab/services');
const Docker = require('dockerode');
const WebSocket = require('ws');

const { DockerBackend } = require('../dist/nodes/CodeInterpreter/backends/docker/DockerBackend');
const { parseDockerSettings } = require('../dist/nodes/CodeInterpreter/backends/docker/settings');
const { jupyterEndpoint } = require('../dist/nodes/CodeInterpreter/backends/docker/jupyterAccess');
const { fromLabels } = require('../dist/nodes/CodeInterpreter/backends/docker/labels');
const { chain, nodeRun, withN8n } = require('./lib/n8n');
const { row, runAlone } = require('./lib/report');
const { percentile, time } = require('./lib/stats');
const { runOne } = require('./lib/runOne');

const PRINT = 'print(1)';

async function rawRoundTrips(settings, sandboxId, runs) {
	const [container] = await new Docker().listContainers({ filters: { name: [sandboxId] } });
	const { baseUrl, token } = jupyterEndpoint(container, fromLabels(container.Labels).token, settings);
	const serverSettings = ServerConnection.makeSettings({ baseUrl, wsUrl: baseUrl.replace(/^http/, 'ws'), token, appendToken: true, fetch, Request, Headers, WebSocket });
	const [kernel] = await KernelAPI.listRunning(serverSettings);
	const connection = new KernelConnection({ model: kernel, serverSettings, handleComms: false });
	await new Promise((resolve) => connection.connectionStatusChanged.connect((_, status) => status === 'connected' && resolve()));
	const ms = [];
	for (let i = 0; i < runs; i++) ms.push((await time(() => connection.requestExecute({ code: PRINT }).done))[0]);
	connection.dispose();
	return ms;
}

async function measure(n8n, runs = 30) {
	const settings = parseDockerSettings({ poolSize: 0 });
	const backend = new DockerBackend(settings);
	const sandbox = await backend.create({ timeoutSeconds: 600 });
	let raw;
	let ours;
	try {
		await runOne(backend, sandbox.sandboxId, PRINT, { language: 'python', timeoutMs: 60_000 });
		raw = await rawRoundTrips(settings, sandbox.sandboxId, runs);
		ours = [];
		for (let i = 0; i < runs; i++) ours.push((await time(() => runOne(backend, sandbox.sandboxId, PRINT, { language: 'python', timeoutMs: 60_000 })))[0]);
	} finally {
		await backend.kill(sandbox.sandboxId);
	}
	const names = Array.from({ length: runs }, (_, i) => `Run ${i + 1}`);
	const { runData } = await n8n.run(
		chain('benchWarmExecution', [
			{ name: 'Create Sandbox', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 600 } },
			{ name: 'Start Kernel', parameters: { resource: 'code', operation: 'run', code: '1' } },
			...names.map((name) => ({ name, parameters: { resource: 'code', operation: 'run', code: PRINT } })),
			{ name: 'Kill Sandbox', parameters: { resource: 'sandbox', operation: 'kill' } },
		]),
	);
	const inN8n = names.map((name) => {
		const { items, ms } = nodeRun(runData, name);
		if (items[0].json.stdout !== '1\n') throw new Error(`${name} gave ${JSON.stringify(items[0].json)}`);
		return ms;
	});
	const p50 = (values) => percentile(values, 50);
	const ms = (value) => `${value.toFixed(1)} ms`;
	const overhead = p50(inN8n) - p50(raw);
	return [
		row(
			`one warm execution, print(1), p50 of ${runs}`,
			`${ms(p50(inN8n))} (Run Code node in n8n); ${ms(p50(ours))} (our backend)`,
			`${ms(p50(raw))} (raw @jupyterlab/services round trip, connection open)`,
			'node overhead over raw ≤ 1 ms',
			overhead <= 1,
		),
		row('node overhead over the raw round trip', ms(overhead)),
	];
}

module.exports = { measure };

if (require.main === module) runAlone(() => withN8n((n8n) => measure(n8n, Number(process.argv[2]) || undefined)));
