import { TimeoutError, type SandboxInfo as E2BSandboxInfo } from 'e2b';
import type { Readable } from 'stream';

import { allowedHostText } from '../../model/allowedHosts';
import { packageIndex } from '../../model/packages';
import type { Execution } from '../../model/execution';
import type { Backend, CodeRun, CodeRunOutcome, CreateSandboxOptions, PausedOrResumed, RanExecution, RunCodeOptions, SandboxInfo } from '../Backend';
import { SandboxError } from '../../model/errors';
import { SandboxNotFoundError, SandboxStoppedError } from '../errors';
import { inputNotLoadedError } from '../common/inputVariables';
import { installPackages } from './packages';
import { namedSandboxKey } from '../common/namedSandbox';
import { codeToSend, leftUnsettled, settleCode, settledExecution } from '../common/javascriptRuns';
import { OPEN_FIGURES_CODE, preludeCodes } from '../common/prelude';
import { runInTurn } from '../common/runInTurn';
import type { FileContent, FileReadLimits, ListFilesOptions, SandboxFile } from '../files';
import { DEFAULT_SCOPE, scopeKey } from '../common/sandboxScope';
import { listingWrittenFiles, type ListFolder } from '../common/writtenFiles';
import { CodeSandbox, ExecutionStreamLostError } from './CodeSandbox';
import { E2B_ENDS_SANDBOXES, fromE2BError, type ErrorContext } from './errors';
import { E2BFiles } from './files';
import { checkE2BSandboxId, isE2BSandboxId } from './sandboxIds';
import { connectionOptions, type E2BSettings } from './settings';

/** E2B's Code Interpreter template; Create Sandbox can name another (e.g. one built on it, pinned by id). */
const DEFAULT_E2B_TEMPLATE = 'code-interpreter-v1';
/** Marks the sandboxes this package made, so that Get Many lists only those. */
const CREATED_BY = 'n8n-nodes-code-interpreter';
/** The metadata key of the scope a sandbox belongs to (common/sandboxScope.ts). */
const SCOPE_METADATA = 'scope';
/** The metadata key of a named sandbox (openNamed): its name's key. */
const NAMED_METADATA = 'namedSandbox';
/** Looks for a named sandbox this many times when racing callers create or remove it. */
const NAMED_SANDBOX_ATTEMPTS = 3;
/** Connecting asks for a lifetime that E2B only ever extends: the shortest one leaves the sandbox's deadline as it was. */
const KEEP_DEADLINE_MS = 1_000;
/** A paused sandbox that a run (or a file operation) resumes gets this long, as E2B's connect gives by default. */
const RESUMED_BY_USE_MS = 300_000;
const PRELUDE_TIMEOUT_MS = 60_000;
/** Time for the request that settles a run's async work, past what is left of the run's limit. */
const SETTLE_MARGIN_MS = 1_000;

/** Sandboxes on E2B's cloud (or a self-hosted E2B), through E2B's own SDK. */
export class E2BBackend implements Backend {
	readonly name = 'e2b' as const;
	readonly openFiguresCode = OPEN_FIGURES_CODE;

	/** The metadata of every sandbox of this backend's scope: only those are listed and reached. */
	private readonly own: Record<string, string>;

	constructor(
		private readonly settings: E2BSettings,
		scope = DEFAULT_SCOPE,
	) {
		this.own = { createdBy: CREATED_BY, [SCOPE_METADATA]: scopeKey(scope) };
	}

	private get connection() {
		return connectionOptions(this.settings);
	}

	async checkConnection(): Promise<string> {
		const running = await this.listOwn('list sandboxes');
		return `E2B accepted the API key; ${running.length} sandbox${running.length === 1 ? '' : 'es'} of this package running`;
	}

	async create(options: CreateSandboxOptions): Promise<SandboxInfo> {
		return await this.createWith(this.own, options);
	}

