import type { Readable } from 'stream';

/** One entry of List Files, and of the files a run wrote. */
export interface SandboxFile {
	name: string;
	/** Absolute path in the sandbox. */
	path: string;
	type: 'file' | 'directory' | 'other';
	size: number;
	/** ISO 8601 */
	modifiedAt: string;
}

export interface FileContent {
	path: string;
	size: number;
	/** The bytes, streamed: read it to the end (or destroy it) to release the sandbox. */
	content: Readable;
}

export interface ListFilesOptions {
	/** 1 lists the folder's own entries; each level more goes one folder deeper. */
	depth: number;
}

/** Bounds on reading one file out of a sandbox: what the sandbox says of it is never trusted. */
export interface FileReadLimits {
	/** A file bigger than this is refused (its apparent size, so a sparse file counts whole), and no more is read. */
	maxBytes: number;
	/** The whole transfer's time, not only its silences. */
	timeoutMs: number;
}

const MB = 1024 * 1024;

export const DEFAULT_FILE_READ_LIMITS: FileReadLimits = { maxBytes: 512 * MB, timeoutMs: 300_000 };
