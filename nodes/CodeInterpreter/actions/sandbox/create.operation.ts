import { z } from 'zod';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';
import { sandboxTimeoutProperty } from '../../descriptions/common';
import { getParameters, parameterSchemas } from '../parameters';

const displayOptions = { show: { resource: ['sandbox'], operation: ['create'] } };

export const description: INodeProperties[] = [
	{ ...sandboxTimeoutProperty, displayOptions },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Internet Access',
				name: 'internetAccess',
				type: 'boolean',
				default: false,
				description:
					'Whether the code may reach the internet (e.g. to download data). Even then it cannot reach the n8n host, its services or other sandboxes.',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { timeoutSeconds, options } = getParameters(this, itemIndex, {
		timeoutSeconds: parameterSchemas.timeoutSeconds,
		options: z.object({ internetAccess: z.boolean().default(false) }).default({}),
	});
	const sandbox = await backend.create({ timeoutSeconds, internetAccess: options.internetAccess });
	return [{ json: { ...sandbox } }];
}
