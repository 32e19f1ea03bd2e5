import { z } from 'zod';

import { SandboxError } from '../../model/errors';

/** Both credentials' Package Index URL: empty (PyPI) or an http(s) URL. */
export const packageIndexUrlSchema = z
	.string()
	.trim()
	.default('')
	.refine((url) => url === '' || /^https?:\/\/[^\s/]+/i.test(url), 'Package Index URL must be an http(s) URL, e.g. https://pypi.example.com/simple');

/**
 * pip's arguments (after `python3 -m pip`) to install the requirements for the sandbox's user from the index. pip
 * ignores an index over plain http unless told to trust its host: the credential chose it.
 */
export function pipInstallArguments(indexUrl: string, requirements: string[]): string[] {
	const index = new URL(indexUrl);
	const trusted = index.protocol === 'http:' ? ['--trusted-host', index.host] : [];
	return ['install', '--user', '--no-warn-script-location', '--progress-bar', 'off', '--index-url', indexUrl, ...trusted, ...requirements];
}

/** A failed install: pip's first error as the message, its last lines as the description. */
export function packageInstallError(output: string): SandboxError {
	const lines = output.split('\n').filter((line) => line.trim() !== '');
	const reason = lines.find((line) => line.startsWith('ERROR:'))?.replace(/^ERROR:\s*/, '') ?? lines.at(-1) ?? 'pip failed without a word';
	return new SandboxError(`Installing the packages failed: ${reason}`, { description: `pip's last output:\n${lines.slice(-20).join('\n')}` });
}
