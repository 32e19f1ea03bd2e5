import type { IExecuteFunctions, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Backend, RunCodeOptions } from '../../backends/Backend';
import type { Execution, ExecutionError } from '../../model/execution';
import type { Language } from '../../model/languages';
import { DEFAULT_OUTPUT_LIMITS } from '../../model/outputLimits';
import { getParameters, parameterSchemas } from '../parameters';
import { collectOutputFiles, noOutputFiles, type OutputFiles } from './outputFiles';

/** A temporary sandbox outlives its one execution by this much, so it is still there to be killed cleanly. */
const TEMPORARY_SANDBOX_MARGIN_SECONDS = 60;
const MB = 1024 * 1024;

export interface ItemRun {
	sandboxId: string;
	language: Language;
	execution: Execution;
	/** The input items the output comes from. */
	pairedItem: IPairedItemData | IPairedItemData[];
	/** The files the code wrote in the output folder, when one was asked for. */
	outputFiles: OutputFiles;
}

/** The execution's error as the node reports it: the kernel's error name and value, the traceback as description. */
export function codeError(ctx: IExecuteFunctions, itemIndex: number, error: ExecutionError): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${error.name}: ${error.value}`, {
		itemIndex,
		description: error.traceback || undefined,
	});
}

/**
 * Runs the node's code for one input item (Run Code, Get Chart): with the item's JSON as `item`, or once for all
 * items with their JSON as `items`; in the given sandbox, or in a temporary one killed afterwards.
 * Resolves with undefined for the items after the first in "Run Once for All Items" mode.
 */
export async function runForItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	backend: Backend,
	codeFor: (language: Language) => string,
	extra: Pick<RunCodeOptions, 'figureSvg'> = {},
): Promise<ItemRun | undefined> {
	const { sandboxId, language, mode, timeoutSeconds } = getParameters(ctx, itemIndex, {
		sandboxId: parameterSchemas.optionalSandboxId,
		language: parameterSchemas.language,
		mode: parameterSchemas.mode,
		timeoutSeconds: parameterSchemas.timeoutSeconds,
	});
	const inputs = ctx.getInputData();
	const forAll = mode === 'runOnceForAllItems';
	if (forAll && itemIndex > 0) return undefined;
	const code = codeFor(language);

	const { maxLogSizeMb, maxResultSizeMb, outputFolder } = ctx.getNodeParameter('options', itemIndex, {}) as {
		maxLogSizeMb?: number;
		maxResultSizeMb?: number;
		outputFolder?: string;
	};
	const options: RunCodeOptions = {
		...extra,
		language,
		limits: {
			maxLogBytes: (maxLogSizeMb ?? DEFAULT_OUTPUT_LIMITS.maxLogBytes / MB) * MB,
			maxResultBytes: (maxResultSizeMb ?? DEFAULT_OUTPUT_LIMITS.maxResultBytes / MB) * MB,
		},
		timeoutMs: timeoutSeconds * 1000,
		signal: ctx.getExecutionCancelSignal(),
		variables: forAll ? { items: inputs.map((input) => input.json) } : { item: inputs[itemIndex].json },
	};
	const pairedItem = forAll ? inputs.map((_, item) => ({ item })) : { item: itemIndex };
	const runIn = async (id: string): Promise<ItemRun> => {
		const startedAt = new Date();
		const execution = await backend.runCode(id, code, options);
		const outputFiles = outputFolder ? await collectOutputFiles(ctx, backend, id, outputFolder, startedAt) : noOutputFiles();
		return { sandboxId: id, language, execution, pairedItem, outputFiles };
	};
	if (sandboxId) return await runIn(sandboxId);

	const temporary = (await backend.create({ timeoutSeconds: timeoutSeconds + TEMPORARY_SANDBOX_MARGIN_SECONDS })).sandboxId;
	try {
		return await runIn(temporary);
	} finally {
		await backend.kill(temporary).catch(() => undefined);
	}
}
