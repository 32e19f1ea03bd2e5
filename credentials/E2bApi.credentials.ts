import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { packageIndexUrlProperty } from './packageIndexUrlProperty';
import { sandboxScopeProperty } from './sandboxScopeProperty';

/** An E2B account (or a self-hosted E2B) that runs sandboxes in its cloud. */
export class E2bApi implements ICredentialType {
	name = 'e2bApi';

	displayName = 'E2B API';

	icon = {
		light: 'file:../nodes/CodeInterpreter/codeInterpreter.svg',
		dark: 'file:../nodes/CodeInterpreter/codeInterpreter.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-code-interpreter#e2b-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e2b_…',
			description: 'From https://e2b.dev/dashboard?tab=keys',
		},
		{
			displayName: 'Domain',
			name: 'domain',
			type: 'string',
			default: '',
			placeholder: 'e2b.app',
			description: 'E2B\'s domain. Leave empty for E2B\'s cloud; set it for a self-hosted E2B.',
		},
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.e2b.app',
			description: 'Overrides the API address made from the domain. Leave empty unless your E2B deployment needs it.',
		},
		{
			displayName: 'Sandbox URL',
			name: 'sandboxUrl',
			type: 'string',
			default: '',
			description:
				'One address through which every sandbox is reached (E2B routes by request header). Leave empty for E2B\'s cloud.',
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: 60,
			description: 'How long one request to E2B may go unanswered. Not the code\'s execution limit, which Run Code sets.',
		},
		packageIndexUrlProperty,
		sandboxScopeProperty,
	];
}
