import type { EntryInfo } from 'e2b';
import { posix } from 'path';
import { Readable, Transform } from 'stream';
import type { ReadableStream as WebReadableStream } from 'stream/web';

import { sandboxPath } from '../../model/sandboxPath';
import { boundedContent, fileTooBigError, MAX_LIST_ENTRIES, notRegularFileError, tooManyEntriesError } from '../common/fileLimits';
import { isFolderError, notAFolderError } from '../errors';
import { DEFAULT_FILE_READ_LIMITS, type FileContent, type FileReadLimits, type SandboxFile } from '../files';
import type { CodeSandbox } from './CodeSandbox';
import type { ErrorContext } from './errors';

/** Links followed to find what a path names, as the kernel's own limit (MAXSYMLINKS) is 40. */
const MAX_LINKS = 40;

/** Runs an SDK call, turning its errors into SandboxErrors that name what was being done (E2BBackend.call). */
export type SdkCall = <T>(context: Omit<ErrorContext, 'apiKey' | 'requestTimeoutMs'>, run: () => Promise<T>) => Promise<T>;

/** The file operations of one connected E2B sandbox, through envd's file API (the SDK's `files`). */
export class E2BFiles {
	constructor(
		private readonly sandbox: CodeSandbox,
		private readonly call: SdkCall,
	) {}

	async write(path: string, content: Readable): Promise<{ path: string; size: number }> {
		const file = sandboxPath(path);
		let size = 0;
		const counted = content.pipe(
			new Transform({
				transform(chunk: Buffer, _encoding, done) {
					size += chunk.length;
					done(null, chunk);
				},
			}),
		);
		content.once('error', (error) => counted.destroy(error));
		// A stream goes to E2B as one streamed request body (application/octet-stream), never whole in memory.
		const body = Readable.toWeb(counted) as unknown as ReadableStream;
		const written = await this.call(this.context('write', file), () => this.sandbox.files.write(file, body));
		return { path: written.path, size };
	}

	async read(path: string, limits: FileReadLimits = DEFAULT_FILE_READ_LIMITS): Promise<FileContent> {
		const file = sandboxPath(path);
		const context = this.context('read', file);
		let entry = await this.call(context, () => this.sandbox.files.getInfo(file));
		for (let links = 0; entry.symlinkTarget && links < MAX_LINKS; links++) {
			const target = posix.resolve(posix.dirname(entry.path), entry.symlinkTarget);
			entry = await this.call(context, () => this.sandbox.files.getInfo(target));
		}
		if (entry.type === 'dir') throw isFolderError(file);
		if (entry.type !== 'file' || entry.symlinkTarget) throw notRegularFileError(file, entry.symlinkTarget ? 'too many links' : entry.type ?? 'a device, pipe or socket');
		if (entry.size > limits.maxBytes) throw fileTooBigError(file, entry.size, limits);
		const resolved = entry.path;
		const stream = await this.call(context, () => this.sandbox.files.read(resolved, { format: 'stream' }));
		const content = Readable.fromWeb(stream as unknown as WebReadableStream<Uint8Array>);
		return { path: file, size: entry.size, content: boundedContent(content, file, limits) };
	}

	async list(path: string, depth: number): Promise<SandboxFile[]> {
		const folder = sandboxPath(path.trim() || '.');
		const context = this.context('list', folder);
		const entry = await this.call(context, () => this.sandbox.files.getInfo(folder));
		if (entry.type !== 'dir') throw notAFolderError(folder);
		const listed = await this.call(context, () => this.sandbox.files.list(folder, { depth }));
		if (listed.length > MAX_LIST_ENTRIES) throw tooManyEntriesError(folder);
		return listed.map(toSandboxFile).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	}

	private context(verb: 'read' | 'write' | 'list', path: string) {
		return { action: `${verb} "${path}"`, sandboxId: this.sandbox.sandboxId, file: { path, verb } };
	}
}

function toSandboxFile(entry: EntryInfo): SandboxFile {
	return {
		name: entry.name,
		path: entry.path,
		type: entry.type === 'file' ? 'file' : entry.type === 'dir' ? 'directory' : 'other',
		size: entry.size,
		modifiedAt: (entry.modifiedTime ?? new Date(0)).toISOString(),
	};
}
