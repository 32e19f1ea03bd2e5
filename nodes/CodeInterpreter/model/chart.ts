import { z } from 'zod';

import { SandboxError } from './errors';

/** A chart as E2B's Code Interpreter describes a matplotlib figure (template/python/sandbox_display/chart.py). */
const label = z.string().nullable().optional();
const number = z.number().nullable();

const elementSchemas = {
	bar: z.object({ label, group: label, value: number }),
	points: z.object({ label, points: z.array(z.tuple([z.union([z.number(), z.string()]).nullable(), number])) }),
	pie: z.object({ label, angle: number, radius: number.optional() }),
	box: z.object({ label, min: number, first_quartile: number, median: number, third_quartile: number, max: number }),
};

type Chart = { type: string; title?: string | null; elements?: unknown[] };

const chartSchema: z.ZodType<Chart> = z.object({ type: z.string(), title: label, elements: z.array(z.unknown()).optional() });

/**
 * The chart's data flattened into one flat object per data point, ready for a table or Google Sheets:
 * bar `{ label, group, value }`, line and scatter `{ series, x, y }`, pie `{ label, angle }`, box
 * `{ label, min, first_quartile, median, third_quartile, max }`; a superchart's rows carry their sub-chart's `title`.
 */
export function chartRows(value: unknown): Array<Record<string, unknown>> {
	const chart = parse(chartSchema, value);
	const elements = chart.elements ?? [];
	switch (chart.type) {
		case 'bar':
			return elements.map((element) => {
				const { label, group, value } = parse(elementSchemas.bar, element);
				return { label: label ?? null, group: group ?? null, value };
			});
		case 'line':
		case 'scatter':
			return elements.flatMap((element) => {
				const { label, points } = parse(elementSchemas.points, element);
				return points.map(([x, y]) => ({ series: label ?? null, x, y }));
			});
		case 'pie':
			return elements.map((element) => {
				const { label, angle } = parse(elementSchemas.pie, element);
				return { label: label ?? null, angle };
			});
		case 'box_and_whisker':
			return elements.map((element) => {
				const { label, min, first_quartile, median, third_quartile, max } = parse(elementSchemas.box, element);
				return { label: label ?? null, min, first_quartile, median, third_quartile, max };
			});
		case 'superchart':
			return elements.flatMap((element) => {
				const title = parse(chartSchema, element).title ?? null;
				return chartRows(element).map((row) => ({ title, ...row }));
			});
		default:
			return [];
	}
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
	const parsed = schema.safeParse(value);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new SandboxError(`The sandbox sent chart data in an unexpected shape (${issue.path.join('.') || 'chart'}: ${issue.message})`, {
			description: 'The sandbox image may be from another version of this package: rebuild it with "npm run template:build".',
		});
	}
	return parsed.data;
}
