import { randomBytes, randomUUID } from 'crypto';

import type { Backend } from '../../../nodes/CodeInterpreter/backends/Backend';
import { HttpError } from './http';
import { freeze, unfreeze } from './pause';

/** A code context of E2B's code server (`/contexts`). */
export interface CodeContext {
	id: string;
	language: string;
	cwd: string;
}

/** What E2B keeps of a sandbox and Docker does not. */
export interface DoubleSandbox {
	/** Shaped like E2B's (20 lowercase letters and digits); the backend knows the sandbox by `dockerId`. */
	sandboxID: string;
	dockerId: string;
	templateID: string;
	metadata: Record<string, string>;
	envVars: Record<string, string>;
	allowInternetAccess: boolean | null;
	/** The egress rules' allowed destinations (names, addresses, ranges), as the SDK last set them. */
	allowOut: string[];
	startedAt: string;
	endAt: string;
	/** E2B's lifecycle.onTimeout (the create request's autoPause). */
	onTimeout: 'kill' | 'pause';
	state: 'running' | 'paused';
	envdAccessToken: string;
	contexts: Map<string, CodeContext>;
}

/** What every part of the double shares. */
export interface DoubleState {
	backend: Backend;
	sandboxes: SandboxRegistry;
	envdVersion: string;
	executionLimitMs: number;
}

/** The double's sandboxes by ID, in this process's memory only. */
export class SandboxRegistry {
	readonly all = new Map<string, DoubleSandbox>();
	/** Kills under way: E2B answers for such a sandbox as for a gone one at once. */
	private readonly dying = new Map<string, Promise<unknown>>();
	/** Pauses at the deadline under way: a resume waits for them. */
	readonly pausing = new Map<string, Promise<void>>();

	constructor(private readonly backend: Backend) {}

	add(sandbox: DoubleSandbox): void {
		this.all.set(sandbox.sandboxID, sandbox);
	}

	/** The sandbox, unless it is unknown or past its deadline (then paused, with On Timeout pause, or gone). */
	live(id: string): DoubleSandbox | undefined {
		const sandbox = this.all.get(id);
		if (sandbox?.state === 'running' && sandbox.onTimeout === 'pause' && Date.parse(sandbox.endAt) <= Date.now()) {
			sandbox.state = 'paused';
			this.pausing.set(id, freeze(this.backend, sandbox).finally(() => this.pausing.delete(id)));
			return sandbox;
		}
		if (sandbox?.state === 'running' && Date.parse(sandbox.endAt) <= Date.now()) {
			this.all.delete(id);
			// Its own watchdog stops the container; this makes sure.
			void this.backend.kill(sandbox.dockerId).catch(() => undefined);
			return undefined;
		}
		return sandbox;
	}

	/** The sandbox, or the control plane's 404 (whose body `code` is what the SDK reads as "not found"). */
	mustFind(id: string): DoubleSandbox {
		const sandbox = this.live(id);
		if (!sandbox) throw new HttpError(404, `sandbox "${id}" doesn't exist or you don't have access to it`);
		return sandbox;
	}

	/**
	 * Kills the sandbox; false when it is unknown. It is gone for every other request from the start of the
	 * kill (a run cut by it finds it gone); a kill that fails gives it back, to be killed again on close.
	 */
	async kill(id: string): Promise<boolean> {
		const sandbox = this.all.get(id);
		if (!sandbox) return false;
		this.all.delete(id);
		const killing = this.thawed(sandbox).then(async () => await this.backend.kill(sandbox.dockerId));
		this.dying.set(id, killing.catch(() => undefined));
		try {
			return await killing;
		} catch (error) {
			this.all.set(id, sandbox);
			throw error;
		} finally {
			this.dying.delete(id);
		}
	}

	/** Kills every sandbox after the kills under way end. */
	async killAll(): Promise<PromiseSettledResult<boolean>[]> {
		await Promise.all(this.dying.values());
		const kills = await Promise.allSettled([...this.all.values()].map(async (sandbox) => await this.thawed(sandbox).then(async () => await this.backend.kill(sandbox.dockerId))));
		this.all.clear();
		return kills;
	}

	/** Resolves when the sandbox's container is not frozen (a pause under way ended, then thawed): only then may it be removed. */
	private async thawed(sandbox: DoubleSandbox): Promise<void> {
		await this.pausing.get(sandbox.sandboxID)?.catch(() => undefined);
		if (sandbox.state === 'paused') await unfreeze(sandbox).catch(() => undefined);
	}

	/** Forgets the sandboxes past their deadline. */
	sweep(): void {
		for (const id of [...this.all.keys()]) this.live(id);
	}
}

/** A new sandbox ID in E2B's shape. */
export function newSandboxId(): string {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
	return [...randomBytes(20)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

export function addContext(sandbox: DoubleSandbox, language: string, cwd: string): CodeContext {
	const context: CodeContext = { id: randomUUID(), language, cwd };
	sandbox.contexts.set(context.id, context);
	return context;
}
