import { chartRows } from '../../../nodes/CodeInterpreter/model/chart';

describe('chartRows', () => {
	it('bar: one row per bar with its label, group and value', () => {
		const chart = {
			type: 'bar',
			title: 'Sales',
			elements: [
				{ label: 'Q1', group: '2024', value: 10 },
				{ label: 'Q1', group: null, value: 12.5 },
			],
		};
		expect(chartRows(chart)).toEqual([
			{ label: 'Q1', group: '2024', value: 10 },
			{ label: 'Q1', group: null, value: 12.5 },
		]);
	});

	it('line and scatter: one row per point with its series', () => {
		const chart = {
			type: 'line',
			elements: [
				{ label: 'sin', points: [[0, 0], [1, 0.84]] },
				{ label: null, points: [['2024-01-01T00:00:00', 3]] },
			],
		};
		expect(chartRows(chart)).toEqual([
			{ series: 'sin', x: 0, y: 0 },
			{ series: 'sin', x: 1, y: 0.84 },
			{ series: null, x: '2024-01-01T00:00:00', y: 3 },
		]);
		expect(chartRows({ ...chart, type: 'scatter' })).toHaveLength(3);
	});

	it('pie: label and angle', () => {
		expect(chartRows({ type: 'pie', elements: [{ label: 'A', angle: 120, radius: 1 }] })).toEqual([{ label: 'A', angle: 120 }]);
	});

	it('box and whisker: the five numbers, without the outliers', () => {
		const box = { label: 'g', min: 1, first_quartile: 2, median: 3, third_quartile: 4, max: 5, outliers: [9] };
		expect(chartRows({ type: 'box_and_whisker', elements: [box] })).toEqual([
			{ label: 'g', min: 1, first_quartile: 2, median: 3, third_quartile: 4, max: 5 },
		]);
	});

	it('superchart: the rows of each sub-chart, carrying its title', () => {
		const chart = {
			type: 'superchart',
			title: 'Both',
			elements: [
				{ type: 'bar', title: 'Left', elements: [{ label: 'a', group: null, value: 1 }] },
				{ type: 'pie', title: 'Right', elements: [{ label: 'b', angle: 360 }] },
			],
		};
		expect(chartRows(chart)).toEqual([
			{ title: 'Left', label: 'a', group: null, value: 1 },
			{ title: 'Right', label: 'b', angle: 360 },
		]);
	});

	it('unknown charts have no rows', () => {
		expect(chartRows({ type: 'unknown', elements: [] })).toEqual([]);
	});

	it('a malformed chart is a clear error naming the field', () => {
		expect(() => chartRows({ type: 'bar', elements: [{ label: 'a', value: 'ten' }] })).toThrow(
			'The sandbox sent chart data in an unexpected shape (value: Expected number, received string)',
		);
	});
});
