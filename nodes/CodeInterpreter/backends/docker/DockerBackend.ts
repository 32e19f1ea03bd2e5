import type { Readable } from 'stream';

import { sandboxPath } from '../../model/sandboxPath';
import { DEFAULT_IMAGE } from '../../packageInfo';
import { type Backend, type BackendLogger, type CodeRun, type CodeRunOutcome, type CreateSandboxOptions, type PausedOrResumed, type SandboxInfo, SILENT_LOGGER } from '../Backend';
import { namedSandboxKey } from '../common/namedSandbox';
import { OPEN_FIGURES_CODE } from '../common/prelude';
import { DEFAULT_SCOPE, scopeKey } from '../common/sandboxScope';
import { SandboxError } from '../../model/errors';
import { SandboxNotFoundError, SandboxStoppedError } from '../errors';
import type { FileContent, FileReadLimits, ListFilesOptions, SandboxFile } from '../files';
import { ConnectionLostError } from '../jupyter/PendingExecution';
import { describeDockerTarget, dockerClient } from './connection';
import type { DockerSettings } from './settings';
import { isSandboxId, READY_TIMEOUT_MS, SandboxContainers } from './containers';
import { dockerError, ImageMissingError, isNameConflict, NameTakenError } from './errors';
import { execInContainer } from './exec';
import { SandboxFiles } from './files';
import { PackageImage } from './image/packageImage';
import { DEADLINE_FILE } from './isolation';
import { kernelNameFor } from './kernels';
import { fromLabels, LABELS, type LiveSandbox, type SandboxLabels } from './labels';
import { pauseContainer, type PausedSandbox, pausedUntil, restoredLanguages } from './pause';
import { type PoolHost, WarmPool } from './pool';

/** A paused sandbox that a run (or a file operation) resumes first gets this long, as E2B's connect gives. */
const RESUMED_BY_USE_SECONDS = 300;
/** Imported by a pool sandbox's Python kernel before anyone claims it: the first run need not wait for them. */
const WARM_UP_CODE = 'import pandas, numpy, matplotlib.pyplot';

/** Sandboxes as containers of the template image, each running a Jupyter server with one kernel per language. */
export class DockerBackend implements Backend, PoolHost {
	readonly name = 'docker' as const;
	readonly openFiguresCode = OPEN_FIGURES_CODE;
	readonly pool: WarmPool;
	private readonly containers: SandboxContainers;
	/** Set when the credential's Image is the package's own, which is built when the engine lacks it. */
	private readonly packageImage?: PackageImage;

	constructor(
		private readonly settings: DockerSettings,
		scope = DEFAULT_SCOPE,
		logger: BackendLogger = SILENT_LOGGER,
	) {
		const docker = dockerClient(settings);
		this.containers = new SandboxContainers(docker, settings, `--${scopeKey(scope)}`);
		this.pool = new WarmPool(docker, settings, this);
		if (settings.image === DEFAULT_IMAGE) this.packageImage = new PackageImage(dockerClient(settings, 0), settings.image, logger, settings.connection === 'socket');
	}

	/** Resolves when Docker answers and has the image; rejects with what is missing (the image: whether it is being built). */
	async checkConnection(): Promise<string> {
		const { docker } = this.containers;
		await docker.ping().catch((error: unknown) => {
			throw dockerError(error, 'connect', this.settings);
		});
		const answers = `Docker answers at ${describeDockerTarget(this.settings)}`;
		if (this.packageImage) {
			const status = await this.packageImage.state().catch((error: unknown) => {
				throw dockerError(error, 'find the sandbox image', this.settings);
			});
			const described = `${answers} and ${this.packageImage.describe(status)}`;
			if (status.state !== 'present') throw new SandboxError(described);
			return described;
		}
		await docker
			.getImage(this.settings.image)
			.inspect()
			.catch((error: unknown) => {
				throw dockerError(error, 'find the sandbox image', this.settings);
			});
		return `${answers} and has the sandbox image ${this.settings.image}`;
	}

	async create(options: CreateSandboxOptions): Promise<SandboxInfo> {
		return await this.createAs(undefined, options);
	}

