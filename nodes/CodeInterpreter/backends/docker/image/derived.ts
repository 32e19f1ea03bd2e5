import type Docker from 'dockerode';
import { createHash } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { derivedDockerfile, type Libraries } from '../../../model/libraries';
import { SandboxError } from '../../../model/errors';
import { BUILD_TIMEOUT_MS, dockerBuild, type DockerBuildOptions } from './build';

/** The label a derived image carries: the libraries it was built with, as JSON. */
export const LIBRARIES_LABEL = 'io.n8n.code-interpreter.libraries';

/**
 * The derived image's tag: the base's repository and tag, then `-libs-` and a hash of the base image's ID and the
 * libraries, so that another list, or a rebuilt base, gives another tag.
 */
export function derivedTag(base: string, baseId: string, libraries: Libraries): string {
	const hash = createHash('sha256').update(`${baseId}\n${JSON.stringify(libraries)}`).digest('hex').slice(0, 12);
	const colon = base.lastIndexOf(':');
	const [repository, tag] = colon > base.lastIndexOf('/') ? [base.slice(0, colon), base.slice(colon + 1)] : [base, 'latest'];
	return `${repository}:${tag}-libs-${hash}`;
}

/**
 * Builds an image on top of `base` with the libraries (model/libraries.ts), tagged by derivedTag; nothing is built
 * when that tag exists. Resolves with the tag. Rejects with a SandboxError when the base image is missing or the build
 * fails (the failed step named, the end of the build's output as its description).
 */
export async function buildDerivedImage(
	docker: Docker,
	base: string,
	libraries: Libraries,
	options: Omit<DockerBuildOptions, 'labels'>,
): Promise<{ tag: string; built: boolean }> {
	const baseInfo = await docker
		.getImage(base)
		.inspect()
		.catch(() => {
			throw new SandboxError(`The base image ${base} is not on the Docker engine`, {
				description: 'Build it first (npm run template:build), or create a sandbox once: the package builds its image itself.',
			});
		});
	const tag = derivedTag(base, baseInfo.Id, libraries);
	const exists = await docker
		.getImage(tag)
		.inspect()
		.then(
			() => true,
			() => false,
		);
	if (exists) return { tag, built: false };
	const context = mkdtempSync(join(tmpdir(), 'n8n-code-interpreter-derived-'));
	const cancel = new AbortController();
	const timer = setTimeout(() => cancel.abort(), BUILD_TIMEOUT_MS);
	try {
		writeFileSync(join(context, 'Dockerfile'), derivedDockerfile(base, libraries));
		await dockerBuild(docker, context, tag, { ...options, labels: { [LIBRARIES_LABEL]: JSON.stringify(withoutCredentials(libraries)) } }, cancel.signal);
	} finally {
		clearTimeout(timer);
		rmSync(context, { recursive: true, force: true });
	}
	return { tag, built: true };
}

/** The libraries as the image's label shows them: index URLs without a user or password. */
function withoutCredentials(libraries: Libraries): Libraries {
	const strip = (url: string) => url.replace(/^(https?:\/\/)[^/@]*@/i, '$1');
	return { ...libraries, python: { ...libraries.python, indexUrl: strip(libraries.python.indexUrl) }, r: { ...libraries.r, repos: strip(libraries.r.repos) } };
}
