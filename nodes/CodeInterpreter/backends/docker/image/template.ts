import { createHash } from 'crypto';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

import { PACKAGE_ROOT } from '../../../packageInfo';

/** The folder the package's sandbox image is built from (template/, shipped in the package). */
export const TEMPLATE_DIR = join(PACKAGE_ROOT, 'template');

/** Deno, the JavaScript/TypeScript kernel: the npm registry's `@deno/<platform>` package of this version. */
export const DENO_VERSION = '2.9.6';

/** The image label holding `templateHash()`, so that an image built from other sources is noticed. */
export const SOURCE_LABEL = 'io.n8n.code-interpreter.template-sha256';

/** A SHA-256 of everything the image is built from: every file of template/ (by path) and the Deno version. */
export function templateHash(): string {
	const hash = createHash('sha256').update(`deno ${DENO_VERSION}\n`);
	for (const file of (readdirSync(TEMPLATE_DIR, { recursive: true }) as string[]).sort()) {
		const full = join(TEMPLATE_DIR, file);
		if (statSync(full).isFile()) hash.update(`${file}\n`).update(readFileSync(full));
	}
	return hash.digest('hex');
}

/** The image the Dockerfile starts `FROM`. */
export function baseImage(): string {
	const from = /^FROM\s+(?:--\S+\s+)*(\S+)/im.exec(readFileSync(join(TEMPLATE_DIR, 'Dockerfile'), 'utf8'));
	if (!from) throw new Error(`${join(TEMPLATE_DIR, 'Dockerfile')} has no FROM line`);
	return from[1];
}
