import type Docker from 'dockerode';
import type { IncomingMessage, ServerResponse } from 'http';
import { posix } from 'path';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { createGunzip } from 'zlib';

import { execInContainer } from '../../../nodes/CodeInterpreter/backends/docker/exec';
import { SANDBOX_UID } from '../../../nodes/CodeInterpreter/backends/docker/isolation';
import { LABELS } from '../../../nodes/CodeInterpreter/backends/docker/labels';
import { sandboxPath } from '../../../nodes/CodeInterpreter/model/sandboxPath';
import { HttpError, parseMultipart, readBody, readJson, sendJson } from './http';
import type { DoubleSandbox, DoubleState } from './sandboxes';

type FileType = 'FILE_TYPE_FILE' | 'FILE_TYPE_DIRECTORY' | 'FILE_TYPE_SYMLINK' | 'FILE_TYPE_UNSPECIFIED';

/** `find -printf %y` → envd's file type. */
const FIND_TYPE: Record<string, FileType> = { f: 'FILE_TYPE_FILE', d: 'FILE_TYPE_DIRECTORY', l: 'FILE_TYPE_SYMLINK' };

/** envd's `EntryInfo` in protobuf JSON (int64 `size` as a string). */
interface EntryInfo {
	name: string;
	type: FileType;
	path: string;
	size: string;
	mode?: number;
	permissions?: string;
	owner?: string;
	group?: string;
	modifiedTime: string;
	symlinkTarget?: string;
}

/** The answer to `POST /files`: one entry per file written. */
interface WrittenEntry {
	name: string;
	type: 'file';
	path: string;
}

interface PathRequest {
	path: string;
}

interface ListDirRequest extends PathRequest {
	depth: number;
}

type RpcHandler = (sandbox: DoubleSandbox, request: Partial<ListDirRequest>) => Promise<object>;

/** envd's HTTP and Connect-RPC services (port 49983) for one double. */
export class Envd {
	private readonly rpc: Record<string, RpcHandler> = {
		// E2B lists a folder whole, however big: the client bounds what it takes (the backend's own listing would).
		ListDir: async (sandbox, { path = '', depth = 1 }) => {
			const folder = sandboxPath(path || '.');
			const printed = await this.asUser(sandbox, ['find', folder, '-mindepth', '1', '-maxdepth', String(depth), '-printf', '%y\\0%s\\0%T@\\0%p\\0']).catch(
				(error: unknown) => {
					if (/No such file/.test(errorMessage(error))) throw new HttpError(404, `path not found: ${folder}`, { connectCode: 'not_found' });
					throw error;
				},
			);
			const fields = printed.split('\0');
			const entries: EntryInfo[] = [];
			// A listing has no mode or owner: those stay at their protobuf defaults, i.e. omitted.
			for (let index = 0; index + 3 < fields.length; index += 4) {
				const [kind, size, modified, entryPath] = fields.slice(index, index + 4);
				entries.push({
					name: posix.basename(entryPath),
					type: FIND_TYPE[kind] ?? 'FILE_TYPE_UNSPECIFIED',
					path: entryPath,
					size,
					modifiedTime: new Date(Number(modified) * 1000).toISOString(),
				});
			}
			return { entries };
		},
		Stat: async (sandbox, { path = '' }) => ({ entry: await this.statEntry(sandbox, path) }),
		MakeDir: async (sandbox, { path = '' }) => {
			const existing = await this.statEntry(sandbox, path).catch(() => undefined);
			if (existing?.type === 'FILE_TYPE_DIRECTORY') {
				throw new HttpError(409, `directory already exists: ${existing.path}`, { connectCode: 'already_exists' });
			}
			if (existing) {
				throw new HttpError(400, `path already exists but it is not a directory: ${existing.path}`, { connectCode: 'invalid_argument' });
			}
			await this.asUser(sandbox, ['mkdir', '-p', '--', sandboxPath(path)]).catch((error: unknown) => {
				throw new HttpError(400, errorMessage(error), { connectCode: 'invalid_argument' });
			});
			return { entry: await this.statEntry(sandbox, path) };
		},
		Remove: async (sandbox, { path = '' }) => {
			await this.statEntry(sandbox, path);
			await this.asUser(sandbox, ['rm', '-rf', '--', sandboxPath(path)]);
			return {};
		},
	};

	constructor(
		private readonly state: DoubleState,
		private readonly docker: Docker,
	) {}

