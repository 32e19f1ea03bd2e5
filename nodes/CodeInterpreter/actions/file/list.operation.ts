import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';
import { sandboxIdProperty } from '../../descriptions/common';
import { getParameters, parameterSchemas } from '../parameters';

const displayOptions = { show: { resource: ['file'], operation: ['list'] } };

export const description: INodeProperties[] = [
	{ ...sandboxIdProperty, displayOptions },
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		placeholder: 'output',
		description: 'The folder to list; relative paths start in /home/user. Empty: /home/user.',
		displayOptions,
	},
	{
		displayName: 'Depth',
		name: 'depth',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'How many folder levels to list: 1 lists the folder itself, 2 also the folders inside it, and so on',
		displayOptions,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { sandboxId, path, depth } = getParameters(this, itemIndex, {
		sandboxId: parameterSchemas.sandboxId,
		path: parameterSchemas.optionalPath,
		depth: parameterSchemas.depth,
	});
	const entries = await backend.listFiles(sandboxId, path, { depth });
	return entries.map((entry) => ({ json: { ...entry } as IDataObject }));
}
