import type Docker from 'dockerode';
import { randomBytes } from 'crypto';

import { PACKAGE_VERSION } from '../../packageInfo';
import type { CreateSandboxOptions } from '../Backend';
import { SandboxError } from '../../model/errors';
import { SandboxNotFoundError } from '../errors';
import { JupyterClient } from '../jupyter/JupyterClient';
import type { DockerSettings } from './settings';
import { dockerError, isNameConflict, NameTakenError } from './errors';
import { execInContainer, withoutFrames } from './exec';
import { parseAllowedHost } from '../../model/allowedHosts';
import { packageIndex } from '../../model/packages';
import { type Allowances, dockerHostAddresses, networkRanges, resolveAllowedHosts } from './allowedHosts';
import { installPackages, type PackageInstall } from './packages';
import { assertOwnNetwork, CLAIMED_DIR, DEADLINE_FILE, firewallEnv, hostAddresses, isolationHostConfig, sandboxEnv } from './isolation';
import { JUPYTER_PORT, jupyterEndpoint, jupyterHostConfig } from './jupyterAccess';
import { fromLabels, LABELS, toLabels, type LiveSandbox, type SandboxLabels } from './labels';
import { PAUSED_STATUS, type PausedSandbox, pausedSince, pausedUntil, STORE_DIR } from './pause';
import { isUnclaimed } from './pool';

export const READY_TIMEOUT_MS = 60_000;
/**
 * A sandbox with Packages is named so until its install is done: no operation (a run, a file upload from another
 * execution that found it through Get Many) reaches it while its index is open.
 */
const INSTALLING = 'installing-';
const SANDBOX_ID = /^ci-[0-9a-f]{16}$/;

/** See networkPlan. */
interface NetworkPlan {
	allowances: Allowances;
	networkRanges: string[];
	/** Blocked besides n8n's host's own addresses: the Docker host's. */
	neverReachable: string[];
	extraHosts: string[];
	install?: PackageInstall;
}

export interface StartOptions extends Omit<CreateSandboxOptions, 'timeoutSeconds' | 'template'> {
	/** The container's name, from the sandbox's ID. */
	name: (sandboxId: string) => string;
	createdAt: Date;
	expiresAt: Date;
	/** Set for a warm-pool sandbox: its pool. */
	pool?: string;
}

export function isSandboxId(sandboxId: string): boolean {
	return SANDBOX_ID.test(sandboxId);
}

/**
 * The sandbox containers of one backend's scope, found through Docker itself (labels, and the container name that
 * holds the scope): starting, finding and cleaning them up, and the Jupyter client of each.
 */
export class SandboxContainers {
	constructor(
		readonly docker: Docker,
		private readonly settings: DockerSettings,
		/** Ends the name of every container of this scope (backends/common/sandboxScope.ts). */
		readonly nameSuffix: string,
	) {}

	/** The one place a sandbox's Jupyter client is made. */
	jupyter({ container, labels }: LiveSandbox): JupyterClient {
		return new JupyterClient(jupyterEndpoint(container, labels.token, this.settings));
	}