	/**
	 * A named sandbox is the container named after the name's key: Docker lets only one container hold a name.
	 * A caller that finds the name taken waits for the sandbox another caller is starting.
	 */
	async openNamed(name: string, options: CreateSandboxOptions): Promise<SandboxInfo> {
		const containerName = `named-${namedSandboxKey(name)}${this.containers.nameSuffix}`;
		const deadline = Date.now() + READY_TIMEOUT_MS;
		for (;;) {
			const [paused] = await this.containers.findPaused([LABELS.sandboxId], containerName);
			if (paused) return await this.resumePaused(paused, options.timeoutSeconds);
			const [running] = await this.containers.findAll([LABELS.sandboxId], containerName);
			if (running) {
				const container = this.containers.docker.getContainer(running.container.Id);
				await this.containers.jupyter(running).waitUntilReady(Math.max(deadline - Date.now(), 1_000), () => this.containers.assertRunning(container));
				return await this.setTimeout(running.labels.sandboxId, options.timeoutSeconds);
			}
			try {
				return await this.createAs(containerName, options);
			} catch (error) {
				if (!(error instanceof NameTakenError)) throw error;
				if (Date.now() > deadline) {
					throw new SandboxError(`The sandbox named "${containerName}" did not start within ${READY_TIMEOUT_MS / 1000} s`, {
						description: 'Another run was starting it. Check the Docker host\'s resources, then try again.',
					});
				}
				// Being created by another caller, or stopped and not removed yet.
				await this.containers.removeLeftovers();
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		}
	}

	/**
	 * Claims a pool sandbox or starts one, named `containerName` or after its ID and this backend's scope;
	 * NameTakenError when that is in use.
	 */
	private async createAs(containerName: string | undefined, options: CreateSandboxOptions): Promise<SandboxInfo> {
		try {
			return await this.startOrClaim(containerName, options);
		} catch (error) {
			if (!(error instanceof ImageMissingError) || !this.packageImage) throw error;
			throw await this.packageImage.whenMissing().catch((cause: unknown) =>
				cause instanceof SandboxError ? cause : dockerError(cause, 'find the sandbox image', this.settings),
			);
		}
	}

	private async startOrClaim(containerName: string | undefined, options: CreateSandboxOptions): Promise<SandboxInfo> {
		const name = (sandboxId: string) => containerName ?? `${sandboxId}${this.containers.nameSuffix}`;
		if (this.pool.serves(options)) {
			// A claim starts no container, so it does the sweep a start would do (removeLeftovers).
			const [claimed] = await Promise.all([
				this.pool.claim(options.timeoutSeconds, options.onTimeout ?? 'kill', name).catch((error: unknown) => {
					throw isNameConflict(error) ? new NameTakenError() : dockerError(error, 'connect', this.settings);
				}),
				this.containers.removeLeftovers(),
			]);
			if (claimed) {
				this.pool.refillInBackground();
				return this.info(claimed, claimed.expiresAt);
			}
		}
		const now = new Date();
		const expiresAt = new Date(now.getTime() + options.timeoutSeconds * 1000);
		const { labels } = await this.containers.start({ name, createdAt: now, expiresAt, ...options });
		if (this.pool.serves(options)) this.pool.refillInBackground();
		return this.info(labels, labels.expiresAt);
	}

	async startPoolSandbox(name: (sandboxId: string) => string, pool: string, expiresAt: Date): Promise<LiveSandbox> {
		return await this.containers.start({ name, pool, createdAt: new Date(), expiresAt });
	}

	/** Starts the Python kernel and imports the usual packages, silently (the execution count stays at 0). */
	async warmUp(sandbox: LiveSandbox): Promise<void> {
		const client = this.containers.jupyter(sandbox);
		await client.runSilently(await client.kernel(kernelNameFor('python')), WARM_UP_CODE, READY_TIMEOUT_MS);
	}

	labelsOf(container: LiveSandbox['container']): SandboxLabels | undefined {
		return fromLabels(container.Labels);
	}

	async runCodeMany(sandboxId: string, runs: CodeRun[], stopOnError: boolean, outputFolder?: string): Promise<CodeRunOutcome[]> {
		const language = runs[0]?.options.language;
		if (!language) return [];
		if (runs.some((run) => run.options.language !== language)) throw new Error('Runs sent together must share a language');
		const sandbox = await this.live(sandboxId);
		const files = this.files(sandbox);
		const output = outputFolder === undefined ? undefined : { folder: sandboxPath(outputFolder), list: files.list.bind(files) };
		const outcomes = await this.containers.jupyter(sandbox).executeMany(kernelNameFor(language), runs, stopOnError, output);
		if (!outcomes.some(connectionLost) || !(await this.containers.stopsSoon(sandboxId))) return outcomes;
		await this.containers.removeLeftovers();
		return outcomes.map((outcome) => (connectionLost(outcome) ? { error: new SandboxStoppedError(sandboxId) } : outcome));
	}

	async kill(sandboxId: string): Promise<boolean> {
		if (!isSandboxId(sandboxId)) return false;
		const filter = [`${LABELS.sandboxId}=${sandboxId}`];
		const [found] = [...(await this.containers.findAll(filter)), ...(await this.containers.findPaused(filter))];
		if (!found) return false;
		this.containers.forgetConnections(found);
		await this.containers.docker
			.getContainer(found.container.Id)
			.remove({ force: true, v: true })
			.catch((error: { statusCode?: number }) => {
				// 404: already gone; 409: removal already in progress (it stopped at its deadline).
				if (error.statusCode !== 404 && error.statusCode !== 409) throw dockerError(error, 'kill the sandbox', this.settings);
			});
		return true;
	}

	async list(): Promise<SandboxInfo[]> {
		await this.containers.removeLeftovers();
		const [live, paused] = await Promise.all([this.containers.findAll([LABELS.sandboxId]), this.containers.findPaused([LABELS.sandboxId])]);
		const running = await Promise.all(
			live.map(async (sandbox) => {
				const { createdAt, expiresAt } = await this.containers.liveDates(sandbox);
				return this.info({ ...sandbox.labels, createdAt }, expiresAt);
			}),
		);
		return [...running, ...paused.map((sandbox) => this.pausedInfo(sandbox))];
	}

	async pause(sandboxId: string): Promise<PausedOrResumed> {
		const filter = [`${LABELS.sandboxId}=${sandboxId}`];
		const [paused] = isSandboxId(sandboxId) ? await this.containers.findPaused(filter) : [];
		if (paused) return this.pausedInfo(paused);
		const sandbox = await this.containers.find(sandboxId);
		const { createdAt } = await this.containers.liveDates(sandbox);
		this.containers.forgetConnections(sandbox);
		// Undefined when another process did this pause: what it kept went to that process.
		const languages = await pauseContainer(this.containers.docker.getContainer(sandbox.container.Id));
		const [now] = await this.containers.findPaused(filter);
		if (!now) throw new SandboxError(`The sandbox ${sandboxId} paused, then disappeared`, { description: 'Another run may have killed it meanwhile.' });
		return { ...this.pausedInfo({ ...now, labels: { ...now.labels, createdAt } }), ...(languages ? { languages } : {}) };
	}

	async resume(sandboxId: string, timeoutSeconds: number): Promise<PausedOrResumed> {
		const [paused] = isSandboxId(sandboxId) ? await this.containers.findPaused([`${LABELS.sandboxId}=${sandboxId}`]) : [];
		if (!paused) return await this.setTimeout(sandboxId, timeoutSeconds);
		return await this.resumePaused(paused, timeoutSeconds);
	}

	/** Starts a paused sandbox's container again: its files come back at its start, then its kernels load their state. */
	private async resumePaused(paused: PausedSandbox, timeoutSeconds: number): Promise<PausedOrResumed> {
		const container = this.containers.docker.getContainer(paused.container.Id);
		await container.start().catch((error: { statusCode?: number }) => {
			// 304: another process resumed it meanwhile.
			if (error.statusCode !== 304) throw dockerError(error, 'resume the sandbox', this.settings);
		});
		const [running] = await this.containers.findAll([`${LABELS.sandboxId}=${paused.labels.sandboxId}`]);
		if (!running) await this.containers.assertRunning(container);
		await this.containers.jupyter(running).waitUntilReady(READY_TIMEOUT_MS, () => this.containers.assertRunning(container));
		const info = await this.setTimeout(paused.labels.sandboxId, timeoutSeconds);
		return { ...info, languages: await restoredLanguages(container) };
	}

	/** The running sandbox with this ID, resumed first when it is paused (looked for only when none runs). */
	private async live(sandboxId: string): Promise<LiveSandbox> {
		try {
			return await this.containers.find(sandboxId);
		} catch (error) {
			if (!(error instanceof SandboxNotFoundError)) throw error;
			const [paused] = await this.containers.findPaused([`${LABELS.sandboxId}=${sandboxId}`]);
			if (!paused) throw error;
			await this.resumePaused(paused, RESUMED_BY_USE_SECONDS);
			return await this.containers.find(sandboxId);
		}
	}

	async setTimeout(sandboxId: string, timeoutSeconds: number): Promise<SandboxInfo> {
		const sandbox = await this.live(sandboxId);
		const { container, labels } = sandbox;
		const { createdAt } = await this.containers.liveDates(sandbox);
		const expiresAt = new Date(Date.now() + timeoutSeconds * 1000);
		const epoch = String(Math.ceil(expiresAt.getTime() / 1000));
		await execInContainer(this.containers.docker.getContainer(container.Id), ['sh', '-c', `echo ${epoch} > ${DEADLINE_FILE}`]);
		return this.info({ ...labels, createdAt }, expiresAt.toISOString());
	}

	async writeFile(sandboxId: string, path: string, content: Readable): Promise<{ path: string; size: number }> {
		return await this.files(await this.live(sandboxId)).write(path, content);
	}

	async readFile(sandboxId: string, path: string, limits?: FileReadLimits): Promise<FileContent> {
		return await this.files(await this.live(sandboxId)).read(path, limits);
	}

	async listFiles(sandboxId: string, path: string, options: ListFilesOptions): Promise<SandboxFile[]> {
		return await this.files(await this.live(sandboxId)).list(path, options);
	}

	private files({ container }: LiveSandbox): SandboxFiles {
		return new SandboxFiles(this.containers.docker.getContainer(container.Id));
	}

	private info(labels: SandboxLabels, expiresAt: string, state: SandboxInfo['state'] = 'running'): SandboxInfo {
		return {
			sandboxId: labels.sandboxId,
			backend: this.name,
			template: this.settings.image,
			state,
			createdAt: labels.createdAt,
			expiresAt,
		};
	}

	private pausedInfo({ labels, pausedAt }: PausedSandbox): SandboxInfo {
		return this.info(labels, pausedUntil(pausedAt).toISOString(), 'paused');
	}
}

function connectionLost(outcome: CodeRunOutcome): boolean {
	return 'error' in outcome && outcome.error instanceof ConnectionLostError;
}