	/**
	 * A named sandbox carries the name's key in its metadata. E2B has no unique names: when racing callers each
	 * made one, all of them keep the oldest and the others are killed.
	 */
	async openNamed(name: string, options: CreateSandboxOptions): Promise<SandboxInfo> {
		const metadata = { ...this.own, [NAMED_METADATA]: namedSandboxKey(name) };
		for (let attempt = 0; attempt < NAMED_SANDBOX_ATTEMPTS; attempt++) {
			const [oldest, ...younger] = (await this.listOwn('find the conversation\'s sandbox', metadata, ['running', 'paused'])).sort(
				(a, b) => a.startedAt.getTime() - b.startedAt.getTime() || (a.sandboxId < b.sandboxId ? -1 : 1),
			);
			if (oldest) {
				await Promise.all(younger.map((sandbox) => this.kill(sandbox.sandboxId).catch(() => false)));
				try {
					return await this.setTimeout(oldest.sandboxId, options.timeoutSeconds);
				} catch (error) {
					if (!(error instanceof SandboxNotFoundError)) throw error;
					continue;
				}
			}
			// The last attempt only looks: a sandbox made then could not be checked against racing callers' ones.
			if (attempt < NAMED_SANDBOX_ATTEMPTS - 1) await this.createWith(metadata, options);
		}
		throw new SandboxError('Could not open the conversation\'s sandbox: other runs kept creating and removing it', {
			description: 'Try again; if it persists, check for workflows that kill sandboxes they did not create.',
		});
	}

	private async createWith(metadata: Record<string, string>, options: CreateSandboxOptions): Promise<SandboxInfo> {
		const template = options.template || DEFAULT_E2B_TEMPLATE;
		const createdAt = new Date();
		const allowed = (options.allowedHosts ?? []).map(allowedHostText);
		const packages = options.packages ?? [];
		const index = packageIndex(this.settings.packageIndexUrl);
		// E2B's egress rules: listed destinations pass even when internet access is off. The index's hosts only for the install.
		const allowOut = [...allowed, ...(packages.length ? index.hosts : [])];
		const sandbox = await this.call({ action: 'create a sandbox' }, () =>
			CodeSandbox.create(template, {
				...this.connection,
				timeoutMs: options.timeoutSeconds * 1000,
				metadata,
				envs: options.envs,
				allowInternetAccess: options.internetAccess ?? false,
				...(allowOut.length ? { network: { allowOut } } : {}),
				...(options.onTimeout === 'pause' ? { lifecycle: { onTimeout: 'pause' as const } } : {}),
			}),
		);
		if (packages.length) {
			try {
				const closeIndex = async () => {
					await this.call({ action: 'close the package index to the sandbox', sandboxId: sandbox.sandboxId }, () =>
						CodeSandbox.updateNetwork(sandbox.sandboxId, { allowOut: allowed }, this.connection),
					);
				};
				await installPackages((code, timeoutMs) => this.runIn(sandbox, code, { language: 'python', timeoutMs }), closeIndex, index.url, packages);
			} catch (error) {
				await this.kill(sandbox.sandboxId).catch(() => false);
				throw error;
			}
		}
		const { sandboxId } = sandbox;
		return this.info({ sandboxId, templateId: template, state: 'running', startedAt: createdAt, endAt: new Date(createdAt.getTime() + options.timeoutSeconds * 1000) });
	}

	/** E2B runs one execution per request: the runs go one after another through one connected sandbox. */
	async runCodeMany(sandboxId: string, runs: CodeRun[], stopOnError: boolean, outputFolder?: string): Promise<CodeRunOutcome[]> {
		if (runs.length === 0) return [];
		const sandbox = await this.connect(sandboxId);
		const runOne = async ({ code, options }: CodeRun): Promise<RanExecution> => ({ execution: await this.runIn(sandbox, code, options) });
		const list: ListFolder = async (folder, options) => await this.listFiles(sandboxId, folder, options);
		return await runInTurn(runs, stopOnError, outputFolder ? await listingWrittenFiles(list, outputFolder, runOne) : runOne);
	}

