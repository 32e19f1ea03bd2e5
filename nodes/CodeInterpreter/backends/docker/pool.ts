import type Docker from 'dockerode';
import { createHash } from 'crypto';

import type { CreateSandboxOptions, OnTimeout } from '../Backend';
import type { DockerSettings } from './settings';
import { execInContainer } from './exec';
import { CLAIMED_DIR, DEADLINE_FILE } from './isolation';
import { LABELS, type LiveSandbox, type SandboxLabels } from './labels';
import { ON_TIMEOUT_FILE } from './pause';

/** Names of pool containers: `warming-<id>` while they start, `pool-<id>` once ready; a claim renames them (DockerBackend). */
const WARMING = 'warming-';
const READY = 'pool-';
/** An unclaimed pool sandbox stops itself after this long, and a fresh one replaces it. */
const POOL_LIFETIME_MS = 60 * 60_000;
/** A sandbox still warming after this long was left by a process that ended mid-way (e.g. `n8n execute`). */
const STALE_WARMING_MS = 3 * 60_000;
/** Sandboxes started at once while refilling: starting one is mostly CPU-bound (Python imports). */
const REFILL_PARALLELISM = 2;

/** What the pool needs from the backend: making a sandbox, and readying its Python kernel. */
export interface PoolHost {
	startPoolSandbox(name: (sandboxId: string) => string, pool: string, expiresAt: Date): Promise<LiveSandbox>;
	warmUp(sandbox: LiveSandbox): Promise<void>;
	labelsOf(container: Docker.ContainerInfo): SandboxLabels | undefined;
}

/** Whether a container is an unclaimed pool sandbox, which no operation but a claim may use. */
export function isUnclaimed(container: Docker.ContainerInfo): boolean {
	return container.Names.some((name) => name.startsWith(`/${WARMING}`) || name.startsWith(`/${READY}`));
}

/**
 * Ready sandboxes kept per image and limits, so that Create Sandbox takes one instead of starting one.
 * Everything is decided by Docker's state, not this process's memory: a claim is an atomic `mkdir` inside the
 * sandbox (only one of several processes claiming at once succeeds), then a rename out of the pool.
 */
export class WarmPool {
	private refilling: Promise<void> | undefined;

	constructor(
		private readonly docker: Docker,
		private readonly settings: DockerSettings,
		private readonly host: PoolHost,
	) {}

	/** Sandboxes of one pool share everything that is fixed at creation. */
	get key(): string {
		const { image, memoryMb, cpus, pidsLimit, diskMb, runtime, jupyterAccess, publishAddress, network } = this.settings;
		const fixed = JSON.stringify([image, memoryMb, cpus, pidsLimit, diskMb, runtime, jupyterAccess, publishAddress, network]);
		return createHash('sha256').update(fixed).digest('hex').slice(0, 16);
	}

	/** Pool sandboxes have no internet, allowed hosts, packages or variables of their own: other creates start a sandbox. */
	serves(options: CreateSandboxOptions): boolean {
		const plain = !options.internetAccess && !options.allowedHosts?.length && !options.packages?.length;
		return this.settings.poolSize > 0 && plain && Object.keys(options.envs ?? {}).length === 0;
	}

	/**
	 * Takes a ready sandbox out of the pool, gives it its deadline and what happens then, and renames it (`name` of its ID: the name holds
	 * the claimer's scope); undefined when none is ready. When the rename fails (the name is taken), the claimed
	 * sandbox is removed.
	 */
	async claim(timeoutSeconds: number, onTimeout: OnTimeout, name: (sandboxId: string) => string): Promise<SandboxLabels | undefined> {
		// Claimers start at different members, so that they rarely contend for the same one.
		const members = shuffle(await this.members(READY, await this.imageId()));
		for (const member of members) {
			const createdAt = new Date();
			const expiresAt = new Date(createdAt.getTime() + timeoutSeconds * 1000);
			const claim = `mkdir ${CLAIMED_DIR} && echo ${Math.ceil(expiresAt.getTime() / 1000)} > ${DEADLINE_FILE} && echo ${onTimeout} > ${ON_TIMEOUT_FILE} && echo ${createdAt.toISOString()} > ${CLAIMED_DIR}/at`;
			const container = this.docker.getContainer(member.container.Id);
			const won = await execInContainer(container, ['sh', '-c', claim]).then(
				() => true,
				() => false,
			);
			if (!won) continue;
			await container.rename({ name: name(member.labels.sandboxId) }).catch(async (error: unknown) => {
				await container.remove({ force: true, v: true }).catch(() => undefined);
				throw error;
			});
			return { ...member.labels, createdAt: createdAt.toISOString(), expiresAt: expiresAt.toISOString() };
		}
		return undefined;
	}

	/** Tops the pool up without making the caller wait; one refill at a time per process. */
	refillInBackground(): void {
		this.refilling ??= this.refill()
			.catch(() => undefined)
			.finally(() => (this.refilling = undefined));
	}

	/**
	 * Starts sandboxes until the pool has its size (counting those still warming), then readies them. Members of
	 * an older image (the template was rebuilt under the same tag) and warming ones left behind are removed first.
	 */
	async refill(): Promise<void> {
		const imageId = await this.imageId();
		const outdated = (await this.members(READY)).filter(({ container }) => container.ImageID !== imageId);
		const warming = await this.members(WARMING);
		const stale = warming.filter(({ container }) => container.Created * 1000 < Date.now() - STALE_WARMING_MS);
		await this.remove([...outdated, ...stale]);
		let missing = this.settings.poolSize - (await this.members(READY, imageId)).length - (warming.length - stale.length);
		const addOne = async (): Promise<void> => {
			while (missing-- > 0) {
				const sandbox = await this.host.startPoolSandbox((id) => `${WARMING}${id}`, this.key, new Date(Date.now() + POOL_LIFETIME_MS));
				await this.host.warmUp(sandbox);
				await this.docker.getContainer(sandbox.container.Id).rename({ name: `${READY}${sandbox.labels.sandboxId}` });
			}
		};
		await Promise.all(Array.from({ length: REFILL_PARALLELISM }, addOne));
	}

	/** Removes every sandbox of the pool that nobody claimed (benchmarks and tests clean up with it). */
	async drain(): Promise<void> {
		await this.refilling;
		await this.remove([...(await this.members(READY)), ...(await this.members(WARMING))]);
	}

	/** Running members whose name starts with `prefix`, of the given image when one is given. */
	private async members(prefix: string, imageId?: string): Promise<LiveSandbox[]> {
		const containers = await this.docker.listContainers({ filters: { label: [`${LABELS.pool}=${this.key}`], name: [`^/${prefix}`] } });
		return containers.flatMap((container) => {
			const labels = this.host.labelsOf(container);
			return labels && (!imageId || container.ImageID === imageId) ? [{ container, labels }] : [];
		});
	}

	private async imageId(): Promise<string> {
		return (await this.docker.getImage(this.settings.image).inspect()).Id;
	}

	private async remove(members: LiveSandbox[]): Promise<void> {
		await Promise.all(members.map(({ container }) => this.docker.getContainer(container.Id).remove({ force: true, v: true }).catch(() => undefined)));
	}
}

function shuffle<T>(values: T[]): T[] {
	return values
		.map((value) => ({ value, order: Math.random() }))
		.sort((a, b) => a.order - b.order)
		.map(({ value }) => value);
}
