import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { packageIndexUrlProperty } from './packageIndexUrlProperty';
import { sandboxScopeProperty } from './sandboxScopeProperty';

/** Where the Docker engine that runs sandboxes is, and how n8n reaches the sandboxes it starts. */
export class CodeInterpreterDockerApi implements ICredentialType {
	name = 'codeInterpreterDockerApi';

	displayName = 'Code Interpreter Docker API';

	icon = {
		light: 'file:../nodes/CodeInterpreter/codeInterpreter.svg',
		dark: 'file:../nodes/CodeInterpreter/codeInterpreter.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-code-interpreter#docker-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Connection',
			name: 'connection',
			type: 'options',
			options: [
				{ name: 'Local Socket', value: 'socket' },
				{ name: 'TCP (Remote Docker Host)', value: 'tcp' },
			],
			default: 'socket',
		},
		{
			displayName: 'Socket Path',
			name: 'socketPath',
			type: 'string',
			default: '/var/run/docker.sock',
			displayOptions: { show: { connection: ['socket'] } },
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			placeholder: 'docker.example.com',
			displayOptions: { show: { connection: ['tcp'] } },
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 2376,
			displayOptions: { show: { connection: ['tcp'] } },
		},
		{
			displayName: 'TLS',
			name: 'tls',
			type: 'boolean',
			default: true,
			displayOptions: { show: { connection: ['tcp'] } },
		},
		{
			displayName: 'CA Certificate',
			name: 'ca',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			displayOptions: { show: { connection: ['tcp'], tls: [true] } },
		},
		{
			displayName: 'Client Certificate',
			name: 'cert',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			displayOptions: { show: { connection: ['tcp'], tls: [true] } },
		},
		{
			displayName: 'Client Key',
			name: 'key',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			displayOptions: { show: { connection: ['tcp'], tls: [true] } },
		},
		{
			displayName: 'Image',
			name: 'image',
			type: 'string',
			default: '',
			placeholder: 'n8n-code-interpreter-sandbox:<package version>',
			description:
				'The sandbox image. Leave empty for the image built from this package version\'s template (npm run template:build).',
		},
		packageIndexUrlProperty,
		{
			displayName: 'Memory Limit (MB)',
			name: 'memoryMb',
			type: 'number',
			typeOptions: { minValue: 128 },
			default: 2048,
			description: 'Memory of one sandbox, its files in /home/user and /tmp included. Past it, the kernel is killed.',
		},
		{
			displayName: 'CPU Limit',
			name: 'cpus',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: 1,
			description: 'CPU cores one sandbox may use',
		},
		{
			displayName: 'Process Limit',
			name: 'pidsLimit',
			type: 'number',
			typeOptions: { minValue: 16 },
			default: 256,
			description: 'Processes and threads one sandbox may run at once (stops fork bombs)',
		},
		{
			displayName: 'Disk Space (MB)',
			name: 'diskMb',
			type: 'number',
			typeOptions: { minValue: 16 },
			default: 1024,
			description: 'Size of the writable home folder /home/user; the rest of the filesystem is read-only',
		},
		{
			displayName: 'Container Runtime',
			name: 'runtime',
			type: 'string',
			default: '',
			placeholder: 'runsc',
			description: 'An OCI runtime your Docker engine has, such as gVisor\'s runsc for a stronger sandbox. Empty: Docker\'s default.',
		},
		{
			displayName: 'Warm Pool Size',
			name: 'poolSize',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 50 },
			default: 2,
			description:
				'Sandboxes kept ready (server up, Python with pandas, numpy and matplotlib imported) so that Create Sandbox takes one at once instead of starting one. Each idle one holds its memory. 0 turns the pool off.',
		},
		{
			displayName: 'Reach Sandboxes By',
			name: 'jupyterAccess',
			type: 'options',
			options: [
				{
					name: 'Published Port',
					value: 'publishedPort',
					description: 'n8n runs on the Docker host itself; each sandbox publishes its port on a host address',
				},
				{
					name: 'Container Address',
					value: 'containerAddress',
					description: 'n8n runs in a container; sandboxes join its Docker network and n8n connects to their address',
				},
			],
			default: 'publishedPort',
		},
		{
			displayName: 'Publish Address',
			name: 'publishAddress',
			type: 'string',
			default: '127.0.0.1',
			description: 'The host address sandbox ports are published on, and connected to',
			displayOptions: { show: { jupyterAccess: ['publishedPort'] } },
		},
		{
			displayName: 'Network',
			name: 'network',
			type: 'string',
			default: '',
			placeholder: 'n8n_default',
			description: 'The Docker network n8n\'s container is attached to: a network of its own (not host, none or container:…)',
			displayOptions: { show: { jupyterAccess: ['containerAddress'] } },
		},
		sandboxScopeProperty,
	];
}
