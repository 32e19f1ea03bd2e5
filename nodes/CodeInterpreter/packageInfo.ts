import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

const PACKAGE_NAME = 'n8n-nodes-code-interpreter';

/** This package's root folder, found from wherever this file runs (sources under test, or dist/ when installed). */
function findPackageRoot(): string {
	for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
		const manifest = join(dir, 'package.json');
		if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
			return dir;
		}
	}
	throw new Error(`Cannot find the ${PACKAGE_NAME} package folder above ${__dirname}`);
}

/** The installed package's folder: dist/, and template/ the sandbox image is built from. */
export const PACKAGE_ROOT = findPackageRoot();

const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
	version: string;
	codeInterpreter: { imageRepository: string };
};

export const PACKAGE_VERSION = manifest.version;

/** The sandbox image this version of the package was made for: pinned to the package version, never only `latest`. */
export const DEFAULT_IMAGE = `${manifest.codeInterpreter.imageRepository}:${manifest.version}`;

