import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';
import { sandboxIdProperty, sandboxTimeoutProperty } from '../../descriptions/common';
import { getParameters, parameterSchemas } from '../parameters';

const displayOptions = { show: { resource: ['sandbox'], operation: ['setTimeout'] } };

export const description: INodeProperties[] = [
	{ ...sandboxIdProperty, displayOptions },
	{
		...sandboxTimeoutProperty,
		description: 'The sandbox stops and removes itself this many seconds from now (replacing its earlier deadline)',
		displayOptions,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { sandboxId, timeoutSeconds } = getParameters(this, itemIndex, {
		sandboxId: parameterSchemas.sandboxId,
		timeoutSeconds: parameterSchemas.timeoutSeconds,
	});
	const sandbox = await backend.setTimeout(sandboxId, timeoutSeconds);
	return [{ json: { ...sandbox } }];
}
