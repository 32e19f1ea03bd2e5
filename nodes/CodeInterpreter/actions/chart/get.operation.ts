import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';
import { codeProperties, codeProperty, languageProperty, modeProperty, optionalSandboxIdProperty, outputLimitOptions } from '../../descriptions/common';
import { chartRows } from '../../model/chart';
import type { Language } from '../../model/languages';
import { codeToRun } from '../codeRuns/codeToRun';
import type { CodeFor } from '../codeRuns/plannedRun';
import { codeError, runItemCode } from '../codeRuns/runItemCode';
import { parameterSchemas } from '../parameters';

const displayOptions = { show: { resource: ['chart'], operation: ['get'] } };

export const description: INodeProperties[] = [
	{ ...optionalSandboxIdProperty, displayOptions },
	{ ...languageProperty, displayOptions },
	{ ...modeProperty, displayOptions },
	...codeProperties(
		{
			...codeProperty,
			required: false,
			placeholder: "import matplotlib.pyplot as plt\nplt.bar(['a', 'b'], [3, 5])\nplt.title('Sales')",
			description:
				'Code that plots with matplotlib (seaborn and pandas plots are matplotlib too). Leave empty to get the figures still open in the Python kernel.',
		},
		displayOptions,
	),
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		description: 'How long the code may run before it is interrupted',
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
				displayName: 'Include SVG',
				name: 'includeSvg',
				type: 'boolean',
				default: false,
				description: 'Whether to add each chart as SVG too, in the binary property "chart_svg" (Python)',
			},
			{
				displayName: 'When No Chart Is Found',
				name: 'whenNoChart',
				type: 'options',
				options: [
					{ name: 'Fail', value: 'fail', description: 'Stop with an error that says so' },
					{ name: 'Output Nothing', value: 'empty', description: 'Give no item for this input item' },
				],
				default: 'fail',
			},
			...outputLimitOptions,
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, backend: Backend): Promise<INodeExecutionData[]> {
	const { includeSvg } = this.getNodeParameter('options', itemIndex, {}) as { includeSvg?: boolean };
	const codeFor: CodeFor = (index, codeRun) =>
		codeToRun(this, index, codeRun, parameterSchemas.optionalCode) || openFiguresCode(this, index, codeRun.language, backend);
	const run = await runItemCode(this, itemIndex, backend, codeFor, { figureSvg: includeSvg });
	if (!run) return [];
	const { sandboxId, execution, pairedItem } = run;
	if (execution.error) throw codeError(this, itemIndex, execution.error);

	const charts = execution.results.filter((result) => result.chart !== undefined);
	if (charts.length === 0) {
		const { whenNoChart } = this.getNodeParameter('options', itemIndex, {}) as { whenNoChart?: 'fail' | 'empty' };
		if (whenNoChart === 'empty') return [];
		throw new NodeOperationError(this.getNode(), 'The code made no chart', {
			itemIndex,
			description:
				'Get Chart reads matplotlib figures (seaborn and pandas plots included) that the code leaves open or shows. Plot with matplotlib, or set "When No Chart Is Found" to "Output Nothing".',
		});
	}
	return await Promise.all(
		charts.map(async (result, index) => {
			const item: INodeExecutionData = { json: { sandboxId, chart: result.chart as IDataObject, rows: chartRows(result.chart) }, pairedItem };
			item.binary = {};
			if (result.png !== undefined) {
				const png = Buffer.from(result.png, 'base64');
				item.binary.chart = await this.helpers.prepareBinaryData(png, `chart-${index + 1}.png`, 'image/png');
			}
			if (includeSvg && result.svg !== undefined) {
				const svg = Buffer.from(result.svg, 'utf8');
				item.binary.chart_svg = await this.helpers.prepareBinaryData(svg, `chart-${index + 1}.svg`, 'image/svg+xml');
			}
			return item;
		}),
	);
}

function openFiguresCode(ctx: IExecuteFunctions, itemIndex: number, language: Language, backend: Backend): string {
	if (language === 'python') return backend.openFiguresCode;
	throw new NodeOperationError(ctx.getNode(), '"Code" is empty', {
		itemIndex,
		description: 'Only the Python kernel keeps figures open between runs: enter the code that plots the chart.',
	});
}
