import { posix } from 'path';

import { SandboxError } from './errors';

/** The sandbox user's home folder: the working directory of every kernel, and where relative paths point. */
export const SANDBOX_HOME = '/home/user';

/** A path as the user gave it, made absolute: relative paths resolve against the home folder. */
export function sandboxPath(path: string): string {
	const trimmed = path.trim();
	if (!trimmed) {
		throw new SandboxError('The file path is empty', { description: `Give a path relative to ${SANDBOX_HOME}, e.g. "data/input.csv".` });
	}
	if (trimmed.includes('\0')) throw new SandboxError('The file path contains a NUL character');
	return posix.resolve(SANDBOX_HOME, trimmed);
}
