import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getAll from './getAll.operation';
import * as kill from './kill.operation';
import * as setTimeout from './setTimeout.operation';

export { create, getAll, kill, setTimeout };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sandbox'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a sandbox', action: 'Create sandbox' },
			{ name: 'Get Many', value: 'getAll', description: 'List the live sandboxes this package created', action: 'Get many sandboxes' },
			{ name: 'Kill', value: 'kill', description: 'Stop and remove a sandbox', action: 'Kill sandbox' },
			{ name: 'Set Timeout', value: 'setTimeout', description: 'Change when a sandbox stops itself', action: 'Set sandbox timeout' },
		],
		default: 'create',
	},
	...create.description,
	...getAll.description,
	...kill.description,
	...setTimeout.description,
];
