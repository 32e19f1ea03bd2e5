import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { posix } from 'path';

import type { Backend } from '../../backends/Backend';
import { sandboxIdProperty } from '../../descriptions/common';
import { getParameters, parameterSchemas } from '../parameters';

const displayOptions = { show: { resource: ['file'], operation: ['download'] } };

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
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { sandboxId, path, binaryPropertyName } = getParameters(this, itemIndex, {
		sandboxId: parameterSchemas.sandboxId,
		path: parameterSchemas.path,
		binaryPropertyName: parameterSchemas.binaryPropertyName,
	});
	const file = await backend.readFile(sandboxId, path);
	const binary = await this.helpers.prepareBinaryData(file.content, posix.basename(file.path));
	return [{ json: { sandboxId, path: file.path, size: file.size }, binary: { [binaryPropertyName]: binary } }];
}
