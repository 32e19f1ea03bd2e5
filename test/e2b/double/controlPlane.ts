import { randomBytes } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';

import { type AllowedHost, parseAllowedHost } from '../../../nodes/CodeInterpreter/model/allowedHosts';
import { HttpError, readJson, send, sendJson } from './http';
import { closeEgress } from './network';
import { freeze, setDeadline, thaw } from './pause';
import { addContext, newSandboxId, type DoubleSandbox, type DoubleState } from './sandboxes';

/** `POST /v2/sandboxes`, as the SDK sends it (the fields the double uses). */
interface NewSandboxRequest {
	templateID: string;
	metadata: Record<string, string>;
	envVars: Record<string, string>;
	/** Seconds. */
	timeout: number;
	allow_internet_access: boolean;
	/** Egress rules: destinations allowed even without internet access (names, addresses, CIDR ranges). */
	network?: { allowOut?: string[]; denyOut?: string[] };
	/** lifecycle.onTimeout pause, as the SDK sends it. */
	autoPause?: boolean;
}

/** `POST /sandboxes/{id}/timeout` and `POST /v2/sandboxes/{id}/connect`. */
interface TimeoutRequest {
	/** Seconds. */
	timeout: number;
}

const DEFAULT_TIMEOUT_SECONDS = 300;

/** E2B's allowOut as the DockerBackend's Allowed Hosts; E2B answers 400 to an entry it cannot read. */
function allowedHosts(allowOut: string[]): AllowedHost[] {
	try {
		return allowOut.map(parseAllowedHost);
	} catch (error) {
		throw new HttpError(400, `Invalid network.allowOut: ${(error as Error).message}`);
	}
}
const MAX_PAGE = 100;

/** Whether a path belongs to the control-plane API. */
export function isControlPlanePath(path: string): boolean {
	return /^\/(v2\/)?sandboxes(\/|$)/.test(path);
}

/** The fields every answer about a sandbox starts with. */
function identity(sandbox: DoubleSandbox) {
	return { sandboxID: sandbox.sandboxID, templateID: sandbox.templateID, alias: sandbox.templateID, clientID: 'double' };
}

/** E2B's `Sandbox`: the answer to create and connect. */
function sandboxJson(state: DoubleState, sandbox: DoubleSandbox) {
	return {
		...identity(sandbox),
		envdVersion: state.envdVersion,
		envdAccessToken: sandbox.envdAccessToken,
		trafficAccessToken: null,
		domain: null,
	};
}

/** E2B's `ListedSandbox`. */
function listedJson(state: DoubleState, sandbox: DoubleSandbox) {
	return {
		...identity(sandbox),
		startedAt: sandbox.startedAt,
		endAt: sandbox.endAt,
		state: sandbox.state,
		lifecycle: { onTimeout: sandbox.onTimeout, autoResume: false },
		cpuCount: 1,
		memoryMB: 2048,
		diskSizeMB: 1024,
		envdVersion: state.envdVersion,
		metadata: sandbox.metadata,
		volumeMounts: [],
	};
}

