import { KernelAPI, KernelConnection, ServerConnection } from '@jupyterlab/services';
import { posix } from 'path';

import { SandboxError } from '../../model/errors';
import type { CodeRun, CodeRunOutcome, RanExecution } from '../Backend';
import { runInTurn } from '../common/runInTurn';
import { SANDBOX_HOME } from '../../model/sandboxPath';
import { confirmedWrittenFiles, listingWrittenFiles, type ListFolder } from '../common/writtenFiles';
import { waitConnected } from './kernelConnection';
import { runItemsInOneRequest } from './ItemsInOneRequest';
import type { PendingExecution } from './PendingExecution';
import { runPipelined } from './pipelined';
import type { RunContext } from './runContext';
import { boundedWebSocket, detachConnection, forgetConnections, keepConnection, releaseConnection, reuseConnection } from './openConnections';
import { describeIssues } from '../../model/validation';
import { kernelModel, type KernelModel } from './messages';
import { DEFAULT_OUTPUT_LIMITS, maxMessageBytes } from '../../model/outputLimits';

/** A folder whose written files each run reports, and how to list it. */
export interface OutputFolder {
	folder: string;
	list: ListFolder;
}

/** Where a sandbox's Jupyter server answers, as seen from n8n. */
export interface JupyterEndpoint {
	/** e.g. http://127.0.0.1:49153/ */
	baseUrl: string;
	token: string;
}

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The kernels (by connection key) whose runs in this process are being cancelled, until those runs end (the
 * interrupt's grace, or the kernel discarded: bounded). IRkernel loses a request sent while it is being interrupted
 * (the run then hangs until its time limit), so a new run waits for the cancel to finish.
 */
const beingCancelled = new Map<string, Promise<void>>();

/** The runs one at a time, the output folder listed before the first and after each. */
async function runListingFiles(runs: CodeRun[], stopOnError: boolean, { folder, list }: OutputFolder, context: RunContext): Promise<CodeRunOutcome[]> {
	const runOne = async (run: CodeRun): Promise<RanExecution> => {
		const [outcome] = await runPipelined([run], false, context);
		if ('error' in outcome) throw outcome.error;
		return outcome;
	};
	return await runInTurn(runs, stopOnError, await listingWrittenFiles(list, folder, runOne));
}


/**
 * Talks to one sandbox's Jupyter server: readiness, one kernel per kernel name, executions.
 * Kernels are found through the server, so any n8n process reaches the same kernel; a process only keeps its
 * connection open between runs (openConnections.ts), and drops it once it is not up.
 */
export class JupyterClient {
	private readonly settings: ServerConnection.ISettings;

	constructor(private readonly endpoint: JupyterEndpoint) {
		this.settings = this.settingsFor(maxMessageBytes(DEFAULT_OUTPUT_LIMITS));
	}

	/** The server's settings, with kernel WebSockets that refuse a message over `maxPayload` bytes. */
	private settingsFor(maxPayload: number): ServerConnection.ISettings {
		const baseUrl = this.endpoint.baseUrl.endsWith('/') ? this.endpoint.baseUrl : `${this.endpoint.baseUrl}/`;
		return ServerConnection.makeSettings({
			baseUrl,
			wsUrl: baseUrl.replace(/^http/, 'ws'),
			token: this.endpoint.token,
			appendToken: true,
			fetch: fetchWithTimeout,
			Request,
			Headers,
			WebSocket: boundedWebSocket(maxPayload) as unknown as typeof globalThis.WebSocket,
		});
	}

	/** Polls the server until it answers, for at most `timeoutMs`; `stillStarting` throws when waiting is pointless. */
	async waitUntilReady(timeoutMs: number, stillStarting: () => Promise<void>): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let lastProblem = 'no answer yet';
		while (Date.now() < deadline) {
			try {
				const response = await fetchWithTimeout(`${this.settings.baseUrl}api/status`, {
					headers: { Authorization: `token ${this.settings.token}` },
					timeoutMs: 1_000,
				});
				if (response.ok) return;
				lastProblem = `HTTP ${response.status}`;
			} catch (error) {
				lastProblem = (error as Error).message;
			}
			await stillStarting();
			await sleep(50);
		}
		throw new SandboxError(`The sandbox's Jupyter server did not answer within ${timeoutMs / 1000} s (${lastProblem})`, {
			description: 'The sandbox may be short of memory or CPU. Try again; if it keeps happening, check the Docker host.',
		});
	}

	/** The kernel of that name, started if the sandbox has none yet. */
	async kernel(name: string): Promise<KernelModel> {
		const running = await this.listKernels();
		const existing = pickKernel(running, name);
		if (existing) return existing;
		const started = kernelModel.parse(await KernelAPI.startNew({ name }, this.settings));
		// Two processes may start the first kernel at once: everyone settles on the same one (lowest id).
		return pickKernel(await this.listKernels(), name) ?? started;
	}

	/**
	 * A connection to the kernel of that name: the one this process keeps open to it, or a new one (the kernel found
	 * through the server, started if the sandbox has none yet), kept for the next run.
	 */
	private async connect(kernelName: string, maxPayload: number): Promise<KernelConnection> {
		const key = `${this.kernelKey(kernelName)}|${maxPayload}`;
		const kept = reuseConnection(key);
		if (kept) return kept;
		const serverSettings = this.settingsFor(maxPayload);
		const connection = new KernelConnection({ model: await this.kernel(kernelName), serverSettings, handleComms: false });
		try {
			await waitConnected(connection);
		} catch (error) {
			connection.dispose();
			throw error;
		}
		// Another run of this process may have connected meanwhile: share its connection.
		const shared = reuseConnection(key);
		if (shared) {
			connection.dispose();
			return shared;
		}
		keepConnection(key, connection);
		return connection;
	}

	/**
	 * Runs the codes in order on the kernel of that name, each with its own outcome: Python items through the
	 * template's item runner (one request for many), other languages and other images as pipelined requests.
	 * The runs share one cancel signal (the workflow's). With an output folder, each run says which files it wrote
	 * there: the item runner looks between items; otherwise the runs go one at a time with the folder listed between.
	 */
	async executeMany(kernelName: string, runs: CodeRun[], stopOnError: boolean, output?: OutputFolder): Promise<CodeRunOutcome[]> {
		// One connection per message limit: it is the WebSocket's, fixed when it opens.
		const maxPayload = Math.max(...runs.map((run) => maxMessageBytes(run.options.limits ?? DEFAULT_OUTPUT_LIMITS)));
		const key = `${this.kernelKey(kernelName)}|${maxPayload}`;
		const kernelKey = this.kernelKey(kernelName);
		await beingCancelled.get(kernelKey);
		const connection = await this.connect(kernelName, maxPayload);
		const live: PendingExecution[] = [];
		const signal = runs[0]?.options.signal;
		let settle = () => {};
		const settled = new Promise<void>((resolve) => (settle = resolve));
		const cancel = () => {
			beingCancelled.set(kernelKey, settled);
			live.forEach((pending) => pending.cancel());
		};
		signal?.addEventListener('abort', cancel, { once: true });
		const context: RunContext = {
			connection,
			control: {
				interrupt: async () => await KernelAPI.interruptKernel(connection.id, this.settings),
				// A fresh kernel rather than a restart: a restarted kernel reuses the old one's ports, which the stuck
				// process may still hold. Runs sharing the connection hear of it when the server closes it.
				discard: async () => {
					detachConnection(key);
					await KernelAPI.shutdownKernel(connection.id, this.settings);
				},
			},
			writeText: async (path, text) => await this.writeText(path, text),
			track: (pending) => live.push(pending),
		};
		try {
			const asItems = (runs.length > 1 || output) && runs.every((run) => run.options.language === 'python' && !run.options.figureSvg);
			const asOneRequest = asItems ? await runItemsInOneRequest(runs, stopOnError, output?.folder, context) : undefined;
			const outcomes =
				asOneRequest && output
					? await confirmedWrittenFiles(asOneRequest, output.list, output.folder)
					: asOneRequest ?? (output ? await runListingFiles(runs, stopOnError, output, context) : await runPipelined(runs, stopOnError, context));
			// After a failure or an interrupt the next run starts on a fresh connection: a kernel that was interrupted
			// (IRkernel) may still send for the old request.
			if (outcomes.some((outcome) => 'error' in outcome) || live.some((pending) => pending.stopped)) detachConnection(key);
			return outcomes;
		} catch (error) {
			detachConnection(key);
			throw error;
		} finally {
			signal?.removeEventListener('abort', cancel);
			releaseConnection(key, connection);
			if (beingCancelled.get(kernelKey) === settled) beingCancelled.delete(kernelKey);
			settle();
		}
	}

	/** Closes this process's kept connections to the sandbox (it was killed). */
	forgetConnections(): void {
		forgetConnections(this.kernelKey(''));
	}

	/** Keys this process's state of one kernel of the sandbox (all its kernels: the name left empty is a prefix). */
	private kernelKey(kernelName: string): string {
		return `${this.settings.baseUrl}|${this.settings.token}|${kernelName}`;
	}

	/** Runs code that leaves no trace in the execution count or output (e.g. warming up a kernel); bounded. */
	async runSilently(kernel: KernelModel, code: string, timeoutMs: number): Promise<void> {
		const connection = new KernelConnection({ model: kernel, serverSettings: this.settings, handleComms: false });
		let timer: NodeJS.Timeout | undefined;
		try {
			await waitConnected(connection);
			const future = connection.requestExecute({ code, silent: true, store_history: false, allow_stdin: false, stop_on_error: true });
			const timedOut = new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new SandboxError(`The kernel did not finish warming up within ${timeoutMs / 1000} s`)), timeoutMs);
			});
			const reply = await Promise.race([future.done, timedOut]);
			if (reply.content.status !== 'ok') throw new SandboxError(`Warming up the kernel failed: ${JSON.stringify(reply.content)}`);
		} finally {
			clearTimeout(timer);
			connection.dispose();
		}
	}

	/** Writes a text file through the contents API (its paths are relative to the server's root, the home folder). */
	private async writeText(path: string, text: string): Promise<void> {
		const url = `${this.settings.baseUrl}api/contents/${posix.relative(SANDBOX_HOME, path)}`;
		const body = JSON.stringify({ type: 'file', format: 'text', content: text });
		const response = await ServerConnection.makeRequest(url, { method: 'PUT', body }, this.settings);
		if (!response.ok) {
			throw new SandboxError(`Could not pass the code's input to the sandbox: its Jupyter server answered HTTP ${response.status}`, {
				description: 'The sandbox\'s home folder may be full. Free space in it or create a new sandbox.',
			});
		}
	}

	private async listKernels(): Promise<KernelModel[]> {
		const parsed = kernelModel.array().safeParse(await KernelAPI.listRunning(this.settings));
		if (!parsed.success) {
			throw new SandboxError(`The sandbox's Jupyter server listed its kernels in an unexpected shape: ${describeIssues(parsed.error)}`);
		}
		return parsed.data;
	}
}

function pickKernel(kernels: KernelModel[], name: string): KernelModel | undefined {
	return kernels
		.filter((kernel) => kernel.name === name && kernel.execution_state !== 'dead')
		.sort((a, b) => a.id.localeCompare(b.id))[0];
}

/**
 * `fetch` with a per-request limit. The timer is a plain (ref'd) one on purpose: a request to a port whose
 * server is not listening yet can stay pending with nothing else keeping Node's event loop alive.
 */
function fetchWithTimeout(input: RequestInfo | URL, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
	const { timeoutMs = REQUEST_TIMEOUT_MS, ...rest } = init;
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
	const signals = rest.signal ? AbortSignal.any([rest.signal, controller.signal]) : controller.signal;
	return fetch(input, { ...rest, signal: signals }).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
