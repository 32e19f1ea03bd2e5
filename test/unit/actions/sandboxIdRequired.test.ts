import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { execute as download } from '../../../nodes/CodeInterpreter/actions/file/download.operation';
import { execute as list } from '../../../nodes/CodeInterpreter/actions/file/list.operation';
import { execute as upload } from '../../../nodes/CodeInterpreter/actions/file/upload.operation';
import { execute as kill } from '../../../nodes/CodeInterpreter/actions/sandbox/kill.operation';
import { execute as setTimeout } from '../../../nodes/CodeInterpreter/actions/sandbox/setTimeout.operation';
import type { Backend } from '../../../nodes/CodeInterpreter/backends/Backend';
import { fakeBackend, fakeContext } from './fakes';

type Operation = (this: IExecuteFunctions, itemIndex: number, backend: Backend) => Promise<INodeExecutionData[]>;

/** Every operation on an existing sandbox refuses an empty Sandbox ID before it reaches the backend. */
test.each([
	['Kill Sandbox', kill],
	['Set Timeout', setTimeout],
	['Upload File', upload],
	['Download File', download],
	['List Files', list],
] as Array<[string, Operation]>)('%s', async (_, operation) => {
	const parameters = { sandboxId: ' ', timeoutSeconds: 60, path: 'a.csv', binaryPropertyName: 'data', depth: 1, options: {} };
	const { ctx } = fakeContext({ items: [parameters], inputs: [{ json: {}, binary: { data: { data: '', mimeType: 'text/plain', fileName: 'a.csv' } } }] });
	const { backend, calls } = fakeBackend();
	await expect(operation.call(ctx, 0, backend)).rejects.toThrow('"Sandbox ID" is empty');
	expect(calls).toEqual([]);
});
