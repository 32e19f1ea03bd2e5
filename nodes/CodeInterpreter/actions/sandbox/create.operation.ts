import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';
import { sandboxTimeoutProperty } from '../../descriptions/common';
import { getParameters, parameterSchemas } from '../parameters';

export const description: INodeProperties[] = [
	{
		...sandboxTimeoutProperty,
		displayOptions: { show: { resource: ['sandbox'], operation: ['create'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { timeoutSeconds } = getParameters(this, itemIndex, { timeoutSeconds: parameterSchemas.timeoutSeconds });
	const sandbox = await backend.create({ timeoutSeconds });
	return [{ json: { ...sandbox } }];
}
