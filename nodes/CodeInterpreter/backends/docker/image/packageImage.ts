import type Docker from 'dockerode';

import type { BackendLogger } from '../../Backend';
import { SandboxError } from '../../../model/errors';
import { buildTemplateImage } from './build';
import { lockHeldSince } from './buildLock';
import { TEMPLATE_DIR } from './template';

/** A first build on a 2-core machine with the package mirrors nearby took 93 s (README, "Install into your own n8n"). */
const TYPICAL_BUILD = 'a few minutes (more on a slow connection)';
/** After a failed build, sandboxes are refused with its error this long before a build is tried again. */
const RETRY_AFTER_FAILURE_MS = 10 * 60_000;

export type PackageImageState = { state: 'present' } | { state: 'building'; since: Date } | { state: 'absent' };

/** Builds this process started (it may take the engine's lock or find another process holding it). */
const builds = new Map<string, Date>();
const failures = new Map<string, { at: Date; message: string }>();

/**
 * The package's own sandbox image (the credential's Image left empty): when the Docker engine lacks it, the first
 * sandbox that needs it starts its build from template/ (as `npm run template:build` does), once per engine.
 */
export class PackageImage {
	constructor(
		/** A client without a request timeout: a build's and a lock's streams stay quiet for minutes. */
		private readonly docker: Docker,
		readonly tag: string,
		private readonly logger: BackendLogger,
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
		const since = builds.get(this.tag) ?? (await lockHeldSince(this.docker, this.tag));
		return since ? { state: 'building', since } : { state: 'absent' };
	}

	/** The error for a sandbox that cannot start because the image is missing; starts the build unless one runs. */
	async whenMissing(): Promise<SandboxError> {
		const failure = failures.get(this.tag);
		if (failure && Date.now() - failure.at.getTime() < RETRY_AFTER_FAILURE_MS) {
			return new SandboxError(`Building the sandbox image ${this.tag} failed ${ago(failure.at)}: ${failure.message}`, {
				description: `It is tried again ${RETRY_AFTER_FAILURE_MS / 60_000} minutes after the failure. ${this.byHand()}`,
			});
		}
		const status = await this.state();
		if (status.state === 'present') {
			return new SandboxError(`The sandbox image ${this.tag} was built just now`, { description: 'Run the workflow again.' });
		}
		const since = status.state === 'building' ? status.since : this.startBuild();
		return new SandboxError(`The sandbox image ${this.tag} is being built (started ${ago(since)})`, {
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
			case 'absent':
				return `does not have the sandbox image ${this.tag} yet: it will be built from this package's template when the first sandbox is created (${TYPICAL_BUILD}). ${this.byHand()}`;
		}
	}

	private byHand(): string {
		return `To build it by hand instead, run "npm run template:build" in ${TEMPLATE_DIR.replace(/[/\\]template$/, '')}, or set Image in the Docker credential to an image you have.`;
	}

	private startBuild(): Date {
		const since = new Date();
		const log = (line: string) => this.logger.info(`Code Interpreter image build: ${line}`);
		const upToDate = async () => (await this.state()).state === 'present';
		void buildTemplateImage(this.docker, this.tag, { log, upToDate })
			.then((outcome) => {
				if (outcome.state === 'building') log(`another process has been building ${this.tag} since ${outcome.heldSince.toISOString()}`);
				failures.delete(this.tag);
			})
			.catch((error: Error) => {
				failures.set(this.tag, { at: new Date(), message: error.message });
				this.logger.error(`Code Interpreter image build: building ${this.tag} failed: ${error.message}`);
			})
			.finally(() => builds.delete(this.tag));
		builds.set(this.tag, since);
		return since;
	}
}

function ago(since: Date): string {
	const ms = Date.now() - since.getTime();
	return ms < 60_000 ? `${Math.max(0, Math.round(ms / 1000))} s ago` : `${Math.round(ms / 60_000)} min ago`;
}
