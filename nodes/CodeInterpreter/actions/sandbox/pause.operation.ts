import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';
import { sandboxIdProperty } from '../../descriptions/common';
import { getParameters, parameterSchemas } from '../parameters';

export const description: INodeProperties[] = [
	{
		...sandboxIdProperty,
		displayOptions: { show: { resource: ['sandbox'], operation: ['pause'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { sandboxId } = getParameters(this, itemIndex, { sandboxId: parameterSchemas.sandboxId });
	return [{ json: { ...(await backend.pause(sandboxId)) } }];
}
