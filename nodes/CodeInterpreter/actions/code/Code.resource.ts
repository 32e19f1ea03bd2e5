import type { INodeProperties } from 'n8n-workflow';

import * as run from './run.operation';

export { run };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['code'] } },
		options: [{ name: 'Run', value: 'run', description: 'Run code in a sandbox', action: 'Run code' }],
		default: 'run',
	},
	...run.description,
];
