import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';
import { codeProperty, languageProperty, optionalSandboxIdProperty } from '../../descriptions/common';
import type { Execution } from '../../model/execution';
import { executionToItem, toErrorOutputItem } from '../../output/executionToItem';
import { getParameters, parameterSchemas } from '../parameters';

const displayOptions = { show: { resource: ['code'], operation: ['run'] } };

/** A temporary sandbox outlives its one execution by this much, so it is still there to be killed cleanly. */
const TEMPORARY_SANDBOX_MARGIN_SECONDS = 60;

export const description: INodeProperties[] = [
	{ ...optionalSandboxIdProperty, displayOptions },
	{ ...languageProperty, displayOptions },
	{ ...codeProperty, displayOptions },
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		description:
			'How long the code may run. When it is reached the code is interrupted, the node reports a TimeoutError, and the sandbox keeps its state.',
		displayOptions,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { sandboxId, language, code, timeoutSeconds } = getParameters(this, itemIndex, {
		sandboxId: parameterSchemas.optionalSandboxId,
		language: parameterSchemas.language,
		code: parameterSchemas.code,
		timeoutSeconds: parameterSchemas.timeoutSeconds,
	});
	const options = { language, timeoutMs: timeoutSeconds * 1000, signal: this.getExecutionCancelSignal() };

	let runIn = sandboxId;
	let execution: Execution;
	if (sandboxId) {
		execution = await backend.runCode(sandboxId, code, options);
	} else {
		runIn = (await backend.create({ timeoutSeconds: timeoutSeconds + TEMPORARY_SANDBOX_MARGIN_SECONDS })).sandboxId;
		try {
			execution = await backend.runCode(runIn, code, options);
		} finally {
			await backend.kill(runIn).catch(() => undefined);
		}
	}

	const item = await executionToItem(execution, { sandboxId: runIn, language }, (data, fileName, mimeType) =>
		this.helpers.prepareBinaryData(data, fileName, mimeType),
	);
	if (execution.error) {
		const error = new NodeOperationError(this.getNode(), `${execution.error.name}: ${execution.error.value}`, {
			itemIndex,
			description: execution.error.traceback || undefined,
		});
		if (!this.continueOnFail()) throw error;
		if (this.getNode().onError === 'continueErrorOutput') return [toErrorOutputItem(item)];
	}
	return [item];
}
