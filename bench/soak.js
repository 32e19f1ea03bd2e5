#!/usr/bin/env node
// Soak: create → run → kill cycles on the Docker backend with faults injected at random (seeded, so a run can be
// repeated): the n8n-side process killed mid-run, the container killed, the kernel killed, the Docker engine
// restarted. Passes when no wait on the backend outlasts its limit and no sandbox outlives its deadline.
// Usage: npm run build && node bench/soak.js [--cycles 500] [--seed N]
const { execFile, spawn } = require('child_process');
const { randomBytes } = require('crypto');
const { once } = require('events');
const { join } = require('path');
const readline = require('readline');
const Docker = require('dockerode');

const { createBackend } = require('../dist/nodes/CodeInterpreter/backends');
const { LABELS } = require('../dist/nodes/CodeInterpreter/backends/docker/labels');
const { row, runAlone } = require('./lib/report');
const { READY_RUN_MS } = require('./lib/soak-orphan');
const { runOne } = require('./lib/runOne');

const ORPHAN_SCRIPT = join(__dirname, 'lib', 'soak-orphan.js');
const ENGINE_SCRIPT = join(__dirname, '..', 'scripts', 'docker-engine.sh');
/** Long enough for a cycle with an engine restart in it, short enough to keep the final wait short. */
const LIFETIME_S = 45;
const ORPHAN_LIFETIME_S = 20;
/** A sandbox may run this long past its deadline (its watchdog looks every second, then Docker removes it). */
const DEADLINE_MARGIN_MS = 15_000;
const CREATE_LIMIT_MS = 70_000;
const KILL_LIMIT_MS = 40_000;
const RUN_MARGIN_MS = 10_000;
const LONG_RUN = 'import time\ntime.sleep(60)';
const FAULTS = {
	orphaned: 'n8n process killed mid-run',
	containerKilled: 'container killed',
	kernelKilled: 'kernel killed',
	engineRestarted: 'engine restarted',
};

/** mulberry32: a small seeded PRNG. */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), a | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function shuffle(values, random) {
	for (let i = values.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[values[i], values[j]] = [values[j], values[i]];
	}
	return values;
}

const range = (from, to) => Array.from({ length: to - from }, (_, k) => from + k);

/**
 * Which fault each cycle gets: every 10 cycles hold each of the first three once (10% each), every 50 one engine
 * restart (2%), at random places, so that even a short run has each kind.
 */
