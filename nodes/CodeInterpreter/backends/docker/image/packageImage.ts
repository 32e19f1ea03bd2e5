import type Docker from 'dockerode';

import type { BackendLogger } from '../../Backend';
import { SandboxError } from '../../../model/errors';
import { buildTemplateImage } from './build';
import { lockHeldSince } from './buildLock';
import { TEMPLATE_DIR } from './template';

/** A first build on a 2-core machine with the package mirrors nearby took 93 s (README, "Install into your own n8n"). */
const TYPICAL_BUILD = 'a few minutes (more on a slow connection)';
/** After a failed build, this process refuses sandboxes with its error this long before it tries again. */
const RETRY_AFTER_FAILURE_MS = 10 * 60_000;
/** How long a first sandbox waits for the build's preparations (base image, lock, Deno), to report their failure. */
const PREPARATIONS_WAIT_MS = 10_000;

export type PackageImageState =
	| { state: 'present' }
	| { state: 'building'; since: Date }
	| { state: 'failed'; at: Date; error: SandboxError }
	| { state: 'absent' };

/** Builds this process runs or waits for, by tag: one at a time however many sandboxes ask. */
const builds = new Map<string, { since: Date; prepared: Promise<void> }>();
const failures = new Map<string, { at: Date; error: SandboxError }>();

/**
 * The package's own sandbox image (the credential names it: Image empty, or its tag): when the Docker engine lacks
 * it, the first sandbox that needs it starts its build from template/ (as `npm run template:build` does), once per
 * engine.
 */
export class PackageImage {
	constructor(
		/** A client without a request timeout: a build's and a lock's streams stay quiet for minutes. */
		private readonly docker: Docker,
		readonly tag: string,
		private readonly logger: BackendLogger,
		/** The engine is this machine's own (its local socket): the build may use this machine's package mirrors. */
		private readonly localEngine: boolean,
	) {}

	async state(): Promise<PackageImageState> {
		const present = await this.docker
			.getImage(this.tag)
			.inspect()
			.then(
				() => true,
				(error: { statusCode?: number }) => {
					if (error.statusCode === 404) return false;
					throw error;
				},
			);
		if (present) return { state: 'present' };
		const since = builds.get(this.tag)?.since ?? (await lockHeldSince(this.docker, this.tag));
		if (since) return { state: 'building', since };
		const failure = failures.get(this.tag);
		if (failure && Date.now() - failure.at.getTime() < RETRY_AFTER_FAILURE_MS) return { state: 'failed', ...failure };
		return { state: 'absent' };
	}

	/**
	 * For a sandbox that cannot start because the image is missing: starts the build unless one runs or one failed
	 * lately, and rejects with a SandboxError saying so.
	 */
	async whenMissing(): Promise<never> {
		const status = await this.state();
		if (status.state === 'present') {
			throw new SandboxError(`The sandbox image ${this.tag} was built just now`, { description: 'Run the workflow again.' });
		}
		if (status.state === 'failed') throw this.failedError(status);
		// No await since state(): of the sandboxes of this process that ask at once, the first starts the build.
		const build = builds.get(this.tag) ?? (status.state === 'building' ? undefined : this.startBuild());
		if (build) {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([build.prepared, new Promise((resolve) => (timer = setTimeout(resolve, PREPARATIONS_WAIT_MS)))])
				.catch(() => undefined)
				.finally(() => clearTimeout(timer));
			const failure = failures.get(this.tag);
			if (failure && failure.at >= build.since) throw this.failedError(failure);
		}
		const since = build?.since ?? (status.state === 'building' ? status.since : new Date());
		throw new SandboxError(`The sandbox image ${this.tag} is being built (started ${ago(since)})`, {
			description: `This package builds its image on the Docker engine the first time a sandbox needs it: that takes ${TYPICAL_BUILD}, and n8n's log shows the progress. Run the workflow again when it is done. ${this.byHand()}`,
		});
	}

	/** What the credential's Test says about the image. */
	describe(status: PackageImageState): string {
		switch (status.state) {
			case 'present':
				return `has the sandbox image ${this.tag}`;
			case 'building':
				return `is building the sandbox image ${this.tag} (started ${ago(status.since)}; a first build takes ${TYPICAL_BUILD}). Test again when it is done`;
			case 'failed':
				return `could not build the sandbox image ${this.tag}: ${this.failedError(status).message}`;
			case 'absent':
				return `does not have the sandbox image ${this.tag} yet: it will be built from this package's template when the first sandbox is created (${TYPICAL_BUILD}). ${this.byHand()}`;
		}
	}

	private failedError({ at, error }: { at: Date; error: SandboxError }): SandboxError {
		const output = error.description ? `The build's last output:\n${error.description}\n\n` : '';
		return new SandboxError(`Building the sandbox image ${this.tag} failed ${ago(at)}: ${error.message}`, {
			description: `${output}This n8n process tries again ${RETRY_AFTER_FAILURE_MS / 60_000} minutes after the failure. ${this.byHand()}`,
		});
	}

	private byHand(): string {
		return `To build it by hand instead, run "npm run template:build" in ${TEMPLATE_DIR.replace(/[/\\]template$/, '')}, or set Image in the Docker credential to an image you have.`;
	}

	private startBuild(): { since: Date; prepared: Promise<void> } {
		const since = new Date();
		const log = (line: string) => this.logger.info(`Code Interpreter image build: ${line}`);
		let onPrepared = () => {};
		const prepared = new Promise<void>((resolve) => (onPrepared = resolve));
		const upToDate = async () => (await this.state()).state === 'present';
		const build = { since, prepared };
		builds.set(this.tag, build);
		void buildTemplateImage(this.docker, this.tag, { log, upToDate, onBuildStart: onPrepared, pinMirrors: this.localEngine })
			.then((outcome) => {
				if (outcome.state === 'building') log(`another n8n process has been building ${this.tag} since ${outcome.heldSince.toISOString()}`);
				failures.delete(this.tag);
			})
			.catch((caught: unknown) => {
				const error = caught instanceof SandboxError ? caught : new SandboxError((caught as Error).message);
				failures.set(this.tag, { at: new Date(), error });
				this.logger.error(`Code Interpreter image build: building ${this.tag} failed: ${error.message}${error.description ? `\n${error.description}` : ''}`);
			})
			.finally(() => {
				onPrepared();
				builds.delete(this.tag);
			});
		return build;
	}
}

function ago(since: Date): string {
	const ms = Date.now() - since.getTime();
	return ms < 60_000 ? `${Math.max(0, Math.round(ms / 1000))} s ago` : `${Math.round(ms / 60_000)} min ago`;
}