	private async runIn(sandbox: CodeSandbox, code: string, options: RunCodeOptions): Promise<Execution> {
		const { sandboxId } = sandbox;
		const execute = { ...options, requestTimeoutMs: this.connection.requestTimeoutMs ?? PRELUDE_TIMEOUT_MS };
		const [prelude] = await preludeCodes([{ code, options }], async (path, text) => {
			await this.call({ action: 'pass the code\'s input to the sandbox', sandboxId, file: { path, verb: 'write' } }, () =>
				sandbox.files.write(path, text),
			);
		});
		try {
			if (prelude) {
				const loaded = await sandbox.execute(prelude, { ...execute, timeoutMs: PRELUDE_TIMEOUT_MS });
				if (loaded.error) throw inputNotLoadedError(`${loaded.error.name}: ${loaded.error.value}`);
			}
			const begun = Date.now();
			const execution = await sandbox.execute(codeToSend(code, options.language), execute);
			if (!leftUnsettled(execution, options.language, code)) return execution;
			// Async work the run did not await (`main();`): a script would wait for it, within the run's limit.
			const left = Math.max(options.timeoutMs - (Date.now() - begun), 0);
			return settledExecution(execution, await sandbox.execute(settleCode(left), { ...execute, timeoutMs: left + SETTLE_MARGIN_MS }));
		} catch (error) {
			if (error instanceof ExecutionStreamLostError && !(await this.exists(sandboxId))) throw new SandboxStoppedError(sandboxId);
			throw error;
		}
	}

	async kill(sandboxId: string): Promise<boolean> {
		if (!isE2BSandboxId(sandboxId)) return false;
		const context = { action: 'kill the sandbox', sandboxId };
		if (!(await this.inScope(sandboxId, context))) return false;
		return await this.call(context, () => CodeSandbox.kill(sandboxId, this.connection));
	}

	async list(): Promise<SandboxInfo[]> {
		const sandboxes = await this.listOwn('list sandboxes', this.own, ['running', 'paused']);
		return sandboxes.map((sandbox) => this.info(sandbox));
	}

	/** A paused sandbox resumes first (a Set Timeout is a use like a run), with this lifetime. */
	async setTimeout(sandboxId: string, timeoutSeconds: number): Promise<SandboxInfo> {
		checkE2BSandboxId(sandboxId);
		const context = { action: 'set the sandbox\'s timeout', sandboxId };
		const { state } = await this.infoInScope(sandboxId, context);
		if (state === 'paused') {
			await this.call({ ...context, action: 'resume the sandbox' }, () => CodeSandbox.connect(sandboxId, { ...this.connection, timeoutMs: timeoutSeconds * 1000 }));
		}
		await this.call(context, () => CodeSandbox.setTimeout(sandboxId, timeoutSeconds * 1000, this.connection));
		return this.info(await this.call(context, () => CodeSandbox.getInfo(sandboxId, this.connection)));
	}

	/** E2B's pause keeps the whole memory: every language's state comes back, so nothing is reported per language. */
	async pause(sandboxId: string): Promise<PausedOrResumed> {
		checkE2BSandboxId(sandboxId);
		const context = { action: 'pause the sandbox', sandboxId };
		const { state } = await this.infoInScope(sandboxId, context);
		if (state !== 'paused') await this.call(context, () => CodeSandbox.pause(sandboxId, this.connection));
		return this.info(await this.call(context, () => CodeSandbox.getInfo(sandboxId, this.connection)));
	}

	async resume(sandboxId: string, timeoutSeconds: number): Promise<PausedOrResumed> {
		return await this.setTimeout(sandboxId, timeoutSeconds);
	}

	async writeFile(sandboxId: string, path: string, content: Readable): Promise<{ path: string; size: number }> {
		return await (await this.files(sandboxId)).write(path, content);
	}

	async readFile(sandboxId: string, path: string, limits?: FileReadLimits): Promise<FileContent> {
		return await (await this.files(sandboxId)).read(path, limits);
	}

	async listFiles(sandboxId: string, path: string, { depth }: ListFilesOptions): Promise<SandboxFile[]> {
		return await (await this.files(sandboxId)).list(path, depth);
	}

