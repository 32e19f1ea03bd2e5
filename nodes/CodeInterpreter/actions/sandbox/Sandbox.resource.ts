import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getAll from './getAll.operation';
import * as kill from './kill.operation';
import * as pause from './pause.operation';
import * as resume from './resume.operation';
import * as setTimeout from './setTimeout.operation';

export { create, getAll, kill, pause, resume, setTimeout };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sandbox'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a sandbox', action: 'Create sandbox' },
			{ name: 'Get Many', value: 'getAll', description: 'List the running and paused sandboxes this package created', action: 'Get many sandboxes' },
			{ name: 'Kill', value: 'kill', description: 'Stop and remove a sandbox, running or paused', action: 'Kill sandbox' },
			{
				name: 'Pause',
				value: 'pause',
				description: 'Stop a sandbox\'s processes and keep its variables and files until it resumes',
				action: 'Pause sandbox',
			},
			{ name: 'Resume', value: 'resume', description: 'Start a paused sandbox again with its variables and files', action: 'Resume sandbox' },
			{ name: 'Set Timeout', value: 'setTimeout', description: 'Change when a sandbox stops itself', action: 'Set sandbox timeout' },
		],
		default: 'create',
	},
	...create.description,
	...getAll.description,
	...kill.description,
	...pause.description,
	...resume.description,
	...setTimeout.description,
];
