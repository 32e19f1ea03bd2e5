import type Docker from 'dockerode';
import { execFile } from 'child_process';
import { lookup } from 'dns/promises';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Readable } from 'stream';
import { promisify } from 'util';

import { tryBuildLock } from './buildLock';
import { baseImage, DENO_VERSION, SOURCE_LABEL, TEMPLATE_DIR, templateHash } from './template';

/** Pulling the base image may take this long; then it counts as unreachable. */
const PULL_TIMEOUT_MS = 5 * 60_000;
/** `npm pack` of the Deno package may take this long. */
const NPM_TIMEOUT_MS = 5 * 60_000;
/** A build that runs longer than this is cancelled. */
export const BUILD_TIMEOUT_MS = 30 * 60_000;

export interface ImageBuildOptions {
	/** Gets the build's progress, a line at a time (Docker's own output included). */
	log: (line: string) => void;
	/** Makes the base image when the engine cannot pull it (the CLI makes it from Debian packages). */
	makeBaseImage?: (base: string) => Promise<void>;
	/** Asked once the build lock is held: true when there is nothing to build (e.g. another process just built it). */
	upToDate: () => Promise<boolean>;
}

/** `built`, nothing to build, or another process (since `heldSince`) is building it on the same engine. */
export type BuildOutcome = { state: 'built' } | { state: 'upToDate' } | { state: 'building'; heldSince: Date };

/**
 * Builds the package's sandbox image as `tag` from template/ through the Docker API, labelled with the template's
 * hash, holding the engine's build lock of `tag` (buildLock.ts): the base image is pulled when the engine lacks it,
 * and Deno is fetched with the npm settings of the user running this (`npm pack`), so no registry host is named
 * here. `docker` must have no request timeout. Rejects with what failed and the end of its output.
 */
export async function buildTemplateImage(docker: Docker, tag: string, options: ImageBuildOptions): Promise<BuildOutcome> {
	const started = Date.now();
	const base = baseImage();
	await ensureBaseImage(docker, base, options);
	const attempt = await tryBuildLock(docker, tag, base, PULL_TIMEOUT_MS + NPM_TIMEOUT_MS + BUILD_TIMEOUT_MS);
	if ('heldSince' in attempt) return { state: 'building', heldSince: attempt.heldSince };
	const context = mkdtempSync(join(tmpdir(), 'code-interpreter-template-'));
	try {
		if (await options.upToDate()) return { state: 'upToDate' };
		cpSync(TEMPLATE_DIR, context, { recursive: true });
		mkdirSync(join(context, 'downloads'));
		await packDeno(docker, join(context, 'downloads'), options.log);
		await build(docker, context, tag, options.log);
	} finally {
		rmSync(context, { recursive: true, force: true });
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

async function ensureBaseImage(docker: Docker, base: string, options: ImageBuildOptions): Promise<void> {
	const present = await docker
		.getImage(base)
		.inspect()
		.then(
			() => true,
			() => false,
		);
	if (present) return;
	options.log(`Pulling the base image ${base} ...`);
	try {
		await withTimeout(pull(docker, base), PULL_TIMEOUT_MS, `pulling ${base}`);
	} catch (error) {
		const reason = (error as Error).message;
		if (!options.makeBaseImage) {
			throw new Error(
				`the Docker engine cannot pull the base image ${base} (${reason}). Make it available to the engine (docker pull ${base}, or docker load), or build the image by hand with "npm run template:build" in the package folder, which can make the base from Debian packages`,
			);
		}
		options.log(`Cannot pull ${base} (${reason}); making it from Debian packages instead.`);
		await options.makeBaseImage(base);
	}
}

async function pull(docker: Docker, image: string): Promise<void> {
	const stream = (await docker.pull(image)) as Readable;
	await new Promise<void>((resolve, reject) => {
		docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()));
	});
}

/** The Deno binary for the Docker engine's architecture, from the npm registry the user's npm settings name. */
async function packDeno(docker: Docker, destination: string, log: (line: string) => void): Promise<void> {
	const { Architecture } = (await docker.info()) as { Architecture: string };
	const platform = ({ x86_64: 'linux-x64-glibc', aarch64: 'linux-arm64-glibc' } as Record<string, string>)[Architecture];
	if (!platform) throw new Error(`there is no Deno build for the Docker engine's architecture ${Architecture}`);
	const spec = `@deno/${platform}@${DENO_VERSION}`;
	log(`Fetching ${spec} with npm ...`);
	await promisify(execFile)('npm', ['pack', spec, '--pack-destination', destination, '--silent'], {
		timeout: NPM_TIMEOUT_MS,
		maxBuffer: 1024 * 1024,
	}).catch((error: { code?: string; stderr?: string; message: string }) => {
		const why = error.code === 'ENOENT' ? 'npm is not on the PATH of this process' : (error.stderr?.trim() || error.message);
		throw new Error(`fetching ${spec} (the JavaScript kernel) with npm failed: ${why}`);
	});
}

/**
 * A build container may not reach this machine's resolver (e.g. a local stub). The package mirrors the build's
 * apt uses (read from this machine's apt sources, when it has any) are resolved here and passed on as extra hosts.
 */
async function extraHosts(): Promise<string[]> {
	const sourceFiles = ['/etc/apt/sources.list', ...listDir('/etc/apt/sources.list.d')].filter(
		(file) => /(\.list|\.sources)$/.test(file) && existsSync(file),
	);
	const sources = sourceFiles.map((file) => readFileSync(file, 'utf8')).join('\n');
	const names = new Set([...sources.matchAll(/^[^#\n]*?https?:\/\/([^/\s:]+)/gm)].map((match) => match[1]));
	const entries = await Promise.all(
		[...names].map(async (name) =>
			lookup(name, { family: 4 }).then(
				({ address }) => `${name}:${address}`,
				() => undefined,
			),
		),
	);
	return entries.filter((entry): entry is string => entry !== undefined);
}

function listDir(dir: string): string[] {
	return existsSync(dir) ? readdirSync(dir).map((file) => join(dir, file)) : [];
}

async function build(docker: Docker, context: string, tag: string, log: (line: string) => void): Promise<void> {
	const src = (readdirSync(context, { recursive: true }) as string[]).filter((file) => statSync(join(context, file)).isFile());
	const hosts = await extraHosts();
	log(`Building ${tag}${hosts.length ? ` (extra hosts: ${hosts.join(', ')})` : ''} ...`);
	const stream = (await docker.buildImage(
		{ context, src },
		{
			t: tag,
			rm: true,
			forcerm: true,
			labels: { [SOURCE_LABEL]: templateHash() },
			...(hosts.length ? { extrahosts: hosts.join(',') } : {}),
		},
	)) as unknown as Readable;
	let tail: string[] = [];
	const done = new Promise<void>((resolve, reject) => {
		docker.modem.followProgress(
			stream,
			(error: Error | null, events: Array<{ error?: string }>) => {
				const failed = error?.message ?? events.find((event) => event.error)?.error;
				if (failed) reject(new Error(`building ${tag} failed: ${failed}\n${tail.join('\n')}`));
				else resolve();
			},
			(event: { stream?: string }) => {
				for (const line of (event.stream ?? '').split('\n').filter((text) => text.trim())) {
					tail = [...tail.slice(-19), line];
					log(line);
				}
			},
		);
	});
	// Closing the stream makes Docker cancel the build.
	await withTimeout(done, BUILD_TIMEOUT_MS, `building ${tag}`).catch((error: unknown) => {
		stream.destroy();
		throw error;
	});
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 60_000} minutes`)), ms);
	});
	return await Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
