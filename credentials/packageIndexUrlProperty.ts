import type { INodeProperties } from 'n8n-workflow';

/** Both credentials: where Create Sandbox's Packages come from (nodes/CodeInterpreter/backends/common/packageInstall.ts). */
export const packageIndexUrlProperty: INodeProperties = {
	displayName: 'Package Index URL',
	name: 'packageIndexUrl',
	type: 'string',
	default: '',
	placeholder: 'https://pypi.example.com/simple',
	description:
		'The Python package index (PEP 503 "simple" URL) Create Sandbox\'s Packages are installed from, e.g. a company mirror; its host is reachable for the install alone. Empty: PyPI.',
};
