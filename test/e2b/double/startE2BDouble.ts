/**
 * A test double of E2B's cloud, for pointing the real `e2b` / `@e2b/code-interpreter` SDKs at.
 * One node:http server plays three parts, told apart by path:
 *   - the control-plane API (apiUrl):     /v2/sandboxes, /sandboxes/{id}, ...       checked with X-API-KEY   (controlPlane.ts)
 *   - envd, port 49983 (sandboxUrl):      /health, /files, /filesystem.Filesystem/*  checked with X-Access-Token (envd.ts)
 *   - the code interpreter, port 49999:   /execute, /contexts                        (E2B checks no token there) (codeServer.ts)
 * Point the SDK at it with `{ apiKey, apiUrl: double.apiUrl, sandboxUrl: double.sandboxUrl, debug: false }` (or the
 * E2B_API_KEY, E2B_API_URL and E2B_SANDBOX_URL variables): with sandboxUrl set, the SDK sends every data-plane request
 * to that one URL, naming the sandbox in an E2b-Sandbox-Id header (a `<port>-<id>.<domain>` Host works too). With
 * debug on, the SDK would fake sandboxes without calling the API at all.
 * Sandboxes are real ones from the repo's DockerBackend; what E2B keeps and Docker does not (metadata, template
 * name, envs, access token, contexts) lives in this process's memory only.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

import type { Backend } from '../../../nodes/CodeInterpreter/backends/Backend';
import { dockerClient } from '../../../nodes/CodeInterpreter/backends/docker/connection';
import { parseDockerSettings } from '../../../nodes/CodeInterpreter/backends/docker/settings';
import { DockerBackend } from '../../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { contexts, execute } from './codeServer';
import { handleControlPlane, isControlPlanePath } from './controlPlane';
import { Envd } from './envd';
import { HttpError, send, sendError, sendJson } from './http';
import { SandboxRegistry, type DoubleSandbox, type DoubleState } from './sandboxes';

const JUPYTER_PORT = 49999;
const SWEEP_MS = 1_000;

export interface E2BDoubleOptions {
	/** The one API key accepted. Default 'e2b_double_test_key'. */
	apiKey?: string;
	/** 0 (the default) = any free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** The envd version sandboxes report; 0.5.7 and later get streamed (octet-stream) uploads from the SDK. */
	envdVersion?: string;
	/** How long one execution may run on the backend. Default 10 minutes. */
	executionLimitMs?: number;
	/** Default: a DockerBackend with default settings. */
	backend?: Backend;
	/** Called for every request. */
	log?: (line: string, headers: IncomingHttpHeaders) => void;
}

/** An answer given instead of the next matching request's. */
export interface InjectedFailure {
	/** Any method when absent. */
	method?: string;
	path: RegExp;
	status: number;
	/** Default: `{"code": status, "message": "injected <status>"}`. */
	body?: string;
	headers?: OutgoingHttpHeaders;
	/** Answer this late (a slow or hanging E2B). */
	delayMs?: number;
}

export interface E2BDouble {
	url: string;
	apiUrl: string;
	sandboxUrl: string;
	apiKey: string;
	/** The sandboxes the double knows, by ID. */
	sandboxes: ReadonlyMap<string, DoubleSandbox>;
	/** The next request matching the failure's path and method gets its answer instead. */
	failNext(failure: InjectedFailure): void;
	/** Kills every sandbox the double made and stops the server. */
	close(): Promise<void>;
}

