import { z } from 'zod';

import { SandboxError } from '../../model/errors';

/** Both credentials' Package Index URL: empty (PyPI) or an http(s) URL. */
export const packageIndexUrlSchema = z
	.string()
	.trim()
	.default('')
	.refine((url) => url === '' || /^https?:\/\/[^\s/]+/i.test(url), 'Package Index URL must be an http(s) URL, e.g. https://pypi.example.com/simple');

/**
 * pip's arguments (after `python3 -m pip`) to install the requirements for the sandbox's user from the index.
 * Built wheels only (`--only-binary :all:`): installing a wheel runs none of the package's code, while building an
 * sdist runs the package's own code with the index reachable. pip reads no configuration of the sandbox's user, nor
 * its cache (`--isolated`, `--no-cache-dir`: both are the user's to write), and never prompts (`--no-input`, e.g. for
 * an index's password). pip ignores an index over plain http unless told to trust its host: the credential chose it.
 */
export function pipInstallArguments(indexUrl: string, requirements: string[]): string[] {
	const index = new URL(indexUrl);
	const trusted = index.protocol === 'http:' ? ['--trusted-host', index.host] : [];
	return ['install', '--user', '--isolated', '--no-cache-dir', '--only-binary', ':all:', '--no-input', '--no-warn-script-location', '--progress-bar', 'off', '--index-url', indexUrl, ...trusted, ...requirements];
}

/** What to do when pip found no wheel: it says "from versions: none" for a package with source releases only too. */
const NO_WHEEL_ADVICE =
	'Packages installs built wheels only, so that no package code runs while the index is open. If the package exists, it may have no wheel for the sandbox Python and platform, or only a source release: put it in a derived image (npm run image:derive) or install it at run time with its index in Allowed Hosts.';
/** pip's words when the index did not answer (it then also finds no version, which would mislead). */
const UNREACHABLE = /NewConnectionError|Connection refused|Max retries exceeded|Read timed out|Name or service not known|Temporary failure in name resolution|No route to host/;
const NOT_FOUND = /404 Client Error|HTTP error 404/;

/**
 * A failed install: pip's first error (or, when pip printed none, its last line) as the message, what to do and its
 * last lines as the description. An index that did not answer, or answered 404, is named as the cause.
 */
export function packageInstallError(output: string, indexUrl: string): SandboxError {
	const index = withoutCredentials(indexUrl);
	const lines = output.split('\n').filter((line) => line.trim() !== '');
	const tail = `pip's last output:\n${lines.slice(-20).join('\n')}`;
	if (UNREACHABLE.test(output)) {
		return new SandboxError(`Installing the packages failed: the package index ${index} could not be reached`, {
			description: `Check the credential's Package Index URL, and that the Docker host (or E2B) can reach it.\n\n${tail}`,
		});
	}
	if (NOT_FOUND.test(output) && !/from versions: (?!none)/.test(output)) {
		return new SandboxError(`Installing the packages failed: the package index ${index} answered 404 Not Found`, {
			description: `Package Index URL must be the index's simple API (PEP 503), such as https://pypi.example.com/simple.\n\n${tail}`,
		});
	}
	const reason = (lines.find((line) => line.startsWith('ERROR:')) ?? lines.find((line) => /^(error:|×)/.test(line.trim())) ?? lines.at(-1) ?? 'pip failed without a word')
		.replace(/^\s*(ERROR:|error:|×)\s*/, '');
	const advice = /Could not find a version|No matching distribution/.test(output) ? `${NO_WHEEL_ADVICE}\n\n` : '';
	return new SandboxError(`Installing the packages failed: ${reason}`, { description: `${advice}${tail}` });
}

/** The URL as it may be shown: without a user and password in it. */
function withoutCredentials(url: string): string {
	const parsed = new URL(url);
	parsed.username = '';
	parsed.password = '';
	return parsed.toString();
}
