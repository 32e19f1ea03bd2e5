import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { posix } from 'path';

import type { Backend } from '../../backends/Backend';
import { DEFAULT_FILE_READ_LIMITS } from '../../backends/files';
import { sandboxIdProperty } from '../../descriptions/common';
import { getParameters, parameterSchemas } from '../parameters';

const displayOptions = { show: { resource: ['file'], operation: ['download'] } };
const MB = 2 ** 20;

export const description: INodeProperties[] = [
	{ ...sandboxIdProperty, displayOptions },
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'output/report.xlsx',
		description: 'The file to read from the sandbox; relative paths start in /home/user',
		displayOptions,
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The binary property of the output item to put the file in',
		displayOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Max File Size (MB)',
				name: 'maxFileSizeMb',
				type: 'number',
				typeOptions: { minValue: 0.001 },
				default: 512,
				description: 'A bigger file is refused before any of it is read (its apparent size: a sparse file counts whole)',
			},
			{
				displayName: 'Transfer Timeout (Seconds)',
				name: 'transferTimeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description: 'The longest the whole download may take',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { sandboxId, path, binaryPropertyName } = getParameters(this, itemIndex, {
		sandboxId: parameterSchemas.sandboxId,
		path: parameterSchemas.path,
		binaryPropertyName: parameterSchemas.binaryPropertyName,
	});
	const { maxFileSizeMb, transferTimeoutSeconds } = this.getNodeParameter('options', itemIndex, {}) as { maxFileSizeMb?: number; transferTimeoutSeconds?: number };
	const file = await backend.readFile(sandboxId, path, {
		maxBytes: maxFileSizeMb === undefined ? DEFAULT_FILE_READ_LIMITS.maxBytes : maxFileSizeMb * MB,
		timeoutMs: transferTimeoutSeconds === undefined ? DEFAULT_FILE_READ_LIMITS.timeoutMs : transferTimeoutSeconds * 1000,
	});
	const binary = await this.helpers.prepareBinaryData(file.content, posix.basename(file.path));
	return [{ json: { sandboxId, path: file.path, size: file.size }, binary: { [binaryPropertyName]: binary } }];
}
