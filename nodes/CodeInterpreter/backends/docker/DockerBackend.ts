import type Docker from 'dockerode';
import { randomBytes } from 'crypto';

import type { Readable } from 'stream';

import type { Execution } from '../../model/execution';
import { PACKAGE_VERSION } from '../../packageInfo';
import type { Backend, CodeRun, CodeRunOutcome, CreateSandboxOptions, RunCodeOptions, SandboxInfo } from '../Backend';
import { SandboxError, SandboxNotFoundError, SandboxStoppedError } from '../errors';
import type { FileContent, FileReadLimits, ListFilesOptions, SandboxFile } from '../files';
import { ConnectionLostError } from '../jupyter/PendingExecution';
import { JupyterClient } from '../jupyter/JupyterClient';
import { namedSandboxKey } from '../common/namedSandbox';
import { OPEN_FIGURES_CODE } from '../common/prelude';
import { sandboxPath } from '../../model/sandboxPath';
import { DEFAULT_SCOPE, scopeKey } from '../common/sandboxScope';
import { dockerRemovesStoppedSandboxes, type EngineInfo } from './autoRemove';
import { describeDockerTarget, DOCKER_REQUEST_TIMEOUT_MS, dockerClient, type DockerSettings } from './connection';
import { execInContainer } from './exec';
import { SandboxFiles } from './files';
import { assertOwnNetwork, CLAIMED_DIR, DEADLINE_FILE, firewallEnv, isolationHostConfig } from './isolation';
import { JUPYTER_PORT, jupyterEndpoint, jupyterHostConfig } from './jupyterAccess';
import { kernelNameFor } from './kernels';
import { fromLabels, LABELS, toLabels, type SandboxLabels } from './labels';
import { isUnclaimed, type PoolHost, WarmPool } from './pool';

const READY_TIMEOUT_MS = 60_000;
const SANDBOX_ID = /^ci-[0-9a-f]{16}$/;
/** Imported by a pool sandbox's Python kernel before anyone claims it: the first run need not wait for them. */
const WARM_UP_CODE = 'import pandas, numpy, matplotlib.pyplot';

export interface LiveSandbox {
	container: Docker.ContainerInfo;
	labels: SandboxLabels;
}

interface StartOptions extends Omit<CreateSandboxOptions, 'timeoutSeconds' | 'template'> {
	/** The container's name, from the sandbox's ID. */
	name: (sandboxId: string) => string;
	createdAt: Date;
	expiresAt: Date;
	/** Set for a warm-pool sandbox: its pool. */
	pool?: string;
}

/** The container's environment: the user's variables, which may not replace the ones the sandbox runs on. */
function sandboxEnv(options: Pick<CreateSandboxOptions, 'envs'>, own: string[]): string[] {
	const reserved = new Set(own.map((entry) => entry.slice(0, entry.indexOf('='))));
	const user = Object.entries(options.envs ?? {});
	const clash = user.find(([name]) => reserved.has(name));
	if (clash) {
		throw new SandboxError(`The environment variable "${clash[0]}" is the sandbox's own`, { description: 'Give the variable another name.' });
	}
	return [...user.map(([name, value]) => `${name}=${value}`), ...own];
}

/** Sandboxes as containers of the template image, each running a Jupyter server with one kernel per language. */
export class DockerBackend implements Backend, PoolHost {
	readonly name = 'docker' as const;
	readonly openFiguresCode = OPEN_FIGURES_CODE;
	private readonly docker: Docker;
	readonly pool: WarmPool;
	/** Ends the name of every container of this backend's scope (sandboxScope.ts). */
	private readonly nameSuffix: string;

	constructor(
		private readonly settings: DockerSettings,
		scope = DEFAULT_SCOPE,
	) {
		this.docker = dockerClient(settings);
		this.pool = new WarmPool(this.docker, settings, this);
		this.nameSuffix = `--${scopeKey(scope)}`;
	}

