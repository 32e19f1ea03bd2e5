import type Docker from 'dockerode';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Readable } from 'stream';

import { SandboxError } from '../../../model/errors';
import { tryBuildLock } from './buildLock';
import { CONTEXT_PREFIX, ensureBaseImage, mirrorHosts, packDeno, sweepOldContexts } from './buildSteps';
import { baseImage, SOURCE_LABEL, TEMPLATE_DIR, templateHash } from './template';

/** Everything done while holding the lock (Deno's fetch, the context's upload, the build) is cancelled after this. */
export const BUILD_TIMEOUT_MS = 30 * 60_000;
/** The lock outlives a build that would be cancelled by this much, at most. */
const LOCK_MARGIN_MS = 60_000;
/** Lines of the build's output kept for the error of a failed build. */
const TAIL_LINES = 20;

export interface ImageBuildOptions {
	/** Gets the build's progress, a line at a time (Docker's own output included). */
	log: (line: string) => void;
	/** Makes the base image when the engine cannot pull it (the CLI makes it from Debian packages). */
	makeBaseImage?: (base: string) => Promise<void>;
	/** Asked once the build lock is held: true when there is nothing to build (e.g. another process just built it). */
	upToDate: () => Promise<boolean>;
	/** Called when the Docker build itself starts: the preparations (base image, lock, Deno) went well. */
	onBuildStart?: () => void;
	/** Resolve the package mirrors of this machine's apt for the build (right only for this machine's own engine). */
	pinMirrors: boolean;
}

/** `built`, nothing to build, or another process (since `heldSince`) is building it on the same engine. */
export type BuildOutcome = { state: 'built' } | { state: 'upToDate' } | { state: 'building'; heldSince: Date };

/**
 * Builds the package's sandbox image as `tag` from template/ through the Docker API, labelled with the template's
 * hash, holding the engine's build lock of `tag` (buildLock.ts). `docker` must have no request timeout. Rejects with
 * a SandboxError: what failed, and the end of the build's output as its description.
 */
export async function buildTemplateImage(docker: Docker, tag: string, options: ImageBuildOptions): Promise<BuildOutcome> {
	const started = Date.now();
	const base = baseImage();
	await ensureBaseImage(docker, base, options.log, options.makeBaseImage);
	const attempt = await tryBuildLock(docker, tag, base, BUILD_TIMEOUT_MS + LOCK_MARGIN_MS);
	if ('heldSince' in attempt) return { state: 'building', heldSince: attempt.heldSince };
	const cancel = new AbortController();
	let context: string | undefined;
	let timer: NodeJS.Timeout | undefined;
	try {
		if (await options.upToDate()) return { state: 'upToDate' };
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				cancel.abort();
				reject(new SandboxError(`it took longer than ${BUILD_TIMEOUT_MS / 60_000} minutes and was cancelled`));
			}, BUILD_TIMEOUT_MS);
		});
		const steps = async () => {
			sweepOldContexts(BUILD_TIMEOUT_MS + LOCK_MARGIN_MS);
			context = mkdtempSync(join(tmpdir(), CONTEXT_PREFIX));
			cpSync(TEMPLATE_DIR, context, { recursive: true });
			mkdirSync(join(context, 'downloads'));
			await packDeno(docker, join(context, 'downloads'), options.log, cancel.signal);
			await dockerBuild(docker, context, tag, { ...options, labels: { [SOURCE_LABEL]: templateHash() } }, cancel.signal);
		};
		await Promise.race([steps(), timeout]);
	} finally {
		clearTimeout(timer);
		if (context) rmSync(context, { recursive: true, force: true });
		await attempt.lock.release();
	}
	options.log(`Built ${tag} in ${Math.round((Date.now() - started) / 1000)} s`);
	return { state: 'built' };
}

/** The template hash the image was built from; undefined when the image is absent or has no such label. */
export async function builtFrom(docker: Docker, image: string): Promise<string | undefined> {
	return await docker
		.getImage(image)
		.inspect()
		.then(
			(info) => info.Config?.Labels?.[SOURCE_LABEL],
			() => undefined,
		);
}

/** How one Docker build runs (besides the build lock's concerns of ImageBuildOptions). */
export interface DockerBuildOptions extends Pick<ImageBuildOptions, 'log' | 'onBuildStart' | 'pinMirrors'> {
	labels: Record<string, string>;
	/** The network the build's steps run on (Docker's default bridge when not given). */
	networkMode?: string;
}

/**
 * Builds every file of the `context` folder as image `tag` through the Docker API, logging its output; rejects with a
 * SandboxError naming the failed step, with the end of the output as its description.
 */
export async function dockerBuild(docker: Docker, context: string, tag: string, options: DockerBuildOptions, signal: AbortSignal): Promise<void> {
	const src = (readdirSync(context, { recursive: true }) as string[]).filter((file) => statSync(join(context, file)).isFile());
	const hosts = options.pinMirrors ? await mirrorHosts() : [];
	options.log(`Building ${tag}${hosts.length ? ` (extra hosts: ${hosts.join(', ')})` : ''} ...`);
	const stream = (await docker.buildImage(
		{ context, src },
		{
			t: tag,
			rm: true,
			forcerm: true,
			labels: options.labels,
			...(hosts.length ? { extrahosts: hosts.join(',') } : {}),
			...(options.networkMode ? { networkmode: options.networkMode } : {}),
			abortSignal: signal,
		},
	)) as unknown as Readable;
	// Closing the stream makes Docker cancel the build.
	signal.addEventListener('abort', () => stream.destroy(), { once: true });
	options.onBuildStart?.();
	const tail: string[] = [];
	let step = '';
	await new Promise<void>((resolve, reject) => {
		docker.modem.followProgress(
			stream,
			(error: Error | null, events: Array<{ error?: string }>) => {
				const failed = error?.message ?? events.find((event) => event.error)?.error;
				if (!failed) return resolve();
				// Docker repeats the whole command in its message; the step names it already.
				const reason = failed.replace(/^The command '[\s\S]*' returned/, 'The command returned');
				reject(new SandboxError(`the Docker build failed${step ? ` at ${step}` : ''}: ${reason}`, { description: tail.join('\n') }));
			},
			(event: { stream?: string }) => {
				for (const line of (event.stream ?? '').split('\n').filter((text) => text.trim())) {
					tail.push(line);
					if (tail.length > TAIL_LINES) tail.shift();
					if (/^Step \d+\/\d+ :/.test(line)) step = line.length > 100 ? `${line.slice(0, 99)}…` : line;
					options.log(line);
				}
			},
		);
	});
}
