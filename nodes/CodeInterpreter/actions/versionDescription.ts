import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as code from './code/Code.resource';
import * as sandbox from './sandbox/Sandbox.resource';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Code Interpreter',
	name: 'codeInterpreter',
	icon: { light: 'file:codeInterpreter.svg', dark: 'file:codeInterpreter.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
	description: 'Run Python, JavaScript, TypeScript, R and Bash in isolated, stateful sandboxes',
	defaults: { name: 'Code Interpreter' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [
		{
			name: 'codeInterpreterDockerApi',
			required: true,
			testedBy: 'codeInterpreterDockerApiTest',
			displayOptions: { show: { backend: ['docker'] } },
		},
	],
	properties: [
		{
			displayName: 'Backend',
			name: 'backend',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Docker (Self-Hosted)',
					value: 'docker',
					description: 'Sandboxes are containers on your own Docker engine',
				},
			],
			default: 'docker',
		},
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Code', value: 'code' },
				{ name: 'Sandbox', value: 'sandbox' },
			],
			default: 'code',
		},
		...code.description,
		...sandbox.description,
	],
};
