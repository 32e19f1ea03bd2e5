import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Backend, BackendName } from '../backends/Backend';
import { SandboxError } from '../model/errors';
import { BACKEND_CREDENTIALS, createBackend } from '../backends';
import * as chart from './chart/Chart.resource';
import * as code from './code/Code.resource';
import { operationError } from './operationError';
import { credentialScope } from './sandboxScope';
import { calledAsTool } from './toolMode';
import * as file from './file/File.resource';
import * as sandbox from './sandbox/Sandbox.resource';

type Operation = (this: IExecuteFunctions, itemIndex: number, backend: Backend) => Promise<INodeExecutionData[]>;

const OPERATIONS: Record<string, Record<string, { execute: Operation }>> = {
	sandbox: { create: sandbox.create, getAll: sandbox.getAll, kill: sandbox.kill, pause: sandbox.pause, resume: sandbox.resume, setTimeout: sandbox.setTimeout },
	code: { run: code.run },
	chart: { get: chart.get },
	file: { upload: file.upload, download: file.download, list: file.list },
};

/** Runs the chosen operation once per input item, with pairedItem and continueOnFail. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];
	const backends = new Map<BackendName, Backend>();

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const handler = OPERATIONS[resource]?.[operation];
			if (!handler) {
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, { itemIndex });
			}
			const backend = await backendFor(this, itemIndex, backends);
			const output = await handler.execute.call(this, itemIndex, backend);
			returnData.push(...output.map((item) => ({ pairedItem: { item: itemIndex }, ...item })));
		} catch (caught) {
			const error = toNodeError(this, caught, itemIndex);
			// An AI Agent sees a tool's output, not its failure's description: what to do goes back to it.
			if (!this.continueOnFail() && !calledAsTool(this)) throw error;
			// Only `error` and `details`: n8n then keeps the JSON as it is and routes it to the error output when that is chosen.
			const json = error.description ? { error: error.message, details: error.description } : { error: error.message };
			returnData.push({ json, pairedItem: { item: itemIndex } });
		}
	}
	return [returnData];
}

async function backendFor(ctx: IExecuteFunctions, itemIndex: number, backends: Map<BackendName, Backend>): Promise<Backend> {
	const name = ctx.getNodeParameter('backend', itemIndex) as BackendName;
	let backend = backends.get(name);
	if (!backend) {
		const type = BACKEND_CREDENTIALS[name];
		const credentials = await ctx.getCredentials(type, itemIndex);
		backend = createBackend(name, credentials, credentialScope(credentials, ctx.getNode().credentials?.[type]), ctx.logger);
		backends.set(name, backend);
	}
	return backend;
}

function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	if (error instanceof SandboxError) {
		return operationError(ctx.getNode(), error.message, { itemIndex, description: error.description });
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}
