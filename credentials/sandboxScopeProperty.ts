import type { INodeProperties } from 'n8n-workflow';

/** Both credentials: which sandboxes a credential sees (nodes/CodeInterpreter/backends/common/sandboxScope.ts). */
export const sandboxScopeProperty: INodeProperties = {
	displayName: 'Shared Sandbox Scope',
	name: 'sandboxScope',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	description:
		'Leave empty: sandboxes made with this credential are seen and reached only through it, never through another credential on the same engine or account. Credentials given the same value here share their sandboxes; treat it as a password.',
};