function plan(cycles, random) {
	const faults = Array(cycles).fill(undefined);
	for (let start = 0; start < cycles; start += 10) {
		const places = shuffle(range(start, Math.min(start + 10, cycles)), random);
		const kinds = shuffle(['orphaned', 'containerKilled', 'kernelKilled'], random);
		for (let k = 0; k < Math.min(kinds.length, places.length); k++) faults[places[k]] = kinds[k];
	}
	for (let start = 0; start < cycles; start += 50) {
		const places = range(start, Math.min(start + 50, cycles));
		const free = places.filter((i) => !faults[i]);
		const pick = free.length > 0 ? free : places;
		faults[pick[Math.floor(random() * pick.length)]] = 'engineRestarted';
	}
	return faults;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const stdout = (outcome) => outcome.value?.logs.stdout.join('');
const failed = (outcome) => Boolean(outcome.error || outcome.value?.error);

function describe(outcome) {
	if (outcome.hung) return 'no answer';
	if (outcome.error) return `threw ${outcome.error.message}`;
	const { error } = outcome.value;
	return error ? `${error.name}: ${error.value}` : `stdout ${JSON.stringify(stdout(outcome))}`;
}

class Soak {
	constructor(random) {
		this.random = random;
		this.startedAt = Date.now();
		// Marks the soak's sandboxes, also those whose create was given up on (their ID never came back).
		this.envs = { SOAK_RUN: randomBytes(6).toString('hex') };
		this.backend = createBackend('docker', { poolSize: 0 });
		this.docker = new Docker({ timeout: 30_000 });
		/** sandboxId → { deadline (ms), what } of every sandbox of this soak. */
		this.sandboxes = new Map();
		this.notOurs = new Set();
		/** sandboxId → how it outlived its deadline. */
		this.outlived = new Map();
		this.pastLimit = [];
		this.longest = { ms: 0, limitMs: 1, what: '' };
		this.unexpected = [];
		this.injected = Object.fromEntries(Object.keys(FAULTS).map((fault) => [fault, 0]));
		this.engineRefused = undefined;
	}

	/** Awaits a backend call with a watchdog: a wait past its limit is counted, and the soak goes on without it. */
	async watched(what, limitMs, promise) {
		const started = Date.now();
		let timer;
		const hung = new Promise((resolve) => (timer = setTimeout(resolve, limitMs, { hung: true })));
		const outcome = await Promise.race([promise.then((value) => ({ value }), (error) => ({ error })), hung]);
		clearTimeout(timer);
		if (outcome.hung) this.pastLimit.push(`${what}: no answer within ${limitMs / 1000} s`);
		const ms = Date.now() - started;
		if (ms / limitMs > this.longest.ms / this.longest.limitMs) this.longest = { ms, limitMs, what };
		return outcome;
	}

	expect(ok, finding) {
		if (!ok) this.unexpected.push(finding);
	}

	delay() {
		return 300 + Math.floor(this.random() * 1_700);
	}

	run(what, sandboxId, code, timeoutMs) {
		const running = runOne(this.backend, sandboxId, code, { language: 'python', timeoutMs });
		return this.watched(`${what}: runCode (timeoutMs ${timeoutMs})`, timeoutMs + RUN_MARGIN_MS, running);
	}

	async cycle(i, fault) {
		const what = `cycle ${i + 1}${fault ? ` (${FAULTS[fault]})` : ''}`;
		if (fault === 'orphaned') return await this.orphaned(what);
		const created = await this.watched(`${what}: create`, CREATE_LIMIT_MS, this.backend.create({ timeoutSeconds: LIFETIME_S, envs: this.envs }));
		if (!created.value) return this.expect(created.hung, `${what}: create ${describe(created)}`);
		const { sandboxId, expiresAt } = created.value;
		const at = `${what} ${sandboxId}`;
		this.sandboxes.set(sandboxId, { deadline: Date.parse(expiresAt), what });
		const first = await this.run(at, sandboxId, `print(${i})`, 30_000);
		this.expect(first.hung || stdout(first) === `${i}\n`, `${at}: print(${i}) gave ${describe(first)}`);
		if (fault) await this[fault](at, sandboxId);
		await this.watched(`${at}: kill`, KILL_LIMIT_MS, this.backend.kill(sandboxId));
	}

	/** Fault 1: a child process creates a sandbox, starts a long run and is SIGKILLed; its sandbox must stop at its deadline. */
	async orphaned(what) {
		const child = spawn(process.execPath, [ORPHAN_SCRIPT, String(ORPHAN_LIFETIME_S), JSON.stringify(this.envs)], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-500)));
		const steps = {};
		const running = new Promise((resolve, reject) => {
			readline.createInterface({ input: child.stdout }).on('line', (line) => {
				let step;
				try {
					step = JSON.parse(line);
				} catch {
					return;
				}
				steps[step.step] = step;
				if (step.step === 'created') this.sandboxes.set(step.sandboxId, { deadline: Date.parse(step.expiresAt), what });
				if (step.step === 'running') resolve();
			});
			child.on('exit', (code, signal) => reject(new Error(`the process ended (${code ?? signal}) before its run started: ${stderr.trim()}`)));
		});
		const limitMs = CREATE_LIMIT_MS + READY_RUN_MS + RUN_MARGIN_MS + 5_000;
		const outcome = await this.watched(`${what}: create → run in the n8n process`, limitMs, running);
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
			await once(child, 'exit');
		}
		if (outcome.error) return this.expect(false, `${what}: ${outcome.error.message}`);
		if (outcome.hung) return;
		this.injected.orphaned++;
		const at = `${what} ${steps.created.sandboxId}`;
		if (steps.created.ms > CREATE_LIMIT_MS) this.pastLimit.push(`${at}: create took ${steps.created.ms} ms`);
		if (steps.ready.ms > READY_RUN_MS + RUN_MARGIN_MS) this.pastLimit.push(`${at}: runCode took ${steps.ready.ms} ms`);
	}

	/** Fault 2: the run must end with an error within its limit. */
	async containerKilled(at, sandboxId) {
		const running = this.run(at, sandboxId, LONG_RUN, 30_000);
		await sleep(this.delay());
		// Found by its label: the container's name need not be the sandbox's ID.
		const killed = await this.docker
			.listContainers({ filters: { label: [`${LABELS.sandboxId}=${sandboxId}`] } })
			.then(([container]) => this.docker.getContainer(container.Id).kill())
			.then(() => true, (error) => this.expect(false, `${at}: docker kill: ${error.message}`));
		if (killed) this.injected.containerKilled++;
		const outcome = await running;
		this.expect(outcome.hung || failed(outcome), `${at}: the run went on after its container was killed: ${describe(outcome)}`);
	}

	/** Fault 3: an error naming the kernel's death within the limit, then the next run works. */
	async kernelKilled(at, sandboxId) {
		this.injected.kernelKilled++;
		const died = await this.run(at, sandboxId, 'import os, signal, time\ntime.sleep(0.5)\nos.kill(os.getpid(), signal.SIGKILL)', 30_000);
		const said = `${died.error?.message ?? ''} ${died.value?.error?.value ?? ''}`;
		this.expect(died.hung || /kernel died/i.test(said), `${at}: the kernel's death gave ${describe(died)}`);
		const next = await this.run(at, sandboxId, 'print("next")', 30_000);
		this.expect(next.hung || stdout(next) === 'next\n', `${at}: the run after the kernel died gave ${describe(next)}`);
	}

	/** Fault 4: the run in flight may fail but must end within its limit; sandboxes still stop at their deadline. */
	async engineRestarted(at, sandboxId) {
		if (this.engineRefused) return;
		const running = this.run(at, sandboxId, 'import time\ntime.sleep(5)', 20_000);
		await sleep(this.delay());
		const started = Date.now();
		const restart = await new Promise((resolve) =>
			execFile('bash', [ENGINE_SCRIPT, '--restart'], { timeout: 120_000 }, (error, _, stderr) => resolve({ error, stderr })),
		);
		if (restart.error?.code === 2) this.engineRefused = restart.stderr.trim();
		else if (restart.error) this.expect(false, `${at}: the engine restart failed: ${restart.error.message}`);
		else {
			this.injected.engineRestarted++;
			console.log(`soak: ${at}: engine restarted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		}
		console.log(`soak: ${at}: the run in flight ${describe(await running)}`);
	}

	/** Counts, once each, the soak's sandboxes still running 15 s past their deadline; resolves with the soak's containers. */
	async check() {
		const containers = await this.docker.listContainers({ all: true, filters: { label: [LABELS.sandboxId] } }).catch(() => undefined);
		if (!containers) return undefined;
		const ours = [];
		for (const container of containers) {
			const sandboxId = container.Labels[LABELS.sandboxId];
			if (!this.sandboxes.has(sandboxId)) {
				if (!(await this.marked(container))) continue;
				this.sandboxes.set(sandboxId, { deadline: Date.parse(container.Labels[LABELS.expiresAt]), what: 'a create given up on' });
			}
			ours.push(container);
			const { deadline, what } = this.sandboxes.get(sandboxId);
			const past = Date.now() - deadline;
			if (container.State === 'running' && past > DEADLINE_MARGIN_MS && !this.outlived.has(sandboxId)) {
				this.outlived.set(sandboxId, `${sandboxId} (${what}): running ${(past / 1000).toFixed(0)} s past its deadline`);
			}
		}
		return ours;
	}

	/** Whether a sandbox this soak does not know of carries its mark (its create was given up on). */
	async marked(container) {
		const sandboxId = container.Labels[LABELS.sandboxId];
		const young = Date.parse(container.Labels[LABELS.createdAt]) >= this.startedAt;
		if (this.notOurs.has(sandboxId) || !young || container.Names.some((name) => /^\/(pool|warming)-/.test(name))) return false;
		const env = await this.docker
			.getContainer(container.Id)
			.inspect()
			.then((info) => info.Config.Env ?? [], () => undefined);
		if (env && !env.includes(`SOAK_RUN=${this.envs.SOAK_RUN}`)) this.notOurs.add(sandboxId);
		return Boolean(env?.includes(`SOAK_RUN=${this.envs.SOAK_RUN}`));
	}

	/** Waits until every sandbox is gone or the last deadline + 15 s passed, counts, then removes what is left. */
	async finish() {
		const until = Math.max(...[...this.sandboxes.values()].map(({ deadline }) => deadline)) + DEADLINE_MARGIN_MS + 1_000;
		let ours = await this.check();
		while (Date.now() < until && (!ours || ours.length > 0)) {
			await sleep(Math.min(5_000, until - Date.now()));
			ours = await this.check();
		}
		for (const container of ours ?? []) {
			const sandboxId = container.Labels[LABELS.sandboxId];
			console.log(`soak: left at the end, removed: ${sandboxId} (${this.sandboxes.get(sandboxId).what}), ${container.State}: ${container.Status}`);
			await this.docker.getContainer(container.Id).remove({ force: true }).catch(() => undefined);
		}
		return ours?.length ?? 0;
	}
}

async function measure({ cycles = 500, seed = randomBytes(4).readUInt32LE() } = {}) {
	console.log(`soak: ${cycles} cycles, seed ${seed} (node bench/soak.js --cycles ${cycles} --seed ${seed} repeats its faults)`);
	const started = Date.now();
	// Killed containers and kernels make @jupyterlab/services warn as it reconnects: expected here.
	const warn = console.warn;
	console.warn = (...args) => (String(args[0]).startsWith('Connection lost') ? undefined : warn(...args));
	const soak = new Soak(prng(seed));
	const faults = plan(cycles, soak.random);
	let done = 0;
	let checked = Date.now();
	for (const [i, fault] of faults.entries()) {
		await soak.cycle(i, fault).catch((error) => soak.expect(false, `cycle ${i + 1}: ${error.stack}`));
		done++;
		if (Date.now() - checked > 10_000) {
			await soak.check();
			checked = Date.now();
		}
		if (done % 50 === 0) console.log(`soak: ${done} cycles done`);
	}
	const left = await soak.finish();
	console.warn = warn;
	const seconds = (Date.now() - started) / 1000;
	const { longest } = soak;

	const findings = [
		...soak.pastLimit.map((finding) => `wait past its limit: ${finding}`),
		...[...soak.outlived.values()].map((finding) => `outlived its deadline: ${finding}`),
		...soak.unexpected.map((finding) => `unexpected: ${finding}`),
	];
	for (const finding of findings) console.log(`soak: ${finding}`);
	if (soak.engineRefused) console.log(`soak: engine restarts skipped, scripts/docker-engine.sh --restart refused: ${soak.engineRefused}`);
	const injected = Object.entries(FAULTS)
		.map(([fault, name]) => (fault === 'engineRestarted' && soak.engineRefused ? `${name}: skipped (engine not started by scripts/docker-engine.sh)` : `${soak.injected[fault]} ${name}`))
		.join(', ');
	return [
		row(
			`soak: ${cycles} create → run → kill cycles, faults at random (seed ${seed})`,
			`${done} cycles done (faults: ${injected}); ${soak.outlived.size} sandboxes outlived their deadline, ${soak.pastLimit.length} waits past their limit; ${(seconds / 60).toFixed(1)} min`,
			`${soak.sandboxes.size} sandboxes, ${left} left at the end (removed); ${soak.unexpected.length} other unexpected outcomes; longest wait ${(longest.ms / 1000).toFixed(1)} s of its ${longest.limitMs / 1000} s (${longest.what})`,
			'0 outlived, 0 waits past limit',
			soak.outlived.size === 0 && soak.pastLimit.length === 0,
		),
	];
}

module.exports = { measure };

function option(name) {
	const at = process.argv.indexOf(`--${name}`);
	const value = at > 0 ? Number(process.argv[at + 1]) : NaN;
	return Number.isInteger(value) && value >= 0 ? value : undefined;
}

if (require.main === module) runAlone(() => measure({ cycles: option('cycles'), seed: option('seed') }));