export async function startE2BDouble(options: E2BDoubleOptions = {}): Promise<E2BDouble> {
	const apiKey = options.apiKey ?? 'e2b_double_test_key';
	const settings = parseDockerSettings({});
	const backend = options.backend ?? new DockerBackend(settings);
	const sandboxes = new SandboxRegistry(backend);
	const state: DoubleState = {
		backend,
		sandboxes,
		envdVersion: options.envdVersion ?? '0.5.7',
		executionLimitMs: options.executionLimitMs ?? 10 * 60_000,
	};
	// envd's filesystem calls exec in the container directly: the Backend interface has no stat, mkdir or rm.
	const envd = new Envd(state, dockerClient(settings));
	const failures: InjectedFailure[] = [];
	const log = options.log ?? (() => undefined);

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://double');
		const method = req.method ?? 'GET';
		const path = url.pathname;
		log(`${method} ${path}${url.search} sandbox=${String(req.headers['e2b-sandbox-id'] ?? '-')}`, req.headers);
		const index = failures.findIndex((failure) => (!failure.method || failure.method === method) && failure.path.test(path));
		if (index >= 0) {
			const [failure] = failures.splice(index, 1);
			if (failure.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
			if (res.destroyed) return;
			const body = failure.body ?? JSON.stringify({ code: failure.status, message: `injected ${failure.status}` });
			send(res, failure.status, body, { 'Content-Type': 'application/json', ...failure.headers });
			return;
		}
		if (isControlPlanePath(path)) {
			await handleControlPlane(state, apiKey, req, res, url);
			return;
		}
		const { sandbox, port } = dataPlaneTarget(req);
		if (path === '/health') {
			if (port === JUPYTER_PORT) sendJson(res, 200, 'OK');
			else send(res, 204);
			return;
		}
		if (path === '/files') {
			await envd.files(req, res, url, sandbox);
			return;
		}
		const rpc = /^\/filesystem\.Filesystem\/(\w+)$/.exec(path);
		if (rpc && method === 'POST') {
			await envd.filesystem(req, res, rpc[1], sandbox);
			return;
		}
		if (path === '/execute' && method === 'POST') {
			await execute(state, req, res, sandbox);
			return;
		}
		if (path.startsWith('/contexts')) {
			await contexts(req, res, url, sandbox);
			return;
		}
		throw new HttpError(404, `no route ${method} ${path} in the double`, { plain: true });
	}

	/** Which sandbox (and which of its ports) a data-plane request is for. */
	function dataPlaneTarget(req: IncomingMessage): { sandbox: DoubleSandbox; port: number } {
		const header = req.headers['e2b-sandbox-id'];
		let id = Array.isArray(header) ? header[0] : header;
		let port = Number(req.headers['e2b-sandbox-port']);
		const host = /^(\d+)-([^.]+)\./.exec(req.headers.host ?? '');
		if (!id && host) [id, port] = [host[2], Number(host[1])];
		if (!id) throw new HttpError(400, 'no E2b-Sandbox-Id header and no <port>-<sandboxID>.<domain> host', { plain: true });
		// E2B's proxy answers 502 for a sandbox that is gone; the SDK turns it into a TimeoutError.
		const sandbox = sandboxes.live(id);
		if (!sandbox || sandbox.state === 'paused') throw new HttpError(502, 'The sandbox was not found', { plain: true });
		return { sandbox, port };
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => sendError(res, error));
	});
	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const url = `http://${urlHost(host)}:${port}`;
	const sweep = setInterval(() => sandboxes.sweep(), SWEEP_MS).unref();

	return {
		url,
		apiUrl: url,
		sandboxUrl: url,
		apiKey,
		sandboxes: sandboxes.all,
		failNext(failure) {
			failures.push(failure);
		},
		async close() {
			clearInterval(sweep);
			const kills = await sandboxes.killAll();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			// A sandbox left running would only show as a leak at the end of npm test: say why here.
			const failed = kills.flatMap((kill) => (kill.status === 'rejected' ? [String(kill.reason)] : []));
			if (failed.length > 0) throw new Error(`The E2B double could not kill ${failed.length} sandbox(es): ${failed.join('; ')}`);
		},
	};
}

/** How a client reaches the listening address: a wildcard one through the loopback. */
function urlHost(host: string): string {
	if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
	return host.includes(':') ? `[${host}]` : host;
}
