import type Docker from 'dockerode';
import { posix } from 'path';
import type { Readable } from 'stream';

import { SandboxError } from '../../model/errors';
import { fileAccessError, isFolderError, notAFolderError, SandboxFileNotFoundError } from '../errors';
import { boundedContent, fileTooBigError, MAX_LIST_ENTRIES, notRegularFileError, tooManyEntriesError } from '../common/fileLimits';
import { DEFAULT_FILE_READ_LIMITS, type FileContent, type FileReadLimits, type ListFilesOptions, type SandboxFile } from '../files';
import { sandboxPath } from '../../model/sandboxPath';
import { execInContainer, execStream } from './exec';
import { asSandboxUser } from './isolation';

const ROOT = 'root';
type FileVerb = Parameters<typeof fileAccessError>[1];
const TYPES: Record<string, SandboxFile['type']> = { f: 'file', d: 'directory' };

/**
 * A sandbox's files, through `docker exec` as the sandbox's user: bytes stream both ways (memory stays bounded),
 * files belong to the user, and the tmpfs home folder is reachable (Docker's archive API cannot see tmpfs mounts).
 */
export class SandboxFiles {
	constructor(private readonly container: Docker.Container) {}

	async write(path: string, content: Readable): Promise<{ path: string; size: number }> {
		const file = sandboxPath(path);
		const script = 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1" && stat -c %s -- "$1"';
		const { stdout, finished } = await execStream(this.container, asSandboxUser(['sh', '-c', script, 'sh', file]), { user: ROOT, stdin: content });
		const output: Buffer[] = [];
		stdout.on('data', (chunk: Buffer) => output.push(chunk));
		const { exitCode, stderr } = await finished;
		if (exitCode !== 0) throw fileError(file, stderr, 'write');
		return { path: file, size: Number(Buffer.concat(output).toString().trim()) };
	}

	/**
	 * Streams a regular file (links followed) of at most `limits.maxBytes`, for at most `limits.timeoutMs`; a device,
	 * pipe, socket or folder is refused by name before anything is read, and no more than the limit is ever sent.
	 */
	async read(path: string, limits: FileReadLimits = DEFAULT_FILE_READ_LIMITS): Promise<FileContent> {
		const file = sandboxPath(path);
		const check = 'f=$(realpath -e -- "$1") && printf "%s\\000%s\\000%s\\000%s" "$(stat -c %F -- "$f")" "$(stat -c %s -- "$f")" "$(test -r "$f" && echo r)" "$f"';
		const [type, size, readable, resolved] = (await this.run(['sh', '-c', check, 'sh', file], file, 'read')).split('\0');
		if (type === 'directory') throw isFolderError(file);
		if (!readable) throw fileAccessError(file, 'read');
		if (type !== 'regular file' && type !== 'regular empty file') throw notRegularFileError(file, type);
		if (Number(size) > limits.maxBytes) throw fileTooBigError(file, Number(size), limits);
		// head stops at the limit even if the file grows (or was swapped) after the check.
		const copy = 'test -f "$1" && test -r "$1" && exec head -c "$2" -- "$1"';
		const { stdout, finished } = await execStream(this.container, asSandboxUser(['sh', '-c', copy, 'sh', resolved, String(limits.maxBytes + 1)]), { user: ROOT });
		void finished.then(
			({ exitCode, stderr }) => exitCode !== 0 && stdout.destroy(fileError(file, stderr || 'it is no longer a regular file', 'read')),
			(error: Error) => stdout.destroy(error),
		);
		return { path: file, size: Number(size), content: boundedContent(stdout, file, limits) };
	}

	async list(path: string, { depth }: ListFilesOptions): Promise<SandboxFile[]> {
		const folder = sandboxPath(path.trim() || '.');
		// Four NUL-ended fields per entry; one entry past the limit tells that there are more.
		const script = `[ -e "$1" ] || { echo "$1: No such file or directory" >&2; exit 1; }; find "$1" -maxdepth "$2" -printf '%y\\0%s\\0%T@\\0%p\\0' | head -z -n ${4 * (MAX_LIST_ENTRIES + 2)}`;
		const printed = await this.run(['sh', '-c', script, 'sh', folder, String(depth)], folder, 'list');
		const fields = printed.split('\0');
		// The folder itself is the first entry.
		if (fields.length - 1 > 4 * (MAX_LIST_ENTRIES + 1)) throw tooManyEntriesError(folder);
		const entries: SandboxFile[] = [];
		for (let index = 0; index + 3 < fields.length; index += 4) {
			const [type, size, modified, entryPath] = fields.slice(index, index + 4);
			entries.push({
				name: posix.basename(entryPath),
				path: entryPath,
				type: TYPES[type] ?? 'other',
				size: Number(size),
				modifiedAt: new Date(Number(modified) * 1000).toISOString(),
			});
		}
		const [self, ...children] = entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
		if (self?.type !== 'directory') {
			throw notAFolderError(folder);
		}
		return children;
	}

	private async run(command: string[], file: string, action: FileVerb): Promise<string> {
		try {
			return await execInContainer(this.container, asSandboxUser(command), ROOT);
		} catch (error) {
			throw fileError(file, (error as Error).message, action);
		}
	}
}

function fileError(file: string, stderr: string, action: FileVerb): SandboxError {
	if (/No such file or directory/.test(stderr)) return new SandboxFileNotFoundError(file);
	if (/Is a directory/.test(stderr)) return isFolderError(file);
	if (/Not a directory/.test(stderr)) {
		return new SandboxError(`A part of "${file}" is a file, not a folder`, { description: 'Check the path with List Files.' });
	}
	if (/Permission denied|Read-only file system/.test(stderr)) return fileAccessError(file, action);
	if (/No space left on device/.test(stderr)) {
		return new SandboxError(`The sandbox ran out of space writing "${file}"`, {
			description: 'Its home folder is full: delete files, or raise "Disk Size" in the Docker credential.',
		});
	}
	return new SandboxError(`Could not ${action} "${file}" in the sandbox: ${stderr.trim()}`);
}
