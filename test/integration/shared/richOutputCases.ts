import { resultFormats, type Execution, type Result } from '../../../nodes/CodeInterpreter/model/execution';
import { decodePng } from '../../helpers/png';
import type { SuiteContext } from './suite';
import { runOne } from '../../helpers/runOne';

export function richOutputCases({ subject, backend, sandbox, run, test }: SuiteContext): void {
	beforeAll(async () => {
		await python('import matplotlib.pyplot as plt\nimport numpy as np\nimport pandas as pd\nimport seaborn as sns');
	}, 120_000);

	async function python(code: string): Promise<Execution> {
		const execution = await run(code);
		expect(execution.error).toBeNull();
		return execution;
	}

	/** The one result of the run holding a chart, with its PNG checked to decode. */
	async function chartOf(code: string): Promise<Record<string, unknown>> {
		const charts = (await python(code)).results.filter((result) => result.chart !== undefined);
		expect(charts).toHaveLength(1);
		expect(decodePng(Buffer.from(charts[0].png!, 'base64'))).toEqual({ width: expect.any(Number), height: expect.any(Number) });
		return charts[0].chart as Record<string, unknown>;
	}

	test('chart: line: title, labels with units, and each line\'s exact points', async () => {
		const chart = await chartOf(
			'plt.plot([0, 1, 2], [0, 1, 4], label="squares")\nplt.plot([0, 1, 2], [1, 2, 3], label="linear")\nplt.title("Motion")\nplt.xlabel("Time (s)")\nplt.ylabel("Distance [m]")\nplt.legend()',
		);
		expect(chart).toMatchObject({ type: 'line', title: 'Motion', x_label: 'Time (s)', y_label: 'Distance [m]', x_unit: 's', y_unit: 'm', x_scale: 'linear' });
		expect(chart.elements).toEqual([
			{ label: 'squares', points: [[0, 0], [1, 1], [2, 4]] },
			{ label: 'linear', points: [[0, 1], [1, 2], [2, 3]] },
		]);
	});

	test('chart: line over dates: ISO dates on a datetime scale', async () => {
		const chart = await chartOf('plt.plot(pd.to_datetime(["2024-01-01", "2024-01-02"]), [5, 7])');
		expect(chart).toMatchObject({ type: 'line', x_scale: 'datetime' });
		expect(chart.elements).toEqual([{ label: null, points: [['2024-01-01T00:00:00', 5], ['2024-01-02T00:00:00', 7]] }]);
	});

	test('chart: scatter: the exact points', async () => {
		const chart = await chartOf('plt.scatter([1, 2, 3], [9, 8, 7.5], label="pts")\nplt.title("Spread")');
		expect(chart).toMatchObject({ type: 'scatter', title: 'Spread' });
		expect(chart.elements).toEqual([{ label: 'pts', points: [[1, 9], [2, 8], [3, 7.5]] }]);
	});

	test('chart: bar: one element per bar with its category and value', async () => {
		const chart = await chartOf('plt.bar(["North", "South", "East"], [120, 80.5, 95])\nplt.ylabel("Sales (EUR)")');
		expect(chart).toMatchObject({ type: 'bar', y_unit: 'EUR' });
		expect(chart.elements).toEqual([
			{ label: 'North', group: null, value: 120 },
			{ label: 'South', group: null, value: 80.5 },
			{ label: 'East', group: null, value: 95 },
		]);
	});

	test('chart: pie: each wedge\'s label and angle', async () => {
		const chart = await chartOf('plt.pie([1, 1, 2], labels=["a", "b", "c"])');
		expect(chart.type).toBe('pie');
		const wedges = chart.elements as Array<{ label: string; angle: number }>;
		expect(wedges.map((wedge) => wedge.label)).toEqual(['a', 'b', 'c']);
		[90, 90, 180].forEach((angle, index) => expect(wedges[index].angle).toBeCloseTo(angle, 4));
	});

	test('chart: box and whisker: quartiles, median, whiskers and outliers as matplotlib computes them', async () => {
		const chart = await chartOf('plt.boxplot([[1, 2, 3, 4, 5, 6, 7, 8, 9, 40]], labels=["g"], patch_artist=True)');
		expect(chart.type).toBe('box_and_whisker');
		// numpy percentiles: 25% 3.25, 50% 5.5, 75% 7.75; whiskers at the furthest data within 1.5 IQR.
		expect(chart.elements).toEqual([
			{ label: 'g', min: 1, first_quartile: 3.25, median: 5.5, third_quartile: 7.75, max: 9, outliers: [40] },
		]);
	});

	test('chart: seaborn bar plot: matplotlib underneath, the same bar chart', async () => {
		const chart = await chartOf('sns.barplot(x=["a", "b", "c"], y=[1, 2, 3], errorbar=None)');
		expect(chart.type).toBe('bar');
		expect(chart.elements).toEqual([
			{ label: 'a', group: null, value: 1 },
			{ label: 'b', group: null, value: 2 },
			{ label: 'c', group: null, value: 3 },
		]);
	});

	test('chart: two axes: a superchart holding both charts', async () => {
		const chart = await chartOf(
			'fig, (left, right) = plt.subplots(1, 2)\nleft.bar(["x", "y"], [1, 2])\nleft.set_title("Bars")\nright.plot([1, 2], [3, 4])\nright.set_title("Line")\nfig.suptitle("Both")',
		);
		expect(chart).toMatchObject({ type: 'superchart', title: 'Both' });
		expect((chart.elements as Array<Record<string, unknown>>).map((element) => [element.type, element.title])).toEqual([
			['bar', 'Bars'],
			['line', 'Line'],
		]);
	});

	test('a DataFrame with dates, NaN and numpy ints gives JSON-safe data next to its text and HTML', async () => {
		const [result] = (
			await python(
				'pd.DataFrame({"day": pd.to_datetime(["2024-03-01", None]), "amount": [1.5, np.nan], "count": np.array([3, 4], dtype=np.int64), "ok": [True, False]})',
			)
		).results;
		expect(resultFormats(result)).toEqual(expect.arrayContaining(['text', 'html', 'data']));
		expect(result.data).toEqual({ day: ['2024-03-01T00:00:00', null], amount: [1.5, null], count: [3, 4], ok: [true, false] });
		expect(JSON.parse(JSON.stringify(result.data))).toEqual(result.data);
	});

	test('a list of dicts also arrives as JSON, JSON-safe', async () => {
		const [result] = (await python('[{"a": 1, "b": float("nan")}, {"a": np.int64(2)}]')).results;
		expect(result.json).toEqual([{ a: 1, b: null }, { a: 2 }]);
	});

	test('html, markdown, latex, svg, jpeg and pdf each arrive in their own format', async () => {
		const execution = await python(
			[
				'from IPython.display import display, HTML, Markdown, Latex, SVG, Image',
				'import io',
				'display(HTML("<b>bold</b>"))',
				'display(Markdown("# Title"))',
				'display(Latex(r"$x^2$"))',
				'display(SVG(\'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>\'))',
				'fig = plt.figure(figsize=(1, 1))',
				'jpeg = io.BytesIO(); fig.savefig(jpeg, format="jpg"); display(Image(jpeg.getvalue(), format="jpeg"))',
				'pdf = io.BytesIO(); fig.savefig(pdf, format="pdf"); plt.close(fig)',
				'import base64',
				'display({"application/pdf": base64.b64encode(pdf.getvalue()).decode()}, raw=True)',
			].join('\n'),
		);
		const only = (format: keyof Result) => execution.results.find((result) => result[format] !== undefined)?.[format] as string;
		expect(only('html')).toBe('<b>bold</b>');
		expect(only('markdown')).toBe('# Title');
		expect(only('latex')).toBe('$x^2$');
		expect(only('svg')).toContain('<rect width="4" height="4"/>');
		expect(Buffer.from(only('jpeg'), 'base64').subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
		expect(Buffer.from(only('pdf'), 'base64').toString('latin1', 0, 5)).toBe('%PDF-');
	});

	if (subject.ourTemplate) test('Get Chart without code reads the figure the previous run left open, once', async () => {
		await python('plt.bar(["a"], [1])\nplt.title("Kept")');
		const [shown] = (await python(backend().openFiguresCode)).results;
		expect(shown.chart).toMatchObject({ type: 'bar', title: 'Kept' });
		expect((await python(backend().openFiguresCode)).results).toEqual([]);
	});

	if (subject.ourTemplate) test('SVG on request, for that run only', async () => {
		const withSvg = await runOne(backend(), sandbox().sandboxId, 'plt.plot([1, 2], [3, 4])', { language: 'python', timeoutMs: 60_000, figureSvg: true });
		expect(withSvg.results.find((result) => result.chart)?.svg).toContain('<svg');
		const without = await python('plt.plot([1, 2], [3, 4])');
		expect(without.results.find((result) => result.chart)?.svg).toBeUndefined();
	});

	test('a Plotly figure keeps its JSON, in extra', async () => {
		const execution = await python('import plotly.express as px\npx.bar(x=["a", "b"], y=[1, 2], title="Plotly")');
		const figure = execution.results.map((result) => result.extra?.['application/vnd.plotly.v1+json']).find(Boolean) as {
			data: Array<{ x: string[]; y: number[]; type: string }>;
			layout: { title: { text: string } };
		};
		expect(figure.data[0]).toMatchObject({ type: 'bar', x: ['a', 'b'], y: [1, 2] });
		expect(figure.layout.title.text).toBe('Plotly');
	});
}