	/** `GET /files` streams a file out; `POST /files` writes one (octet-stream) or several (multipart). */
	async files(req: IncomingMessage, res: ServerResponse, url: URL, sandbox: DoubleSandbox): Promise<void> {
		checkAccessToken(req, sandbox, false);
		const { backend } = this.state;
		if (req.method === 'GET') {
			const file = await backend.readFile(sandbox.dockerId, url.searchParams.get('path') ?? '').catch(fileError);
			res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': file.size });
			await pipeline(file.content, res);
			return;
		}
		const type = req.headers['content-type'] ?? '';
		const uploads: Array<{ destination: string | null | undefined; content: Readable }> = [];
		if (type.startsWith('application/octet-stream')) {
			uploads.push({ destination: url.searchParams.get('path'), content: req.headers['content-encoding'] === 'gzip' ? gunzip(req) : req });
		} else if (type.startsWith('multipart/form-data')) {
			// The SDK names each part after its destination path (writeFiles sends no `path` query).
			for (const part of parseMultipart(await readBody(req), type)) {
				uploads.push({ destination: url.searchParams.get('path') ?? part.filename, content: Readable.from([part.data]) });
			}
		} else {
			throw new HttpError(400, `unsupported content type ${type}`);
		}
		const written: WrittenEntry[] = [];
		for (const { destination, content } of uploads) {
			if (!destination) throw new HttpError(400, 'no path for the file');
			const { path } = await backend.writeFile(sandbox.dockerId, destination, content).catch(fileError);
			written.push({ name: posix.basename(path), type: 'file', path });
		}
		sendJson(res, 200, written);
	}

	/** `POST /filesystem.Filesystem/<method>`: Connect-RPC, unary, JSON. */
	async filesystem(req: IncomingMessage, res: ServerResponse, method: string, sandbox: DoubleSandbox): Promise<void> {
		checkAccessToken(req, sandbox, true);
		const handler = Object.hasOwn(this.rpc, method) ? this.rpc[method] : undefined;
		if (!handler) {
			throw new HttpError(404, `filesystem.Filesystem/${method} is not implemented by the double`, { connectCode: 'not_found' });
		}
		sendJson(res, 200, await handler(sandbox, await readJson<ListDirRequest>(req)));
	}

	private async statEntry(sandbox: DoubleSandbox, path: string): Promise<EntryInfo> {
		const file = sandboxPath(path);
		const out = await this.asUser(sandbox, ['stat', '-c', '%F|%s|%a|%A|%U|%G|%Y', '--', file]).catch((error: unknown) => {
			if (/No such file/.test(errorMessage(error))) throw new HttpError(404, `path not found: ${file}`, { connectCode: 'not_found' });
			throw error;
		});
		const [kind, size, mode, permissions, owner, group, mtime] = out.trim().split('|');
		// As envd, a link is described itself (not what it points at), with its target.
		const symlinkTarget = kind === 'symbolic link' ? (await this.asUser(sandbox, ['readlink', '--', file])).replace(/\n$/, '') : undefined;
		return {
			...(symlinkTarget === undefined ? {} : { symlinkTarget }),
			name: posix.basename(file),
			type: statFileType(kind),
			path: file,
			size,
			mode: parseInt(mode, 8),
			permissions,
			owner,
			group,
			modifiedTime: new Date(Number(mtime) * 1000).toISOString(),
		};
	}

	/** Runs a command as the sandbox's user, in the container labelled with the sandbox's ID. */
	private async asUser(sandbox: DoubleSandbox, command: string[]): Promise<string> {
		const [container] = await this.docker.listContainers({ filters: { label: [`${LABELS.sandboxId}=${sandbox.dockerId}`] } });
		if (!container) throw new Error(`No container for ${sandbox.dockerId}`);
		return await execInContainer(this.docker.getContainer(container.Id), command, `${SANDBOX_UID}:${SANDBOX_UID}`);
	}
}

/** envd checks the sandbox's access token on every request; Connect-RPC calls get a Connect error. */
function checkAccessToken(req: IncomingMessage, sandbox: DoubleSandbox, connect: boolean): void {
	if (req.headers['x-access-token'] !== sandbox.envdAccessToken) {
		throw new HttpError(401, 'unauthorized access, please provide a valid access token', {
			connectCode: connect ? 'unauthenticated' : undefined,
		});
	}
}

/** `stat -c %F` → envd's file type. */
function statFileType(kind: string): FileType {
	if (kind === 'directory') return 'FILE_TYPE_DIRECTORY';
	if (kind.includes('regular')) return 'FILE_TYPE_FILE';
	if (kind === 'symbolic link') return 'FILE_TYPE_SYMLINK';
	return 'FILE_TYPE_UNSPECIFIED';
}

function gunzip(req: IncomingMessage): Readable {
	const unzipped = createGunzip();
	req.on('error', (error) => unzipped.destroy(error));
	return req.pipe(unzipped);
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Backend file errors → envd's answers (404 → the SDK's FileNotFoundError, 400 → InvalidArgumentError). */
function fileError(error: unknown): never {
	if (error instanceof Error && error.name === 'SandboxFileNotFoundError') {
		throw new HttpError(404, error.message, { connectCode: 'not_found' });
	}
	if (/is a folder|is a file, not a folder|not a folder|path is empty/.test(errorMessage(error))) {
		throw new HttpError(400, errorMessage(error), { connectCode: 'invalid_argument' });
	}
	// envd, written in Go, words it as Go's os package does.
	if (/may not (read|write|list)/.test(errorMessage(error))) {
		throw new HttpError(403, `permission denied: ${errorMessage(error)}`, { connectCode: 'permission_denied' });
	}
	throw error;
}
