import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';
import { createBackend } from './backends';

export class CodeInterpreter implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = {
		credentialTest: {
			async codeInterpreterDockerApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				try {
					const message = await createBackend('docker', credential.data).checkConnection();
					return { status: 'OK', message };
				} catch (error) {
					const { message, description } = error as { message: string; description?: string };
					return { status: 'Error', message: description ? `${message}. ${description}` : message };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