	async checkConnection(): Promise<string> {
		await this.docker.ping().catch((error: unknown) => {
			throw this.dockerError(error, 'connect');
		});
		await this.docker
			.getImage(this.settings.image)
			.inspect()
			.catch((error: unknown) => {
				throw this.dockerError(error, 'find the sandbox image');
			});
		return `Docker answers at ${describeDockerTarget(this.settings)} and has the sandbox image ${this.settings.image}`;
	}

	async create(options: CreateSandboxOptions): Promise<SandboxInfo> {
		return await this.createAs(undefined, options);
	}

	/**
	 * A named sandbox is the container named after the name's key: Docker lets only one container hold a name.
	 * A caller that finds the name taken waits for the sandbox another caller is starting.
	 */
	async openNamed(name: string, options: CreateSandboxOptions): Promise<SandboxInfo> {
		const containerName = `named-${namedSandboxKey(name)}${this.nameSuffix}`;
		const deadline = Date.now() + READY_TIMEOUT_MS;
		for (;;) {
			const [running] = await this.findAll([LABELS.sandboxId], containerName);
			if (running) {
				const client = new JupyterClient(jupyterEndpoint(running.container, running.labels.token, this.settings));
				await client.waitUntilReady(Math.max(deadline - Date.now(), 1_000), () => this.assertRunning(this.docker.getContainer(running.container.Id)));
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
				await this.removeLeftovers();
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		}
	}

	/**
	 * Claims a pool sandbox or starts one, named `containerName` or after its ID and this backend's scope;
	 * NameTakenError when that is in use.
	 */
	private async createAs(containerName: string | undefined, options: CreateSandboxOptions): Promise<SandboxInfo> {
		const name = (sandboxId: string) => containerName ?? `${sandboxId}${this.nameSuffix}`;
		if (this.pool.serves(options)) {
			// A claim starts no container, so it does the sweep a start would do (see autoRemove.ts).
			const [claimed] = await Promise.all([
				this.pool.claim(options.timeoutSeconds, name).catch((error: unknown) => {
					throw isNameConflict(error) ? new NameTakenError() : this.dockerError(error, 'connect');
				}),
				this.removeLeftovers(),
			]);
			if (claimed) {
				this.pool.refillInBackground();
				return this.info(claimed, claimed.expiresAt);
			}
		}
		const now = new Date();
		const expiresAt = new Date(now.getTime() + options.timeoutSeconds * 1000);
		const { labels } = await this.startSandbox({ name, createdAt: now, expiresAt, ...options });
		if (this.pool.serves(options)) this.pool.refillInBackground();
		return this.info(labels, labels.expiresAt);
	}

	async startPoolSandbox(name: (sandboxId: string) => string, pool: string, expiresAt: Date): Promise<LiveSandbox> {
		return await this.startSandbox({ name, pool, createdAt: new Date(), expiresAt });
	}

	/** Starts the Python kernel and imports the usual packages, silently (the execution count stays at 0). */
	async warmUp({ container, labels }: LiveSandbox): Promise<void> {
		const client = new JupyterClient(jupyterEndpoint(container, labels.token, this.settings));
		await client.runSilently(await client.kernel(kernelNameFor('python')), WARM_UP_CODE, READY_TIMEOUT_MS);
	}

	labelsOf(container: Docker.ContainerInfo): SandboxLabels | undefined {
		return fromLabels(container.Labels);
	}

	/** Creates a sandbox container, starts it and waits for its Jupyter server; removes it again when that fails. */
	private async startSandbox(options: StartOptions): Promise<LiveSandbox> {
		const [engine] = await Promise.all([
			this.engineInfo(),
			this.removeLeftovers(),
			assertOwnNetwork(this.docker, this.settings).catch((error: unknown) => {
				throw error instanceof SandboxError ? error : this.dockerError(error, `find the network "${this.settings.network}"`);
			}),
		]);
		const labels: SandboxLabels = {
			sandboxId: `ci-${randomBytes(8).toString('hex')}`, // matches SANDBOX_ID
			token: randomBytes(24).toString('hex'),
			createdAt: options.createdAt.toISOString(),
			expiresAt: options.expiresAt.toISOString(),
			version: PACKAGE_VERSION,
			pool: options.pool,
		};
		const container = await this.docker
			.createContainer({
				name: options.name(labels.sandboxId),
				Image: this.settings.image,
				Env: sandboxEnv(options, [
					`JUPYTER_TOKEN=${labels.token}`,
					`SANDBOX_DEADLINE=${Math.ceil(options.expiresAt.getTime() / 1000)}`,
					...firewallEnv(options.internetAccess ?? false),
				]),
				Labels: toLabels(labels),
				ExposedPorts: { [`${JUPYTER_PORT}/tcp`]: {} },
				HostConfig: {
					AutoRemove: dockerRemovesStoppedSandboxes(engine),
					...isolationHostConfig(this.settings), ...jupyterHostConfig(this.settings),
				},
			})
			.catch((error: unknown) => {
				throw isNameConflict(error) ? new NameTakenError() : this.dockerError(error, 'create a sandbox');
			});
		try {
			await container.start();
			const [info] = await this.docker.listContainers({ filters: { id: [container.id] } });
			if (!info) await this.assertRunning(container);
			const client = new JupyterClient(jupyterEndpoint(info, labels.token, this.settings));
			await client.waitUntilReady(READY_TIMEOUT_MS, () => this.assertRunning(container));
			return { container: info, labels };
		} catch (error) {
			await container.remove({ force: true }).catch(() => undefined);
			throw error instanceof SandboxError ? error : this.dockerError(error, 'start the sandbox');
		}
	}

	async runCode(sandboxId: string, code: string, options: RunCodeOptions): Promise<Execution> {
		const [outcome] = await this.runCodeMany(sandboxId, [{ code, options }], false);
		if ('error' in outcome) throw outcome.error;
		return outcome.execution;
	}

	async runCodeMany(sandboxId: string, runs: CodeRun[], stopOnError: boolean, outputFolder?: string): Promise<CodeRunOutcome[]> {
		const language = runs[0]?.options.language;
		if (!language) return [];
		if (runs.some((run) => run.options.language !== language)) throw new Error('Runs sent together must share a language');
		const { container, labels } = await this.find(sandboxId);
		const client = new JupyterClient(jupyterEndpoint(container, labels.token, this.settings));
		const files = new SandboxFiles(this.docker.getContainer(container.Id));
		const output = outputFolder === undefined ? undefined : { folder: sandboxPath(outputFolder), list: files.list.bind(files) };
		const outcomes = await client.executeMany(kernelNameFor(language), runs, stopOnError, output);
		if (!outcomes.some(connectionLost) || !(await this.stopsSoon(sandboxId))) return outcomes;
		await this.removeLeftovers();
		return outcomes.map((outcome) => (connectionLost(outcome) ? { error: new SandboxStoppedError(sandboxId) } : outcome));
	}

	async kill(sandboxId: string): Promise<boolean> {
		if (!SANDBOX_ID.test(sandboxId)) return false;
		const found = await this.findAll([`${LABELS.sandboxId}=${sandboxId}`]);
		if (found.length === 0) return false;
		this.forgetConnections(found[0]);
		await this.docker
			.getContainer(found[0].container.Id)
			.remove({ force: true })
			.catch((error: { statusCode?: number }) => {
				// 404: already gone; 409: removal already in progress (it stopped at its deadline).
				if (error.statusCode !== 404 && error.statusCode !== 409) throw this.dockerError(error, 'kill the sandbox');
			});
		return true;
	}

	async list(): Promise<SandboxInfo[]> {
		const [live] = await Promise.all([this.findAll([LABELS.sandboxId]), this.removeLeftovers()]);
		return await Promise.all(live.map(async (sandbox) => this.liveInfo(sandbox)));
	}

	async setTimeout(sandboxId: string, timeoutSeconds: number): Promise<SandboxInfo> {
		const { container, labels } = await this.find(sandboxId);
		const expiresAt = new Date(Date.now() + timeoutSeconds * 1000);
		const epoch = String(Math.ceil(expiresAt.getTime() / 1000));
		await execInContainer(this.docker.getContainer(container.Id), ['sh', '-c', `echo ${epoch} > ${DEADLINE_FILE}`]);
		return this.info(labels, expiresAt.toISOString());
	}

	async writeFile(sandboxId: string, path: string, content: Readable): Promise<{ path: string; size: number }> {
		return await (await this.files(sandboxId)).write(path, content);
	}

	async readFile(sandboxId: string, path: string, limits?: FileReadLimits): Promise<FileContent> {
		return await (await this.files(sandboxId)).read(path, limits);
	}

	async listFiles(sandboxId: string, path: string, options: ListFilesOptions): Promise<SandboxFile[]> {
		return await (await this.files(sandboxId)).list(path, options);
	}

	private async files(sandboxId: string): Promise<SandboxFiles> {
		const { container } = await this.find(sandboxId);
		return new SandboxFiles(this.docker.getContainer(container.Id));
	}

	private async find(sandboxId: string): Promise<LiveSandbox> {
		if (!SANDBOX_ID.test(sandboxId)) {
			throw new SandboxError(`"${sandboxId}" is not the ID of a Docker sandbox`, {
				description:
					'Docker sandbox IDs look like "ci-0123456789abcdef" and come from Create Sandbox. An ID from another backend (such as E2B) only works with that backend.',
			});
		}
		const [sandbox] = await this.findAll([`${LABELS.sandboxId}=${sandboxId}`]);
		if (!sandbox) throw new SandboxNotFoundError(sandboxId, '; an engine restart without live-restore also ends every sandbox');
		return sandbox;
	}

	/** Closes this process's kept connections to the sandbox; they would drop on their own once it is gone. */
	private forgetConnections({ container, labels }: LiveSandbox): void {
		try {
			new JupyterClient(jupyterEndpoint(container, labels.token, this.settings)).forgetConnections();
		} catch {
			// No published port: no connection was made to it.
		}
	}

	/**
	 * Removes containers of ours that stopped but are still there: where Docker does not remove stopped sandboxes
	 * (see autoRemove.ts), when a removal was interrupted, or when a container never started.
	 */
	private async removeLeftovers(): Promise<void> {
		const stopped = await this.docker
			.listContainers({ all: true, filters: { label: [LABELS.sandboxId], status: ['created', 'exited', 'dead'] } })
			.catch(() => []);
		// A container just created by another process is about to be started: leave young ones alone.
		const leftovers = stopped.filter((container) => container.State !== 'created' || container.Created < Date.now() / 1000 - 300);
		await Promise.all(leftovers.map((container) => this.docker.getContainer(container.Id).remove({ force: true }).catch(() => undefined)));
	}

	private async engineInfo(): Promise<EngineInfo> {
		return (await this.docker.info().catch((error: unknown) => {
			throw this.dockerError(error, 'connect');
		})) as EngineInfo;
	}

	/** Whether the sandbox is stopped or stops within a few seconds (a killed container takes a moment to go). */
	private async stopsSoon(sandboxId: string): Promise<boolean> {
		for (let attempt = 0; attempt < 20; attempt++) {
			if ((await this.findAll([`${LABELS.sandboxId}=${sandboxId}`])).length === 0) return true;
			await new Promise((resolve) => setTimeout(resolve, 150));
		}
		return false;
	}

	/**
	 * This package's running sandboxes of this backend's scope matching the label filters (and the container name,
	 * which holds the scope), straight from Docker.
	 */
	private async findAll(labelFilters: string[], containerName?: string): Promise<LiveSandbox[]> {
		const filters = { label: labelFilters, name: [containerName ? `^/${containerName}$` : `${this.nameSuffix}$`] };
		const containers = await this.docker.listContainers({ filters }).catch((error: unknown) => {
			throw this.dockerError(error, 'list sandboxes');
		});
		return containers.flatMap((container) => {
			const labels = fromLabels(container.Labels);
			return labels && !isUnclaimed(container) ? [{ container, labels }] : [];
		});
	}

	/** The live deadline (moved by Set Timeout inside the sandbox) and, for a sandbox taken from the pool, when. */
	private async liveInfo({ container, labels }: LiveSandbox): Promise<SandboxInfo> {
		const read = `cat ${DEADLINE_FILE}; cat ${CLAIMED_DIR}/at 2>/dev/null || true`;
		const [deadline = '', claimedAt = ''] = (
			await execInContainer(this.docker.getContainer(container.Id), ['sh', '-c', read]).catch(() => '')
		).split('\n');
		const epoch = Number.parseInt(deadline.trim(), 10);
		const expiresAt = Number.isFinite(epoch) ? new Date(epoch * 1000).toISOString() : labels.expiresAt;
		return this.info({ ...labels, createdAt: claimedAt.trim() || labels.createdAt }, expiresAt);
	}

	private async assertRunning(container: Docker.Container): Promise<void> {
		const state = await container.inspect().then(
			(info) => info.State,
			() => undefined,
		);
		if (state?.Running) return;
		const logs = await container
			.logs({ stdout: true, stderr: true, tail: 20 })
			.then((buffer) => buffer.toString().trim())
			.catch(() => '');
		throw new SandboxError('The sandbox stopped while starting', {
			description: logs ? `Its last output:\n${logs}` : 'It left no output. Check the Docker host\'s resources.',
		});
	}

	private info(labels: SandboxLabels, expiresAt: string): SandboxInfo {
		return {
			sandboxId: labels.sandboxId,
			backend: this.name,
			template: this.settings.image,
			createdAt: labels.createdAt,
			expiresAt,
		};
	}

	private dockerError(error: unknown, action: string): SandboxError {
		const { statusCode, code, message } = error as { statusCode?: number; code?: string; message?: string };
		const target = describeDockerTarget(this.settings);
		if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
			return new SandboxError(`Cannot reach the Docker engine at ${target} to ${action} (${code})`, {
				description: 'Check that Docker is running and that the credential points at it.',
				cause: error,
			});
		}
		if (code === 'ECONNRESET') {
			return new SandboxError(`The Docker engine at ${target} stopped answering while trying to ${action}`, {
				description: `It gave no answer within ${DOCKER_REQUEST_TIMEOUT_MS / 1000} s or closed the connection. Check that Docker is running and not overloaded, then try again.`,
				cause: error,
			});
		}
		if (code === 'EACCES') {
			return new SandboxError(`Permission denied on the Docker socket ${this.settings.socketPath}`, {
				description: 'The user n8n runs as must be allowed to use Docker (e.g. be in the "docker" group).',
				cause: error,
			});
		}
		if (statusCode === 404 && /no such image|image.*not found/i.test(message ?? '')) {
			return new SandboxError(`The sandbox image "${this.settings.image}" does not exist on the Docker host`, {
				description:
					'Build it with "npm run template:build" in the n8n-nodes-code-interpreter package folder, or set "Image" in the Docker credential to an image you have.',
				cause: error,
			});
		}
		return new SandboxError(`Docker could not ${action}: ${message ?? String(error)}`, { cause: error });
	}
}

/** A container name another container holds. */
class NameTakenError extends Error {}

function isNameConflict(error: unknown): boolean {
	return (error as { statusCode?: number }).statusCode === 409;
}

function connectionLost(outcome: CodeRunOutcome): boolean {
	return 'error' in outcome && outcome.error instanceof ConnectionLostError;
}
