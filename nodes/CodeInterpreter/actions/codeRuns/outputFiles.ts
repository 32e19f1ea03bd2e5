import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { posix } from 'path';

import type { Backend } from '../../backends/Backend';
import { SandboxError } from '../../model/errors';
import { DEFAULT_FILE_READ_LIMITS, type FileReadLimits } from '../../backends/files';
import type { SandboxFile } from '../../backends/files';
import { sandboxPath } from '../../model/sandboxPath';

export interface OutputFiles {
	/** `{ name, path, size, binaryProperty }` per file, for the item's JSON. */
	json: IDataObject[];
	binary: IBinaryKeyData;
	/** What was left out and why, for the run's `truncated`. */
	notes: string[];
}

export const noOutputFiles = (): OutputFiles => ({ json: [], binary: {}, notes: [] });

/** Run Code's bounds on returned files (options Max Output Files, Max Output File Size). */
export interface OutputFileLimits {
	maxFiles: number;
	read: FileReadLimits;
}

export const DEFAULT_OUTPUT_FILE_LIMITS: OutputFileLimits = { maxFiles: 100, read: { ...DEFAULT_FILE_READ_LIMITS, maxBytes: 100 * 2 ** 20 } };

/**
 * The files as n8n binary data (streamed), each in a binary property named after its path in the output folder
 * (`summary.csv` → `summary_csv`). At most `limits.maxFiles`; a file the backend refuses to read (too big, not a
 * regular file) is left out with a note, and the run keeps its other outputs.
 */
export async function readOutputFiles(
	ctx: IExecuteFunctions,
	backend: Backend,
	sandboxId: string,
	folder: string,
	files: SandboxFile[],
	limits: OutputFileLimits = DEFAULT_OUTPUT_FILE_LIMITS,
): Promise<OutputFiles> {
	const root = sandboxPath(folder);
	const output = noOutputFiles();
	for (const file of files.slice(0, limits.maxFiles)) {
		const property = uniqueName(posix.relative(root, file.path).replace(/[^A-Za-z0-9]+/g, '_'), output.binary);
		const read = await backend.readFile(sandboxId, file.path, limits.read).then(
			async ({ content }) => await ctx.helpers.prepareBinaryData(content, file.name),
			(error: unknown) => (error instanceof SandboxError ? error : Promise.reject(error)),
		);
		if (read instanceof SandboxError) {
			output.notes.push(`The output file "${file.path}" was left out: ${read.message}.`);
			continue;
		}
		output.binary[property] = read;
		output.json.push({ name: file.name, path: file.path, size: file.size, binaryProperty: property });
	}
	if (files.length > limits.maxFiles) {
		output.notes.push(`${files.length - limits.maxFiles} of ${files.length} output files were left out (Max Output Files: ${limits.maxFiles}).`);
	}
	return output;
}

/** Adds the files to an item, renaming a property that the item's own results already use. */
export function addOutputFiles(item: INodeExecutionData, files: OutputFiles): void {
	if (files.json.length === 0) return;
	const binary: IBinaryKeyData = { ...item.binary };
	item.json.outputFiles = files.json.map((file) => {
		const property = uniqueName(file.binaryProperty as string, binary);
		binary[property] = files.binary[file.binaryProperty as string];
		return { ...file, binaryProperty: property };
	});
	item.binary = binary;
}

function uniqueName(name: string, taken: object): string {
	let candidate = name;
	for (let suffix = 1; candidate in taken; suffix++) candidate = `${name}_${suffix}`;
	return candidate;
}
