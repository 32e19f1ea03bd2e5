import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as chart from './actions/chart/Chart.resource';
import * as code from './actions/code/Code.resource';
import * as file from './actions/file/File.resource';
import { router } from './actions/router';
import * as sandbox from './actions/sandbox/Sandbox.resource';
import { createBackend } from './backends';
import { credentialScope } from './actions/sandboxScope';
import { actionSubtitle } from './descriptions/subtitle';
import { conversationProperties, toolDescriptionProperty } from './descriptions/tool';
import type { BackendName } from './backends/Backend';

export class CodeInterpreter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Code Interpreter',
		name: 'codeInterpreter',
		icon: { light: 'file:codeInterpreter.svg', dark: 'file:codeInterpreter.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle([...chart.description, ...code.description, ...file.description, ...sandbox.description]),
		description: 'Run Python, JavaScript, TypeScript, R, Bash and Java in isolated, stateful sandboxes',
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
			{
				name: 'e2bApi',
				required: true,
				testedBy: 'e2bApiTest',
				displayOptions: { show: { backend: ['e2b'] } },
			},
		],
		properties: [
			toolDescriptionProperty,
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
					{
						name: 'E2B (Cloud)',
						value: 'e2b',
						description: 'Sandboxes run in E2B\'s cloud (or a self-hosted E2B), with an E2B API key',
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
					{ name: 'Chart', value: 'chart' },
					{ name: 'Code', value: 'code' },
					{ name: 'File', value: 'file' },
					{ name: 'Sandbox', value: 'sandbox' },
				],
				default: 'code',
			},
			...conversationProperties,
			...chart.description,
			...code.description,
			...file.description,
			...sandbox.description,
		],
	};

	methods = {
		credentialTest: {
			async codeInterpreterDockerApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await testCredential(this, 'docker', credential);
			},
			async e2bApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return await testCredential(this, 'e2b', credential);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

/** Asks the backend the credential is for whether it answers and accepts the credential. */
async function testCredential(
	ctx: ICredentialTestFunctions,
	backend: BackendName,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const scope = credentialScope(credential.data, credential);
		const message = await createBackend(backend, credential.data, scope, ctx.logger).checkConnection();
		return { status: 'OK', message };
	} catch (error) {
		const { message, description } = error as { message: string; description?: string };
		return { status: 'Error', message: description ? `${message}. ${description}` : message };
	}
}
