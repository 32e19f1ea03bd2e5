import type Docker from 'dockerode';
import { posix } from 'path';
import type { Readable } from 'stream';

import { fileAccessError, isFolderError, notAFolderError, SandboxError, SandboxFileNotFoundError } from '../errors';
import type { FileContent, ListFilesOptions, SandboxFile } from '../files';
import { sandboxPath } from '../sandboxPath';
import { execInContainer, execStream } from './exec';
import { SANDBOX_UID } from './isolation';

const USER = `${SANDBOX_UID}:${SANDBOX_UID}`;
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
		const { stdout, finished } = await execStream(this.container, ['sh', '-c', script, 'sh', file], { user: USER, stdin: content });
		const output: Buffer[] = [];
		stdout.on('data', (chunk: Buffer) => output.push(chunk));
		const { exitCode, stderr } = await finished;
		if (exitCode !== 0) throw fileError(file, stderr, 'write');
		return { path: file, size: Number(Buffer.concat(output).toString().trim()) };
	}

	async read(path: string): Promise<FileContent> {
		const file = sandboxPath(path);
		const [type, size] = (await this.run(['stat', '-c', '%F|%s', '--', file], file, 'read')).trim().split('|');
		if (type === 'directory') throw isFolderError(file);
		const { stdout, finished } = await execStream(this.container, ['cat', '--', file], { user: USER });
		void finished.then(
			({ exitCode, stderr }) => exitCode !== 0 && stdout.destroy(fileError(file, stderr, 'read')),
			(error: Error) => stdout.destroy(error),
		);
		return { path: file, size: Number(size), content: stdout };
	}

	async list(path: string, { depth, changedSince }: ListFilesOptions): Promise<SandboxFile[]> {
		const folder = sandboxPath(path.trim() || '.');
		const printed = await this.run(['find', folder, '-maxdepth', String(depth), '-printf', '%y\\0%s\\0%T@\\0%p\\0'], folder, 'list');
		const fields = printed.split('\0');
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
		if (!changedSince) return children;
		return children.filter((entry) => entry.type === 'file' && Date.parse(entry.modifiedAt) >= changedSince.getTime());
	}

	private async run(command: string[], file: string, action: FileVerb): Promise<string> {
		try {
			return await execInContainer(this.container, command, USER);
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
