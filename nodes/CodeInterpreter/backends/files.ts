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
	/** Only files (not folders) modified at or after this time. */
	changedSince?: Date;
}
