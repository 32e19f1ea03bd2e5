import type { IExecuteFunctions, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';
import { codeProperties, codeProperty, languageProperty, modeProperty, optionalSandboxIdProperty, outputLimitOptions } from '../../descriptions/common';
import { outsideTool, toolCodeProperty, toolLanguageProperty, toolOnly, withToolVariant } from '../../descriptions/tool';
import { executionToItem, toErrorOutputItem } from '../../output/executionToItem';
import { DEFAULT_MAX_ITEMS, resultRows } from '../../output/resultToItems';
import { toolResponse } from '../../output/toolResponse';
import { getParameters, parameterSchemas } from '../parameters';
import { calledAsTool } from '../toolMode';
import { addOutputFiles } from '../codeRuns/outputFiles';
import { codeToRun } from '../codeRuns/codeToRun';
import type { CodeFor } from '../codeRuns/plannedRun';
import { codeError, runItemCode } from '../codeRuns/runItemCode';

const displayOptions = { show: { resource: ['code'], operation: ['run'] } };

export const description: INodeProperties[] = [
	{ ...optionalSandboxIdProperty, displayOptions },
	...withToolVariant(languageProperty, toolLanguageProperty, displayOptions),
	{ ...modeProperty, displayOptions },
	...codeProperties(codeProperty, outsideTool(displayOptions)),
	toolOnly(toolCodeProperty, displayOptions),
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Max Items',
				name: 'maxItems',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_ITEMS,
				description:
					'With Result as Items: the most items one run\'s result becomes. Rows past it are left out, and the run\'s output says how many.',
			},
			{
				displayName: 'Max Output File Size (MB)',
				name: 'maxOutputFileSizeMb',
				type: 'number',
				typeOptions: { minValue: 0.001 },
				default: 100,
				description: 'A returned file bigger than this is left out, with a note in "truncated" (use Download File for big files)',
			},

			{
				displayName: 'Max Output Files',
				name: 'maxOutputFiles',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 100,
				description: 'The most files one run returns from the output folder; the others are left out, with a note in "truncated"',
			},
			{
				displayName: 'Result as Items',
				name: 'resultAsItems',
				type: 'boolean',
				default: false,
				description:
					'Whether to output the result as items instead of one item describing the run: a DataFrame gives one item per row, a list of dicts one item per element',
			},
			{
				displayName: 'Return Files Written To',
				name: 'outputFolder',
				type: 'string',
				default: 'output',
				description:
					'Files the code writes in this sandbox folder (relative to /home/user) during the run come back as binary properties of the item, e.g. output/summary.csv as "summary_csv". As an AI Agent\'s tool, files in output/ come back even without this option; set it empty to turn that off.',
			},
			...outputLimitOptions,
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const codeFor: CodeFor = (index, codeRun) => codeToRun(this, index, codeRun, parameterSchemas.code);
	const run = await runItemCode(this, itemIndex, backend, codeFor, { batched: true });
	if (!run) return [];
	const { sandboxId, language, execution, pairedItem, outputFiles } = run;
	const options = this.getNodeParameter('options', itemIndex, {}) as { resultAsItems?: boolean; maxItems?: number };

	const item = await executionToItem(execution, { sandboxId, language }, (data, fileName, mimeType) =>
		this.helpers.prepareBinaryData(data, fileName, mimeType),
	);
	addOutputFiles(item, outputFiles);
	if (calledAsTool(this)) {
		const { maxAnswerLength } = getParameters(this, itemIndex, { maxAnswerLength: parameterSchemas.maxAnswerLength });
		return [{ json: toolResponse(execution, outputFiles.json, maxAnswerLength), binary: item.binary, pairedItem }];
	}
	if (execution.error) {
		if (!this.continueOnFail()) throw codeError(this, itemIndex, execution.error);
		if (this.getNode().onError === 'continueErrorOutput') return [{ ...toErrorOutputItem(item), pairedItem }];
		return [{ ...item, pairedItem }];
	}
	if (options.resultAsItems) {
		const { rows, total } = resultRows(execution, options.maxItems ?? DEFAULT_MAX_ITEMS);
		if (rows.length < total) {
			const message = `Result as Items gave the first ${rows.length} of ${total} rows (Max Items, or a table too wide for more); the other rows were left out.`;
			this.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
			this.logger.warn(message);
		}
		// Rows as many as the input items pair one to one (row i with item i): one list of every input item on each
		// row would grow as rows × items.
		const oneToOne = Array.isArray(pairedItem) && pairedItem.length === rows.length && rows.length > 1;
		return rows.map((json, index) => ({ json, pairedItem: oneToOne ? (pairedItem as IPairedItemData[])[index] : pairedItem }));
	}
	return [{ ...item, pairedItem }];
}