	/** Creates a sandbox container, starts it and waits for its Jupyter server; removes it again when that fails. */
	async start(options: StartOptions): Promise<LiveSandbox> {
		const [plan] = await Promise.all([
			this.networkPlan(options),
			this.removeLeftovers(),
			assertOwnNetwork(this.docker, this.settings).catch((error: unknown) => {
				throw error instanceof SandboxError ? error : dockerError(error, `find the network "${this.settings.network}"`, this.settings);
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
		const name = options.name(labels.sandboxId);
		const container = await this.docker
			.createContainer({
				name: plan?.install ? `${INSTALLING}${name}` : name,
				Image: this.settings.image,
				Env: sandboxEnv(options, [
					`JUPYTER_TOKEN=${labels.token}`,
					`SANDBOX_DEADLINE=${Math.ceil(options.expiresAt.getTime() / 1000)}`,
					`SANDBOX_ON_TIMEOUT=${options.onTimeout ?? 'kill'}`,
					...firewallEnv(options.internetAccess ?? false, plan?.allowances, plan?.networkRanges, plan?.neverReachable),
				]),
				Labels: toLabels(labels),
				ExposedPorts: { [`${JUPYTER_PORT}/tcp`]: {} },
				HostConfig: {
					// A stopped sandbox may be a paused one: removeLeftovers removes the others.
					AutoRemove: false,
					// The store of a paused sandbox's state, an anonymous volume removed with the container.
					Mounts: [{ Type: 'volume', Source: '', Target: STORE_DIR }],
					...isolationHostConfig(this.settings), ...jupyterHostConfig(this.settings),
					...(plan ? { ExtraHosts: plan.extraHosts } : {}),
				},
			})
			.catch((error: unknown) => {
				throw isNameConflict(error) ? new NameTakenError() : dockerError(error, 'create a sandbox', this.settings);
			});
		try {
			await container.start();
			const [info] = await this.docker.listContainers({ filters: { id: [container.id] } });
			if (!info) await this.assertRunning(container);
			await this.jupyter({ container: info, labels }).waitUntilReady(READY_TIMEOUT_MS, () => this.assertRunning(container));
			if (plan?.install) {
				await installPackages(container, plan.install);
				await container.rename({ name }).catch((error: unknown) => {
					throw isNameConflict(error) ? new NameTakenError() : error;
				});
			}
			return { container: info, labels };
		} catch (error) {
			await container.remove({ force: true, v: true }).catch(() => undefined);
			throw error instanceof SandboxError || error instanceof NameTakenError ? error : dockerError(error, 'start the sandbox', this.settings);
		}
	}

	/**
	 * What the sandbox's firewall opens for its Allowed Hosts (with the ranges of its network), and for Packages the
	 * index's addresses, opened during the install alone; undefined when it has neither.
	 */
	private async networkPlan(options: StartOptions): Promise<NetworkPlan | undefined> {
		const packages = options.packages ?? [];
		if (!options.allowedHosts?.length && packages.length === 0) return undefined;
		// Published sandboxes join the engine's default network.
		const network = this.settings.jupyterAccess === 'containerAddress' ? this.settings.network : 'bridge';
		const index = packageIndex(this.settings.packageIndexUrl);
		const [ranges, dockerHost] = await Promise.all([
			networkRanges(this.docker, network).catch((error: unknown) => {
				throw dockerError(error, `find the network "${network}"`, this.settings);
			}),
			dockerHostAddresses(this.docker).catch((error: unknown) => {
				throw dockerError(error, 'list the Docker networks', this.settings);
			}),
		]);
		const neverReachable = [...hostAddresses(), ...dockerHost];
		const [allowances, indexAllowances] = await Promise.all([
			resolveAllowedHosts(options.allowedHosts ?? [], neverReachable),
			packages.length ? resolveAllowedHosts(index.hosts.map(parseAllowedHost), neverReachable, undefined, 'package index host') : undefined,
		]);
		return {
			allowances,
			networkRanges: ranges,
			neverReachable: dockerHost,
			extraHosts: [...allowances.extraHosts, ...(indexAllowances?.extraHosts ?? [])],
			install: indexAllowances && { requirements: packages, indexUrl: index.url, addresses: indexAllowances.addresses },
		};
	}

	/** The running sandbox with this ID; SandboxNotFoundError when there is none in this scope. */
	async find(sandboxId: string): Promise<LiveSandbox> {
		if (!isSandboxId(sandboxId)) {
			throw new SandboxError(`"${sandboxId}" is not the ID of a Docker sandbox`, {
				description:
					'Docker sandbox IDs look like "ci-0123456789abcdef" and come from Create Sandbox. An ID from another backend (such as E2B) only works with that backend.',
			});
		}
		const [sandbox] = await this.findAll([`${LABELS.sandboxId}=${sandboxId}`]);
		if (!sandbox) throw new SandboxNotFoundError(sandboxId, '; an engine restart without live-restore also ends every sandbox');
		return sandbox;
	}

	/**
	 * This package's running sandboxes of this scope matching the label filters (and the container name, which
	 * holds the scope), straight from Docker.
	 */
	async findAll(labelFilters: string[], containerName?: string): Promise<LiveSandbox[]> {
		const filters = { label: labelFilters, name: [containerName ? `^/${containerName}$` : `${this.nameSuffix}$`] };
		const containers = await this.docker.listContainers({ filters }).catch((error: unknown) => {
			throw dockerError(error, 'list sandboxes', this.settings);
		});
		return containers.flatMap((container) => {
			const labels = fromLabels(container.Labels);
			const hidden = isUnclaimed(container) || container.Names.some((found) => found.startsWith(`/${INSTALLING}`));
			return labels && !hidden ? [{ container, labels }] : [];
		});
	}

	/** Closes this process's kept connections to the sandbox; they would drop on their own once it is gone. */
	forgetConnections(sandbox: LiveSandbox): void {
		try {
			this.jupyter(sandbox).forgetConnections();
		} catch {
			// No published port: no connection was made to it.
		}
	}

	/**
	 * This scope's paused sandboxes matching the label filters (and the container name): stopped containers whose
	 * watchdog exited with PAUSED_STATUS, with when they paused.
	 */
	async findPaused(labelFilters: string[], containerName?: string): Promise<PausedSandbox[]> {
		const filters = { label: labelFilters, name: [containerName ? `^/${containerName}$` : `${this.nameSuffix}$`], status: ['exited'] };
		const containers = await this.docker.listContainers({ all: true, filters }).catch((error: unknown) => {
			throw dockerError(error, 'list sandboxes', this.settings);
		});
		const found = await Promise.all(
			containers.map(async (container) => {
				const labels = fromLabels(container.Labels);
				const pausedAt = labels && (await pausedSince(this.docker.getContainer(container.Id)));
				return labels && pausedAt ? [{ container, labels, pausedAt }] : [];
			}),
		);
		return found.flat();
	}

	/**
	 * Removes containers of ours that stopped but are still there and are not paused (a sandbox stopped at its
	 * deadline or by an engine restart, a removal that was interrupted, a container that never started), and paused
	 * ones past their lifetime, with their store volumes.
	 */
	async removeLeftovers(): Promise<void> {
		const stopped = await this.docker
			.listContainers({ all: true, filters: { label: [LABELS.sandboxId], status: ['created', 'exited', 'dead'] } })
			.catch(() => []);
		// A container just created by another process is about to be started: leave young ones alone.
		const candidates = stopped.filter((container) => container.State !== 'created' || container.Created < Date.now() / 1000 - 300);
		await Promise.all(
			candidates.map(async (container) => {
				// Paused, and made less than a lifetime ago, so paused less than that: kept without asking Docker more
				// (this sweep runs on every create). Everything else is inspected before it is removed.
				if (container.Status.startsWith(`Exited (${PAUSED_STATUS})`) && pausedUntil(new Date(container.Created * 1000)) > new Date()) return;
				const handle = this.docker.getContainer(container.Id);
				const pausedAt = container.State === 'exited' ? await pausedSince(handle) : undefined;
				if (pausedAt && pausedUntil(pausedAt) > new Date()) return;
				await handle.remove({ force: true, v: true }).catch(() => undefined);
			}),
		);
	}

	/** Whether the sandbox is stopped or stops within a few seconds (a killed container takes a moment to go). */
	async stopsSoon(sandboxId: string): Promise<boolean> {
		for (let attempt = 0; attempt < 20; attempt++) {
			if ((await this.findAll([`${LABELS.sandboxId}=${sandboxId}`])).length === 0) return true;
			await new Promise((resolve) => setTimeout(resolve, 150));
		}
		return false;
	}

	/** The live deadline (moved by Set Timeout inside the sandbox) and, for a sandbox taken from the pool, when. */
	async liveDates({ container, labels }: LiveSandbox): Promise<{ createdAt: string; expiresAt: string }> {
		const read = `cat ${DEADLINE_FILE}; cat ${CLAIMED_DIR}/at 2>/dev/null || true`;
		const [deadline = '', claimedAt = ''] = (
			await execInContainer(this.docker.getContainer(container.Id), ['sh', '-c', read]).catch(() => '')
		).split('\n');
		const epoch = Number.parseInt(deadline.trim(), 10);
		return {
			createdAt: claimedAt.trim() || labels.createdAt,
			expiresAt: Number.isFinite(epoch) ? new Date(epoch * 1000).toISOString() : labels.expiresAt,
		};
	}

	/** Resolves when the container runs; a SandboxError with its last output when it stopped. */
	async assertRunning(container: Docker.Container): Promise<void> {
		const state = await container.inspect().then(
			(info) => info.State,
			() => undefined,
		);
		if (state?.Running) return;
		const logs = await container
			.logs({ stdout: true, stderr: true, tail: 20 })
			.then((buffer) => withoutFrames(buffer).trim())
			.catch(() => '');
		throw new SandboxError('The sandbox stopped while starting', {
			description: logs ? `Its last output:\n${logs}` : 'It left no output. Check the Docker host\'s resources.',
		});
	}

}
