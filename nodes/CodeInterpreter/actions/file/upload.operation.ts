import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';
import { sandboxIdProperty } from '../../descriptions/common';
import { getParameters, parameterSchemas } from '../parameters';
import { binaryInput } from './binaryInput';

const displayOptions = { show: { resource: ['file'], operation: ['upload'] } };

export const description: INodeProperties[] = [
	{ ...sandboxIdProperty, displayOptions },
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The binary property of the input item that holds the file',
		displayOptions,
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		placeholder: 'data/input.csv',
		description:
			'Where to write the file in the sandbox; relative paths start in /home/user, missing folders are made. Empty: the file\'s own name in /home/user.',
		displayOptions,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { sandboxId, binaryPropertyName, path } = getParameters(this, itemIndex, {
		sandboxId: parameterSchemas.sandboxId,
		binaryPropertyName: parameterSchemas.binaryPropertyName,
		path: parameterSchemas.optionalPath,
	});
	const { content, fileName } = await binaryInput(this, itemIndex, binaryPropertyName);
	const target = path || fileName;
	if (!target) {
		content.destroy();
		throw new NodeOperationError(this.getNode(), 'The file has no name and "Path" is empty', {
			itemIndex,
			description: 'Enter the path to write it to in the sandbox, e.g. "data/input.csv".',
		});
	}
	const written = await backend.writeFile(sandboxId, target, content);
	return [{ json: { sandboxId, ...written } }];
}