	private async files(sandboxId: string): Promise<E2BFiles> {
		return new E2BFiles(await this.connect(sandboxId), async (context, run) => await this.call(context, run));
	}

	/**
	 * Connects to a sandbox of this scope, resuming it when it is paused. The sandbox's state is asked first: E2B's
	 * connect gives a paused sandbox the lifetime it is given, and a running one keeps its own.
	 */
	private async connect(sandboxId: string): Promise<CodeSandbox> {
		checkE2BSandboxId(sandboxId);
		const context = { action: 'connect to the sandbox', sandboxId };
		const { state } = await this.infoInScope(sandboxId, context);
		const timeoutMs = state === 'paused' ? RESUMED_BY_USE_MS : KEEP_DEADLINE_MS;
		return await this.call(context, () => CodeSandbox.connect(sandboxId, { ...this.connection, timeoutMs }));
	}

	/** Whether the sandbox belongs to this backend's scope; false when there is none of that ID. */
	private async inScope(sandboxId: string, context: Omit<ErrorContext, 'apiKey' | 'requestTimeoutMs'>): Promise<boolean> {
		try {
			return this.owns(await this.call(context, () => CodeSandbox.getInfo(sandboxId, this.connection)));
		} catch (error) {
			if (error instanceof SandboxNotFoundError) return false;
			throw error;
		}
	}

	/** What E2B says of a sandbox of this scope; another scope's answers as one that does not exist. */
	private async infoInScope(sandboxId: string, context: Omit<ErrorContext, 'apiKey' | 'requestTimeoutMs'>): Promise<E2BSandboxInfo> {
		const info = await this.call(context, () => CodeSandbox.getInfo(sandboxId, this.connection));
		if (!this.owns(info)) throw new SandboxNotFoundError(sandboxId, E2B_ENDS_SANDBOXES);
		return info;
	}

	private owns({ metadata }: E2BSandboxInfo): boolean {
		return metadata?.createdBy === CREATED_BY && metadata[SCOPE_METADATA] === this.own[SCOPE_METADATA];
	}

	private async listOwn(action: string, metadata: Record<string, string> = this.own, state: E2BSandboxInfo['state'][] = ['running']) {
		return await this.call({ action }, async () => {
			const paginator = CodeSandbox.list({ ...this.connection, query: { metadata, state } });
			const sandboxes = [];
			while (paginator.hasNext) sandboxes.push(...(await paginator.nextItems()));
			return sandboxes;
		});
	}

	private async exists(sandboxId: string): Promise<boolean> {
		return await CodeSandbox.getInfo(sandboxId, this.connection).then(
			() => true,
			(error: unknown) => !(fromE2BError(error, this.errorContext({ action: 'check the sandbox', sandboxId })) instanceof SandboxNotFoundError),
		);
	}

	/**
	 * Runs an SDK call and turns its errors into SandboxErrors. On the data plane, E2B answers for a sandbox that is
	 * gone as if it timed out: asking the API tells the two apart.
	 */
	private async call<T>(context: Omit<ErrorContext, 'apiKey' | 'requestTimeoutMs'>, run: () => Promise<T>): Promise<T> {
		try {
			return await run();
		} catch (error) {
			if (error instanceof TimeoutError && context.sandboxId && !(await this.exists(context.sandboxId))) {
				throw new SandboxNotFoundError(context.sandboxId, E2B_ENDS_SANDBOXES);
			}
			throw fromE2BError(error, this.errorContext(context));
		}
	}

	private errorContext(context: Omit<ErrorContext, 'apiKey' | 'requestTimeoutMs'>): ErrorContext {
		return { ...context, apiKey: this.settings.apiKey, requestTimeoutMs: this.settings.requestTimeoutSeconds * 1000 };
	}

	private info({ sandboxId, templateId, state, startedAt, endAt }: Pick<E2BSandboxInfo, 'sandboxId' | 'templateId' | 'state' | 'startedAt' | 'endAt'>): SandboxInfo {
		return { sandboxId, backend: this.name, template: templateId, state, createdAt: startedAt.toISOString(), expiresAt: endAt.toISOString() };
	}
}