export async function handleControlPlane(
	state: DoubleState,
	apiKey: string,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
): Promise<void> {
	if (req.headers['x-api-key'] !== apiKey) throw new HttpError(401, 'Invalid API key, please check your credentials');
	const { backend, sandboxes } = state;
	const method = req.method;
	const path = url.pathname;

	if (method === 'POST' && path === '/v2/sandboxes') {
		const body = await readJson<NewSandboxRequest>(req);
		const timeoutSeconds = body.timeout ?? DEFAULT_TIMEOUT_SECONDS;
		const info = await backend.create({
			timeoutSeconds,
			internetAccess: body.allow_internet_access ?? false,
			allowedHosts: allowedHosts(body.network?.allowOut ?? []),
			envs: body.envVars,
		});
		const sandbox: DoubleSandbox = {
			sandboxID: newSandboxId(),
			dockerId: info.sandboxId,
			templateID: body.templateID ?? 'base',
			metadata: body.metadata ?? {},
			envVars: body.envVars ?? {},
			allowInternetAccess: body.allow_internet_access ?? null,
			allowOut: body.network?.allowOut ?? [],
			startedAt: '',
			endAt: '',
			onTimeout: body.autoPause ? 'pause' : 'kill',
			state: 'running',
			envdAccessToken: randomBytes(16).toString('hex'),
			contexts: new Map(),
		};
		// E2B's startedAt is when the sandbox started running, just before it is listed; the backend's createdAt is
		// when the request came (a container can take seconds to start). The deadline counts from then too.
		await setDeadline(backend, sandbox, timeoutSeconds);
		sandbox.startedAt = new Date(Date.parse(sandbox.endAt) - timeoutSeconds * 1000).toISOString();
		// E2B's code server starts with these two.
		for (const language of ['python', 'javascript']) addContext(sandbox, language, '/home/user');
		sandboxes.add(sandbox);
		sendJson(res, 201, sandboxJson(state, sandbox));
		return;
	}
	if (method === 'GET' && path === '/v2/sandboxes') {
		await listSandboxes(state, res, url.searchParams);
		return;
	}

	const one = /^\/sandboxes\/([^/]+)$/.exec(path);
	if (one && method === 'GET') {
		const sandbox = sandboxes.mustFind(decodeURIComponent(one[1]));
		sendJson(res, 200, {
			...listedJson(state, sandbox),
			envdAccessToken: sandbox.envdAccessToken,
			domain: null,
			allowInternetAccess: sandbox.allowInternetAccess,
		});
		return;
	}
	if (one && method === 'DELETE') {
		const id = decodeURIComponent(one[1]);
		if (!(await sandboxes.kill(id))) throw new HttpError(404, `sandbox "${id}" not found`);
		send(res, 204);
		return;
	}

	const timeout = /^\/sandboxes\/([^/]+)\/timeout$/.exec(path);
	if (timeout && method === 'POST') {
		const sandbox = sandboxes.mustFind(decodeURIComponent(timeout[1]));
		const body = await readJson<TimeoutRequest>(req);
		if (typeof body.timeout !== 'number') throw new HttpError(400, 'timeout is required');
		if (sandbox.state === 'paused') throw new HttpError(409, `sandbox "${sandbox.sandboxID}" is paused`);
		await setDeadline(backend, sandbox, body.timeout);
		send(res, 204);
		return;
	}

	const network = /^\/sandboxes\/([^/]+)\/network$/.exec(path);
	if (network && method === 'PUT') {
		const sandbox = sandboxes.mustFind(decodeURIComponent(network[1]));
		const { allowOut = [] } = await readJson<{ allowOut?: string[] }>(req);
		if (allowOut.some((entry) => !sandbox.allowOut.includes(entry))) {
			throw new HttpError(501, 'the double only narrows a sandbox\'s egress rules (what the package does after installing Packages)');
		}
		await closeEgress(sandbox.dockerId, sandbox.allowOut.filter((entry) => !allowOut.includes(entry)));
		sandbox.allowOut = allowOut;
		send(res, 204);
		return;
	}

	const connect = /^\/v2\/sandboxes\/([^/]+)\/connect$/.exec(path);
	if (connect && method === 'POST') {
		const sandbox = sandboxes.mustFind(decodeURIComponent(connect[1]));
		const { timeout: seconds = DEFAULT_TIMEOUT_SECONDS } = await readJson<TimeoutRequest>(req);
		await state.sandboxes.pausing.get(sandbox.sandboxID);
		const resumed = sandbox.state === 'paused';
		if (resumed) {
			// A paused sandbox resumes, with the timeout given.
			await thaw(backend, sandbox, seconds);
		} else if (Date.now() + seconds * 1000 > Date.parse(sandbox.endAt)) {
			// "TTL is only extended": a shorter timeout leaves the deadline as it is.
			await setDeadline(backend, sandbox, seconds);
		}
		sendJson(res, resumed ? 201 : 200, sandboxJson(state, sandbox));
		return;
	}

	const pause = /^\/sandboxes\/([^/]+)\/pause$/.exec(path);
	if (pause && method === 'POST') {
		const sandbox = sandboxes.mustFind(decodeURIComponent(pause[1]));
		await state.sandboxes.pausing.get(sandbox.sandboxID);
		if (sandbox.state === 'paused') throw new HttpError(409, `sandbox "${sandbox.sandboxID}" is already paused`);
		// Paused from now on for every other request, as E2B's state changes at once.
		const freezing = freeze(backend, sandbox);
		state.sandboxes.pausing.set(sandbox.sandboxID, freezing.finally(() => state.sandboxes.pausing.delete(sandbox.sandboxID)));
		await freezing;
		send(res, 204);
		return;
	}

	throw new HttpError(404, `no route ${method} ${path} in the double`);
}

async function listSandboxes(state: DoubleState, res: ServerResponse, query: URLSearchParams): Promise<void> {
	const { backend, sandboxes } = state;
	// Docker is the truth for which sandboxes still live; the rest comes from memory.
	const live = new Set((await backend.list()).map((info) => info.sandboxId));
	for (const [id, sandbox] of sandboxes.all) {
		if (!live.has(sandbox.dockerId)) sandboxes.all.delete(id);
		else sandboxes.live(id);
	}
	// The SDK sends metadata=<"k=v&k2=v2" URL-encoded, whose keys and values were URL-encoded once before>.
	const wanted = [...new URLSearchParams(query.get('metadata') ?? '')].map(([key, value]) => [
		decodeURIComponent(key),
		decodeURIComponent(value),
	]);
	const states = (query.get('state') ?? 'running,paused').split(',');
	const newestFirst = query.get('order') !== 'asc';
	const found = [...sandboxes.all.values()]
		.filter((sandbox) => states.includes(sandbox.state) && wanted.every(([key, value]) => sandbox.metadata[key] === value))
		.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1) * (newestFirst ? 1 : -1));
	const limit = Math.min(Number(query.get('limit') ?? MAX_PAGE), MAX_PAGE);
	const token = query.get('nextToken');
	const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
	const page = found.slice(start, start + limit);
	const headers = start + limit < found.length ? { 'x-next-token': Buffer.from(String(start + limit)).toString('base64url') } : {};
	sendJson(
		res,
		200,
		page.map((sandbox) => listedJson(state, sandbox)),
		headers,
	);
}
