import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { posix } from 'path';

import type { Backend } from '../../backends/Backend';
import type { SandboxFile } from '../../backends/files';
import { sandboxPath } from '../../backends/sandboxPath';

export interface OutputFiles {
	/** `{ name, path, size, binaryProperty }` per file, for the item's JSON. */
	json: IDataObject[];
	binary: IBinaryKeyData;
}

export const noOutputFiles = (): OutputFiles => ({ json: [], binary: {} });

/**
 * The files as n8n binary data (streamed), each in a binary property named after its path in the output folder
 * (`summary.csv` → `summary_csv`).
 */
export async function readOutputFiles(
	ctx: IExecuteFunctions,
	backend: Backend,
	sandboxId: string,
	folder: string,
	files: SandboxFile[],
): Promise<OutputFiles> {
	const root = sandboxPath(folder);
	const output = noOutputFiles();
	for (const file of files) {
		const property = uniqueName(posix.relative(root, file.path).replace(/[^A-Za-z0-9]+/g, '_'), output.binary);
		const { content } = await backend.readFile(sandboxId, file.path);
		output.binary[property] = await ctx.helpers.prepareBinaryData(content, file.name);
		output.json.push({ name: file.name, path: file.path, size: file.size, binaryProperty: property });
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
