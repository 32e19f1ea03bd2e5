import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, _itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const sandboxes = await backend.list();
	return sandboxes.map((sandbox) => ({ json: { ...sandbox } }));
}
