import type { IExecuteFunctions, IPairedItemData, NodeOperationError } from 'n8n-workflow';

import type { Backend, RunCodeOptions } from '../../backends/Backend';
import type { Execution, ExecutionError } from '../../model/execution';
import type { Language } from '../../model/languages';
import { DEFAULT_OUTPUT_LIMITS } from '../../model/outputLimits';
import { operationError } from '../operationError';
import { getParameters, parameterSchemas } from '../parameters';
import { calledAsTool, conversationSandbox } from '../toolMode';
import { DEFAULT_OUTPUT_FILE_LIMITS, type OutputFileLimits, type OutputFiles } from './outputFiles';
import { runPlanned } from './runPlanned';
import type { RunsAhead } from './runsAhead';

/** The folder whose new files an AI Agent's tool returns by default (the tool's description names it). */
const TOOL_OUTPUT_FOLDER = 'output';

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

/** What one item asks to run, read from its parameters. */
export interface PlannedRun {
	/** Empty: a temporary sandbox. */
	sandboxId: string;
	perItem: boolean;
	code: string;
	options: RunCodeOptions;
	pairedItem: IPairedItemData | IPairedItemData[];
	outputFolder?: string;
	outputFileLimits?: OutputFileLimits;
}

export type CodeFor = (itemIndex: number, language: Language) => string;

/** The execution's error as the node reports it: the kernel's error name and value, the traceback as description. */
export function codeError(ctx: IExecuteFunctions, itemIndex: number, error: ExecutionError): NodeOperationError {
	return operationError(ctx.getNode(), `${error.name}: ${error.value}`, {
		itemIndex,
		description: error.traceback || undefined,
	});
}

/**
 * Reads what the item asks to run: with the item's JSON as `item`, or once for all items with their JSON as
 * `items`. Undefined for the items after the first in "Run Once for All Items" mode.
 */
export function planRun(ctx: IExecuteFunctions, itemIndex: number, codeFor: CodeFor, extra: Pick<RunCodeOptions, 'figureSvg'>): PlannedRun | undefined {
	// The mode first: in "Run Once for All Items" the other items' parameters (expressions, maybe) are never read.
	const { mode } = getParameters(ctx, itemIndex, { mode: parameterSchemas.mode });
	const perItem = mode === 'runOnceForEachItem';
	if (!perItem && itemIndex > 0) return undefined;
	const { sandboxId, language, timeoutSeconds } = getParameters(ctx, itemIndex, {
		sandboxId: parameterSchemas.optionalSandboxId,
		language: parameterSchemas.language,
		timeoutSeconds: parameterSchemas.timeoutSeconds,
	});
	const inputs = ctx.getInputData();
	const code = codeFor(itemIndex, language);
	const { maxLogSizeMb, maxResultSizeMb, outputFolder, maxOutputFiles, maxOutputFileSizeMb } = ctx.getNodeParameter('options', itemIndex, {}) as {
		maxLogSizeMb?: number;
		maxResultSizeMb?: number;
		outputFolder?: string;
		maxOutputFiles?: number;
		maxOutputFileSizeMb?: number;
	};
	const defaults = DEFAULT_OUTPUT_FILE_LIMITS;
	const outputFileLimits: OutputFileLimits = {
		maxFiles: maxOutputFiles ?? defaults.maxFiles,
		read: { ...defaults.read, maxBytes: maxOutputFileSizeMb === undefined ? defaults.read.maxBytes : maxOutputFileSizeMb * MB },
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
		variables: perItem ? { item: inputs[itemIndex].json } : { items: inputs.map((input) => input.json) },
	};
	const pairedItem = perItem ? { item: itemIndex } : inputs.map((_, item) => ({ item }));
	// An AI Agent's tool returns what the code writes to output/ without being asked (its description says to write
	// files for the user there); elsewhere only when Return Files Written To is set. Empty turns it off.
	const folder = outputFolder ?? (calledAsTool(ctx) ? TOOL_OUTPUT_FOLDER : undefined);
	return { sandboxId, perItem, code, options, pairedItem, outputFolder: folder || undefined, outputFileLimits };
}

/**
 * Runs the node's code for one input item (Run Code, Get Chart), in the given sandbox or in a temporary one
 * killed afterwards. With `ahead`, the item's run goes to the sandbox together with the following items'.
 * Resolves with undefined for the items after the first in "Run Once for All Items" mode.
 */
export async function runForItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	backend: Backend,
	codeFor: CodeFor,
	extra: Pick<RunCodeOptions, 'figureSvg'> = {},
	ahead?: RunsAhead,
): Promise<ItemRun | undefined> {
	const planned = planRun(ctx, itemIndex, codeFor, extra);
	if (!planned) return undefined;
	const plan =
		!planned.sandboxId && calledAsTool(ctx)
			? { ...planned, sandboxId: await conversationSandbox(ctx, itemIndex, backend, planned.options.timeoutMs) }
			: planned;
	const stopOnError = !ctx.continueOnFail();
	if (plan.sandboxId && plan.perItem && ahead) return await ahead.take(itemIndex, plan, backend, codeFor, extra);
	if (plan.sandboxId) return unwrap(await runPlanned(ctx, backend, plan.sandboxId, [plan], stopOnError));

	const temporary = (await backend.create({ timeoutSeconds: plan.options.timeoutMs / 1000 + TEMPORARY_SANDBOX_MARGIN_SECONDS })).sandboxId;
	try {
		return unwrap(await runPlanned(ctx, backend, temporary, [plan], stopOnError));
	} finally {
		await backend.kill(temporary).catch(() => undefined);
	}
}

function unwrap([run]: Array<ItemRun | Error>): ItemRun {
	if (run instanceof Error) throw run;
	return run;
}
