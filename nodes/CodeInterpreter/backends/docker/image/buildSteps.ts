import type Docker from 'dockerode';
import { execFile } from 'child_process';
import { lookup } from 'dns/promises';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Readable } from 'stream';
import { promisify } from 'util';

import { DENO_VERSION } from './template';

/** Pulling the base image may take this long; then it counts as unreachable. */
const PULL_TIMEOUT_MS = 5 * 60_000;
/** Build contexts are folders of the temporary folder with this prefix. */
export const CONTEXT_PREFIX = 'code-interpreter-template-';

/**
 * Makes sure the engine has the base image: pulls it, or, when that fails, `makeBaseImage` makes it (the CLI makes
 * it from Debian packages); without one, rejects with what to do.
 */
export async function ensureBaseImage(
	docker: Docker,
	base: string,
	log: (line: string) => void,
	makeBaseImage?: (base: string) => Promise<void>,
): Promise<void> {
	const present = await docker
		.getImage(base)
		.inspect()
		.then(
			() => true,
			() => false,
		);
	if (present) return;
	log(`Pulling the base image ${base} ...`);
	const pulled = await pull(docker, base).then(
		() => undefined,
		(error: Error) => error.message,
	);
	if (pulled === undefined) return;
	if (!makeBaseImage) {
		throw new Error(
			`the Docker engine cannot pull the base image ${base} (${pulled}). Make it available to the engine (docker pull ${base}, or docker load), or build the image by hand with "npm run template:build" in the package folder, which can make the base from Debian packages`,
		);
	}
	log(`Cannot pull ${base} (${pulled}); making it from Debian packages instead.`);
	await makeBaseImage(base);
}

async function pull(docker: Docker, image: string): Promise<void> {
	const stream = (await docker.pull(image)) as Readable;
	let timer: NodeJS.Timeout | undefined;
	await new Promise<void>((resolve, reject) => {
		timer = setTimeout(() => {
			stream.destroy();
			reject(new Error(`no answer within ${PULL_TIMEOUT_MS / 60_000} minutes`));
		}, PULL_TIMEOUT_MS);
		docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()));
	}).finally(() => clearTimeout(timer));
}

/**
 * Puts the Deno binary for the engine's architecture into `destination`: npm's `@deno/<platform>` package, fetched
 * with `npm pack` and the npm settings of the user running this, from the registry n8n installs community packages
 * from when it names one (N8N_COMMUNITY_PACKAGES_REGISTRY), so no registry host is named here.
 */
export async function packDeno(docker: Docker, destination: string, log: (line: string) => void, signal: AbortSignal): Promise<void> {
	const { Architecture } = (await docker.info()) as { Architecture: string };
	const platform = ({ x86_64: 'linux-x64-glibc', aarch64: 'linux-arm64-glibc' } as Record<string, string>)[Architecture];
	if (!platform) throw new Error(`there is no Deno build for the Docker engine's architecture ${Architecture}`);
	const spec = `@deno/${platform}@${DENO_VERSION}`;
	const registry = process.env.N8N_COMMUNITY_PACKAGES_REGISTRY;
	log(`Fetching ${spec} with npm${registry ? ` from ${registry}` : ''} ...`);
	const args = ['pack', spec, '--pack-destination', destination, '--silent', ...(registry ? [`--registry=${registry}`] : [])];
	await promisify(execFile)('npm', args, { signal, maxBuffer: 1024 * 1024 }).catch(
		(error: { code?: string; stderr?: string; message: string }) => {
			const why = error.code === 'ENOENT' ? 'npm is not on the PATH of this process' : error.stderr?.trim() || error.message;
			throw new Error(`fetching ${spec} (the JavaScript kernel) with npm failed: ${why}`);
		},
	);
}

/**
 * A build container may not reach this machine's resolver (e.g. a local stub). For a build on this machine's own
 * engine, the package mirrors apt uses here (read from the apt sources, when there are any) are resolved here and
 * passed on as the build's extra hosts (`name:address`).
 */
export async function mirrorHosts(): Promise<string[]> {
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

/** Removes build contexts older than `olderThanMs` (left by a process that died while building), as far as it can. */
export function sweepOldContexts(olderThanMs: number): void {
	try {
		for (const name of readdirSync(tmpdir()).filter((entry) => entry.startsWith(CONTEXT_PREFIX))) {
			const folder = join(tmpdir(), name);
			if (Date.now() - statSync(folder).mtimeMs > olderThanMs) rmSync(folder, { recursive: true, force: true });
		}
	} catch {
		// Housekeeping only: what this build needs of the temporary folder fails on its own, with its reason.
	}
}

function listDir(dir: string): string[] {
	return existsSync(dir) ? readdirSync(dir).map((file) => join(dir, file)) : [];
}
