import type { N8n } from './n8n';
import { freePorts, N8nProcess, sleep } from './n8nProcess';

const AUTH_COOKIE = 'n8n-auth';
const OWNER = { email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'Code-Interpreter-1' };
const READY_WITHIN_MS = 120_000;
const REQUEST_WITHIN_MS = 30_000;

/**
 * `n8n start` on free ports of 127.0.0.1, in the user folder of an `N8n` (package, credentials and workflows already
 * there), with its owner account set up and a logged-in session.
 */
export class N8nServer {
	private cookie = '';

	private constructor(
		private readonly n8nProcess: N8nProcess,
		/** The editor and REST API, e.g. http://127.0.0.1:PORT. */
		readonly url: string,
	) {}

	/** The owner's session cookie, for REST calls and the browser. */
	get sessionCookie(): { name: string; value: string } {
		return { name: AUTH_COOKIE, value: this.cookie };
	}

	/** Publishes (activates) a workflow, so that its triggers and webhooks listen once the server starts. */
	static async publishWorkflow(n8n: N8n, workflowId: string): Promise<void> {
		await n8n.cli(['publish:workflow', `--id=${workflowId}`]);
	}

	/** Starts n8n, waits until it is ready, sets up the owner and logs in; stops n8n again if any of that fails. */
	static async start({ n8n, env = {} }: { n8n: N8n; env?: NodeJS.ProcessEnv }): Promise<N8nServer> {
		return await N8nServer.launch(async (serverEnv) => await N8nProcess.spawn(n8n, ['start'], serverEnv), env);
	}

	/**
	 * As `start`, with n8n started by `launch` (e.g. through `npm start`), given the environment of a server on a
	 * free port of 127.0.0.1 (plus `env`); waits `readyWithinMs` for it to be ready.
	 */
	static async launch(
		launch: (env: NodeJS.ProcessEnv) => Promise<N8nProcess>,
		env: NodeJS.ProcessEnv = {},
		readyWithinMs = READY_WITHIN_MS,
	): Promise<N8nServer> {
		const [port] = await freePorts(1);
		const n8nProcess = await launch({
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			// Plain http: a Secure cookie would not be sent back.
			N8N_SECURE_COOKIE: 'false',
			// An editor without the first-run survey and the templates' calls to the internet.
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			...env,
		});
		const server = new N8nServer(n8nProcess, `http://127.0.0.1:${port}`);
		try {
			await server.waitUntilReady(readyWithinMs);
			await server.request('POST', '/rest/owner/setup', OWNER);
			const login = await server.request('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
			const cookie = login.headers.getSetCookie().find((header) => header.startsWith(`${AUTH_COOKIE}=`));
			if (!cookie) throw new Error(`n8n's login set no ${AUTH_COOKIE} cookie:\n${server.n8nProcess.log}`);
			server.cookie = cookie.slice(AUTH_COOKIE.length + 1).split(';')[0];
			return server;
		} catch (error) {
			await server.stop();
			throw error;
		}
	}

	async stop(): Promise<void> {
		await this.n8nProcess.stop();
	}

	private async waitUntilReady(withinMs: number): Promise<void> {
		const deadline = Date.now() + withinMs;
		while (Date.now() < deadline) {
			this.n8nProcess.assertRunning('start, before it was ready,');
			// /healthz answers as soon as the port listens; /healthz/readiness once the database and the server are set up.
			const ready = await fetch(`${this.url}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) }).then(
				(response) => response.ok,
				() => false,
			);
			if (ready) return;
			await sleep(500);
		}
		throw new Error(`n8n was not ready within ${withinMs / 1000} s:\n${this.n8nProcess.log}`);
	}

	/** The tail of what n8n printed. */
	get log(): string {
		return this.n8nProcess.log;
	}

	/** Waits until n8n printed a line matching `pattern`, at most `ms`. */
	async waitForLog(pattern: RegExp, ms: number): Promise<void> {
		await this.n8nProcess.waitForLog(pattern, ms);
	}

	/** A REST call as the logged-in owner (once logged in); rejects with n8n's answer and log unless it is 2xx. */
	async request(method: string, path: string, body?: unknown, withinMs = REQUEST_WITHIN_MS): Promise<Response> {
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: `${AUTH_COOKIE}=${this.cookie}` } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(withinMs),
		}).catch((error: Error) => {
			throw new Error(`${method} ${path} failed: ${error.message}\n${this.n8nProcess.log}`);
		});
		if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}\n${this.n8nProcess.log}`);
		return response;
	}

	/** A REST call's JSON answer (`data` of n8n's envelope). */
	async api<T>(method: string, path: string, body?: unknown, withinMs = REQUEST_WITHIN_MS): Promise<T> {
		return ((await (await this.request(method, path, body, withinMs)).json()) as { data: T }).data;
	}
}
