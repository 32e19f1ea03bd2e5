import Docker from 'dockerode';

import { LABELS } from '../../../nodes/CodeInterpreter/backends/docker/labels';
import type { Backend } from '../../../nodes/CodeInterpreter/backends/Backend';
import type { DoubleSandbox } from './sandboxes';

const docker = new Docker();
/** A paused E2B sandbox has no deadline: its container's own is moved this far while it is frozen. */
const FROZEN_DEADLINE_SECONDS = 30 * 24 * 3600;

/**
 * E2B's pause keeps the whole memory: the double freezes the sandbox's container (`docker pause`, the cgroup freezer),
 * every process as it was, after moving the container's own deadline out of the way (a frozen watchdog stops nothing,
 * and a thawed one would otherwise stop the sandbox at once).
 */
export async function freeze(backend: Backend, sandbox: DoubleSandbox): Promise<void> {
	sandbox.state = 'paused';
	await backend.setTimeout(sandbox.dockerId, FROZEN_DEADLINE_SECONDS);
	await (await container(sandbox)).pause();
}

/**
 * Thaws a sandbox's container without touching its deadline: Docker cannot remove a frozen container (its processes
 * cannot die while frozen, and the removal then holds the engine's lock on it).
 */
export async function unfreeze(sandbox: DoubleSandbox): Promise<void> {
	const frozen = await container(sandbox);
	if ((await frozen.inspect()).State.Paused) await frozen.unpause();
}

/** Thaws a frozen sandbox (E2B's resume), its deadline `seconds` from now. */
export async function thaw(backend: Backend, sandbox: DoubleSandbox, seconds: number): Promise<void> {
	await (await container(sandbox)).unpause();
	sandbox.state = 'running';
	await setDeadline(backend, sandbox, seconds);
}

/**
 * Sets a sandbox's deadline: E2B's `endAt`, and its container's own. With On Timeout pause, the double pauses it at
 * `endAt` itself (SandboxRegistry.live), so the container's own deadline stays far beyond.
 */
export async function setDeadline(backend: Backend, sandbox: DoubleSandbox, seconds: number): Promise<void> {
	const { expiresAt } = await backend.setTimeout(sandbox.dockerId, sandbox.onTimeout === 'pause' ? seconds + FROZEN_DEADLINE_SECONDS : seconds);
	sandbox.endAt = sandbox.onTimeout === 'pause' ? new Date(Date.now() + seconds * 1000).toISOString() : expiresAt;
}

async function container(sandbox: DoubleSandbox): Promise<Docker.Container> {
	const [found] = await docker.listContainers({ filters: { label: [`${LABELS.sandboxId}=${sandbox.dockerId}`] } });
	if (!found) throw new Error(`No container for ${sandbox.dockerId}`);
	return docker.getContainer(found.Id);
}
