import { Transform, type Readable } from 'stream';

import { formatSize } from '../../model/outputLimits';
import { SandboxError } from '../../model/errors';
import type { FileReadLimits } from '../files';

/** List Files and output folders stop here: a sandbox can make millions of files. */
export const MAX_LIST_ENTRIES = 10_000;

export function fileTooBigError(path: string, bytes: number, limits: FileReadLimits): SandboxError {
	return new SandboxError(`"${path}" is ${formatSize(bytes)}, more than the ${formatSize(limits.maxBytes)} a file read from the sandbox may be`, {
		description: 'Raise the limit (Max File Size), or make the file smaller (compress or split it) in the sandbox.',
	});
}

export function notRegularFileError(path: string, what: string): SandboxError {
	return new SandboxError(`"${path}" is not a regular file (${what}): only regular files are read from a sandbox`, {
		description: 'Links are followed to what they point at; devices, pipes and sockets are never read.',
	});
}

export function tooManyEntriesError(folder: string): SandboxError {
	return new SandboxError(`"${folder}" holds more than ${MAX_LIST_ENTRIES} entries to the depth asked`, {
		description: 'List a folder further down, lower Depth, or gather the files into fewer (e.g. an archive) in the sandbox.',
	});
}

/**
 * The content, passed on until it passes `maxBytes` (a file that grows while read) or the transfer outlasts
 * `timeoutMs`; then it fails with an error naming the file.
 */
export function boundedContent(content: Readable, path: string, limits: FileReadLimits): Readable {
	let bytes = 0;
	const bounded = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			bytes += chunk.length;
			if (bytes > limits.maxBytes) done(fileTooBigError(path, bytes, limits));
			else done(null, chunk);
		},
	});
	const timer = setTimeout(() => {
		const error = new SandboxError(`Reading "${path}" from the sandbox took longer than ${limits.timeoutMs / 1000} s`, {
			description: 'The sandbox may be overloaded, or the file is still being written (a pipe). Try again, or raise Transfer Timeout.',
		});
		bounded.destroy(error);
		content.destroy(error);
	}, limits.timeoutMs);
	const stop = () => clearTimeout(timer);
	bounded.once('close', stop);
	content.once('error', (error) => bounded.destroy(error));
	bounded.once('error', () => content.destroy());
	return content.pipe(bounded);
}
