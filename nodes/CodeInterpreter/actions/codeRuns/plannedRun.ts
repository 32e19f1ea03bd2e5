import type { IExecuteFunctions, IPairedItemData } from 'n8n-workflow';

import type { RunCodeOptions } from '../../backends/Backend';
import type { Execution } from '../../model/execution';
import type { Language } from '../../model/languages';
import { DEFAULT_OUTPUT_LIMITS } from '../../model/outputLimits';
import { getParameters, parameterSchemas } from '../parameters';
import type { CodeUse } from './codeToRun';
import { calledAsTool } from '../toolMode';
import { DEFAULT_OUTPUT_FILE_LIMITS, type OutputFileLimits, type OutputFiles } from './outputFiles';

/** The folder whose new files an AI Agent's tool returns by default (the tool's description names it). */
const TOOL_OUTPUT_FOLDER = 'output';

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

/** The code an item runs (codeToRun.ts reads the Code parameter). */
export type CodeFor = (itemIndex: number, use: CodeUse) => string;

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
	const code = codeFor(itemIndex, { language, perItem });
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
