import type { Result } from '../model/execution';

interface ChartShape {
	type?: unknown;
	title?: unknown;
	x_label?: unknown;
	y_label?: unknown;
	elements?: unknown;
}

const ELEMENT_NAMES: Record<string, [string, string]> = {
	bar: ['bar', 'bars'],
	pie: ['slice', 'slices'],
	box_and_whisker: ['box', 'boxes'],
};

/**
 * One line an AI model can read in place of a chart image: its type, title, axes and size, e.g.
 * `bar chart "Sales by region"; x axis "region", y axis "sales"; 4 bars`.
 */
export function describeImageResult(result: Result): string {
	if (result.chart && typeof result.chart === 'object') return describeChart(result.chart as ChartShape);
	if (result.png) return `image (PNG${pngSize(result.png)}) with no chart data`;
	if (result.jpeg) return 'image (JPEG) with no chart data';
	return 'image (SVG) with no chart data';
}

function describeChart(chart: ChartShape): string {
	const type = typeof chart.type === 'string' ? chart.type : 'unknown';
	const elements = Array.isArray(chart.elements) ? (chart.elements as unknown[]) : [];
	if (type === 'superchart') {
		const charts = elements.map((element) => describeChart(element as ChartShape)).join(' | ');
		return `figure${quoted(chart.title, ' ')} with ${elements.length} charts: ${charts}`;
	}
	const parts = [`${type.replace(/_/g, '-')} chart${quoted(chart.title, ' ')}`];
	const axes = [quoted(chart.x_label, 'x axis '), quoted(chart.y_label, 'y axis ')].filter(Boolean);
	if (axes.length > 0) parts.push(axes.join(', '));
	if (type === 'line' || type === 'scatter') {
		const points = elements.reduce<number>((sum, element) => sum + pointsOf(element), 0);
		parts.push(`${elements.length} series, ${points} points`);
	} else if (elements.length > 0) {
		const [one, many] = ELEMENT_NAMES[type] ?? ['element', 'elements'];
		parts.push(`${elements.length} ${elements.length === 1 ? one : many}`);
	}
	return parts.join('; ');
}

function pointsOf(element: unknown): number {
	const points = (element as { points?: unknown }).points;
	return Array.isArray(points) ? points.length : 0;
}

function quoted(value: unknown, prefix: string): string {
	return typeof value === 'string' && value.trim() ? `${prefix}"${value.trim()}"` : '';
}

/** Width × height from a PNG's header (its first chunk, IHDR), without decoding the image. */
function pngSize(base64: string): string {
	const header = Buffer.from(base64.slice(0, 32), 'base64');
	if (header.length < 24 || header.toString('latin1', 12, 16) !== 'IHDR') return '';
	return `, ${header.readUInt32BE(16)}×${header.readUInt32BE(20)}`;
}
