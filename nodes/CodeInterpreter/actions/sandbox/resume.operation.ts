import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';
import { sandboxIdProperty, sandboxTimeoutProperty } from '../../descriptions/common';
import { getParameters, parameterSchemas } from '../parameters';

const displayOptions = { show: { resource: ['sandbox'], operation: ['resume'] } };

export const description: INodeProperties[] = [
	{ ...sandboxIdProperty, displayOptions },
	{
		...sandboxTimeoutProperty,
		description: 'The resumed sandbox stops (or pauses again, with On Timeout pause) this many seconds from now',
		displayOptions,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { sandboxId, timeoutSeconds } = getParameters(this, itemIndex, {
		sandboxId: parameterSchemas.sandboxId,
		timeoutSeconds: parameterSchemas.timeoutSeconds,
	});
	return [{ json: { ...(await backend.resume(sandboxId, timeoutSeconds)) } }];
}
