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
				displayName: 'Allowed Hosts',
				name: 'allowedHosts',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				placeholder: 'pypi.org, files.pythonhosted.org, 10.20.0.0/24',
				description:
					'Domain names, IP addresses and CIDR ranges the code may reach even with Internet Access off (and private ones with it on), separated by commas or new lines. Every port is open to them. A name is resolved once, when the sandbox is created, and the code reaches only the addresses it had then (redirects to other hosts fail unless listed). The n8n host and other sandboxes stay out of reach.',
			},
			{
				displayName: 'Environment Variables',
				name: 'envs',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Variable',
				default: {},
				description: 'Variables set for everything the sandbox runs, the code included (e.g. os.environ in Python)',
				options: [
					{
						displayName: 'Variable',
						name: 'variable',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'API_BASE_URL' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Internet Access',
				name: 'internetAccess',
				type: 'boolean',
				default: false,
				description:
					'Whether the code may reach the internet (e.g. to download data). Even then it cannot reach the n8n host, its services or other sandboxes.',
			},
			{
				displayName: 'On Timeout',
				name: 'onTimeout',
				type: 'options',
				options: [
					{ name: 'Kill', value: 'kill', description: 'The sandbox and everything in it are removed' },
					{
						name: 'Pause',
						value: 'pause',
						description: 'The sandbox keeps its variables and files, using no CPU or memory, until Resume or a run',
					},
				],
				default: 'kill',
				description: 'What happens to the sandbox when its timeout is reached',
			},
			{
				displayName: 'Packages',
				name: 'packages',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				placeholder: 'tabulate==0.9.0\nrequests>=2.31',
				description:
					'Python packages installed with pip (built wheels only) before the sandbox is handed out, one requirement per line, from the credential\'s Package Index URL (PyPI when empty), whose host is reachable for the install alone. A failed install fails Create Sandbox with pip\'s own words.',
			},
			{
				displayName: 'Template',
				name: 'template',
				type: 'string',
				default: '',
				placeholder: 'code-interpreter-v1',
				description:
					'The E2B template to start from: its name or ID. Empty: E2B\'s Code Interpreter template. A template of your own must be built on it.',
				displayOptions: { show: { '/backend': ['e2b'] } },
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { timeoutSeconds, options } = getParameters(this, itemIndex, {
		timeoutSeconds: parameterSchemas.timeoutSeconds,
		options: z
			.object({
				internetAccess: z.boolean().default(false),
				allowedHosts: parameterSchemas.allowedHosts,
				packages: parameterSchemas.packages,
				envs: parameterSchemas.environmentVariables,
				template: z.string().trim().default(''),
				onTimeout: parameterSchemas.onTimeout,
			})
			.default({}),
	});
	const sandbox = await backend.create({
		timeoutSeconds,
		internetAccess: options.internetAccess,
		allowedHosts: options.allowedHosts,
		packages: options.packages,
		envs: options.envs,
		template: options.template || undefined,
		onTimeout: options.onTimeout,
	});
	return [{ json: { ...sandbox } }];
}
