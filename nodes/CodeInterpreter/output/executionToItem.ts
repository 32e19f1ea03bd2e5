import type { IBinaryData, IBinaryKeyData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { executionText, resultFormats, type Execution, type Result } from '../model/execution';

/** Stores bytes as n8n binary data (`this.helpers.prepareBinaryData`). */
export type PrepareBinary = (data: Buffer, fileName: string, mimeType: string) => Promise<IBinaryData>;

export interface ExecutionContext {
	sandboxId: string;
	language: string;
}

/** Binary formats, in the order the first one present names the result's binary property. */
const BINARY_FORMATS = [
	{ format: 'png', mimeType: 'image/png', extension: 'png', encoding: 'base64' },
	{ format: 'jpeg', mimeType: 'image/jpeg', extension: 'jpg', encoding: 'base64' },
	{ format: 'svg', mimeType: 'image/svg+xml', extension: 'svg', encoding: 'utf8' },
	{ format: 'pdf', mimeType: 'application/pdf', extension: 'pdf', encoding: 'base64' },
] as const;

const BINARY_FORMAT_NAMES = new Set<string>(BINARY_FORMATS.map((binary) => binary.format));

/**
 * The one mapping from an Execution to the `code.run` output item, shared by every backend.
 * Images and PDFs become binary properties (`data`, `data_1`, ...; a result's further formats add `_svg`, `_pdf`, ...),
 * never base64 inside the JSON; each result names its property in `binaryProperty`.
 */
export async function executionToItem(
	execution: Execution,
	context: ExecutionContext,
	prepareBinary: PrepareBinary,
): Promise<INodeExecutionData> {
	const binary: IBinaryKeyData = {};
	const results: IDataObject[] = [];
	let binaryResults = 0;
	for (const [index, result] of execution.results.entries()) {
		const json = resultJson(result);
		const binaries = BINARY_FORMATS.filter((binaryFormat) => result[binaryFormat.format] !== undefined);
		if (binaries.length > 0) {
			const property = binaryResults === 0 ? 'data' : `data_${binaryResults}`;
			binaryResults += 1;
			for (const [position, { format, mimeType, extension, encoding }] of binaries.entries()) {
				const name = position === 0 ? property : `${property}_${format}`;
				const bytes = Buffer.from(result[format] as string, encoding);
				binary[name] = await prepareBinary(bytes, `result-${index + 1}.${extension}`, mimeType);
			}
			json.binaryProperty = property;
		}
		results.push(json);
	}

	const item: INodeExecutionData = {
		json: {
			sandboxId: context.sandboxId,
			language: context.language,
			executionCount: execution.executionCount,
			text: executionText(execution),
			stdout: execution.logs.stdout.join(''),
			stderr: execution.logs.stderr.join(''),
			error: execution.error ? { ...execution.error } : null,
			results,
			...(execution.truncated ? { truncated: execution.truncated } : {}),
		},
	};
	if (Object.keys(binary).length > 0) item.binary = binary;
	return item;
}

function resultJson(result: Result): IDataObject {
	const json: IDataObject = { isMainResult: result.isMainResult, formats: resultFormats(result) };
	for (const format of resultFormats(result)) {
		if (!BINARY_FORMAT_NAMES.has(format)) json[format] = result[format] as IDataObject[keyof IDataObject];
	}
	return json;
}

/**
 * The shape n8n sends to a node's error output: only `error`, `message` and `details` in the JSON
 * (setting the item's own `error` would make n8n replace the JSON with the bare message and lose the traceback).
 */
export function toErrorOutputItem(item: INodeExecutionData): INodeExecutionData {
	const { error, ...details } = item.json;
	const { name, value } = error as { name: string; value: string };
	return { ...item, json: { error, message: `${name}: ${value}`, details } };
}
