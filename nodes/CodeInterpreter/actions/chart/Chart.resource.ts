import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';

export { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chart'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Run code and get each chart it plots: the PNG, the chart\'s structure and its data as rows',
				action: 'Get chart',
			},
		],
		default: 'get',
	},
	...get.description,
];
