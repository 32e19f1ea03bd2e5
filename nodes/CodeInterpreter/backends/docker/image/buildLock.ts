import type Docker from 'dockerode';
import type { Duplex } from 'stream';

/**
 * One build of an image per Docker engine, however many n8n processes ask: the lock is a container with a fixed
 * name (Docker lets one container hold a name, atomically). Its process reads the holder's attached stdin, so it
 * ends, and the container is removed, when the holder releases it or its process dies; `timeout` ends it at the
 * latest when a build would have been cancelled anyway.
 */
const LOCK_LABEL = 'io.n8n.code-interpreter.image-build';
/** A lock container that is created but not started yet is a holder between its two steps, not a dead one. */
const STARTING_GRACE_MS = 30_000;
/** Rounds of looking for the lock and creating it, while others take and give it up in between. */
const CONTENDED_ATTEMPTS = 10;

export interface BuildLock {
	release(): Promise<void>;
}

export type LockAttempt = { lock: BuildLock } | { heldSince: Date };

/** The lock container's name for an image tag (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`, as Docker requires). */
export function lockName(tag: string): string {
	return `n8n-code-interpreter-build-${tag.replace(/[^a-zA-Z0-9_.-]/g, '_')}`;
}

/**
 * Takes the build lock of `tag`, or says since when another process holds it. `image` is any image the engine has
 * with `timeout` and `cat` (the base image). `docker` must have no request timeout: the lock's stream stays idle.
 */
export async function tryBuildLock(docker: Docker, tag: string, image: string, holdForMs: number): Promise<LockAttempt> {
	for (let attempt = 0; attempt < CONTENDED_ATTEMPTS; attempt++) {
		const heldSince = await lockHeldSince(docker, tag, { removeStale: true });
		if (heldSince) return { heldSince };
		const lock = await createLock(docker, tag, image, holdForMs);
		if (lock) return { lock };
		// Taken and given up between our two calls by others racing for it: let them settle.
		await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
	}
	// Still contended: others are at it, and one of them builds.
	return { heldSince: new Date() };
}

/**
 * Since when (this machine's clock) a live lock on `tag` is held; undefined when none is. With `removeStale`, a dead
 * holder's lock is removed.
 */
export async function lockHeldSince(docker: Docker, tag: string, { removeStale = false } = {}): Promise<Date | undefined> {
	const [info, engineNow] = await Promise.all([
		docker
			.getContainer(lockName(tag))
			.inspect()
			.catch((error: { statusCode?: number }) => {
				if (error.statusCode === 404) return undefined;
				throw error;
			}),
		// Ages are measured on the engine's clock, which may differ from this machine's.
		docker.info().then(({ SystemTime }: { SystemTime: string }) => new Date(SystemTime).getTime()),
	]);
	if (!info) return undefined;
	if (info.Config.Labels?.[LOCK_LABEL] !== tag) {
		throw new Error(`a container named ${lockName(tag)} exists that is not this package's build lock; remove or rename it`);
	}
	const ageMs = Math.max(0, engineNow - new Date(info.Created).getTime());
	const starting = info.State.Status === 'created' && ageMs < STARTING_GRACE_MS;
	if (info.State.Running || starting) return new Date(Date.now() - ageMs);
	// Removed by its ID: a lock someone else took meanwhile has another ID and stays.
	if (removeStale) await docker.getContainer(info.Id).remove({ force: true }).catch(() => undefined);
	return undefined;
}

/** The lock, or undefined when another process created the container first. */
async function createLock(docker: Docker, tag: string, image: string, holdForMs: number): Promise<BuildLock | undefined> {
	const container = await docker
		.createContainer({
			name: lockName(tag),
			Image: image,
			Cmd: ['timeout', String(Math.ceil(holdForMs / 1000)), 'cat'],
			AttachStdin: true,
			OpenStdin: true,
			StdinOnce: true,
			NetworkDisabled: true,
			Labels: { [LOCK_LABEL]: tag },
			HostConfig: { AutoRemove: true, NetworkMode: 'none', Memory: 32 * 1024 * 1024 },
		})
		.catch((error: { statusCode?: number }) => {
			if (error.statusCode === 409) return undefined;
			throw error;
		});
	if (!container) return undefined;
	let stdin: Duplex | undefined;
	try {
		stdin = (await container.attach({ stream: true, stdin: true, hijack: true })) as Duplex;
		await container.start();
	} catch (error) {
		stdin?.destroy();
		await container.remove({ force: true }).catch(() => undefined);
		// Removed meanwhile as stale by another process, which may hold the lock now.
		if ((error as { statusCode?: number }).statusCode === 404) return undefined;
		throw error;
	}
	// An error on the hijacked socket (e.g. the engine restarting) only ends the lock early.
	stdin.on('error', () => undefined);
	return {
		async release() {
			stdin.end();
			await container.remove({ force: true }).catch(() => undefined);
		},
	};
}
